/**
 * Line charts as plain strings, built once per state version: each series is drawn on a shared
 * scale with asciichart's glyphs and rules (the same cells its `plot` gives), later series over
 * earlier ones, gaps (NaN: no observations in that span) blanked, and each series painted in its
 * tone. Drawn straight into one cell grid per chart (no per-series text grid to split and merge):
 * a frame redraws every chart, so this is most of a view's cost. Always exactly `height` lines,
 * none wider than `width`.
 */
import type {Theme, Tone} from '../theme.js';
import {padStart} from '../text-width.js';

export interface ChartSeries {
	readonly values: readonly number[];
	readonly tone: Tone;
	/** A dotted line tells a second series apart without colour. */
	readonly dotted?: boolean;
}

export interface ChartOptions {
	readonly series: readonly ChartSeries[];
	readonly width: number;
	readonly height: number;
	/** Axis label text for a value (padded to the label width here). */
	readonly format: (value: number) => string;
	readonly theme: Theme;
	/** Shown when there is nothing to draw. */
	readonly empty: string;
	readonly labelWidth?: number;
	/** Lower bound of the axis (default 0: these are non-negative quantities). */
	readonly min?: number;
	/** Upper bound the axis reaches at least (e.g. 1 for a ratio). */
	readonly max?: number;
}

function emptyChart(options: ChartOptions): string[] {
	const lines = Array.from({length: options.height}, () => '');
	const middle = Math.floor((options.height - 1) / 2);
	const text = options.theme.fit(options.empty, options.width);
	lines[middle] = options.theme.paint(padStart(text, Math.floor((options.width + text.length) / 2)), 'muted');
	return lines;
}

/**
 * The value series `values` shows in chart column `x` (0 … points − 1, newest on the right):
 * `values` is right-aligned to the chart, older missing points are gaps.
 */
function at(values: readonly number[], offset: number, x: number): number {
	const i = x + offset;
	return i >= 0 ? values[i]! : Number.NaN;
}

export function chartLines(options: ChartOptions): string[] {
	const {theme, height, width} = options;
	if (height <= 0) return [];
	const labelWidth = options.labelWidth ?? 7;
	const points = width - labelWidth - 1;
	if (points < 2 || height < 2) return emptyChart(options);
	const series = options.series;
	const count = series.length;
	// Series s's value in column x is values[x + offsets[s]] (negative index: an older gap).
	const offsets: number[] = [];
	for (const s of series) offsets.push(s.values.length - points);
	const min = options.min ?? 0;
	let max = options.max ?? Number.NEGATIVE_INFINITY;
	let any = false;
	// A column is blank when a series has no value there or just after it (the line would span the gap).
	const gap = new Uint8Array(points);
	for (let s = 0; s < count; s++) {
		const values = series[s]!.values;
		const offset = offsets[s]!;
		let finite = false;
		for (let x = 0; x < points; x++) {
			const v = at(values, offset, x);
			if (!Number.isFinite(v)) {
				gap[x] = 1;
				if (x > 0) gap[x - 1] = 1;
				continue;
			}
			finite = true;
			any = true;
			if (v > max) max = v;
		}
		// A series with no value at all is a gap everywhere.
		if (!finite) gap.fill(1);
	}
	if (!any) return emptyChart(options);
	if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
	// asciichart's scale: `height − 1` steps over [min, max], rounded the same way.
	const range = Math.abs(max - min);
	const ratio = range !== 0 ? (height - 1) / range : 1;
	const min2 = Math.round(min * ratio);
	const rows = Math.abs(Math.round(max * ratio) - min2) + 1;
	// Cell (r, x): the series drawn there (−1: none) and its glyph (an index into the symbols).
	const cellSeries = new Int8Array(rows * points).fill(-1);
	const cellGlyph = new Uint8Array(rows * points);
	const rowOf = (v: number) => rows - 1 - (Math.round(Math.min(max, Math.max(min, v)) * ratio) - min2);
	for (let s = 0; s < count; s++) {
		const values = series[s]!.values;
		const offset = offsets[s]!;
		// The series as plotted: each gap takes the value before it (or, at the start, the first one after).
		let previous = Number.NaN;
		for (let x = 0; x < points; x++) {
			const v = at(values, offset, x);
			if (Number.isFinite(v)) {
				previous = v;
				break;
			}
		}
		if (!Number.isFinite(previous)) continue;
		let y0 = rowOf(previous);
		for (let x = 0; x < points - 1; x++) {
			const next = at(values, offset, x + 1);
			if (Number.isFinite(next)) previous = next;
			const y1 = rowOf(previous);
			if (!gap[x]) {
				const cell = x;
				if (y0 === y1) {
					cellSeries[y0 * points + cell] = s;
					cellGlyph[y0 * points + cell] = 4;
				} else {
					// Rows count down from the top: y0 < y1 means the line falls.
					const falls = y1 > y0;
					cellSeries[y1 * points + cell] = s;
					cellGlyph[y1 * points + cell] = falls ? 5 : 6;
					cellSeries[y0 * points + cell] = s;
					cellGlyph[y0 * points + cell] = falls ? 7 : 8;
					for (let y = Math.min(y0, y1) + 1; y < Math.max(y0, y1); y++) {
						cellSeries[y * points + cell] = s;
						cellGlyph[y * points + cell] = 9;
					}
				}
			}
			y0 = y1;
		}
	}
	const symbols = theme.glyphs.chart;
	const glyphs = series.map(s => (s.dotted ? theme.glyphs.chartDots : theme.glyphs.chart));
	const lines: string[] = [];
	for (let r = 0; r < rows; r++) {
		const value = r === rows - 1 ? min : max - (r * (max - min)) / Math.max(1, rows - 1);
		const label = padStart(options.format(value), labelWidth).slice(-labelWidth);
		let line = theme.paint(`${label}${symbols[r === rows - 1 ? 0 : 1]}`, 'muted');
		let run = '';
		let runTone: Tone | undefined;
		const base = r * points;
		for (let x = 0; x < points; x++) {
			const s = cellSeries[base + x]!;
			const tone = s >= 0 ? series[s]!.tone : undefined;
			if (tone !== runTone) {
				if (run !== '') line += runTone ? theme.paint(run, runTone) : run;
				run = '';
				runTone = tone;
			}
			run += s >= 0 ? glyphs[s]![cellGlyph[base + x]!]! : ' ';
		}
		if (run !== '') line += runTone ? theme.paint(run, runTone) : run;
		lines.push(line);
	}
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}
