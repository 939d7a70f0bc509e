/**
 * Terminal cell widths for the line-based canvas every view draws on. Lines may carry our own SGR
 * colour codes (never server text: that is made inert first), so widths skip them. Wide (CJK,
 * fullwidth, emoji) characters take two cells, combining marks none, as Ink's string-width counts.
 */
const SGR = /\u001b\[[0-9;]*m/g;
const TOKEN = /\u001b\[[0-9;]*m|[\s\S]/gu;

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

export function stripSgr(text: string): string {
	return text.replace(SGR, '');
}

/** Visible width of a line (SGR codes take no room). */
export function visibleWidth(text: string): number {
	let width = 0;
	for (const char of stripSgr(text)) width += charWidth(char);
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
	let out = '';
	let used = 0;
	let styled = false;
	for (const token of text.match(TOKEN) ?? []) {
		if (token.startsWith('\u001b[')) {
			out += token;
			styled = true;
			continue;
		}
		const w = charWidth(token);
		if (used + w > room) break;
		out += token;
		used += w;
	}
	return `${out}${room >= 0 ? ellipsis : ''}${styled ? '\u001b[0m' : ''}`;
}

/** Pad with spaces (or cut) to exactly `width` cells. */
export function pad(text: string, width: number, ellipsis = '…'): string {
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
