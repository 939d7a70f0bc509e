/**
 * Latency: one row per phase (TTFT, TPOT, queue, prefill, decode, inference, e2e) with the
 * window's rate, mean and percentiles beside the lifetime ones, and a chart of the selected row.
 */
import {useMemo} from 'react';
import {MISSING, TOO_FEW, formatCount, formatQuantile, formatRate, formatValue} from '../../format.js';
import type {Derived, HistogramStats} from '../../metrics/derive.js';
import {windowCoverText} from '../../format.js';
import {clockTime} from '../components/header.js';
import {append} from '../../arrays.js';
import {Lines} from '../components/lines.js';
import {latencyChart} from '../components/latency-chart.js';
import {selectRow, tableHeader, tableRow, type Column} from '../components/table.js';
import type {Theme} from '../theme.js';
import {visibleWidth} from '../text-width.js';
import {histogram, LATENCY_KEYS, levelOf, percentileTone, series, showsBucket, type HistogramMetric} from '../view-model.js';
import type {ViewProps} from './types.js';
import {eraName} from '../../metrics/era.js';

type Field = 'rate' | 'count' | 'mean' | 'p50' | 'p90' | 'p99';

interface Layout {
	readonly full: boolean;
	readonly columns: Column[];
	readonly window: Field[];
	readonly lifetime: Field[];
}

/** The lifetime columns that fit beside the window's: all five (from 112 columns), then fewer, then none. */
const LIFETIME_SETS: readonly (readonly Field[])[] = [['count', 'mean', 'p50', 'p90', 'p99'], ['count', 'mean', 'p99'], ['count', 'p99'], []];

function layout(width: number, theme: Theme): Layout {
	const m = theme.msg.latency;
	const full = width >= 112;
	const W = width >= 84 ? 8 : 7;
	// Percentile columns wide enough for a bucket (`100–250 ms`) where the terminal allows.
	const P = width >= 114 ? 10 : W;
	const window: Field[] = ['rate', 'mean', 'p50', 'p90', 'p99'];
	const column = (field: Field): Column => ({title: field === 'rate' ? m.rate : field === 'mean' ? m.mean : field === 'count' ? m.count : field, width: field === 'rate' ? 6 : field.startsWith('p') ? P : W});
	const windowColumns: Column[] = [{title: m.phase, width: 11, align: 'left'}, ...window.map(column)];
	const used = windowColumns.reduce((n, c) => n + c.width + 1, -1);
	const fits = (set: readonly Field[]) => (set.length < 5 || full) && used + (set.length === 0 ? 0 : 2 + set.reduce((n, f) => n + column(f).width + 1, 0)) <= width;
	const lifetime = [...(LIFETIME_SETS.find(fits) ?? [])];
	return {full, window, lifetime, columns: lifetime.length === 0 ? windowColumns : [...windowColumns, {title: '|', width: 1}, ...lifetime.map(column)]};
}

/** One group's cells and columns; with too few observations, the percentile columns become one `n too small`. */
function statCells(key: string, s: HistogramStats | null, unit: HistogramMetric['entry']['unit'], theme: Theme, which: Field[], columns: Column[]): {cells: string[]; columns: Column[]} {
	const cells: string[] = [];
	const cols: Column[] = [];
	let spanned = 0;
	which.forEach((field, i) => {
		const column = columns[i]!;
		if (s && s.count > 0 && s.tooFew && field.startsWith('p')) {
			spanned += column.width + (spanned > 0 ? 1 : 0);
			if (which.slice(i + 1).some(f => f.startsWith('p'))) return;
			cols.push({title: '', width: spanned});
			cells.push(theme.paint(formatQuantile(s[field as 'p50'], unit, {width: spanned}).replace(TOO_FEW, theme.msg.chart.tooFew), 'muted'));
			return;
		}
		cols.push(column);
		if (!s || s.count === 0) {
			cells.push(field === 'count' && s ? '0' : MISSING);
			return;
		}
		switch (field) {
			case 'rate':
				cells.push(formatRate(s.rate, ''));
				break;
			case 'count':
				cells.push(formatCount(Math.round(s.count)));
				break;
			case 'mean':
				cells.push(theme.paint(formatValue(s.mean, unit), levelOf(key, s.mean)));
				break;
			default: {
				const q = s[field];
				cells.push(theme.paint(formatQuantile(q, unit, {width: column.width, ascii: theme.ascii}), percentileTone(key, q)));
			}
		}
	});
	return {cells, columns: cols};
}

/** `window 30 s, 31 scrapes to 12:00:05  │  lifetime: since start`; the evaluation time only when it fits. */
function windowLine(d: {coveredMs: number; partial?: Derived['partial']; scrapes: number; t: number}, windowMs: number, bar: string, width: number, lifetime: boolean, theme: Theme): string {
	const m = theme.msg.latency;
	const head = m.window(windowCoverText(d, windowMs, theme.msg.header.cover), d.scrapes);
	const tail = lifetime ? `  ${bar}  ${m.lifetime}${width >= 80 ? m.sinceStart : ''}` : '';
	const at = m.to(clockTime(d.t));
	return visibleWidth(`${m.title}  ${head}${at}${tail}`) <= width ? `${head}${at}${tail}` : `${head}${tail}`;
}

export function latencyLines({model, ui, theme, width, height, state}: ViewProps): string[] {
	if (!model?.derived) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const d = model.derived;
	const m = theme.msg.latency;
	const table = layout(width, theme);
	const cols = table.columns;
	const bar = theme.glyphs.vertical;
	const lines = [
		theme.fit(`${theme.paint(m.title, 'title')}  ${theme.paint(windowLine(d, state.windowMs, bar, width, table.lifetime.length > 0, theme), 'muted')}`, width),
		theme.fit(tableHeader(cols, theme).replace('|', bar), width),
	];
	const selected = Math.min(ui.latencyRow, LATENCY_KEYS.length - 1);
	let buckets = false;
	let few = false;
	LATENCY_KEYS.forEach((key, i) => {
		const h = histogram(d, key);
		const title = m.names[key];
		let row: string;
		if (!h) {
			row = tableRow(cols, [title, ...table.window.map(() => MISSING), ...(table.lifetime.length > 0 ? [bar, ...table.lifetime.map(() => MISSING)] : [])], theme);
		} else if (h.allZero) {
			row = `${theme.pad(title, 11)} ${theme.paint(m.allZero, 'warn')}`;
		} else {
			const unit = h.entry.unit;
			const w = statCells(key, h.window, unit, theme, table.window, cols.slice(1, 1 + table.window.length));
			if (table.lifetime.length > 0) {
				const l = statCells(key, h.lifetime, unit, theme, table.lifetime, cols.slice(2 + table.window.length));
				row = tableRow([cols[0]!, ...w.columns, cols[1 + table.window.length]!, ...l.columns], [title, ...w.cells, bar, ...l.cells], theme);
			} else {
				row = tableRow([cols[0]!, ...w.columns], [title, ...w.cells], theme);
			}
			buckets ||= showsBucket(h.window) || showsBucket(h.lifetime);
			few ||= !!h.window?.tooFew || h.lifetime.tooFew;
		}
		lines.push(selectRow(theme.fit(row, width), width, i === selected, theme));
	});
	// The legend for what the table shows in place of figures, on the line that otherwise stays blank.
	const le = theme.ascii ? '<=' : '≤';
	const dash = theme.ascii ? '-' : '–';
	const legend = (long: boolean) =>
		[buckets ? `${le} 300 ms, 0.1${dash}0.25 s: ${long ? m.bucketLong : m.bucketShort}` : '', few ? `${theme.msg.chart.tooFew}: ${long ? m.fewLong : 'n < 5'}` : ''].filter(Boolean).join('; ');
	const note = visibleWidth(`${legend(true)} ${m.helpHint}`) <= width ? legend(true) : legend(false);
	lines.push(note ? theme.fit(theme.paint(`${note} ${m.helpHint}`, 'muted'), width) : '');
	const key = LATENCY_KEYS[selected]!;
	const chartHeight = height - lines.length - (model.ttftExcludesQueue ? 1 : 0);
	if (chartHeight >= 3) {
		const title = `${m.names[key]} ${m.choose(theme.glyphs.up, theme.glyphs.down)}`;
		append(lines, latencyChart({key, title, metric: histogram(d, key), series: series(d, key), width, height: chartHeight, theme, markers: model.markers}));
	}
	if (model.ttftExcludesQueue) lines.push(theme.fit(theme.paint(theme.msg.overview.ttftExcludesQueue(eraName({era: model.target.era, confidence: model.target.eraConfidence})), 'muted'), width));
	return lines.slice(0, height);
}

export function LatencyView(props: ViewProps) {
	const {state, model, ui, theme, width, height} = props;
	const row = ui.latencyRow;
	const lines = useMemo(() => latencyLines(props), [state, model, row, theme, width, height]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
