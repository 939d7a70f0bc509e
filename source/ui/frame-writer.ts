/**
 * Incremental output that is correct in the alternate screen. Ink 6.8's own
 * `incrementalRendering` moves the cursor one line short when a frame ends in a newline (always,
 * below full height), so the first line of the previous frame is never rewritten and the frame
 * drifts down (seen in tmux). Instead Ink renders in standard mode into this stream, which drops
 * Ink's relative erase/cursor prefix and rewrites only the lines that changed, each at an
 * absolute row. fdtop owns the whole alternate screen, so row 1 is always the frame's first line.
 */
import {EventEmitter} from 'node:events';
import {visibleWidth} from './text-width.js';

/** Cursor movement and erase sequences Ink puts before a frame (eraseLines, clearTerminal). */
const PREFIX = /^(?:\u001b\[[0-9;]*[A-HJK])+/;
/** Writes made only of private modes (cursor show/hide, synchronized output): passed through. */
const MODES_ONLY = /^(?:\u001b\[\?[0-9;]*[hl])+$/;

type Callback = (error?: Error | null) => void;

export interface OutputStream extends NodeJS.EventEmitter {
	readonly columns?: number;
	readonly rows?: number;
	readonly writable?: boolean;
	readonly writableLength?: number;
	write(chunk: string, callback?: Callback): boolean;
}

export class FrameWriter extends EventEmitter {
	readonly isTTY = true;
	/** Bytes written to the terminal, for measurements. */
	bytes = 0;
	readonly #out: OutputStream;
	#previous: string[] | null = null;

	constructor(out: OutputStream) {
		super();
		this.#out = out;
		out.on('resize', this.#resized);
	}

	get columns(): number | undefined {
		return this.#out.columns;
	}

	get rows(): number | undefined {
		return this.#out.rows;
	}

	get writable(): boolean {
		return this.#out.writable ?? true;
	}

	// Ink waits for this stream to drain before resolving waitUntilExit.
	get writableLength(): number {
		return this.#out.writableLength ?? 0;
	}

	/** Stop following the terminal's resizes. */
	detach(): void {
		this.#out.off('resize', this.#resized);
	}

	write(chunk: string | Uint8Array, encoding?: BufferEncoding | Callback, callback?: Callback): boolean {
		const done = typeof encoding === 'function' ? encoding : callback;
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		if (text === '' || MODES_ONLY.test(text)) return this.#send(text, done);
		const prefix = PREFIX.exec(text)?.[0] ?? '';
		const frame = text.slice(prefix.length);
		if (/\u001b\[[0-9]*J/.test(prefix)) this.#previous = null;
		if (frame === '') {
			// Ink erased its output (a narrower terminal, an external write): repaint all next time.
			this.#previous = null;
			return this.#send('', done);
		}
		return this.#send(this.render(frame), done);
	}

	/** The bytes that turn the screen's current frame into this one. */
	render(frame: string): string {
		const lines = (frame.endsWith('\n') ? frame.slice(0, -1) : frame).split('\n');
		const previous = this.#previous;
		this.#previous = lines;
		if (previous === null) return `\u001b[H\u001b[2J${lines.map((line, i) => `\u001b[${i + 1};1H${line}`).join('')}`;
		let out = '';
		const columns = this.columns;
		for (let i = 0; i < Math.max(lines.length, previous.length); i++) {
			if (lines[i] === previous[i]) continue;
			const line = lines[i] ?? '';
			// Erase the rest of a shorter line; never after a full-width one, whose cursor sits on
			// the last column (autowrap off), where the erase would take its last character.
			const erase = columns === undefined || visibleWidth(line) < columns ? '\u001b[K' : '';
			out += `\u001b[${i + 1};1H${line}\u001b[0m${erase}`;
		}
		return out;
	}

	#send(text: string, done: Callback | undefined): boolean {
		this.bytes += Buffer.byteLength(text);
		return this.#out.write(text, done);
	}

	// A resized terminal may have moved or cut what was drawn: clear it and redraw the last frame
	// at once (lines too long are cut by the terminal, autowrap being off), before Ink re-lays out.
	readonly #resized = (): void => {
		const previous = this.#previous;
		this.#previous = null;
		if (previous) this.#send(this.render(previous.join('\n')), undefined);
		this.emit('resize');
	};
}
