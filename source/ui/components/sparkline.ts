/** One glyph per value, newest on the right; a gap (NaN) is a blank, never a low value. */
import type {Theme, Tone} from '../theme.js';
import {CodeLine} from '../code-line.js';

/** Each theme's spark glyphs as a list (split once, not per line), and their codes when each is one UTF-16 unit. */
const glyphLists = new Map<string, {glyphs: string[]; codes: Uint16Array | null}>();

function glyphsOf(spark: string): {glyphs: string[]; codes: Uint16Array | null} {
	let known = glyphLists.get(spark);
	if (!known) {
		const glyphs = Array.from(spark);
		known = {glyphs, codes: glyphs.every(g => g.length === 1) ? Uint16Array.from(glyphs, g => g.charCodeAt(0)) : null};
		glyphLists.set(spark, known);
	}
	return known;
}

/** Scratch for a line's cells and for the line. */
let cells = new Uint16Array(128);
const scratch = new CodeLine();

export function sparkline(values: readonly number[], width: number, theme: Theme, options: {min?: number; max?: number; tone?: Tone} = {}): string {
	if (width <= 0) return '';
	// The last `width` values, read in place (no copy of the tail, no iterator).
	const from = Math.max(0, values.length - width);
	const {glyphs, codes} = glyphsOf(theme.glyphs.spark);
	const levels = glyphs.length - 1;
	const min = options.min ?? 0;
	let max = options.max ?? Number.NEGATIVE_INFINITY;
	for (let i = from; i < values.length; i++) {
		const v = values[i]!;
		if (Number.isFinite(v) && v > max) max = v;
	}
	const range = max - min;
	const lead = width - (values.length - from);
	const glyphAt = (v: number) => {
		if (!Number.isFinite(v)) return -1;
		const share = range > 0 ? (Math.min(max, Math.max(min, v)) - min) / range : 0;
		return 1 + Math.round(share * (levels - 1));
	};
	if (!codes) {
		let out = ' '.repeat(lead);
		for (let i = from; i < values.length; i++) {
			const g = glyphAt(values[i]!);
			out += g < 0 ? ' ' : glyphs[g];
		}
		return theme.paint(out, options.tone);
	}
	if (cells.length < width) cells = new Uint16Array(width);
	cells.fill(0x20, 0, lead);
	for (let i = from, x = lead; i < values.length; i++, x++) {
		const g = glyphAt(values[i]!);
		cells[x] = g < 0 ? 0x20 : codes[g]!;
	}
	scratch.reset();
	scratch.pushPaintedCodes(cells, 0, width, options.tone, theme);
	return scratch.text();
}
