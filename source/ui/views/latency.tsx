/**
 * Latency: one row per phase (TTFT, TPOT, queue, prefill, decode, inference, e2e) with the
 * window's rate, mean and percentiles beside the lifetime ones, and a chart of the selected row.
 */
import {useMemo} from 'react';
import {MISSING, formatCount, formatDuration, formatQuantile, formatRate, formatValue} from '../../format.js';
import type {HistogramStats} from '../../metrics/derive.js';
import {CATALOG_BY_KEY} from '../../metrics/catalog.js';
import {append} from '../../arrays.js';
import {Lines} from '../components/lines.js';
import {latencyChart} from '../components/latency-chart.js';
import {selectRow, tableHeader, tableRow, type Column} from '../components/table.js';
import type {Theme} from '../theme.js';
import {histogram, LATENCY_KEYS, levelOf, series, type HistogramMetric} from '../view-model.js';
import {NO_DATA, type ViewProps} from './types.js';

/** The lifetime columns that fit beside the window's: all five, then fewer, then none. */
const LIFETIME_SETS = [['count', 'mean', 'p50', 'p90', 'p99'], ['count', 'mean', 'p99'], ['count', 'p99'], []] as const;

function columns(width: number): {columns: Column[]; lifetime: readonly string[]} {
	const W = width >= 84 ? 8 : 7;
	const window: Column[] = [
		{title: 'phase', width: 11, align: 'left'},
		{title: 'obs/s', width: 6},
		{title: 'mean', width: W},
		{title: 'p50', width: W},
		{title: 'p90', width: W},
		{title: 'p99', width: W},
	];
	const used = window.reduce((n, c) => n + c.width + 1, -1);
	// Five lifetime columns from 112 columns on (as before); below, as many as fit whole.
	const lifetime = LIFETIME_SETS.find(set => (set.length < 5 || width >= 112) && used + (set.length === 0 ? 0 : 2 + set.length * (W + 1)) <= width) ?? [];
	return {
		lifetime,
		columns: lifetime.length === 0 ? window : [...window, {title: '|', width: 1}, ...lifetime.map(title => ({title, width: W}))],
	};
}

function statCells(key: string, s: HistogramStats | null, unit: HistogramMetric['entry']['unit'], theme: Theme, which: string[]): string[] {
	return which.map(field => {
		if (!s || s.count === 0) return field === 'count' && s ? '0' : MISSING;
		switch (field) {
			case 'rate':
				return formatRate(s.rate, '');
			case 'count':
				return formatCount(Math.round(s.count));
			case 'mean':
				return theme.paint(formatValue(s.mean, unit), levelOf(key, s.mean));
			default: {
				const q = s[field as 'p50' | 'p90' | 'p99'];
				return theme.paint(formatQuantile(q, unit), levelOf(key, q.value));
			}
		}
	});
}

export function latencyLines({model, ui, theme, width, height, state}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(NO_DATA, 'muted')];
	const d = model.derived;
	const {columns: cols, lifetime} = columns(width);
	const bar = theme.glyphs.vertical;
	const covered = d.coveredMs < state.windowMs ? `, ${formatDuration(Math.round(d.coveredMs / 1000) * 1000)} covered` : '';
	const lines = [
		theme.fit(`${theme.paint('Latency by phase', 'title')}  ${theme.paint(`window ${formatDuration(state.windowMs)}${covered}, ${d.scrapes} scrapes${lifetime.length > 0 ? `  ${bar}  lifetime${width >= 80 ? ': since start' : ''}` : ''}`, 'muted')}`, width),
		theme.fit(tableHeader(cols, theme).replace('|', bar), width),
	];
	const selected = Math.min(ui.latencyRow, LATENCY_KEYS.length - 1);
	LATENCY_KEYS.forEach((key, i) => {
		const h = histogram(d, key);
		const title = CATALOG_BY_KEY.get(key)?.title ?? key;
		let row: string;
		if (!h) {
			row = tableRow(cols, [title, MISSING, MISSING, MISSING, MISSING, MISSING, bar, ...lifetime.map(() => MISSING)], theme);
		} else if (h.allZero) {
			row = `${theme.pad(title, 11)} ${theme.paint('all zero since start: the server never observed it (e explains)', 'warn')}`;
		} else {
			const unit = h.entry.unit;
			const windowCells = statCells(key, h.window, unit, theme, ['rate', 'mean', 'p50', 'p90', 'p99']);
			const lifetimeCells = statCells(key, h.lifetime, unit, theme, [...lifetime]);
			row = tableRow(cols, [title, ...windowCells, bar, ...lifetimeCells], theme);
		}
		lines.push(selectRow(theme.fit(row, width), width, i === selected, theme));
	});
	lines.push('');
	const key = LATENCY_KEYS[selected]!;
	const chartHeight = height - lines.length - (model.ttftExcludesQueue ? 1 : 0);
	if (chartHeight >= 3) {
		const title = `${CATALOG_BY_KEY.get(key)?.title ?? key} (${theme.glyphs.up}/${theme.glyphs.down} to choose)`;
		append(lines, latencyChart({key, title, metric: histogram(d, key), series: series(d, key), width, height: chartHeight, theme}));
	}
	if (model.ttftExcludesQueue) lines.push(theme.fit(theme.paint(`TTFT on FastDeploy ${model.target.era} is timed from inference start: it leaves out queueing.`, 'muted'), width));
	return lines.slice(0, height);
}

export function LatencyView(props: ViewProps) {
	const {state, model, ui, theme, width, height} = props;
	const row = ui.latencyRow;
	const lines = useMemo(() => latencyLines(props), [state, model, row, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
