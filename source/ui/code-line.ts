/**
 * A line built as UTF-16 code units in a scratch buffer and read out as one flat string: no
 * string per cell or per run, no concatenations (each one a heap object per frame). Used by the
 * charts and sparklines, which draw the same lines every scrape.
 */
import {Buffer} from 'node:buffer';
import type {Theme, Tone} from './theme.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class CodeLine {
	codes = new Uint16Array(256);
	#bytes = Buffer.from(this.codes.buffer);
	length = 0;

	reset(): void {
		this.length = 0;
	}

	/** Room for `n` more code units. */
	room(n: number): void {
		if (this.length + n <= this.codes.length) return;
		const codes = new Uint16Array(Math.max(this.codes.length * 2, this.length + n));
		codes.set(this.codes.subarray(0, this.length));
		this.codes = codes;
		this.#bytes = Buffer.from(codes.buffer);
	}

	push(code: number): void {
		this.room(1);
		this.codes[this.length++] = code;
	}

	pushText(text: string): void {
		this.room(text.length);
		for (let i = 0; i < text.length; i++) this.codes[this.length++] = text.charCodeAt(i);
	}

	/** The code units `from`..`to` of another buffer. */
	pushCodes(source: Uint16Array, from: number, to: number): void {
		this.room(to - from);
		// A loop, not set(subarray): no view object per run.
		for (let i = from; i < to; i++) this.codes[this.length++] = source[i]!;
	}

	/** `text` painted in `tone`, as theme.paint would write it. */
	pushPainted(text: string, tone: Tone | undefined, theme: Theme): void {
		const affixes = tone ? affixesOf(theme, tone) : EMPTY;
		if (!affixes || text === '') return this.pushText(tone ? theme.paint(text, tone) : text);
		this.pushText(affixes[0]);
		this.pushText(text);
		this.pushText(affixes[1]);
	}

	/** The codes `from`..`to` of `source`, painted in `tone`, as theme.paint would write them. */
	pushPaintedCodes(source: Uint16Array, from: number, to: number, tone: Tone | undefined, theme: Theme): void {
		const affixes = tone ? affixesOf(theme, tone) : EMPTY;
		if (!affixes) return this.pushText(theme.paint(String.fromCharCode.apply(null, source.subarray(from, to) as unknown as number[]), tone));
		if (to <= from) return;
		this.pushText(affixes[0]);
		this.pushCodes(source, from, to);
		this.pushText(affixes[1]);
	}

	text(): string {
		if (LITTLE_ENDIAN) return this.#bytes.toString('utf16le', 0, this.length * 2);
		return String.fromCharCode.apply(null, this.codes.subarray(0, this.length) as unknown as number[]);
	}
}

const EMPTY: readonly [string, string] = ['', ''];
const MARK = '\u0000';
const affixCache = new WeakMap<Theme, Map<Tone, readonly [string, string] | null>>();

/**
 * What theme.paint writes before and after a text in `tone` (asked once per theme and tone with a
 * marker), or null when its paint is not such a wrapping (then paint is called on the text itself).
 */
function affixesOf(theme: Theme, tone: Tone): readonly [string, string] | null {
	let known = affixCache.get(theme);
	if (!known) {
		known = new Map();
		affixCache.set(theme, known);
	}
	let affixes = known.get(tone);
	if (affixes === undefined) {
		const painted = theme.paint(MARK, tone);
		const at = painted.indexOf(MARK);
		affixes = at >= 0 && painted.lastIndexOf(MARK) === at && theme.paint(`x${MARK}y`, tone) === `${painted.slice(0, at)}x${MARK}y${painted.slice(at + 1)}` ? [painted.slice(0, at), painted.slice(at + 1)] : null;
		known.set(tone, affixes);
	}
	return affixes;
}
