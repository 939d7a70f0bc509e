/**
 * Cache & batch: KV usage over time, GPU block counts, prefix-cache hit rates (the server's
 * gauges and fdtop's windowed share of cached prompt tokens), batch size against its maximum,
 * and preemptions where the server reports them.
 */
import {useMemo} from 'react';
import {MISSING, formatCount, formatRate, formatRatio} from '../../format.js';
import {CATALOG_BY_KEY} from '../../metrics/catalog.js';
import {append} from '../../arrays.js';
import {Lines} from '../components/lines.js';
import {chartLines} from '../components/chart.js';
import {withMarkerRow} from '../components/event-markers.js';
import {gauge} from '../components/gauge.js';
import type {Theme} from '../theme.js';
import {pad, visibleWidth} from '../text-width.js';
import {counter, gauge as gaugeValue, gaugeMetric, series, windowCacheShare} from '../view-model.js';
import {combinationNote} from '../components/combination.js';
import type {Derived} from '../../metrics/derive.js';
import type {ViewProps} from './types.js';

const LABEL = 14;

function row(label: string, text: string, theme: Theme, width: number): string {
	return theme.fit(`${theme.paint(pad(label, LABEL), 'title')}${text}`, width);
}

/** A row of fields, the ones that do not fit whole left out from the end (never one cut short). */
function fields(label: string, parts: readonly string[], gap: string, theme: Theme, width: number): string {
	let text = parts[0] ?? '';
	for (const part of parts.slice(1)) {
		if (LABEL + visibleWidth(`${text}${gap}${part}`) > width) break;
		text += `${gap}${part}`;
	}
	return row(label, text, theme, width);
}

function field(name: string, value: string): string {
	return `${name} ${value}`;
}

function combined(d: Derived, key: string, theme: Theme): string {
	return combinationNote(gaugeMetric(d, key)?.combined, theme);
}

export function cacheLines({model, theme, width, height}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const d = model.derived;
	const {kv, batch} = model;
	const m = theme.msg.cache;
	const thresholds = CATALOG_BY_KEY.get('kvCacheUsage')?.thresholds;
	const bands = thresholds ? theme.paint(m.bands(formatRatio(thresholds.warn), formatRatio(thresholds.crit)), 'muted') : '';
	const gaugeWidth = Math.max(12, Math.min(40, Math.floor(width / 3)));
	const lines = [fields(m.kvCache, [`${gauge(kv.usage, gaugeWidth, theme, kv.level)} ${theme.paint(formatRatio(kv.usage).padStart(5), kv.level)}${combined(d, 'kvCacheUsage', theme)}`, bands].filter(Boolean), '  ', theme, width)];
	const cpu = kv.cpuMax !== null || kv.cpuFree !== null;
	const fixed = cpu ? 8 : 7;
	const chartHeight = Math.min(14, height - lines.length - fixed);
	if (chartHeight >= 3) {
		append(
			lines,
			withMarkerRow(model.markers, width, chartHeight, theme, plotHeight =>
				chartLines({
					series: [{values: series(d, 'kvCacheUsage')?.value ?? [], tone: kv.level === 'none' ? 'series1' : kv.level}],
					width,
					height: plotHeight,
					min: 0,
					max: 1,
					format: v => formatRatio(v),
					axis: 'ratio',
					theme,
					empty: kv.usage === null ? `${MISSING} ${m.kvMissing}` : m.noHistory,
				}),
			),
		);
	}
	const reclaimable = kv.available !== null && kv.free !== null ? m.reclaimable(formatCount(Math.max(0, kv.available - kv.free))) : '';
	lines.push(fields(m.gpuBlocks, [field(m.used, formatCount(kv.used)), field(m.free, formatCount(kv.free)), field(m.avail, `${formatCount(kv.available)}${reclaimable}`), field(m.max, formatCount(kv.max))], '  ', theme, width));
	if (cpu) {
		lines.push(fields(m.cpuBlocks, [field(m.used, formatCount(kv.cpuUsed)), field(m.free, formatCount(kv.cpuFree)), field(m.max, formatCount(kv.cpuMax))], '  ', theme, width));
	}
	const hit = (key: string) => `${formatRatio(gaugeValue(d, key))}${combined(d, key, theme)}`;
	const share = windowCacheShare(d);
	lines.push(fields(m.prefix, [field(m.hitReq, hit('hitReqRate')), field(m.token, hit('hitTokenRate')), field('GPU', hit('gpuHitTokenRate')), field('CPU', hit('cpuHitTokenRate')), field(m.windowShare, formatRatio(share))], '  ', theme, width));
	const running = gaugeValue(d, 'running');
	const waiting = gaugeValue(d, 'waiting');
	lines.push(fields(m.batch, [`${gauge(batch.occupancy, gaugeWidth, theme)} ${formatRatio(batch.occupancy).padStart(5)}`, m.of(formatCount(batch.size), formatCount(batch.max)), field(m.freeSlots, formatCount(batch.freeSlots))], '  ', theme, width));
	lines.push(fields(m.requests, [field(m.running, formatCount(running === null ? null : Math.max(0, running))), field(m.waiting, formatCount(waiting === null ? null : Math.max(0, waiting)))], '   ', theme, width));
	const preemptions = counter(d, 'requestPreemptedTotal');
	const preempted = gaugeValue(d, 'preempted');
	lines.push(
		preemptions || preempted !== null
			? fields(m.preemptions, [field(m.rate, formatRate(preemptions?.rate ?? null)), field(m.sinceStart, formatCount(preemptions?.value ?? null)), field(m.preemptedNow, formatCount(preempted))], '   ', theme, width)
			: row(m.preemptions, theme.paint(`${MISSING} ${m.preemptMissing}`, 'muted'), theme, width),
	);
	if (kv.usage !== null && kv.usage === 0 && (counter(d, 'generationTokensTotal')?.rate ?? 0) > 0) {
		lines.push(theme.fit(theme.paint(m.kvZero, 'warn'), width));
	}
	return lines.slice(0, height);
}

export function CacheView(props: ViewProps) {
	const {state, model, theme, width, height} = props;
	const lines = useMemo(() => cacheLines(props), [state, model, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
