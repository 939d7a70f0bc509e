/**
 * A line of terminal output as the frame writer compares it: its cells (one per column, with the
 * SGR state), the SGR change between two states, and a compact form for a freshly erased row.
 */
import {codePointWidth, graphemes, graphemeWidth, joins, sgrEnd} from './text-width.js';

const SGR_OR_BLANKS = /\u001b\[([0-9;]*)m| +/g;

/**
 * Fewer bytes for a line drawn on an erased row: a run of five or more blanks becomes a cursor
 * move right (`CSI n C`), trailing blanks are dropped, and a colour's reset right before the next colour is dropped. Blanks
 * in reverse video (the selection) are drawn, since there they show.
 */
export function compactLine(line: string): string {
	let reverse = false;
	return line.replace(SGR_OR_BLANKS, (match: string, params: string | undefined, offset: number) => {
		if (params === undefined) {
			if (reverse) return match;
			if (offset + match.length === line.length) return '';
			return match.length >= 5 ? `\u001b[${match.length}C` : match;
		}
		for (const p of params.split(';')) {
			if (p === '7') reverse = true;
			else if (p === '27' || p === '0' || p === '') reverse = false;
		}
		// `ESC[39m` directly followed by another foreground colour changes nothing on screen.
		if (params === '39' && /^\u001b\[(?:3[0-7]|9[0-7])m/.test(line.slice(offset + match.length, offset + match.length + 5))) return '';
		return match;
	});
}

/**
 * A line as terminal cells: one entry per column with its SGR state. A cell is held as its code
 * point (no string per character: this runs for every changed line of every frame); 0 continues a
 * wide character, −1 is a character with combining marks, whose text is in `clusters`.
 */
export interface Cells {
	readonly codes: ArrayLike<number>;
	readonly states: ArrayLike<number>;
	/** Cells in the line (`codes` and `states` may hold more entries, left from a longer line). */
	readonly length: number;
	readonly clusters: Map<number, string> | null;
}

export const CONTINUATION = 0;
export const CLUSTER = -1;
export const SPACE = 0x20;

/** The text of cell `c` ('' for the second half of a wide character); a space beyond the line. */
export function cellText(cells: Cells, c: number): string {
	if (c >= cells.length) return ' ';
	const code = cells.codes[c]!;
	if (code === CONTINUATION) return '';
	if (code === CLUSTER) return cells.clusters!.get(c)!;
	return String.fromCodePoint(code);
}

// A state is the foreground code (30–37, 90–97; 0 default) times 8, plus these attribute bits.
const BOLD = 1;
const DIM = 2;
export const REVERSE = 4;
/** The state after the SGR parameters `text[from, to)` (digits and `;`; an empty parameter is 0). */
function applySgrRange(state: number, text: string, from: number, to: number): number {
	let next = state;
	// Each `;`-separated parameter in turn (an empty one is 0).
	for (let i = from; i <= to; i++) {
		let n = 0;
		for (let c = text.charCodeAt(i); i < to && c !== 0x3b; c = text.charCodeAt(++i)) n = n * 10 + (c - 0x30);
		if (n === 0) next = 0;
		else if (n === 1) next |= BOLD;
		else if (n === 2) next |= DIM;
		else if (n === 22) next &= ~(BOLD | DIM);
		else if (n === 7) next |= REVERSE;
		else if (n === 27) next &= ~REVERSE;
		else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) next = (next & 7) | (n << 3);
		else if (n === 39) next &= 7;
	}
	return next;
}

/**
 * Cells in buffers that are filled again for each line (`set`), so that the frame writer, which
 * parses every changed line of every frame, allocates nothing for them once they are big enough.
 */
export class CellRow implements Cells {
	codes = new Int32Array(160);
	states = new Uint16Array(160);
	length = 0;
	clusters: Map<number, string> | null = null;

	/** Parse a line of text and SGR codes (fdtop's own: colours, bold, dim, reverse) into the cells. */
	set(line: string): this {
		this.length = 0;
		this.clusters = null;
		let state = 0;
		for (let i = 0; i < line.length; ) {
			if (line.charCodeAt(i) === 0x1b) {
				const end = sgrEnd(line, i);
				if (end >= 0) {
					state = applySgrRange(state, line, i + 2, end - 1);
					i = end;
					continue;
				}
			}
			const cp = line.codePointAt(i)!;
			// A character that may join its neighbours into a cluster: the whole line by graphemes.
			if (joins(line.charCodeAt(i))) return this.#setClusters(line);
			i += cp > 0xffff ? 2 : 1;
			const w = codePointWidth(cp);
			if (w === 0) {
				// A combining mark joins the cell before it; a control character is dropped.
				if (cp >= 0x300 && this.length > 0) {
					const last = this.codes[this.length - 1] === CONTINUATION ? this.length - 2 : this.length - 1;
					if (last >= 0) {
						const text = cellText(this, last) + String.fromCodePoint(cp);
						(this.clusters ??= new Map()).set(last, text);
						this.codes[last] = CLUSTER;
					}
				}
				continue;
			}
			this.#push(cp, state);
			if (w === 2) this.#push(CONTINUATION, state);
		}
		return this;
	}

	#push(code: number, state: number): void {
		if (this.length === this.codes.length) {
			const codes = new Int32Array(this.length * 2);
			codes.set(this.codes);
			this.codes = codes;
			const states = new Uint16Array(this.length * 2);
			states.set(this.states);
			this.states = states;
		}
		this.codes[this.length] = code;
		this.states[this.length++] = state;
	}

	/**
	 * `set` for a line holding grapheme clusters (emoji sequences, jamo, Indic scripts): one cell
	 * per cluster, as wide as string-width says, its text whole.
	 */
	#setClusters(line: string): this {
		this.length = 0;
		this.clusters = null;
		let state = 0;
		const run = (text: string): void => {
			for (const {segment} of graphemes(text)) {
				const w = graphemeWidth(segment);
				const cp = segment.codePointAt(0)!;
				if (w === 0) {
					// Marks with no base of their own join the cell before; control and format characters are dropped.
					if (cp >= 0x300 && /\p{M}/u.test(segment) && this.length > 0) {
						let last = this.length - 1;
						while (last > 0 && this.codes[last] === CONTINUATION) last--;
						(this.clusters ??= new Map()).set(last, cellText(this, last) + segment);
						this.codes[last] = CLUSTER;
					}
					continue;
				}
				if (segment.length === (cp > 0xffff ? 2 : 1)) this.#push(cp, state);
				else {
					(this.clusters ??= new Map()).set(this.length, segment);
					this.#push(CLUSTER, state);
				}
				for (let k = 1; k < w; k++) this.#push(CONTINUATION, state);
			}
		};
		let from = 0;
		for (let i = 0; i < line.length; i++) {
			if (line.charCodeAt(i) !== 0x1b) continue;
			const end = sgrEnd(line, i);
			if (end < 0) continue;
			run(line.slice(from, i));
			state = applySgrRange(state, line, i + 2, end - 1);
			from = end;
			i = from - 1;
		}
		run(line.slice(from));
		return this;
	}
}

/** A line's cells as plain arrays, one entry per cell (see `CellRow` for the reused form). */
export function parseCells(line: string): {codes: number[]; states: number[]; length: number; clusters: Map<number, string> | null} {
	const row = new CellRow().set(line);
	return {codes: [...row.codes.subarray(0, row.length)], states: [...row.states.subarray(0, row.length)], length: row.length, clusters: row.clusters};
}

/**
 * The SGR parameters that change the terminal from state `from` (−1: unknown) to `to`, written
 * into `params` (at most 5); their count (0: no change).
 */
export function sgrParams(from: number, to: number, params: number[]): number {
	if (from === to) return 0;
	let n = 0;
	let base = from;
	if (base < 0 || (base & 7 & ~to) !== 0) {
		params[n++] = 0;
		base = 0;
	}
	if (to & BOLD && !(base & BOLD)) params[n++] = 1;
	if (to & DIM && !(base & DIM)) params[n++] = 2;
	if (to & REVERSE && !(base & REVERSE)) params[n++] = 7;
	if (to >> 3 !== base >> 3) params[n++] = to >> 3 || 39;
	return n;
}

/** The SGR codes that change the terminal from state `from` (−1: unknown) to `to`. */
export function sgrChange(from: number, to: number): string {
	const params: number[] = [];
	const n = sgrParams(from, to, params);
	return n === 0 ? '' : `\u001b[${params.join(';')}m`;
}
