/**
 * Overview: KPI tiles, TTFT and TPOT charts, where a request's time goes (queue → prefill →
 * decode, next to inference and end-to-end), the KV-cache gauge and batch occupancy.
 */
import {useMemo} from 'react';
import {append} from '../../arrays.js';
import {MISSING, formatCount, formatDuration, formatRate, formatRatio, formatValue} from '../../format.js';
import {Lines} from '../components/lines.js';
import {gauge} from '../components/gauge.js';
import {kpiLines} from '../components/kpi.js';
import {sparkline} from '../components/sparkline.js';
import {latencyChart} from '../components/latency-chart.js';
import {stackedBar} from '../components/stacked-bar.js';
import type {Theme, Tone} from '../theme.js';
import {pad, sideBySide, visibleWidth} from '../text-width.js';
import {inert} from '../../text.js';
import {emptyPhasesText, histogram, levelOf, preferredStats, series, type Phases, type TargetView} from '../view-model.js';
import {NO_DATA, type ViewProps} from './types.js';

const SEGMENT_TONES: readonly Tone[] = ['series3', 'series2', 'series1'];

export function phaseLines(phases: Phases | null, theme: Theme, width: number, windowMs: number, empty = 'no requests observed yet'): string[] {
	if (!phases) return [theme.paint('Time per request', 'title'), theme.fit(theme.paint(empty, 'muted'), width), ''];
	const basis = phases.basis === 'window' ? `mean over ${formatDuration(windowMs)}, ${formatCount(Math.round(phases.requests))} requests` : 'mean since start (no requests in the window)';
	const right = `inference ${formatValue(phases.inference, 'seconds')}  e2e ${formatValue(phases.e2e, 'seconds')}`;
	const left = `${theme.paint('Time per request', 'title')}  ${theme.paint(basis, 'muted')}`;
	const gap = width - visibleWidth(left) - visibleWidth(right);
	const title = gap >= 2 ? `${left}${' '.repeat(gap)}${right}` : theme.fit(`${left}  ${right}`, width);
	const bar = stackedBar(
		phases.segments.map((s, i) => ({share: s.share ?? 0, glyph: theme.glyphs.segments[i]!, tone: s.key === 'queueTime' && levelOf(s.key, s.seconds) !== 'ok' ? (levelOf(s.key, s.seconds) as Tone) : SEGMENT_TONES[i]!})),
		Math.max(1, width - 2),
		theme,
	);
	const legend = phases.segments
		.map((s, i) => {
			const glyph = theme.paint(theme.glyphs.segments[i]!, SEGMENT_TONES[i]);
			const name = s.title.toLowerCase();
			if (!s.present) return `${glyph} ${name} ${MISSING}`;
			if (s.allZero) return `${glyph} ${name} ${theme.paint('all zero', 'warn')}`;
			const tone = s.key === 'queueTime' ? levelOf(s.key, s.seconds) : undefined;
			return `${glyph} ${name} ${theme.paint(formatValue(s.seconds, 'seconds'), tone)} ${theme.paint(formatRatio(s.share), 'muted')}`;
		})
		.join('   ');
	return [title, `[${bar}]`, theme.fit(legend, width)];
}

export function capacityLines(model: TargetView, theme: Theme, width: number): string[] {
	const {kv, batch} = model;
	const gaugeWidth = Math.max(10, Math.min(32, Math.floor(width / 4)));
	const blocks = kv.max !== null || kv.free !== null ? `  used ${formatCount(kv.used)}  free ${formatCount(kv.free)}  avail ${formatCount(kv.available)}  max ${formatCount(kv.max)} blocks` : '';
	const kvLine = `${pad('KV cache', 9)}${gauge(kv.usage, gaugeWidth, theme, kv.level)} ${theme.paint(formatRatio(kv.usage).padStart(5), kv.level)}${blocks}`;
	const slots = batch.size !== null || batch.max !== null ? `  ${formatCount(batch.size)} of ${formatCount(batch.max)} slots${batch.freeSlots !== null ? `, ${formatCount(batch.freeSlots)} free` : ''}` : theme.paint('  batch size not reported (FastDeploy 2.2+)', 'muted');
	const batchLine = `${pad('Batch', 9)}${gauge(batch.occupancy, gaugeWidth, theme)} ${formatRatio(batch.occupancy).padStart(5)}${slots}`;
	return [theme.fit(kvLine, width), theme.fit(batchLine, width)];
}

const TRENDS = [
	{key: 'requestsReceivedTotal', field: 'rate', label: 'req/s', format: (v: number) => formatRate(v, '')},
	{key: 'generationTokensTotal', field: 'rate', label: 'gen tok/s', format: (v: number) => formatRate(v, '')},
	{key: 'running', field: 'value', label: 'running', format: (v: number) => formatCount(v)},
	{key: 'waiting', field: 'value', label: 'waiting', format: (v: number) => formatCount(v)},
	{key: 'kvCacheUsage', field: 'value', label: 'KV cache', format: (v: number) => formatRatio(v)},
] as const;

/** One sparkline per throughput and pressure figure, for tall terminals. */
export function trendLines(model: TargetView, theme: Theme, width: number, max: number): string[] {
	const lines: string[] = [];
	for (const trend of TRENDS) {
		const values = series(model.derived, trend.key)?.[trend.field];
		if (!values || lines.length >= max) continue;
		const last = values.at(-1);
		const current = last !== undefined && Number.isFinite(last) ? trend.format(last) : MISSING;
		const spark = sparkline(values, Math.max(4, width - 24), theme, {tone: 'series1', ...(trend.key === 'kvCacheUsage' ? {max: 1} : {})});
		lines.push(`${theme.paint(pad(trend.label, 12), 'muted')}${spark} ${current.padStart(9)}`);
	}
	return lines;
}

function notes(model: TargetView, theme: Theme): string[] {
	const out: string[] = [];
	if (model.ttftExcludesQueue) out.push(`TTFT on FastDeploy ${model.target.era} is timed from inference start: it leaves out queueing.`);
	for (const key of ['ttft', 'tpot']) {
		const h = histogram(model.derived, key);
		const p = preferredStats(h);
		if (h && p && p.stats.p99.aboveTopBucket && p.stats.aboveTopShare !== null) {
			out.push(`${h.entry.title}: ${formatRatio(p.stats.aboveTopShare)} of observations above the top bucket (${formatValue(h.topBucket, 'seconds')}); percentiles there read "> ${formatValue(h.topBucket, 'seconds')}".`);
		}
	}
	for (const key of ['prefillTime', 'e2eLatency']) {
		const h = histogram(model.derived, key);
		if (h?.allZero) out.push(`${h.entry.title} reads all zero since start; press e for why.`);
	}
	return out.map(n => theme.paint(n, 'muted'));
}

export function overviewLines({model, theme, width, height, state}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(model?.target.error ? `no data from ${inert(model.target.location)} yet` : NO_DATA, 'muted')];
	const d = model.derived;
	const kpis = kpiLines(model.kpis, width, theme);
	const phase = phaseLines(model.phases, theme, width, state.windowMs, model.phases ? undefined : emptyPhasesText(d, model.target.era));
	const capacity = capacityLines(model, theme, width);
	const note = notes(model, theme);
	const fixed = kpis.length + phase.length + capacity.length + 3;
	const chartHeight = Math.min(height >= 40 ? 20 : 14, height - fixed);
	const lines = [...kpis, ''];
	if (chartHeight >= 4) {
		const half = Math.floor((width - 2) / 2);
		const panel = (key: string, title: string) =>
			latencyChart({key, title, metric: histogram(d, key), series: series(d, key), width: half, height: chartHeight, theme});
		append(lines, sideBySide([{lines: panel('ttft', 'TTFT'), width: half}, {lines: panel('tpot', 'TPOT'), width: half}]), ['']);
	}
	append(lines, phase, [''], capacity);
	if (height - lines.length >= 8) {
		const trends = trendLines(model, theme, width, height - lines.length - 4);
		if (trends.length > 0) append(lines, ['', `${theme.paint('Trends', 'title')}  ${theme.paint(theme.fit(`per scrape, newest right; figure: the last scrape (tiles above: means over ${formatDuration(state.windowMs)})`, width - 8), 'muted')}`], trends);
	}
	const spare = height - lines.length;
	if (spare > 1) append(lines, [''], note.slice(0, spare - 1).map(n => theme.fit(n, width)));
	return lines.slice(0, height);
}

export function OverviewView(props: ViewProps) {
	const {state, model, theme, width, height} = props;
	// Rebuilt when the data, the theme or the size changes, not on every key press.
	const lines = useMemo(() => overviewLines(props), [state, model, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
