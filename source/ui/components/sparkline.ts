/** One glyph per value, newest on the right; a gap (NaN) is a blank, never a low value. */
import type {Theme, Tone} from '../theme.js';
import {maxOf} from '../../arrays.js';

export function sparkline(values: readonly number[], width: number, theme: Theme, options: {min?: number; max?: number; tone?: Tone} = {}): string {
	if (width <= 0) return '';
	const tail = values.slice(-width);
	const finite = tail.filter(v => Number.isFinite(v));
	const glyphs = [...theme.glyphs.spark];
	const levels = glyphs.length - 1;
	const min = options.min ?? 0;
	const max = maxOf(finite, options.max ?? Number.NEGATIVE_INFINITY);
	const range = max - min;
	let out = ' '.repeat(width - tail.length);
	for (const v of tail) {
		if (!Number.isFinite(v)) {
			out += ' ';
			continue;
		}
		const share = range > 0 ? (Math.min(max, Math.max(min, v)) - min) / range : 0;
		out += glyphs[1 + Math.round(share * (levels - 1))];
	}
	return theme.paint(out, options.tone);
}
