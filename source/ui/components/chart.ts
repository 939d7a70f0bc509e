/**
 * Line charts as plain strings, built once per state version: asciichart draws each series on a
 * shared scale, then the cells are merged, gaps (NaN: no observations in that span) blanked, and
 * each series painted in its tone. Always exactly `height` lines, none wider than `width`.
 *
 * A chart keyed by its panel (`cacheKey`) keeps its grids from frame to frame: asciichart's column
 * x depends only on points x and x+1 and on the scale (min, max, height), so when a scrape shifts
 * the points left by d and the scale holds, the grid's columns shift by d and asciichart plots only
 * the d new ones (on the last d+1 points, with the same scale).
 */
import {axisLabels} from '../../format.js';
import {plot} from 'asciichart';
import type {Theme, Tone} from '../theme.js';
import {padStart} from '../text-width.js';
import {CodeLine} from '../code-line.js';

export interface ChartSeries {
	readonly values: readonly number[];
	readonly tone: Tone;
	/** A dotted line tells a second series apart without colour. */
	readonly dotted?: boolean;
	/**
	 * Per value, 1 where the value is a bound rather than an estimate: those columns are drawn with
	 * the theme's bound glyphs (a dashed line), the rest (any other value: a p99Kind's 0 or 2) as usual.
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
	/**
	 * The panel this chart is (e.g. `ttft`): its last grids are kept, and a frame whose points are
	 * the last frame's shifted plots only the new columns. Any other change draws from scratch.
	 */
	readonly cacheKey?: string;
}

type Symbols = [string, string, string, string, string, string, string, string, string, string];

/** Private-use characters standing for asciichart's ten symbols, by index. */
const PLACEHOLDER = 0xe000;
const PLACEHOLDERS = Array.from({length: 10}, (_, i) => String.fromCharCode(PLACEHOLDER + i)) as Symbols;

function emptyChart(options: ChartOptions): string[] {
	const lines = Array.from({length: options.height}, () => '');
	const middle = Math.floor((options.height - 1) / 2);
	const text = options.theme.fit(options.empty, options.width);
	lines[middle] = options.theme.paint(padStart(text, Math.floor((options.width + text.length) / 2)), 'muted');
	return lines;
}

/** One series' grid: per row and column, asciichart's symbol index there, or BLANK. */
interface Grid {
	/** The points plotted (gaps filled, clamped to the scale), to tell how the next frame's shifted. */
	readonly plotted: Float64Array;
	readonly cells: Uint8Array;
}

interface Cache {
	min: number;
	max: number;
	height: number;
	points: number;
	rows: number;
	grids: (Grid | null)[];
	/** The painted label and axis cell per row, for an `axis` chart (no `format` closure to compare). */
	labelsFor: string;
	labelsTheme: Theme | null;
	labels: string[];
}

const BLANK = 255;
/** Beyond this shift, the frame is plotted from scratch. */
const MAX_SHIFT = 16;
const caches = new Map<string, Cache>();

/** Forget every chart's grids: the next frames are drawn from scratch (for the equivalence tests). */
export function dropChartCaches(): void {
	caches.clear();
}

/** How the grids were got (for the tests): plotted in full, shifted with the new columns plotted, or the same. */
export const chartCacheStats = {full: 0, shifted: 0, same: 0};

/**
 * asciichart's rows (placeholder symbols, a label and axis cell before the data) into cells: the
 * first `count` data columns of each row into columns `at`.. of the grid. Returns the rows read.
 */
function readRows(text: string, cells: Uint8Array, points: number, at: number, count: number): number {
	let r = 0;
	let start = 0;
	for (;;) {
		for (let j = 0; j < count; j++) {
			const code = text.charCodeAt(start + 2 + j);
			cells[r * points + at + j] = code === 0x20 || Number.isNaN(code) ? BLANK : code - PLACEHOLDER;
		}
		const end = text.indexOf('\n', start);
		r++;
		if (end < 0) return r;
		start = end + 1;
	}
}

function plotted(values: Float64Array, from: number, config: {min: number; max: number; height: number}): string {
	return plot(Array.prototype.slice.call(values, from) as number[], {min: config.min, max: config.max, height: config.height, offset: 2, format: () => ' ', symbols: PLACEHOLDERS});
}

/** The shift d (0..MAX_SHIFT) that makes the last frame's points this one's, or -1. */
function shiftOf(last: Float64Array, now: Float64Array): number {
	const n = now.length;
	for (let d = 0; d <= MAX_SHIFT && d < n - 1; d++) {
		let same = true;
		for (let i = 0; i + d < n; i++) {
			if (last[i + d] !== now[i]) {
				same = false;
				break;
			}
		}
		if (same) return d;
	}
	return -1;
}

/** The grid of one series: the last frame's, shifted with the new columns plotted, or plotted in full. */
function gridOf(now: Float64Array, last: Grid | null | undefined, cache: Cache): Grid {
	const {points, rows} = cache;
	const config = {min: cache.min, max: cache.max, height: cache.height};
	const d = last ? shiftOf(last.plotted, now) : -1;
	if (last && d === 0) {
		chartCacheStats.same++;
		return last;
	}
	if (last && d > 0) {
		const cells = last.cells;
		for (let r = 0; r < rows; r++) cells.copyWithin(r * points, r * points + d, r * points + points - 1);
		// The d new columns: asciichart on the last d + 1 points, the same scale.
		const tail = plotted(now, points - d - 1, config);
		if (readRows(tail, cells, points, points - d - 1, d) === rows) {
			last.plotted.set(now);
			chartCacheStats.shifted++;
			return last;
		}
	}
	chartCacheStats.full++;
	const cells = new Uint8Array(rows * points).fill(BLANK);
	readRows(plotted(now, 0, config), cells, points, 0, points - 1);
	return {plotted: now, cells};
}

/** Rows asciichart draws for this scale (as its `plot` counts them). */
function rowsOf(min: number, max: number, height: number): number {
	const range = Math.abs(max - min);
	const ratio = range !== 0 ? height / range : 1;
	return Math.abs(Math.round(max * ratio) - Math.round(min * ratio)) + 1;
}

/** Scratch for a row's cells and for the row. */
let cellCodes = new Uint16Array(256);
const scratch = new CodeLine();

export function chartLines(options: ChartOptions): string[] {
	const {theme, height, width} = options;
	if (height <= 0) return [];
	const labelWidth = options.labelWidth ?? 7;
	const points = width - labelWidth - 1;
	if (points < 2 || height < 2) return emptyChart(options);
	// Newest on the right: keep the last `points` values, older missing ones are gaps.
	const lastOf = (values: readonly number[]) => {
		const out = new Float64Array(points).fill(Number.NaN);
		const from = Math.max(0, values.length - points);
		for (let k = from, x = points - (values.length - from); k < values.length; k++, x++) out[x] = values[k]!;
		return out;
	};
	const n = options.series.length;
	const lastPoints = options.series.map(s => lastOf(s.values));
	// Columns drawn with bound glyphs, per series (aligned like the values).
	const boundColumns = options.series.map(s => (s.bound ? lastOf(s.bound) : null));
	const min = options.min ?? 0;
	let max = options.max ?? Number.NEGATIVE_INFINITY;
	let any = false;
	// Columns where some series has no value, and the one before each (its line would lead there).
	const shared = new Uint8Array(points);
	const own = options.series.map(s => (s.ownGaps ? new Uint8Array(points) : shared));
	for (let i = 0; i < n; i++) {
		const values = lastPoints[i]!;
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
	}
	if (!any) return emptyChart(options);
	if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
	const symbols = theme.glyphs.chart as Symbols;
	// One grid per series: asciichart has no gaps, so the series are drawn apart and merged. Each is
	// plotted with placeholder symbols (the index of each asciichart symbol), and a cell takes its
	// series' glyph for that index: the line's, the dotted line's, or in a bound column the dashed
	// one's. (One plot per series, not a second one for the bound columns.)
	const plotHeight = height - 1;
	const rows = rowsOf(min, max, plotHeight);
	const key = options.cacheKey;
	let cache = key === undefined ? undefined : caches.get(key);
	if (!cache || cache.min !== min || cache.max !== max || cache.height !== plotHeight || cache.points !== points || cache.grids.length !== n) {
		cache = {min, max, height: plotHeight, points, rows, grids: [], labelsFor: '', labelsTheme: null, labels: []};
		if (key !== undefined) caches.set(key, cache);
	}
	for (let i = 0; i < n; i++) {
		// A series without any value is a gap in every column (below): nothing of it to plot.
		const now = filledIn(lastPoints[i]!, min, max);
		cache.grids[i] = now ? gridOf(now, cache.grids[i], cache) : null;
	}
	const grids = cache.grids;
	const glyphsOf = options.series.map(s => (s.dotted ? theme.glyphs.chartDots : theme.glyphs.chart));
	// The labels and the axis: kept with the grids for an `axis` chart (its labels follow from the scale).
	const labelsFor = options.axis ? `${options.axis} ${labelWidth}` : '';
	if (!options.axis || cache.labelsFor !== labelsFor || cache.labelsTheme !== theme) {
		const values = Array.from({length: rows}, (_, r) => (r === rows - 1 ? min : max - (r * (max - min)) / Math.max(1, rows - 1)));
		const labels = options.axis ? axisLabels(values, options.axis) : values.map(options.format);
		cache.labels = labels.map((l, r) => theme.paint(`${padStart(l, labelWidth).slice(-labelWidth)}${symbols[r === rows - 1 ? 0 : 1]}`, 'muted'));
		cache.labelsFor = labelsFor;
		cache.labelsTheme = theme;
	}
	if (cellCodes.length < points) cellCodes = new Uint16Array(points);
	const lines: string[] = [];
	// Each row one flat string: the label, then runs of cells of one tone, each painted once.
	for (let r = 0; r < rows; r++) {
		scratch.reset();
		scratch.pushText(cache.labels[r]!);
		let start = 0;
		let runTone: Tone | undefined;
		for (let c = 0; c < points; c++) {
			let code = 0x20;
			let tone: Tone | undefined;
			if (shared[c] === 0) {
				for (let s = n - 1; s >= 0; s--) {
					const grid = grids[s];
					if (own[s]![c] === 1 || !grid) continue;
					const symbol = grid.cells[r * points + c]!;
					if (symbol !== BLANK) {
						// A bound column takes the bound glyph (the same line, dashed).
						code = (boundColumns[s]?.[c] === 1 ? theme.glyphs.chartBound : glyphsOf[s]!)[symbol]!.charCodeAt(0);
						tone = options.series[s]!.tone;
						break;
					}
				}
			}
			if (tone !== runTone) {
				scratch.pushPaintedCodes(cellCodes, start, c, runTone, theme);
				start = c;
				runTone = tone;
			}
			cellCodes[c] = code;
		}
		scratch.pushPaintedCodes(cellCodes, start, points, runTone, theme);
		lines.push(scratch.text());
	}
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}

/** Gaps filled by a neighbour and the points clamped to the scale, as plotted; null without any value. */
function filledIn(values: Float64Array, min: number, max: number): Float64Array | null {
	const out = values.slice();
	let last = Number.NaN;
	for (let i = 0; i < out.length; i++) {
		if (Number.isFinite(out[i])) last = out[i]!;
		else out[i] = last;
	}
	if (Number.isNaN(last)) return null;
	let next = Number.NaN;
	for (let i = out.length - 1; i >= 0; i--) {
		if (Number.isFinite(out[i])) next = out[i]!;
		else out[i] = next;
	}
	for (let i = 0; i < out.length; i++) out[i] = Math.min(max, Math.max(min, out[i]!));
	return out;
}
