/**
 * Incremental output that is correct in the alternate screen. Ink 6.8's own
 * `incrementalRendering` moves the cursor one line short when a frame ends in a newline (always,
 * below full height), so the first line of the previous frame is never rewritten and the frame
 * drifts down (seen in tmux). Instead Ink renders in standard mode into this stream, which drops
 * Ink's relative erase/cursor prefix and rewrites only the lines that changed, each at an
 * absolute row. fdtop owns the whole alternate screen, so row 1 is always the frame's first line.
 *
 * Direct mode (the live UI): the App composes its frame as lines and hands them to `show`, and
 * Ink's own tree stays empty. Ink's output stage re-tokenises every painted string character by
 * character on each frame (most of a frame's CPU, measured in BENCHMARKS.md); here the lines go
 * to the terminal as built, only the changed ones. Ink still owns input, raw mode and exit; its
 * empty frames are dropped, and anything else it writes (an error overview) is drawn as before.
 */
import {EventEmitter} from 'node:events';
import {CellRow, CLUSTER, compactLine, CONTINUATION, REVERSE, sgrParams, SPACE, type Cells} from './terminal-cells.js';
import {visibleWidth} from './text-width.js';
import {CodeLine} from './code-line.js';

// Lines as cells, SGR changes and compact lines are in terminal-cells.ts; exported here too.
export {cellText, compactLine, parseCells, sgrChange, type Cells} from './terminal-cells.js';

/** Cursor movement and erase sequences Ink puts before a frame (eraseLines, clearTerminal). */
const PREFIX = /^(?:\u001b\[[0-9;]*[A-HJK])+/;
/** Writes made only of private modes (cursor show/hide, synchronized output): passed through. */
const MODES_ONLY = /^(?:\u001b\[\?[0-9;]*[hl])+$/;

type Callback = (error?: Error | null) => void;

/** A known state in which a blank cell looks like any other blank: not reverse video. */
function blankAlike(state: number): boolean {
	return state >= 0 && (state & REVERSE) === 0;
}

export interface OutputStream extends NodeJS.EventEmitter {
	readonly columns?: number;
	readonly rows?: number;
	readonly writable?: boolean;
	readonly writableLength?: number;
	write(chunk: string, callback?: Callback): boolean;
}

export interface FrameWriterOptions {
	/** Frames come from `show`; Ink's empty frames are ignored (see above). */
	readonly direct?: boolean;
	/** At most one `show` frame per this many milliseconds; the latest one is drawn at the end. */
	readonly minIntervalMs?: number;
}

/** `ESC [ first ; second final` into `out` (a parameter < 0 is left out): the CSI sequences the writer sends. */
function csi(out: CodeLine, final: number, first: number, second = -1): void {
	out.push(0x1b);
	out.push(0x5b);
	if (first >= 0) out.pushNumber(first);
	if (second >= 0) {
		out.push(0x3b);
		out.pushNumber(second);
	}
	out.push(final);
}

/** Decimal digits of a positive integer. */
function digits(n: number): number {
	let d = 1;
	for (let m = n; m >= 10; m = Math.floor(m / 10)) d++;
	return d;
}

/** Scratch for `sgrParams`. */
const PARAMS: number[] = [0, 0, 0, 0, 0];

export class FrameWriter extends EventEmitter {
	readonly isTTY = true;
	/** Bytes written to the terminal, for measurements. */
	bytes = 0;
	readonly #out: OutputStream;
	#previous: string[] | null = null;
	/** Cells of `#previous`'s lines, parsed when first compared (direct mode); their buffers are reused. */
	#cells: (CellRow | undefined)[] = [];
	/** A row's buffers freed by the last change, for the next changed line. */
	#spare: CellRow | undefined;
	/** The terminal's current SGR state as a `Cells` state; −1: unknown. */
	#sgr = -1;
	/** The bytes of a frame's changes, a UTF-16 unit at a time (a `+=` per cell was a third of what a frame allocated). */
	readonly #buffer = new CodeLine();
	readonly #direct: boolean;
	readonly #minIntervalMs: number;
	#lastShow = Number.NEGATIVE_INFINITY;
	#pending: readonly string[] | null = null;
	#timer: NodeJS.Timeout | null = null;
	/** Suspended (Ctrl+Z): the terminal belongs to the shell; frames wait for `resume`. */
	#held = false;

	constructor(out: OutputStream, options: FrameWriterOptions = {}) {
		super();
		this.#out = out;
		this.#direct = options.direct === true;
		this.#minIntervalMs = options.minIntervalMs ?? 0;
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
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#pending = null;
	}

	/**
	 * Stop drawing (the process is being suspended and the shell owns the screen): frames shown
	 * until `resume` are kept, not written.
	 */
	suspend(): void {
		this.#held = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}

	/**
	 * Draw again after a suspension (or anything else that may have changed the screen behind
	 * fdtop's back): the model of the screen is dropped and the latest frame is written whole.
	 */
	resume(): void {
		this.#held = false;
		const latest = this.#pending ?? this.#previous;
		this.#pending = null;
		this.#previous = null;
		this.#lastShow = performance.now();
		if (latest) this.#send(this.#diff(latest.slice(), this.#direct), undefined);
	}

	/** Draw a whole frame of lines (direct mode), rewriting only the lines that changed. */
	show(lines: readonly string[]): void {
		if (this.#held) {
			this.#pending = lines;
			return;
		}
		const now = performance.now();
		if (now - this.#lastShow < this.#minIntervalMs) {
			this.#pending = lines;
			this.#timer ??= setTimeout(this.#flush, this.#minIntervalMs - (now - this.#lastShow));
			return;
		}
		this.#lastShow = now;
		this.#pending = null;
		this.#send(this.#diff(lines.slice(), true), undefined);
	}

	readonly #flush = (): void => {
		this.#timer = null;
		const pending = this.#pending;
		if (pending) this.show(pending);
	};

	write(chunk: string | Uint8Array, encoding?: BufferEncoding | Callback, callback?: Callback): boolean {
		const done = typeof encoding === 'function' ? encoding : callback;
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		// Suspended: Ink's own frames are dropped; `resume` repaints from the model.
		if (this.#held) return this.#send('', done);
		if (text === '' || MODES_ONLY.test(text)) return this.#send(text, done);
		const prefix = PREFIX.exec(text)?.[0] ?? '';
		const frame = text.slice(prefix.length);
		// Ink's own (empty) tree in direct mode: the screen belongs to `show`.
		if (this.#direct && frame.trim() === '') return this.#send('', done);
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
		return this.#diff((frame.endsWith('\n') ? frame.slice(0, -1) : frame).split('\n'));
	}

	/**
	 * `compact` (direct mode): a changed line is erased whole, then drawn with its runs of blanks
	 * skipped by cursor moves (see `compactLine`); most of a chart row is blank.
	 */
	#diff(lines: string[], compact = false): string {
		const previous = this.#previous;
		this.#previous = lines;
		const cells = this.#cells;
		this.#cells = [];
		if (previous === null) {
			// Direct frames end each line with a reset, so no line's open colour reaches the next.
			this.#sgr = compact ? 0 : -1;
			return `\u001b[H\u001b[2J${lines.map((line, i) => `\u001b[${i + 1};1H${compact ? `${compactLine(line)}\u001b[0m` : line}`).join('')}`;
		}
		let out = '';
		if (compact) {
			for (let i = 0; i < Math.max(lines.length, previous.length); i++) {
				if (lines[i] === previous[i]) {
					this.#cells[i] = cells[i];
					continue;
				}
				const old = cells[i] ?? new CellRow().set(previous[i] ?? '');
				const now = (this.#spare ?? new CellRow()).set(lines[i] ?? '');
				this.#cells[i] = now;
				this.#rowDiff(i, old, now);
				this.#spare = old;
			}
			const text = this.#buffer.text();
			this.#buffer.reset();
			return text;
		}
		this.#sgr = -1;
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

	/**
	 * Write the bytes that turn row `row` from `old` into `now` into the buffer, cell by cell:
	 * unchanged cells are skipped (a cursor move), changed ones drawn with the fewest SGR changes,
	 * and a tail that is now blank erased. The screen is assumed to hold `old` (it does: fdtop owns
	 * the screen, and any doubt — a resize, an erase — repaints everything first).
	 */
	#rowDiff(row: number, old: Cells, now: Cells): void {
		const out = this.#buffer;
		const width = Math.max(old.length, now.length);
		let end = now.length;
		while (end > 0 && now.codes[end - 1] === SPACE && (now.states[end - 1]! & REVERSE) === 0) end--;
		let pos = -1;
		for (let c = 0; c < width; c++) {
			if (c < pos) continue;
			const code = c < now.length ? now.codes[c]! : SPACE;
			const state = c < now.length ? now.states[c]! : 0;
			const was = c < old.length ? old.codes[c]! : SPACE;
			const wasState = c < old.length ? old.states[c]! : 0;
			const same = code === was && (code !== CLUSTER || now.clusters!.get(c) === old.clusters!.get(c));
			if (same && (state === wasState || (code === SPACE && ((state | wasState) & REVERSE) === 0))) continue;
			if (pos !== c) this.#moveTo(row, c, pos, now);
			if (c >= end) {
				// Blank from here on: erase the rest of the row. An erase paints the background only,
				// which fdtop never sets, so any state but reverse video (or an unknown one) will do.
				if (!blankAlike(this.#sgr)) {
					this.#sgrTo(0);
				}
				csi(out, 0x4b, -1);
				break;
			}
			// A blank looks the same in any colour, bold or dim: drawn in the current state, not its own.
			this.#sgrTo(code === SPACE && blankAlike(state) && blankAlike(this.#sgr) ? this.#sgr : state);
			if (code === CONTINUATION) {
				// The second half of a wide character: nothing of its own to draw.
			} else if (code === CLUSTER) out.pushText(now.clusters!.get(c)!);
			else out.pushCodePoint(code);
			pos = c + 1;
			while (pos < now.length && now.codes[pos] === CONTINUATION) pos++;
		}
	}

	/** The SGR change from the terminal's state to `state`, into the buffer. */
	#sgrTo(state: number): void {
		const n = sgrParams(this.#sgr, state, PARAMS);
		this.#sgr = state;
		if (n === 0) return;
		const out = this.#buffer;
		out.push(0x1b);
		out.push(0x5b);
		for (let k = 0; k < n; k++) {
			if (k > 0) out.push(0x3b);
			out.pushNumber(PARAMS[k]!);
		}
		out.push(0x6d);
	}

	/**
	 * Cursor from `pos` (−1: elsewhere) to column `c` of `row`, into the buffer: the unchanged cells
	 * between redrawn when that takes no more bytes than the move and needs no SGR change (a blank
	 * needs none outside reverse video), else a move.
	 */
	#moveTo(row: number, c: number, pos: number, now: Cells): void {
		const out = this.#buffer;
		if (pos < 0 || pos > c) {
			if (c === 0) csi(out, 0x48, row + 1);
			else csi(out, 0x48, row + 1, c + 1);
			return;
		}
		const gap = c - pos;
		// `ESC [ C` or `ESC [ n C`.
		const move = gap === 1 ? 3 : 3 + digits(gap);
		let bytes = 0;
		let redraw = true;
		for (let k = pos; k < c; k++) {
			const code = k < now.length ? now.codes[k]! : SPACE;
			const state = k < now.length ? now.states[k]! : 0;
			if (code <= 0 || (k + 1 < now.length && now.codes[k + 1] === CONTINUATION)) redraw = false;
			else if (state !== this.#sgr && !(code === SPACE && blankAlike(state) && blankAlike(this.#sgr))) redraw = false;
			else bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
			if (!redraw || bytes > move) {
				redraw = false;
				break;
			}
		}
		if (!redraw) {
			if (gap === 1) csi(out, 0x43, -1);
			else csi(out, 0x43, gap);
			return;
		}
		for (let k = pos; k < c; k++) out.pushCodePoint(k < now.length ? now.codes[k]! : SPACE);
	}

	#send(text: string, done: Callback | undefined): boolean {
		this.bytes += Buffer.byteLength(text);
		return this.#out.write(text, done);
	}

	// A resized terminal may have moved or cut what was drawn: clear it and redraw the last frame
	// at once (lines too long are cut by the terminal, autowrap being off), before Ink re-lays out.
	readonly #resized = (): void => {
		if (this.#held) {
			this.emit('resize');
			return;
		}
		const previous = this.#previous;
		this.#previous = null;
		if (previous) this.#send(this.#diff(previous), undefined);
		this.emit('resize');
	};
}
