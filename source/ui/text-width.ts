/**
 * Terminal cell widths for the line-based canvas every view draws on. Lines may carry our own SGR
 * colour codes (never server text: that is made inert first), so widths skip them. Wide (CJK,
 * fullwidth, emoji) characters take two cells, combining marks none, as Ink's string-width counts.
 */
const SGR = /\u001b\[[0-9;]*m/g;

function isWide(cp: number): boolean {
	return (
		(cp >= 0x1100 && cp <= 0x115f) ||
		(cp >= 0x2e80 && cp <= 0x303e) ||
		(cp >= 0x3041 && cp <= 0x33ff) ||
		(cp >= 0x3400 && cp <= 0x4dbf) ||
		(cp >= 0x4e00 && cp <= 0x9fff) ||
		(cp >= 0xa000 && cp <= 0xa4cf) ||
		(cp >= 0xac00 && cp <= 0xd7a3) ||
		(cp >= 0xf900 && cp <= 0xfaff) ||
		(cp >= 0xfe30 && cp <= 0xfe4f) ||
		(cp >= 0xff00 && cp <= 0xff60) ||
		(cp >= 0xffe0 && cp <= 0xffe6) ||
		(cp >= 0x1f300 && cp <= 0x1f64f) ||
		(cp >= 0x1f900 && cp <= 0x1f9ff) ||
		(cp >= 0x20000 && cp <= 0x3fffd)
	);
}

const COMBINING = /^[\p{Mn}\p{Me}]$/u;

/** Cells one character takes. */
export function charWidth(char: string): number {
	const cp = char.codePointAt(0) ?? 0;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
	if (cp < 0x300) return 1;
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || COMBINING.test(char)) return 0;
	return isWide(cp) ? 2 : 1;
}

/**
 * `charWidth` of the one character with code point `cp`, the Basic Multilingual Plane's answers
 * kept once found (a frame measures the same few glyphs thousands of times; the combining-mark
 * test is a regular expression).
 */
const BMP_WIDTHS = new Uint8Array(0x10000).fill(0xff);

export function codePointWidth(cp: number): number {
	if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
	if (cp > 0xffff) return charWidth(String.fromCodePoint(cp));
	let w = BMP_WIDTHS[cp]!;
	if (w === 0xff) {
		w = charWidth(String.fromCharCode(cp));
		BMP_WIDTHS[cp] = w;
	}
	return w;
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
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
			const low = text.charCodeAt(i + 1);
			if (low >= 0xdc00 && low <= 0xdfff) {
				width += codePointWidth((c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
				i++;
				continue;
			}
		}
		width += codePointWidth(c);
	}
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
		const cp = text.codePointAt(i)!;
		const w = codePointWidth(cp);
		if (used + w > room) break;
		used += w;
		i += cp > 0xffff ? 2 : 1;
	}
	return `${text.slice(0, i)}${room >= 0 ? ellipsis : ''}${styled ? '\u001b[0m' : ''}`;
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
				for (const char of word) {
					const cw = charWidth(char);
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
	const height = Math.max(0, ...blocks.map(b => b.lines.length));
	const out: string[] = [];
	for (let row = 0; row < height; row++) {
		const parts = blocks.map((b, i) => (i === blocks.length - 1 ? fit(b.lines[row] ?? '', b.width) : pad(b.lines[row] ?? '', b.width)));
		out.push(parts.join(' '.repeat(gap)).trimEnd());
	}
	return out;
}
