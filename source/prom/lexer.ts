/**
 * Tokenizing for the exposition parser: character codes and classes, names, spaces and escapes.
 * Plain functions over (text, offset), no allocation but for a decoded escape; the parser (parse.ts,
 * line-grammar.ts) walks each line with them.
 */

export const TAB = 0x09;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const HASH = 0x23;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const BACKSLASH = 0x5c;
export const LOWER_N = 0x6e;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

export const METRIC_START = 1;
export const METRIC_CHAR = 2;
export const LABEL_START = 4;
export const LABEL_CHAR = 8;
/** ASCII classes; legacy names are ASCII-only (UTF-8 names must be quoted). */
export const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
	const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
	const digit = c >= 0x30 && c <= 0x39;
	const colon = c === 0x3a;
	CHAR_CLASS[c] =
		(letter || colon ? METRIC_START : 0) |
		(letter || digit || colon ? METRIC_CHAR : 0) |
		(letter ? LABEL_START : 0) |
		(letter || digit ? LABEL_CHAR : 0);
}

/** A legacy metric name at `lastIndex` (native code beats a charCodeAt loop on long names). */
export const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/** End of the legacy metric name starting at `p` (which must be a METRIC_START char). */
export function metricNameEnd(text: string, p: number): number {
	METRIC_NAME.lastIndex = p;
	METRIC_NAME.test(text);
	return METRIC_NAME.lastIndex;
}

export function is(c: number, charClass: number): boolean {
	return c < 128 && ((CHAR_CLASS[c] ?? 0) & charClass) !== 0;
}

export function skipSpace(text: string, p: number, end: number): number {
	let c: number;
	while (p < end && ((c = text.charCodeAt(p)) === SPACE || c === TAB)) p++;
	return p;
}

/** Whether `text[start, end)` equals `s`; from the end, where sample names of one family differ. */
export function sameText(text: string, start: number, end: number, s: string): boolean {
	if (s.length !== end - start) return false;
	for (let i = s.length - 1; i >= 0; i--) {
		if (text.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
	}
	return true;
}

/** Decodes `\\` and `\n` always and `\"` when `quotes`; any other escape stays verbatim. */
export function decodeEscapes(raw: string, quotes: boolean): string {
	// Pieces are joined once at the end: a string grown by `+=` per escape turns into a deep rope
	// whose flattening made a line of a million backslashes cost far more than linear time.
	const parts: string[] = [];
	let from = 0;
	for (let i = raw.indexOf('\\'); i !== -1 && i + 1 < raw.length; i = raw.indexOf('\\', from)) {
		const next = raw.charCodeAt(i + 1);
		if (next === BACKSLASH || next === LOWER_N || (quotes && next === QUOTE)) {
			if (i > from) parts.push(raw.slice(from, i));
			parts.push(next === LOWER_N ? '\n' : next === QUOTE ? '"' : '\\');
		} else {
			parts.push(raw.slice(from, i + 2));
		}
		from = i + 2;
	}
	parts.push(raw.slice(from));
	return parts.join('');
}
