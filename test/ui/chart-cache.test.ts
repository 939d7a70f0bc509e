/**
 * The chart cache (chart.ts: a frame that differs from the last by new points on the right shifts
 * the last grids and plots only the new columns) against the straightforward code, the
 * chartLines of before the cache, kept here: over random sequences of frames (growing by one point,
 * by several, not at all, with gaps, bound columns, scale, width, height and theme changes, other
 * charts in between) every frame's lines are the same.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {plot} from 'asciichart';
import {axisLabels, formatValue} from '../../source/format.js';
import {maxOf} from '../../source/arrays.js';
import {chartCacheStats, chartLines, type ChartOptions, type ChartSeries} from '../../source/ui/components/chart.js';
import {createTheme, type Theme, type Tone} from '../../source/ui/theme.js';
import {padStart} from '../../source/ui/text-width.js';
import {seededRandom} from '../helpers/random.js';

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

function referenceChartLines(options: ChartOptions): string[] {
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

const themes = [createTheme({color: true, ascii: false, lang: 'en'}), createTheme({color: false, ascii: true, lang: 'en'})];

/** One step of a random walk, now and then a gap, a spike, an infinity or a flat stretch. */
function nextValue(rand: () => number, last: number, scale: number): number {
	const r = rand();
	if (r < 0.06) return Number.NaN;
	if (r < 0.07) return Number.POSITIVE_INFINITY;
	if (r < 0.1) return scale * (1 + rand() * 2);
	if (r < 0.3) return Number.isFinite(last) ? last : scale / 2;
	const base = Number.isFinite(last) ? last : scale / 2;
	return Math.max(-scale * 0.2, base + (rand() - 0.5) * scale * 0.4);
}

interface Sequence {
	values: number[][];
	bound: number[] | null;
}

function frameOptions(seq: Sequence, width: number, height: number, theme: Theme, extra: Partial<ChartOptions>): ChartOptions {
	const series: ChartSeries[] = [
		{values: seq.values[0]!, tone: 'series1'},
		{values: seq.values[1]!, tone: 'series2' as Tone, dotted: true, ownGaps: true, ...(seq.bound ? {bound: seq.bound} : {})},
	];
	return {series, width, height, format: v => formatValue(v, 'seconds'), ...(extra.min !== undefined && extra.min < 0 ? {} : {axis: 'seconds' as const}), theme, empty: 'none', labelWidth: 7, ...extra};
}

describe('chart cache: incremental frames equal frames drawn from scratch', () => {
	test('random sequences of frames, every frame the same lines as the reference', () => {
		const rand = seededRandom(11);
		const before = {...chartCacheStats};
		for (let run = 0; run < 60; run++) {
			const key = `panel${run % 3}`;
			const scale = [0.01, 1, 250][run % 3]!;
			let width = 20 + Math.floor(rand() * 50);
			let height = 4 + Math.floor(rand() * 16);
			let theme = themes[run % 2]!;
			const seq: Sequence = {values: [[], []], bound: rand() < 0.5 ? [] : null};
			const extra: Partial<ChartOptions> = rand() < 0.3 ? {max: scale} : rand() < 0.2 ? {min: scale * 0.1} : rand() < 0.2 ? {min: -scale * 0.3} : {};
			for (let frame = 0; frame < 120; frame++) {
				// Grow by one point most frames, by none or by several now and then.
				const r = rand();
				const grow = r < 0.75 ? 1 : r < 0.85 ? 0 : 2 + Math.floor(rand() * 6);
				for (let g = 0; g < grow; g++) {
					for (const values of seq.values) values.push(nextValue(rand, values.at(-1) ?? Number.NaN, scale));
					// A p99Kind: 1 a bound (dashed), 2 above the top bucket (drawn as usual), 0 an estimate.
					if (seq.bound) seq.bound.push(rand() < 0.15 ? 1 : rand() < 0.1 ? 2 : 0);
				}
				// A window: the oldest points drop off once the series is long.
				if (seq.values[0]!.length > 90 && rand() < 0.9) for (const values of [...seq.values, ...(seq.bound ? [seq.bound] : [])]) values.splice(0, values.length - 90);
				// Now and then the size or the theme changes.
				if (rand() < 0.03) width = 20 + Math.floor(rand() * 50);
				if (rand() < 0.03) height = 4 + Math.floor(rand() * 16);
				if (rand() < 0.02) theme = themes[Math.floor(rand() * 2)]!;
				const options = frameOptions(seq, width, height, theme, extra);
				const expected = referenceChartLines(options);
				assert.deepEqual(chartLines({...options, cacheKey: key}), expected, `run ${run} frame ${frame}`);
				// Another chart drawn in between with no key, or the same key with other data, now and then.
				if (rand() < 0.05) {
					const other = frameOptions({values: [seq.values[1]!, seq.values[0]!], bound: null}, width, height, theme, {});
					assert.deepEqual(chartLines({...other, cacheKey: rand() < 0.5 ? key : 'other'}), referenceChartLines(other));
				}
			}
		}
		// The cache was used: most frames shifted the last grids rather than plotting all.
		assert.ok(chartCacheStats.shifted - before.shifted > 2000, JSON.stringify(chartCacheStats));
	});

	test('a frame one point newer than the last plots only the new column', () => {
		const theme = themes[0]!;
		const mean = Array.from({length: 80}, (_, i) => 0.1 + 0.05 * Math.sin(i / 5));
		const p99 = mean.map(v => v * 2);
		const options = (n: number) => frameOptions({values: [mean.slice(0, n), p99.slice(0, n)], bound: null}, 60, 12, theme, {max: 0.5});
		chartLines({...options(60), cacheKey: 'one'});
		const before = {...chartCacheStats};
		const lines = chartLines({...options(61), cacheKey: 'one'});
		assert.deepEqual(lines, referenceChartLines(options(61)));
		assert.equal(chartCacheStats.shifted - before.shifted, 2, 'both series shifted');
		assert.equal(chartCacheStats.full - before.full, 0, 'nothing plotted from scratch');
	});
});
