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
import {gauge} from '../components/gauge.js';
import type {Theme} from '../theme.js';
import {pad} from '../text-width.js';
import {counter, gauge as gaugeValue, gaugeMetric, series, windowCacheShare} from '../view-model.js';
import {combinationNote} from '../components/combination.js';
import type {Derived} from '../../metrics/derive.js';
import type {ViewProps} from './types.js';

const LABEL = 14;

function row(label: string, text: string, theme: Theme, width: number): string {
	return theme.fit(`${theme.paint(pad(label, LABEL), 'title')}${text}`, width);
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
	const thresholds = CATALOG_BY_KEY.get('kvCacheUsage')?.thresholds;
	const bands = thresholds ? theme.paint(`warn ${formatRatio(thresholds.warn)}, critical ${formatRatio(thresholds.crit)}`, 'muted') : '';
	const gaugeWidth = Math.max(12, Math.min(40, Math.floor(width / 3)));
	const lines = [row('KV cache', `${gauge(kv.usage, gaugeWidth, theme, kv.level)} ${theme.paint(formatRatio(kv.usage).padStart(5), kv.level)}${combined(d, 'kvCacheUsage', theme)}  ${bands}`, theme, width)];
	const cpu = kv.cpuMax !== null || kv.cpuFree !== null;
	const fixed = cpu ? 8 : 7;
	const chartHeight = Math.min(14, height - lines.length - fixed);
	if (chartHeight >= 3) {
		append(
			lines,
			chartLines({
				series: [{values: series(d, 'kvCacheUsage')?.value ?? [], tone: kv.level === 'none' ? 'series1' : kv.level}],
				width,
				height: chartHeight,
				min: 0,
				max: 1,
				format: v => formatRatio(v),
				theme,
				empty: kv.usage === null ? `${MISSING} KV usage not reported by this server` : 'no history yet',
			}),
		);
	}
	const reclaimable = kv.available !== null && kv.free !== null ? ` (${formatCount(Math.max(0, kv.available - kv.free))} reclaimable)` : '';
	lines.push(
		row(
			'GPU blocks',
			[field('used', formatCount(kv.used)), field('free', formatCount(kv.free)), field('avail', `${formatCount(kv.available)}${reclaimable}`), field('max', formatCount(kv.max))].join('  '),
			theme,
			width,
		),
	);
	if (cpu) {
		lines.push(row('CPU blocks', [field('used', formatCount(kv.cpuUsed)), field('free', formatCount(kv.cpuFree)), field('max', formatCount(kv.cpuMax))].join('  '), theme, width));
	}
	const hit = (key: string) => `${formatRatio(gaugeValue(d, key))}${combined(d, key, theme)}`;
	const share = windowCacheShare(d);
	lines.push(
		row(
			'Prefix cache',
			[field('hit: req', hit('hitReqRate')), field('token', hit('hitTokenRate')), field('GPU', hit('gpuHitTokenRate')), field('CPU', hit('cpuHitTokenRate')), field('window cached/prompt', formatRatio(share))].join('  '),
			theme,
			width,
		),
	);
	const running = gaugeValue(d, 'running');
	const waiting = gaugeValue(d, 'waiting');
	lines.push(
		row(
			'Batch',
			`${gauge(batch.occupancy, gaugeWidth, theme)} ${formatRatio(batch.occupancy).padStart(5)}  ${formatCount(batch.size)} of ${formatCount(batch.max)}  ${field('free slots', formatCount(batch.freeSlots))}`,
			theme,
			width,
		),
	);
	lines.push(row('Requests', [field('running', formatCount(running === null ? null : Math.max(0, running))), field('waiting', formatCount(waiting === null ? null : Math.max(0, waiting)))].join('   '), theme, width));
	const preemptions = counter(d, 'requestPreemptedTotal');
	const preempted = gaugeValue(d, 'preempted');
	lines.push(
		row(
			'Preemptions',
			preemptions || preempted !== null
				? [field('rate', formatRate(preemptions?.rate ?? null)), field('since start', formatCount(preemptions?.value ?? null)), field('preempted now', formatCount(preempted))].join('   ')
				: theme.paint(`${MISSING} not reported by this server (newest FastDeploy only)`, 'muted'),
			theme,
			width,
		),
	);
	if (kv.usage !== null && kv.usage === 0 && (counter(d, 'generationTokensTotal')?.rate ?? 0) > 0) {
		lines.push(theme.fit(theme.paint('KV usage reads 0 while tokens are generated: see e (the metrics port on 2.3-era builds).', 'warn'), width));
	}
	return lines.slice(0, height);
}

export function CacheView(props: ViewProps) {
	const {state, model, theme, width, height} = props;
	const lines = useMemo(() => cacheLines(props), [state, model, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
