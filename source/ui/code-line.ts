/**
 * A line built as UTF-16 code units in a scratch buffer and read out as one flat string: no
 * string per cell or per run, no concatenations (each one a heap object per frame). Used by the
 * charts and sparklines, which draw the same lines every scrape, and by the frame writer for the
 * bytes of each frame's changes.
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

	/** A code point, as one unit or a surrogate pair. */
	pushCodePoint(cp: number): void {
		if (cp <= 0xffff) this.push(cp);
		else {
			this.push(0xd800 + ((cp - 0x10000) >> 10));
			this.push(0xdc00 + ((cp - 0x10000) & 0x3ff));
		}
	}

	/** A non-negative integer in decimal. */
	pushNumber(n: number): void {
		let scale = 1;
		while (scale * 10 <= n) scale *= 10;
		for (; scale >= 1; scale /= 10) this.push(0x30 + (Math.floor(n / scale) % 10));
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

	/** The codes `from`..`to` of `source`, painted in `tone`, as theme.paint would write them. */
	pushPaintedCodes(source: Uint16Array, from: number, to: number, tone: Tone | undefined, theme: Theme): void {
		if (to <= from) return;
		const affixes = theme.affixes(tone);
		this.pushText(affixes[0]);
		this.pushCodes(source, from, to);
		this.pushText(affixes[1]);
	}

	text(): string {
		if (LITTLE_ENDIAN) return this.#bytes.toString('utf16le', 0, this.length * 2);
		return String.fromCharCode.apply(null, this.codes.subarray(0, this.length) as unknown as number[]);
	}
}
