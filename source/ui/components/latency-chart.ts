/**
 * A latency histogram as a panel: a title with the legend, the window history of mean (solid) and
 * p99 (dotted), and the current p50/p90/p99 and mean beside it. An all-zero or absent histogram
 * says so instead of drawing a healthy flat zero.
 */
import {MISSING, formatCount, formatQuantile, formatValue} from '../../format.js';
import type {Series} from '../../metrics/derive.js';
import type {Theme} from '../theme.js';
import {pad, padStart, sideBySide, visibleWidth} from '../text-width.js';
import {levelOf, percentileTone, preferredStats, type HistogramMetric} from '../view-model.js';
import {chartLines} from './chart.js';
import {markerRow, type MarkerTrack} from './event-markers.js';

export interface LatencyChartOptions {
	readonly key: string;
	readonly title: string;
	readonly metric: HistogramMetric | undefined;
	readonly series: Series | undefined;
	readonly width: number;
	/** Lines in all, title included. */
	readonly height: number;
	readonly theme: Theme;
	/** Event markers per scrape (aligned with the series): a row under the chart when one is in view. */
	readonly markers?: MarkerTrack;
}

const SIDE = 14;

export function quantileColumn(metric: HistogramMetric | undefined, theme: Theme, key: string): string[] {
	const m = theme.msg.chart;
	if (!metric) return [theme.paint(m.notReported, 'muted')];
	if (metric.allZero) return [theme.paint(m.allZero, 'warn'), theme.paint(m.sinceStart, 'muted'), theme.paint(m.eExplains, 'muted')];
	const preferred = preferredStats(metric);
	if (!preferred) return [theme.paint(m.noRequests, 'muted'), theme.paint(m.inWindow, 'muted')];
	const {stats, basis} = preferred;
	const unit = metric.entry.unit;
	// A label of 4 and a value of 10: room for a bucket (`100–250 ms`) in the 14 columns.
	const row = (label: string, text: string, tone: ReturnType<typeof levelOf> | 'muted') => `${theme.paint(pad(label, 4), 'muted')}${theme.paint(padStart(text, 10), tone)}`;
	const q = (label: 'p50' | 'p90' | 'p99') => row(label, formatQuantile(stats[label], unit, {width: 10, ascii: theme.ascii}), percentileTone(key, stats[label]));
	const percentiles = stats.tooFew ? [theme.paint('p50–p99', 'muted'), theme.paint(padStart(m.tooFew, 14), 'muted'), ''] : [q('p50'), q('p90'), q('p99')];
	return [
		theme.paint(basis === 'window' ? m.window : m.lifetime, 'muted'),
		...percentiles,
		row(m.mean, formatValue(stats.mean, unit), levelOf(key, stats.mean)),
		`${theme.paint('n'.padEnd(4), 'muted')}${formatCount(Math.round(stats.count)).padStart(10)}`,
	];
}

/** The same figures on one line, for narrow panels. */
export function quantileLine(metric: HistogramMetric | undefined, theme: Theme, key: string): string {
	const m = theme.msg.chart;
	if (!metric) return theme.paint(`${MISSING} ${m.notReported}`, 'muted');
	if (metric.allZero) return theme.paint(`${m.allZeroSinceStart} ${m.eExplains}`, 'warn');
	const preferred = preferredStats(metric);
	if (!preferred) return theme.paint(m.noRequestsInWindow, 'muted');
	const {stats, basis} = preferred;
	const unit = metric.entry.unit;
	const q = (label: string, r: typeof stats.p50) => `${theme.paint(label, 'muted')} ${theme.paint(formatQuantile(r, unit, {ascii: theme.ascii}), percentileTone(key, r))}`;
	const lifetime = basis === 'lifetime' ? theme.paint(`  ${m.lifetime}`, 'muted') : '';
	if (stats.tooFew) return `${theme.paint(`p50–p99 ${m.tooFew}`, 'muted')}  ${theme.paint(m.mean, 'muted')} ${theme.paint(formatValue(stats.mean, unit), levelOf(key, stats.mean))}  ${theme.paint('n', 'muted')} ${formatCount(Math.round(stats.count))}${lifetime}`;
	return `${q('p50', stats.p50)}  ${q('p90', stats.p90)}  ${q('p99', stats.p99)}${lifetime}`;
}

/** What the visible p99 points are: any an upper bound, any above the top bucket, any below the mean. */
function p99Facts(series: Series | undefined, visible: number): {bound: boolean; capped: boolean; belowMean: boolean} {
	const shown = series?.p99Shown ?? [];
	const kind = series?.p99Kind ?? [];
	const mean = series?.mean ?? [];
	const facts = {bound: false, capped: false, belowMean: false};
	for (let i = Math.max(0, shown.length - visible); i < shown.length; i++) {
		const p = shown[i]!;
		if (!Number.isFinite(p)) continue;
		if (kind[i] === 1) facts.bound = true;
		if (kind[i] === 2) facts.capped = true;
		else if (p < mean[i]!) facts.belowMean = true;
	}
	return facts;
}

export function latencyChart(options: LatencyChartOptions): string[] {
	const {theme, metric, width, height} = options;
	if (height <= 0) return [];
	const unit = metric?.entry.unit ?? 'seconds';
	const side = width >= 44 ? SIDE : 0;
	const chartWidth = side ? width - side - 2 : width;
	// p99 where it is known: the estimate (dotted), the bucket's upper bound where the bucket is too
	// wide (dashed), nothing under 5 observations; whatever puts it under the mean is said here.
	const facts = p99Facts(options.series, chartWidth - 8);
	const m = theme.msg.chart;
	const legend = `${theme.paint(`${theme.glyphs.horizontal} ${m.mean}`, 'series1')} ${theme.paint(`${theme.glyphs.chartDots[4]} p99`, 'series2')}`;
	const bound = (long: boolean) => (facts.bound ? theme.paint(` ${theme.glyphs.chartBound[4]} ${long ? m.p99AtMost : m.max}`, 'series2') : '');
	const top = formatValue(metric?.topBucket ?? null, unit);
	const current = metric && !metric.allZero && preferredStats(metric)?.stats.p99.aboveTopBucket;
	// Each note long, shorter, shortest: the longest that fits is shown, never none.
	const notes: (readonly string[])[] = [];
	if (metric && !metric.allZero && (current || facts.capped)) notes.push(m.aboveTop(top));
	if (facts.belowMean) notes.push(m.belowMean);
	const head = `${theme.paint(options.title, 'title')}  ${legend}`;
	// Built one at a time until one fits (most frames: the first), not all six every frame.
	const candidate = (level: number, long: boolean) => `${head}${bound(long)}${theme.paint(notes.map(n => n[level]).join(''), 'warn')}`;
	let fitting: string | undefined;
	for (let level = 0; fitting === undefined && level < 3; level++) {
		for (const long of [true, false]) {
			const c = candidate(level, long);
			if (visibleWidth(c) <= width) {
				fitting = c;
				break;
			}
		}
	}
	const title = theme.fit(fitting ?? candidate(2, false), width);
	const empty = !metric ? `${MISSING} ${m.notReportedLong}` : metric.allZero ? m.allZeroSinceStart : m.noRequestsYet;
	const kinds = options.series?.p99Kind;
	// The marker row takes the chart's bottom line, under the plot (asciichart's 7 label columns and the axis).
	const labelWidth = 7;
	const markers = markerRow(options.markers, chartWidth - labelWidth - 1, theme);
	const chart = chartLines({
		series: [
			{values: options.series?.mean ?? [], tone: 'series1'},
			{values: options.series?.p99Shown ?? options.series?.p99 ?? [], tone: 'series2', dotted: true, ownGaps: true, ...(kinds ? {bound: kinds} : {})},
		],
		width: chartWidth,
		height: height - (side ? 1 : 2) - (markers ? 1 : 0),
		format: v => formatValue(v, unit),
		...(unit === 'seconds' ? {axis: 'seconds' as const} : {}),
		theme,
		empty: metric?.allZero ? m.allZeroSinceStart : empty,
		labelWidth,
		// The panel's grids are kept from frame to frame (chart.ts): a new scrape plots its column only.
		cacheKey: `${options.key} ${options.title}`,
	});
	if (markers) chart.push(`${' '.repeat(labelWidth + 1)}${markers}`);
	if (!side) return [title, ...chart, theme.fit(quantileLine(metric, theme, options.key), width)].slice(0, height);
	return [title, ...sideBySide([{lines: chart, width: chartWidth}, {lines: quantileColumn(metric, theme, options.key), width: side}])].slice(0, height);
}
