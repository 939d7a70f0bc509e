/**
 * Line charts as plain strings, built once per state version: asciichart draws each series on a
 * shared scale, then the cells are merged, gaps (NaN: no observations in that span) blanked, and
 * each series painted in its tone. Always exactly `height` lines, none wider than `width`.
 */
import {axisLabels} from '../../format.js';
import {plot} from 'asciichart';
import type {Theme, Tone} from '../theme.js';
import {padStart} from '../text-width.js';
import {maxOf} from '../../arrays.js';

export interface ChartSeries {
	readonly values: readonly number[];
	readonly tone: Tone;
	/** A dotted line tells a second series apart without colour. */
	readonly dotted?: boolean;
	/**
	 * Per value, 1 where the value is a bound rather than an estimate: those columns are drawn with
	 * the theme's bound glyphs (a dashed line), the rest as usual.
	 */
	readonly bound?: readonly number[];
	/** Its gaps blank only itself, not the other series' columns (a p99 withheld while the mean is known). */
	readonly ownGaps?: boolean;
}

export interface ChartOptions {
	readonly series: readonly ChartSeries[];
	readonly width: number;
	readonly height: number;
	/** Axis label text for a value (padded to the label width here). */
	readonly format: (value: number) => string;
	/** The unit of the axis: its labels then share one format (format.ts axisLabels), not `format`. */
	readonly axis?: 'seconds' | 'count' | 'ratio';
	readonly theme: Theme;
	/** Shown when there is nothing to draw. */
	readonly empty: string;
	readonly labelWidth?: number;
	/** Lower bound of the axis (default 0: these are non-negative quantities). */
	readonly min?: number;
	/** Upper bound the axis reaches at least (e.g. 1 for a ratio). */
	readonly max?: number;
}

type Symbols = [string, string, string, string, string, string, string, string, string, string];

/** Private-use characters standing for asciichart's ten symbols, by index. */
const PLACEHOLDER = 0xe000;
const PLACEHOLDERS = Array.from({length: 10}, (_, i) => String.fromCharCode(PLACEHOLDER + i)) as Symbols;

/** Replace NaN gaps by a neighbour for plotting; the gap cells are blanked afterwards. */
function filled(values: readonly number[]): number[] {
	const out = values.slice();
	let last = Number.NaN;
	for (let i = 0; i < out.length; i++) {
		if (Number.isFinite(out[i])) last = out[i]!;
		else out[i] = last;
	}
	let next = Number.NaN;
	for (let i = out.length - 1; i >= 0; i--) {
		if (Number.isFinite(out[i])) next = out[i]!;
		else out[i] = next;
	}
	return out;
}

function emptyChart(options: ChartOptions): string[] {
	const lines = Array.from({length: options.height}, () => '');
	const middle = Math.floor((options.height - 1) / 2);
	const text = options.theme.fit(options.empty, options.width);
	lines[middle] = options.theme.paint(padStart(text, Math.floor((options.width + text.length) / 2)), 'muted');
	return lines;
}

export function chartLines(options: ChartOptions): string[] {
	const {theme, height, width} = options;
	if (height <= 0) return [];
	const labelWidth = options.labelWidth ?? 7;
	const points = width - labelWidth - 1;
	if (points < 2 || height < 2) return emptyChart(options);
	// Newest on the right: keep the last `points` values, older missing ones are gaps.
	const lastOf = (values: readonly number[]) => {
		const out = new Array<number>(points).fill(Number.NaN);
		const from = Math.max(0, values.length - points);
		for (let k = from, x = points - (values.length - from); k < values.length; k++, x++) out[x] = values[k]!;
		return out;
	};
	const lastPoints = options.series.map(s => lastOf(s.values));
	// Columns drawn with bound glyphs, per series (aligned like the values).
	const boundColumns = options.series.map(s => (s.bound ? lastOf(s.bound) : null));
	const min = options.min ?? 0;
	let max = options.max ?? Number.NEGATIVE_INFINITY;
	let any = false;
	// Columns where some series has no value, and the one before each (its line would lead there).
	const shared = new Uint8Array(points);
	const own = options.series.map(s => (s.ownGaps ? new Uint8Array(points) : shared));
	lastPoints.forEach((values, i) => {
		const gap = own[i]!;
		for (let x = 0; x < points; x++) {
			const v = values[x]!;
			if (Number.isFinite(v)) {
				any = true;
				if (v > max) max = v;
			} else {
				gap[x] = 1;
				if (x > 0) gap[x - 1] = 1;
			}
		}
	});
	if (!any) return emptyChart(options);
	if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
	const symbols = theme.glyphs.chart as Symbols;
	// A one-character label lands under the axis cell, so data cell c is at index c + 2 of a row.
	const config = {min, max, height: height - 1, offset: 2, format: () => ' '};
	// One grid per series: asciichart has no gaps, so the series are drawn apart and merged. Its rows
	// are kept as strings, read by index: every chart glyph is one UTF-16 unit.
	const clampedOf = lastPoints.map(values => {
		// A series without any value is a gap in every column (below): nothing of it to plot.
		if (!values.some(v => Number.isFinite(v))) return null;
		const clamped = filled(values);
		for (let x = 0; x < clamped.length; x++) clamped[x] = Math.min(max, Math.max(min, clamped[x]!));
		return clamped;
	});
	// Each series is plotted once with placeholder symbols (the index of each asciichart symbol), and
	// a cell takes its series' glyph for that index: the line's, the dotted line's, or in a bound
	// column the dashed one's. (One plot per series, not a second one for the bound columns.)
	const grids = clampedOf.map(clamped => (clamped ? plot(clamped, {...config, symbols: PLACEHOLDERS}).split('\n') : []));
	const glyphsOf = options.series.map(s => (s.dotted ? theme.glyphs.chartDots : theme.glyphs.chart));
	const rows = maxOf(grids.map(grid => grid.length));
	const lines: string[] = [];
	const values = Array.from({length: rows}, (_, r) => (r === rows - 1 ? min : max - (r * (max - min)) / Math.max(1, rows - 1)));
	const labels = options.axis ? axisLabels(values, options.axis) : values.map(options.format);
	for (let r = 0; r < rows; r++) {
		const label = padStart(labels[r]!, labelWidth).slice(-labelWidth);
		let line = theme.paint(`${label}${symbols[r === rows - 1 ? 0 : 1]}`, 'muted');
		let run = '';
		let runTone: Tone | undefined;
		const flush = () => {
			line += runTone ? theme.paint(run, runTone) : run;
			run = '';
		};
		for (let c = 0; c < points; c++) {
			let char = ' ';
			let tone: Tone | undefined;
			if (shared[c] === 0) {
				for (let s = grids.length - 1; s >= 0; s--) {
					if (own[s]![c] === 1) continue;
					const row = grids[s]![r];
					// Blank cells (most) are told by their code, without taking the character out.
					const code = row !== undefined && c + 2 < row.length ? row.charCodeAt(c + 2) : 0x20;
					if (code !== 0x20) {
						// A bound column takes the bound glyph (the same line, dashed).
						char = (boundColumns[s]?.[c] === 1 ? theme.glyphs.chartBound : glyphsOf[s]!)[code - PLACEHOLDER]!;
						tone = options.series[s]!.tone;
						break;
					}
				}
			}
			if (tone !== runTone) {
				flush();
				runTone = tone;
			}
			run += char;
		}
		flush();
		lines.push(line);
	}
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}
