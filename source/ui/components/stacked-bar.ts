/**
 * A bar split into segments by share, by largest remainder so the cells add up to the width; a
 * segment with any share keeps at least one cell so a small queue never disappears.
 */
import type {Theme, Tone} from '../theme.js';
import {maxOf} from '../../arrays.js';

export interface BarSegment {
	readonly share: number;
	readonly glyph: string;
	readonly tone: Tone;
}

export function segmentCells(shares: readonly number[], width: number): number[] {
	const total = shares.reduce((a, b) => a + Math.max(0, b), 0);
	if (!(total > 0) || width <= 0) return shares.map(() => 0);
	const exact = shares.map(s => (Math.max(0, s) / total) * width);
	const cells = exact.map(Math.floor);
	let left = width - cells.reduce((a, b) => a + b, 0);
	const order = exact.map((e, i) => ({i, rest: e - Math.floor(e)})).sort((a, b) => b.rest - a.rest);
	for (const {i} of order) {
		if (left <= 0) break;
		cells[i]!++;
		left--;
	}
	for (let i = 0; i < cells.length; i++) {
		if (shares[i]! > 0 && cells[i] === 0) {
			const biggest = cells.indexOf(maxOf(cells));
			if (cells[biggest]! > 1) {
				cells[biggest]!--;
				cells[i] = 1;
			}
		}
	}
	return cells;
}

export function stackedBar(segments: readonly BarSegment[], width: number, theme: Theme): string {
	const cells = segmentCells(
		segments.map(s => s.share),
		width,
	);
	const used = cells.reduce((a, b) => a + b, 0);
	return segments.map((s, i) => theme.paint(s.glyph.repeat(cells[i]!), s.tone)).join('') + ' '.repeat(Math.max(0, width - used));
}
