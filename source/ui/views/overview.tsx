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
import {baselineStrip} from './compare.js';
import {sparkline} from '../components/sparkline.js';
import {markerRow} from '../components/event-markers.js';
import {latencyChart} from '../components/latency-chart.js';
import {stackedBar} from '../components/stacked-bar.js';
import type {Theme, Tone} from '../theme.js';
import {pad, sideBySide, visibleWidth} from '../text-width.js';
import {inert} from '../../text.js';
import {emptyPhasesText, histogram, levelOf, preferredStats, series, showsBucket, gaugeMetric, type GaugeMetric, type Phases, type Signal, type TargetView} from '../view-model.js';
import {combinationNote} from '../components/combination.js';
import type {ViewProps} from './types.js';
import {eraName} from '../../metrics/era.js';
import {backlog} from '../../metrics/slo.js';
import {counter, gauge as gaugeValue} from '../view-model.js';
import {backlogText, stripPainted} from './slo.js';

/** Little's law over the window: arrivals against completions, and what is in the server now. */
function backlogLine(model: TargetView, theme: Theme, width: number): string[] {
	const d = model.derived;
	const running = gaugeValue(d, 'running');
	const waiting = gaugeValue(d, 'waiting');
	const b = backlog(counter(d, 'requestsReceivedTotal')?.rate ?? null, counter(d, 'requestSuccessTotal')?.rate ?? null, running === null && waiting === null ? null : Math.max(0, running ?? 0) + Math.max(0, waiting ?? 0));
	return b ? [theme.fit(`${pad(theme.msg.backlog.title, 9)}${backlogText(b, width - 9, theme.msg.backlog)}`, width)] : [];
}

const SEGMENT_TONES: readonly Tone[] = ['series3', 'series2', 'series1'];

/** Parts that differ from e2e by more than this share are said not to add up. */
const ADDS_UP = 0.05;

export function phaseLines(phases: Phases | null, theme: Theme, width: number, windowMs: number, empty = theme.msg.overview.noRequests): string[] {
	const m = theme.msg.overview;
	if (!phases) return [theme.paint(m.timePerRequest, 'title'), theme.fit(theme.paint(empty, 'muted'), width), ''];
	// The bar is three means, each over the requests that finished that phase: not one request's time.
	const basis = phases.basis === 'window' ? m.basisWindow(formatDuration(windowMs)) : m.basisStart;
	const parts = phases.segments.some(s => s.seconds !== null) ? phases.segments.reduce((sum, s) => sum + (s.seconds ?? 0), 0) : null;
	const e2e = phases.e2e;
	const apart = parts !== null && e2e !== null && e2e > 0 && Math.abs(parts - e2e) > ADDS_UP * e2e;
	const sum = parts === null ? '' : m.sum(formatValue(parts, 'seconds'));
	const inference = m.inference(formatValue(phases.inference, 'seconds'));
	const end = m.e2e(formatValue(e2e, 'seconds'));
	const rights = apart
		? [
				`${theme.paint(`${sum} ≠ ${end}: ${m.apartLong}`, 'warn')}  ${inference}`,
				theme.paint(`${sum} ≠ ${end}: ${m.apartLong}`, 'warn'),
				theme.paint(`${sum} ≠ ${end}: ${m.apartShort}`, 'warn'),
				theme.paint(`${sum} ≠ ${end}`, 'warn'),
			]
		: [`${sum}  ${inference}  ${end}`.trim(), `${inference}  ${end}`];
	const left = `${theme.paint(m.timePerRequest, 'title')}  ${theme.paint(basis, 'muted')}`;
	const shortLeft = theme.paint(m.timePerRequest, 'title');
	let title = '';
	for (const l of [left, shortLeft]) {
		const right = rights.find(r => width - visibleWidth(l) - visibleWidth(r) >= 2);
		if (right !== undefined) {
			title = `${l}${' '.repeat(width - visibleWidth(l) - visibleWidth(right))}${right}`;
			break;
		}
	}
	if (title === '') title = theme.fit(`${shortLeft}  ${rights.at(-1)!}`, width);
	const bar = stackedBar(
		phases.segments.map((s, i) => ({share: s.share ?? 0, glyph: theme.glyphs.segments[i]!, tone: s.key === 'queueTime' && levelOf(s.key, s.seconds) !== 'ok' ? (levelOf(s.key, s.seconds) as Tone) : SEGMENT_TONES[i]!})),
		Math.max(1, width - 2),
		theme,
	);
	const legend = phases.segments
		.map((s, i) => {
			const glyph = theme.paint(theme.glyphs.segments[i]!, SEGMENT_TONES[i]);
			const name = m.phases[s.key as keyof typeof m.phases] ?? s.title.toLowerCase();
			if (!s.present) return `${glyph} ${name} ${MISSING}`;
			if (s.allZero) return `${glyph} ${name} ${theme.paint(m.allZero, 'warn')}`;
			const tone = s.key === 'queueTime' ? levelOf(s.key, s.seconds) : undefined;
			return `${glyph} ${name} ${theme.paint(formatValue(s.seconds, 'seconds'), tone)} ${theme.paint(formatRatio(s.share), 'muted')}`;
		})
		.join('   ');
	return [title, `[${bar}]`, theme.fit(legend, width)];
}

export function capacityLines(model: TargetView, theme: Theme, width: number): string[] {
	const {kv, batch} = model;
	const m = theme.msg.overview;
	const gaugeWidth = Math.max(10, Math.min(32, Math.floor(width / 4)));
	const kvHead = `${pad(m.kvCache, 9)}${gauge(kv.usage, gaugeWidth, theme, kv.level)} ${theme.paint(formatRatio(kv.usage).padStart(5), kv.level)}${how(gaugeMetric(model.derived, 'kvCacheUsage'), theme)}`;
	const kvLine = kv.max !== null || kv.free !== null ? kvHead + blockParts(kv, width - visibleWidth(kvHead), theme) : kvHead;
	const slots = batch.size !== null || batch.max !== null ? `  ${m.slots(formatCount(batch.size), formatCount(batch.max))}${batch.freeSlots !== null ? `, ${m.free(formatCount(batch.freeSlots))}` : ''}` : theme.paint(`  ${m.batchMissing}`, 'muted');
	const batchLine = `${pad(m.batch, 9)}${gauge(batch.occupancy, gaugeWidth, theme)} ${formatRatio(batch.occupancy).padStart(5)}${slots}`;
	return [theme.fit(kvLine, width), theme.fit(batchLine, width)];
}

/**
 * `  used 1.24k  free 762  avail 778  max 2.00k blocks`, whole figures only: the ones that do not
 * fit are left out rather than cut (`max 2.00k…` read as a cut number), and the unit stays.
 */
function blockParts(kv: TargetView['kv'], room: number, theme: Theme): string {
	const b = theme.msg.overview.blocks;
	const parts = [`${b.used} ${formatCount(kv.used)}`, `${b.free} ${formatCount(kv.free)}`, `${b.avail} ${formatCount(kv.available)}`, `${b.max} ${formatCount(kv.max)}`];
	for (let n = parts.length; n > 0; n--) {
		const text = `  ${parts.slice(0, n).join('  ')} ${b.unit}`;
		if (visibleWidth(text) <= room) return text;
	}
	return '';
}

function how(g: GaugeMetric | undefined, theme: Theme): string {
	return combinationNote(g?.combined, theme);
}

function signalText(s: Signal, theme: Theme): string {
	const name = (text: string) => theme.paint(text, 'muted');
	const m = theme.msg.overview;
	switch (s.key) {
		case 'preemptions':
			return `${name(m.preempt)} ${theme.paint(formatRate(s.rate), (s.rate ?? 0) > 0 ? 'warn' : undefined)}${s.now === null ? '' : `, ${m.now(formatCount(s.now))}`}`;
		case 'enqueued':
			return `${name(m.enqueued)} ${formatCount(s.value)}`;
		case 'prefixHit':
			return s.basis === 'server' ? `${name(m.prefixHit)} ${formatRatio(s.value)}${how(s.gauge, theme)}` : `${name(m.prefixCachedPrompt)} ${formatRatio(s.value)}`;
		case 'spec': {
			const heads = s.heads.length > 0 ? ` ${name(m.heads)} ${s.heads.map(h => formatRatio(h.value)).join(' ')}` : '';
			const headsDisagree = !s.gauge?.combined?.disagree && s.heads.some(h => h.combined?.disagree) ? ` ${theme.paint(theme.msg.combination.disagree, 'warn')}` : '';
			return `${name(m.specAccept)} ${s.gauge ? `${formatRatio(s.gauge.value)}${how(s.gauge, theme)}` : MISSING}${heads ? `,${heads}` : ''}${headsDisagree}`;
		}
		case 'pdSendFailures':
			return `${name(m.pdSendFail)} ${theme.paint(formatRate(s.rate), (s.rate ?? 0) > 0 ? 'crit' : undefined)}`;
		case 'unfinished':
			// More finished than received (an older backlog draining): what is known is the difference.
			// Said as a positive count, not `received − done -7` (two minus signs).
			if (s.value !== null && s.value < 0) return name(m.doneBeyond(formatCount(-s.value), formatDuration(s.seconds * 1000)));
			return `${name(m.unfinished)} ${s.value === null ? MISSING : formatCount(s.value)}${s.received === null ? '' : ` ${m.ofIn(formatCount(s.received), formatDuration(s.seconds * 1000))}`}`;
	}
}

/**
 * The room a signal is packed by: its width, and for the unfinished count the wider of its two
 * wordings (the wording flips with the sign, which hovers around zero in a steady run). Packed by
 * it, the flip does not move the signal to the next line, and every section below it down a line.
 * (`text` is the signal's text as shown, not built twice.)
 */
function slotWidth(s: Signal, theme: Theme, text: string): number {
	if (s.key !== 'unfinished' || s.value === null) return visibleWidth(text);
	const n = Math.max(1, Math.abs(s.value));
	return Math.max(visibleWidth(signalText({...s, value: -n}, theme)), visibleWidth(signalText({...s, value: n}, theme)));
}

/** The newest FastDeploy's signals, packed into at most `max` lines of `width`. */
export function signalLines(model: TargetView, theme: Theme, width: number, max: number): string[] {
	const lines: string[] = [];
	let line = '';
	let used = 0;
	for (const s of model.signals) {
		const text = signalText(s, theme);
		const slot = Math.min(width, slotWidth(s, theme, text));
		if (line === '') {
			line = text;
			used = slot;
		} else if (used + 3 + slot <= width) {
			line += `   ${text}`;
			used += 3 + slot;
		} else {
			lines.push(line);
			line = text;
			used = slot;
		}
	}
	if (line !== '') lines.push(line);
	return lines.slice(0, max).map(l => theme.fit(l, width));
}

const TRENDS = [
	{key: 'requestsReceivedTotal', field: 'rate', format: (v: number) => formatRate(v, '')},
	{key: 'generationTokensTotal', field: 'rate', format: (v: number) => formatRate(v, '')},
	{key: 'running', field: 'value', format: (v: number) => formatCount(v)},
	{key: 'waiting', field: 'value', format: (v: number) => formatCount(v)},
	{key: 'kvCacheUsage', field: 'value', format: (v: number) => formatRatio(v)},
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
		lines.push(`${theme.paint(pad(theme.msg.overview.trendLabels[trend.key], 12), 'muted')}${spark} ${current.padStart(9)}`);
	}
	// Events under the sparklines, in their columns (the same scrapes).
	const markers = lines.length > 0 && lines.length < max ? markerRow(model.markers, Math.max(4, width - 24), theme) : null;
	if (markers) lines.push(`${theme.paint(pad(theme.msg.overview.trendEvents, 12), 'muted')}${markers}`);
	return lines;
}

function notes(model: TargetView, theme: Theme): string[] {
	const out: string[] = [];
	const m = theme.msg.overview;
	if (model.ttftExcludesQueue) out.push(m.ttftExcludesQueue(eraName({era: model.target.era, confidence: model.target.eraConfidence})));
	for (const key of ['ttft', 'tpot'] as const) {
		const h = histogram(model.derived, key);
		const p = preferredStats(h);
		if (h && p && p.stats.p99.aboveTopBucket && p.stats.aboveTopShare !== null) {
			out.push(m.aboveTop(m.titles[key], formatRatio(p.stats.aboveTopShare), formatValue(h.topBucket, 'seconds')));
		}
	}
	const buckets = (['ttft', 'tpot'] as const).filter(key => showsBucket(preferredStats(histogram(model.derived, key))?.stats));
	if (buckets.length > 0) out.push(m.wideBucket(buckets.map(k => m.titles[k]).join(', ')));
	for (const key of ['prefillTime', 'e2eLatency'] as const) {
		const h = histogram(model.derived, key);
		if (h?.allZero) out.push(m.allZeroNote(m.titles[key]));
	}
	return out.map(n => theme.paint(n, 'muted'));
}

export function overviewLines({model, theme, width, height, state, comparison}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(model?.target.error ? theme.msg.common.noDataFrom(inert(model.target.location)) : theme.msg.common.waiting, 'muted')];
	const d = model.derived;
	const kpis = kpiLines(model.kpis, width, theme);
	const phase = phaseLines(model.phases, theme, width, state.windowMs, model.phases ? undefined : emptyPhasesText(d, model.target.era, theme.msg.overview));
	const capacity = [...capacityLines(model, theme, width), ...backlogLine(model, theme, width)];
	append(capacity, signalLines(model, theme, width, 3));
	const slo = model.target.slo;
	const strip = slo && slo.report.objectives.length > 0 ? [theme.fit(`${stripPainted(slo.report, theme)}  ${theme.paint(theme.msg.sloView.stripHint, 'muted')}`, width)] : [];
	const note = notes(model, theme);
	// --baseline: one line of the headline figures' change against it (the Compare view, 7, has all).
	if (comparison) strip.push(baselineStrip(comparison, theme, width));
	const fixed = strip.length + kpis.length + phase.length + capacity.length + 3;
	const chartHeight = Math.min(height >= 40 ? 20 : 14, height - fixed);
	const lines = [...strip, ...kpis, ''];
	if (chartHeight >= 4) {
		const half = Math.floor((width - 2) / 2);
		const panel = (key: string, title: string) =>
			latencyChart({key, title, metric: histogram(d, key), series: series(d, key), width: half, height: chartHeight, theme, markers: model.markers});
		append(lines, sideBySide([{lines: panel('ttft', 'TTFT'), width: half}, {lines: panel('tpot', 'TPOT'), width: half}]), ['']);
	}
	append(lines, phase, [''], capacity);
	if (height - lines.length >= 8) {
		const trends = trendLines(model, theme, width, height - lines.length - 4);
		const title = theme.msg.overview.trends;
		if (trends.length > 0) append(lines, ['', `${theme.paint(title, 'title')}  ${theme.paint(theme.fit(theme.msg.overview.trendsNote(formatDuration(state.windowMs)), width - visibleWidth(title) - 2), 'muted')}`], trends);
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
