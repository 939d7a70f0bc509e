/**
 * Terminal cell widths for the line-based canvas every view draws on. Lines may carry our own SGR
 * colour codes (never server text: that is made inert first), so widths skip them. The widths are
 * string-width's, the library Ink itself measures with: wide (CJK, fullwidth, emoji presentation,
 * U+1F680–1F6FF, U+1FA70–1FAFF) two cells, combining marks and zero-width characters none, and a
 * grapheme cluster (a VS16 sequence, a keycap, a skin tone, a ZWJ family, Hangul jamo) as one,
 * as terminals draw it. Plain text takes a fast path: ASCII, Latin, box drawing, CJK and the like
 * are measured per code point from a kept table; only a line holding a character that may join
 * its neighbours into a cluster is cut into graphemes.
 */
import {eastAsianWidth} from 'get-east-asian-width';
import stringWidth from 'string-width';

const SGR = /\u001b\[[0-9;]*m/g;

/** Cells one character (a code point) takes, alone. */
export function charWidth(char: string): number {
	const cp = char.codePointAt(0) ?? 0;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
	if (cp < 0x7f) return 1;
	// A simple BMP character alone is one grapheme, never an emoji sequence or jamo: string-width's
	// answer is then its zero-width test and the East Asian Width, which are asked here directly.
	// string-width's own path (a grapheme segmenter, the RGI_Emoji class) costs ~40 ms of the first
	// frame to set up, for the characters every frame draws (box drawing, blocks, …).
	if (cp <= 0xffff && isSimple(cp)) return INVISIBLE.test(char) ? 0 : eastAsianWidth(cp);
	return stringWidth(String.fromCodePoint(cp));
}

/** string-width's non-printing characters (its visibleCharacterRegex, negated). */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u;

/**
 * `charWidth` of the one character with code point `cp`, the Basic Multilingual Plane's answers
 * kept once found (a frame measures the same few glyphs thousands of times), with a flag (CLUSTERS)
 * for the code units that may join a neighbour into a cluster, so one table look-up answers both.
 */
const UNKNOWN = 0xff;
const CLUSTERS = 0x10;
const BMP_INFO = new Uint8Array(0x10000).fill(UNKNOWN);
const ASTRAL_WIDTHS = new Map<number, number>();

/**
 * True when the code unit `c` (≥ 0x7f) is a character that never joins a neighbour into a wider or
 * narrower cluster, so its width alone is its share of the line's: Latin, Greek, Cyrillic,
 * combining diacritics, punctuation, arrows, box drawing, blocks, symbols, CJK, kana, Hangul
 * syllables, fullwidth forms. Anything else (surrogates, so astral emoji; VS16, ZWJ, keycaps,
 * jamo, Indic scripts) sends the line to the grapheme path.
 */
function isSimple(c: number): boolean {
	return (
		c < 0x0500 ||
		(c >= 0x2010 && c <= 0x2027) ||
		(c >= 0x2030 && c <= 0x205f) ||
		(c >= 0x2070 && c <= 0x20cf) ||
		(c >= 0x2100 && c <= 0x2bff) ||
		(c >= 0x3000 && c <= 0x30ff) ||
		(c >= 0x3400 && c <= 0x4dbf) ||
		(c >= 0x4e00 && c <= 0x9fff) ||
		(c >= 0xac00 && c <= 0xd7a3) ||
		(c >= 0xff00 && c <= 0xffef)
	);
}

/** Width of the BMP code unit `c` (0–2), plus CLUSTERS when it may form a cluster. */
function unitInfo(c: number): number {
	let info = BMP_INFO[c]!;
	if (info === UNKNOWN) {
		info = (c >= 0xd800 && c <= 0xdfff ? 0 : charWidth(String.fromCharCode(c))) | (c >= 0x7f && !isSimple(c) ? CLUSTERS : 0);
		BMP_INFO[c] = info;
	}
	return info;
}

export function codePointWidth(cp: number): number {
	if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
	if (cp > 0xffff) {
		let w = ASTRAL_WIDTHS.get(cp);
		if (w === undefined) {
			w = charWidth(String.fromCodePoint(cp));
			if (ASTRAL_WIDTHS.size < 4096) ASTRAL_WIDTHS.set(cp, w);
		}
		return w;
	}
	return unitInfo(cp) & ~CLUSTERS;
}

/** True when a line (without its SGR codes) needs the grapheme path. */
export function hasClusters(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0x7f && (unitInfo(c) & CLUSTERS) !== 0) return true;
	}
	return false;
}

/** True when the code unit `c` may form a cluster (the line then takes the grapheme path). */
export function joins(c: number): boolean {
	return c >= 0x7f && (unitInfo(c) & CLUSTERS) !== 0;
}

/** Made on the first line with clusters: a segmenter's first use loads ICU's break iterators (~20 ms). */
let segmenter: Intl.Segmenter | undefined;
const GRAPHEME_WIDTHS = new Map<string, number>();

/** string-width of one grapheme cluster, kept once found. */
export function graphemeWidth(g: string): number {
	if (g.length === 1) return codePointWidth(g.charCodeAt(0));
	let w = GRAPHEME_WIDTHS.get(g);
	if (w === undefined) {
		w = stringWidth(g);
		if (GRAPHEME_WIDTHS.size >= 4096) GRAPHEME_WIDTHS.clear();
		GRAPHEME_WIDTHS.set(g, w);
	}
	return w;
}

/** The grapheme clusters of a text without SGR codes. */
export function graphemes(text: string): Iterable<{segment: string}> {
	return (segmenter ??= new Intl.Segmenter()).segment(text);
}

/** A line cut into SGR codes and grapheme clusters, in order. */
function* tokens(text: string): Generator<{sgr: boolean; text: string}> {
	SGR.lastIndex = 0;
	let from = 0;
	for (const m of text.matchAll(SGR)) {
		if (m.index > from) for (const {segment} of graphemes(text.slice(from, m.index))) yield {sgr: false, text: segment};
		yield {sgr: true, text: m[0]};
		from = m.index + m[0].length;
	}
	if (from < text.length) for (const {segment} of graphemes(text.slice(from))) yield {sgr: false, text: segment};
}

export function stripSgr(text: string): string {
	return text.replace(SGR, '');
}

/** Where the SGR code starting at `i` (an ESC) ends, −1 when none starts there: /\u001b\[[0-9;]*m/. */
export function sgrEnd(text: string, i: number): number {
	if (text.charCodeAt(i + 1) !== 0x5b) return -1;
	for (let j = i + 2; j < text.length; j++) {
		const c = text.charCodeAt(j);
		if (c === 0x6d) return j + 1;
		if (c !== 0x3b && (c < 0x30 || c > 0x39)) return -1;
	}
	return -1;
}

/** Visible width of a line (SGR codes take no room). */
export function visibleWidth(text: string): number {
	// One pass over the code units, as stripping the codes and summing `charWidth` per code point would.
	let width = 0;
	const n = text.length;
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x7f) {
			if (c >= 0x20) width++;
			else if (c === 0x1b) {
				const end = sgrEnd(text, i);
				if (end > 0) i = end - 1;
			}
			continue;
		}
		const info = unitInfo(c);
		if (info & CLUSTERS) return clusterWidth(text);
		width += info;
	}
	return width;
}

/** Visible width of a line that may hold grapheme clusters. */
function clusterWidth(text: string): number {
	let width = 0;
	for (const t of tokens(text)) if (!t.sgr) width += graphemeWidth(t.text);
	return width;
}

/**
 * Cut a line to `width` cells, ending with `ellipsis` when something was cut. SGR codes are kept
 * and closed with a reset, so a cut never leaks a colour into the next line.
 */
export function fit(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (visibleWidth(text) <= width) return text;
	const room = width - visibleWidth(ellipsis);
	// The cut keeps a prefix of the line: its characters while they fit, and the SGR codes among them.
	let used = 0;
	let styled = false;
	let i = 0;
	while (i < text.length) {
		if (text.charCodeAt(i) === 0x1b) {
			const end = sgrEnd(text, i);
			if (end > 0) {
				styled = true;
				i = end;
				continue;
			}
		}
		const c = text.charCodeAt(i);
		if (c >= 0x7f && (unitInfo(c) & CLUSTERS) !== 0) return fitClusters(text, room, ellipsis);
		const cp = c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
		const w = codePointWidth(cp);
		if (used + w > room) break;
		used += w;
		i += cp > 0xffff ? 2 : 1;
	}
	return `${text.slice(0, i)}${room >= 0 ? ellipsis : ''}${styled ? '\u001b[0m' : ''}`;
}

/**
 * The parts of a line that fit `width` cells joined by `gap`, each whole: parts are dropped, never
 * cut, in `dropOrder` (indexes, the first dropped first; by default from the last part back), and
 * the `keep` first parts are never dropped (the caller cuts what is left if even they do not fit).
 */
export function fitParts(parts: readonly string[], width: number, options: {gap?: string; dropOrder?: readonly number[]; keep?: number} = {}): string[] {
	const gap = options.gap ?? '  ';
	const order = options.dropOrder ?? parts.map((_, i) => parts.length - 1 - i);
	const dropped = new Set<number>();
	const kept = () => parts.filter((p, i) => p !== '' && !dropped.has(i));
	const widthOf = (xs: readonly string[]) => xs.reduce((sum, x) => sum + visibleWidth(x), 0) + visibleWidth(gap) * Math.max(0, xs.length - 1);
	for (const i of order) {
		if (widthOf(kept()) <= width) break;
		if (i >= (options.keep ?? 0)) dropped.add(i);
	}
	return kept();
}

/** `fit` for a line holding grapheme clusters: it cuts between clusters, never inside one. */
function fitClusters(text: string, room: number, ellipsis: string): string {
	let out = '';
	let used = 0;
	let styled = false;
	for (const t of tokens(text)) {
		if (t.sgr) {
			out += t.text;
			styled = true;
			continue;
		}
		const w = graphemeWidth(t.text);
		if (used + w > room) break;
		out += t.text;
		used += w;
	}
	return `${out}${room >= 0 ? ellipsis : ''}${styled ? '\u001b[0m' : ''}`;
}

/** Pad with spaces (or cut) to exactly `width` cells. */
export function pad(text: string, width: number, ellipsis = '…'): string {
	const w = width > 0 ? visibleWidth(text) : 0;
	if (width > 0 && w <= width) return w === width ? text : text + ' '.repeat(width - w);
	const cut = fit(text, width, ellipsis);
	return cut + ' '.repeat(Math.max(0, width - visibleWidth(cut)));
}

/** Right-align in `width` cells. */
export function padStart(text: string, width: number): string {
	const w = visibleWidth(text);
	return w >= width ? text : ' '.repeat(width - w) + text;
}

/** Word-wrap plain text to `width` cells; CJK text breaks anywhere. */
export function wrap(text: string, width: number): string[] {
	if (width <= 0) return [];
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		let lineWidth = 0;
		const flush = () => {
			lines.push(line.trimEnd());
			line = '';
			lineWidth = 0;
		};
		// Words are runs of non-space narrow characters; wide characters stand alone.
		for (const word of paragraph.match(/[^\s\u1100-\u9fff\uac00-\uffe6]+|\s+|[\s\S]/gu) ?? []) {
			const w = visibleWidth(word);
			if (/^\s+$/.test(word)) {
				if (lineWidth > 0 && lineWidth + 1 <= width) {
					line += ' ';
					lineWidth += 1;
				}
				continue;
			}
			if (lineWidth + w > width && lineWidth > 0) flush();
			if (w > width) {
				// A word longer than the line (a URL, a metric name): hard-break it.
				for (const {segment: char} of graphemes(word)) {
					const cw = graphemeWidth(char);
					if (lineWidth + cw > width) flush();
					line += char;
					lineWidth += cw;
				}
				continue;
			}
			line += word;
			lineWidth += w;
		}
		flush();
	}
	return lines;
}

/** Place blocks of lines side by side, each padded to its width, with `gap` spaces between. */
export function sideBySide(blocks: readonly {lines: readonly string[]; width: number}[], gap = 2): string[] {
	let height = 0;
	for (let i = 0; i < blocks.length; i++) height = Math.max(height, blocks[i]!.lines.length);
	const last = blocks.length - 1;
	const out: string[] = [];
	// Each row concatenated in place (no array of parts, no join): a block's padding and the gap are one run of spaces.
	for (let row = 0; row < height; row++) {
		let line = '';
		let spaces = 0;
		// Whether the line so far ends in something trimEnd keeps (its last part's last unit).
		let kept = true;
		for (let i = 0; i < last; i++) {
			const b = blocks[i]!;
			const text = b.lines[row] ?? '';
			const w = b.width > 0 ? visibleWidth(text) : 0;
			const part = b.width > 0 && w <= b.width ? text : pad(text, b.width);
			if (part !== '') {
				if (spaces > 0) line += ' '.repeat(spaces);
				line += part;
				spaces = 0;
				kept = !whiteAt(part, part.length - 1);
			}
			spaces += (part === text && b.width > 0 ? b.width - w : 0) + gap;
		}
		const end = last >= 0 ? fit(blocks[last]!.lines[row] ?? '', blocks[last]!.width) : '';
		// Spaces before the end only when something visible follows them (as trimEnd would leave them).
		if (end !== '' && !whiteAt(end, end.length - 1)) out.push(`${line}${' '.repeat(spaces)}${end}`);
		// Nothing after the line (a short last block): it ends where its last part does.
		else if (end === '' && kept) out.push(line);
		else out.push(`${line}${' '.repeat(spaces)}${end}`.trimEnd());
	}
	return out;
}

/** Whether the code unit at `i` is one `trimEnd` removes (white space or a line terminator). */
function whiteAt(text: string, i: number): boolean {
	const c = text.charCodeAt(i);
	if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
	return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
