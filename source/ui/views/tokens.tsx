/**
 * Tokens: prompt and generation tokens per second over time, the per-request prompt, output and
 * max_tokens distributions as bucket bars, each request's generation speed (tokens per second,
 * newest FastDeploy), and how much of max_tokens answers use.
 */
import {useMemo} from 'react';
import {MISSING, formatCount, formatQuantile, formatRate, formatRatio} from '../../format.js';
import {append, maxOf} from '../../arrays.js';
import {Lines} from '../components/lines.js';
import {chartLines} from '../components/chart.js';
import {withMarkerRow} from '../components/event-markers.js';
import {gauge} from '../components/gauge.js';
import {sparkline} from '../components/sparkline.js';
import {tableHeader, tableRow, type Column} from '../components/table.js';
import type {Theme} from '../theme.js';
import {pad, sideBySide, visibleWidth} from '../text-width.js';
import type {QuantileResult} from '../../metrics/quantile.js';
import {bucketShares, counter, histogram, preferredStats, series, tokenUtilisation, type HistogramMetric} from '../view-model.js';
import type {ViewProps} from './types.js';

const DISTRIBUTIONS = ['promptTokens', 'generationTokens', 'maxTokens'] as const;

/** The table's columns in the theme's language: made once per catalog. */
const COLUMNS = new WeakMap<Theme['msg'], Column[]>();
function columns(theme: Theme): Column[] {
	const c = theme.msg.tokens.columns;
	let made = COLUMNS.get(theme.msg);
	if (!made) {
		made = [
			{title: c.perRequest, width: 14, align: 'left'},
			{title: c.basis, width: 8, align: 'left'},
			{title: 'n', width: 7},
			{title: c.mean, width: 7},
			{title: 'p50', width: 8},
			{title: 'p90', width: 8},
			{title: 'p99', width: 8},
		];
		COLUMNS.set(theme.msg, made);
	}
	return made;
}

/** Token counts are whole: an interpolated 376.5 reads as 377. */
function tokens(q: QuantileResult): string {
	return formatQuantile(q.value === null ? q : {...q, value: Math.round(q.value)}, 'tokens');
}

function distributionRow(title: string, h: HistogramMetric | undefined, theme: Theme): string {
	const COLUMNS = columns(theme);
	if (!h) return tableRow(COLUMNS, [title, '', MISSING, MISSING, MISSING, MISSING, MISSING], theme);
	if (h.allZero) return `${theme.pad(title, 14)} ${theme.paint(theme.msg.tokens.allZero, 'warn')}`;
	const p = preferredStats(h);
	if (!p) return tableRow(COLUMNS, [title, '', '0', MISSING, MISSING, MISSING, MISSING], theme);
	const s = p.stats;
	return tableRow(COLUMNS, [title, theme.msg.tokens.basis[p.basis], formatCount(Math.round(s.count)), formatCount(s.mean === null ? null : Math.round(s.mean)), tokens(s.p50), tokens(s.p90), tokens(s.p99)], theme);
}

/** Generation speed per request (newest FastDeploy's request_token_ratio), in tokens per second. */
function speedRow(h: HistogramMetric, theme: Theme): string {
	const title = theme.msg.tokens.speed;
	const COLUMNS = columns(theme);
	if (h.allZero) return `${theme.pad(title, 14)} ${theme.paint(theme.msg.tokens.allZero, 'warn')}`;
	const p = preferredStats(h);
	if (!p) return tableRow(COLUMNS, [title, '', '0', MISSING, MISSING, MISSING, MISSING], theme);
	const s = p.stats;
	const rate = (q: QuantileResult) => (q.value === null ? MISSING : `${q.aboveTopBucket ? '> ' : ''}${formatRate(q.value, '')}`);
	return tableRow(COLUMNS, [title, theme.msg.tokens.basis[p.basis], formatCount(Math.round(s.count)), formatRate(s.mean, ''), rate(s.p50), rate(s.p90), rate(s.p99)], theme);
}

function bound(n: number): string {
	return Number.isFinite(n) ? formatCount(n) : '+Inf';
}

/** Bucket bars of one distribution: one line per bucket when there is room, else one strip. */
function bucketBlock(title: string, h: HistogramMetric | undefined, width: number, rows: number, theme: Theme): string[] {
	const head = theme.paint(title, 'title');
	const p = preferredStats(h);
	if (!h || !p) return [head, theme.paint(h?.allZero ? theme.msg.chart.allZero : MISSING, 'muted')];
	const shares = bucketShares(p.stats.buckets);
	if (shares.length === 0) return [head, theme.paint(MISSING, 'muted')];
	if (rows - 1 >= shares.length) {
		const labelWidth = 7;
		const barWidth = Math.max(3, width - labelWidth - 7);
		const top = maxOf(shares.map(s => s.share));
		return [
			head,
			...shares.map(s => {
				const cells = top > 0 ? Math.round((s.share / top) * barWidth) : 0;
				return `${`${theme.ascii ? "<=" : "≤"}${bound(s.hi)}`.padStart(labelWidth)} ${theme.paint(theme.glyphs.full.repeat(cells), 'series1')}${' '.repeat(barWidth - cells)} ${formatRatio(s.share).padStart(5)}`;
			}),
		];
	}
	const strip = sparkline(
		shares.map(s => s.share),
		Math.min(width - 16, shares.length),
		theme,
		{tone: 'series1'},
	);
	return [head, `${bound(shares[0]!.lo)} ${strip} ${bound(shares.at(-1)!.hi)}`];
}

export function tokensLines({model, theme, width, height}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const d = model.derived;
	const prompt = counter(d, 'promptTokensTotal');
	const gen = counter(d, 'generationTokensTotal');
	const m = theme.msg.tokens;
	const rateText = (c: typeof prompt) => (c?.allZero ? theme.paint(theme.msg.chart.allZero, 'warn') : formatRate(c?.rate ?? null, ' tok/s'));
	const rates = `${theme.paint(m.title, 'title')}  ${theme.paint(`${theme.glyphs.horizontal} ${m.prompt}`, 'series1')} ${rateText(prompt)}   ${theme.paint(`${theme.glyphs.chartDots[4]} ${m.generation}`, 'series2')} ${rateText(gen)}`;
	// The note whole or not at all: a cut `per second ov…` reads as a fault.
	const note = m.perSecond.find(n => visibleWidth(rates) + 3 + visibleWidth(n) <= width);
	const lines = [theme.fit(note ? `${rates}   ${theme.paint(note, 'muted')}` : rates, width)];
	const speed = histogram(d, 'tokenRatio');
	const tableHeight = 1 + DISTRIBUTIONS.length + (speed ? 1 : 0) + 2;
	const chartHeight = Math.max(0, Math.min(12, Math.floor((height - tableHeight - 1) / 2)));
	if (chartHeight >= 3) {
		append(
			lines,
			withMarkerRow(model.markers, width, chartHeight, theme, plotHeight =>
				chartLines({
					series: [
						{values: series(d, 'promptTokensTotal')?.rate ?? [], tone: 'series1'},
						{values: series(d, 'generationTokensTotal')?.rate ?? [], tone: 'series2', dotted: true},
					],
					width,
					height: plotHeight,
					format: v => formatCount(Math.round(v)),
					axis: 'count',
					theme,
					empty: m.noRates,
				}),
			),
		);
	}
	lines.push(tableHeader(columns(theme), theme));
	for (const key of DISTRIBUTIONS) lines.push(theme.fit(distributionRow(m.distributions[key], histogram(d, key), theme), width));
	if (speed) lines.push(theme.fit(speedRow(speed, theme), width));
	const use = tokenUtilisation(d);
	const useHead = `${pad(m.use, 20)}${gauge(use?.ratio ?? null, 22, theme)} ${formatRatio(use?.ratio ?? null).padStart(5)}`;
	// The longest note that fits whole, else none: never a cut one.
	const useNote = (use ? [m.useBasis(m.basis[use.basis]), m.useBasisShort(m.basis[use.basis])] : [m.useMissing]).find(n => visibleWidth(useHead) + 2 + visibleWidth(n) <= width);
	lines.push(theme.fit(useNote ? `${useHead}  ${theme.paint(useNote, 'muted')}` : useHead, width));
	const rows = height - lines.length - 1;
	if (rows >= 2) {
		const blockWidth = Math.floor((width - 4) / 3);
		append(lines, [''], sideBySide(DISTRIBUTIONS.map(key => ({lines: bucketBlock(m.distributions[key], histogram(d, key), blockWidth, rows, theme), width: blockWidth}))));
	}
	return lines.slice(0, height);
}

export function TokensView(props: ViewProps) {
	const {state, model, theme, width, height} = props;
	const lines = useMemo(() => tokensLines(props), [state, model, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
