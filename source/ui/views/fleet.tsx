/**
 * Fleet: one row per endpoint (state, throughput, pressure, latency percentiles) under the fleet's
 * aggregate row, sortable with `s`; ↑/↓ select, Enter opens that endpoint's views. Only the rows
 * in view are formatted, so a fleet of hundreds of endpoints stays cheap to draw.
 */
import {en} from '../../i18n/en.js';
import {useMemo} from 'react';
import {MISSING, formatCount, formatQuantile, formatRate, formatRatio, formatValue} from '../../format.js';
import type {FleetRow, FleetSort} from '../../metrics/fleet.js';
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import {dimmed, Lines} from '../components/lines.js';
import {selectRow, tableRow, type Column} from '../components/table.js';
import {fitParts} from '../text-width.js';
import type {Theme} from '../theme.js';
import type {Bounds, UiState} from '../ui-state.js';
import {levelOf} from '../view-model.js';
import {fleetOf, stripPainted, verdictCell} from './slo.js';

type ColumnKey = 'name' | 'state' | 'slo' | 'requestRate' | 'generationRate' | 'running' | 'waiting' | 'kvUsage' | 'ttftP99' | 'tpotP99' | 'queueMean';

interface FleetColumn {
	readonly key: ColumnKey;
	/** Titles and widths: wide terminals, then compact ones. */
	readonly full: readonly [string, number];
	readonly compact: readonly [string, number];
}

/** In order of appearance; the last ones are dropped first on a narrow terminal. */
const COLUMNS: readonly FleetColumn[] = [
	// Wide enough for `connecting`, the longest state, written whole.
	{key: 'state', full: ['state', 10], compact: ['state', 10]},
	{key: 'requestRate', full: ['req/s', 7], compact: ['req/s', 6]},
	{key: 'generationRate', full: ['gen tok/s', 10], compact: ['tok/s', 7]},
	{key: 'running', full: ['running', 8], compact: ['run', 4]},
	{key: 'waiting', full: ['waiting', 8], compact: ['wait', 5]},
	{key: 'kvUsage', full: ['KV', 6], compact: ['KV', 5]},
	{key: 'ttftP99', full: ['TTFT p99', 9], compact: ['TTFT', 8]},
	{key: 'tpotP99', full: ['TPOT p99', 9], compact: ['TPOT', 8]},
	{key: 'queueMean', full: ['queue mean', 11], compact: ['queue', 7]},
];

/** Column titles the sort is named by (the title line and the status of `s`). */
export const SORT_TITLES: Record<FleetSort, string> = en.fleet.sorts;

/** With objectives (--slo): each row's verdict, right after the state. */
const SLO_COLUMN: FleetColumn = {key: 'slo', full: ['SLO', 12], compact: ['SLO', 10]};

/** Below this the last columns go: an endpoint's name matters more than its queue mean. */
const MIN_NAME = 16;
const MAX_NAME = 48;
/** Title, table header, aggregate row and its rule above the rows; the footer below. */
const CHROME = 5;

export function fleetBounds(rows: number, height: number): Bounds {
	return {total: rows, page: Math.max(1, height - CHROME)};
}

interface Layout {
	readonly columns: readonly Column[];
	readonly keys: readonly ColumnKey[];
}

function layout(width: number, sort: FleetSort, reverse: boolean, slo: boolean, theme: Theme): Layout {
	const titles = theme.msg.fleet.columns;
	const all = slo ? [COLUMNS[0]!, SLO_COLUMN, ...COLUMNS.slice(1)] : COLUMNS;
	const fixed = (list: readonly FleetColumn[], mode: 'full' | 'compact') => list.reduce((n, c) => n + c[mode][1] + 1, 0);
	let mode: 'full' | 'compact' = width - fixed(all, 'full') >= 20 ? 'full' : 'compact';
	let shown = [...all];
	while (shown.length > 2 && width - fixed(shown, mode) < MIN_NAME) shown = shown.slice(0, -1);
	if (width - fixed(shown, mode) < MIN_NAME) mode = 'compact';
	const nameWidth = Math.max(MIN_NAME, Math.min(MAX_NAME, width - fixed(shown, mode)));
	// ↑ ascending (names), ↓ descending (figures), the other way reversed; Lines writes them as ^
	// and v with --ascii.
	const arrow = (sort === 'name') !== reverse ? '↑' : '↓';
	const mark = (key: ColumnKey, title: string) => (key === sort ? `${title}${arrow}` : title);
	return {
		keys: ['name', ...shown.map(c => c.key)],
		columns: [{title: mark('name', titles.name), width: nameWidth, align: 'left'}, ...shown.map((c): Column => ({title: mark(c.key, titles[c.key as Exclude<ColumnKey, 'name'>][mode === 'full' ? 0 : 1]!), width: c[mode][1], align: c.key === 'state' ? 'left' : 'right'}))],
	};
}

function stateCell(row: FleetRow, state: AppState, theme: Theme): string {
	if (row.aggregate) {
		const up = state.targets.filter(t => t.state === 'up').length;
		return theme.paint(`${up}/${state.targets.length}`, up === state.targets.length ? 'ok' : up === 0 ? 'crit' : 'warn');
	}
	switch (row.state) {
		case 'up':
			return theme.paint(theme.msg.header.up, 'ok');
		case 'stale':
			return theme.paint(theme.msg.header.stale, 'crit');
		case 'down':
			return theme.paint(theme.msg.header.down, 'crit');
		case 'connecting':
			return theme.paint(theme.msg.header.connecting, 'muted');
		case 'partial':
			return theme.paint(theme.msg.fleet.part, 'warn');
	}
}

function cell(row: FleetRow, key: ColumnKey, state: AppState, theme: Theme): string {
	switch (key) {
		case 'slo':
			return verdictCell(row.aggregate ? fleetOf(state).report : state.targets[row.index]?.slo?.report, theme);
		case 'name':
			return inert(row.name);
		case 'state':
			return stateCell(row, state, theme);
		case 'requestRate':
			// `*`: first tokens per second, what a server without an arrivals counter gives (see the footer).
			// A space where others have `*`: the digits stay aligned.
			return `${formatRate(row.requestRate, '')}${row.requestBasis === 'firstTokens' || row.requestBasis === 'mixed' ? '*' : ' '}`;
		case 'generationRate':
			return formatRate(row.generationRate, '');
		case 'running':
			return formatCount(row.running);
		case 'waiting':
			return theme.paint(formatCount(row.waiting), row.aggregate ? undefined : levelOf('waiting', row.waiting));
		case 'kvUsage':
			return theme.paint(formatRatio(row.kvUsage), levelOf('kvCacheUsage', row.kvUsage));
		case 'ttftP99':
			return theme.paint(formatQuantile(row.ttftP99, 'seconds', {width: 8, ascii: theme.ascii}), levelOf('ttft', row.ttftP99?.value));
		case 'tpotP99':
			return theme.paint(formatQuantile(row.tpotP99, 'seconds', {width: 8, ascii: theme.ascii}), levelOf('tpot', row.tpotP99?.value));
		case 'queueMean':
			return theme.paint(row.queueMean === null ? MISSING : formatValue(row.queueMean, 'seconds'), levelOf('queueTime', row.queueMean));
	}
}

function rowLine(row: FleetRow, table: Layout, state: AppState, theme: Theme): string {
	// A DOWN endpoint has no figures: its row says why instead, selected or not.
	if (row.state === 'down' && !row.aggregate && row.error) {
		const lead = table.columns.slice(0, 2);
		const rest = table.columns.slice(2).reduce((n, c) => n + c.width + 1, 0);
		return `${tableRow(lead, table.keys.slice(0, 2).map(key => cell(row, key, state, theme)), theme)} ${theme.fit(inert(reason(row)), rest - 1)}`;
	}
	return tableRow(
		table.columns,
		table.keys.map(key => cell(row, key, state, theme)),
		theme,
	);
}

/** The error without the endpoint's own URL in front (the row names it already). */
function reason(row: FleetRow): string {
	const error = row.error ?? '';
	return error.startsWith(`${row.location}: `) ? error.slice(row.location.length + 2) : error;
}

export interface FleetLinesProps {
	readonly state: AppState;
	readonly ui: UiState;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
	readonly aggregate: FleetRow;
	/** The endpoints' rows in the order shown. */
	readonly rows: readonly FleetRow[];
}

export function fleetLines({state, ui, theme, width, height, aggregate, rows}: FleetLinesProps): string[] {
	const slo = (state.objectives?.length ?? 0) > 0;
	const table = layout(width, ui.fleet.sort, ui.fleet.reverse, slo, theme);
	const m = theme.msg.fleet;
	const counts = new Map<string, number>();
	for (const t of state.targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
	const tally = [
		m.up(counts.get('up') ?? 0),
		counts.get('stale') ? theme.paint(m.stale(counts.get('stale')!), 'crit') : '',
		counts.get('down') ? theme.paint(m.down(counts.get('down')!), 'crit') : '',
		counts.get('connecting') ? theme.paint(m.connecting(counts.get('connecting')!), 'muted') : '',
	].filter(Boolean);
	// Short of room the key hints go whole from the last, then the sort order; the tally stays.
	const keys = m.keys(theme.glyphs.up, theme.glyphs.down).split(/ {2,}/).map(k => theme.paint(k, 'muted'));
	const head = fitParts([theme.paint(m.title, 'title'), m.targets(state.targets.length, tally.join(', ')), `${m.sortedBy} ${theme.paint(`${m.sorts[ui.fleet.sort]}${ui.fleet.reverse ? m.reversed : ''}`, 'accent')}`, ...keys], width, {keep: 2}).join('  ');
	const header = theme.paint(tableRow(table.columns, table.columns.map(c => c.title), theme), 'muted');
	const total = theme.paint(rowLine(aggregate, table, state, theme), 'title');
	const rule = theme.paint(theme.glyphs.horizontal.repeat(Math.min(width, visibleRowWidth(table))), 'muted');

	const {page} = fleetBounds(rows.length, height);
	const found = rows.findIndex(r => r.index === ui.fleet.selected);
	const cursor = found < 0 ? 0 : found;
	// The selected row stays in view whatever the order did since the last key.
	let top = Math.min(ui.fleet.top, cursor);
	if (cursor >= top + page) top = cursor - page + 1;
	top = Math.max(0, Math.min(top, rows.length - page));
	const visible = rows.slice(top, top + page).map((row, i) => {
		const line = selectRow(rowLine(row, table, state, theme), width, top + i === cursor, theme);
		return row.state === 'stale' || row.state === 'down' ? dimmed(line) : line;
	});
	const selected = rows[cursor];
	const where = rows.length > page ? `  ${m.position(top + 1, Math.min(rows.length, top + page), rows.length)}` : '';
	const started = rows.some(r => r.requestBasis === 'firstTokens') ? `  ${m.started}` : '';
	const footer = selected ? `${inert(selected.location)}${where}${started}` : m.noTargets;
	// With objectives the footer leads with the fleet's verdict strip.
	const sloStrip = slo ? `${stripPainted(fleetOf(state).report, theme)}  ` : '';
	const lines = [theme.fit(head, width), header, total, rule, ...visible, ...Array.from({length: Math.max(0, page - visible.length)}, () => ''), theme.fit(`${sloStrip}${theme.paint(footer, 'muted')}`, width)];
	return lines.slice(0, height).map(line => theme.fit(line, width));
}

function visibleRowWidth(table: Layout): number {
	return table.columns.reduce((n, c) => n + c.width + 1, -1);
}

export function FleetView(props: FleetLinesProps) {
	const {state, ui, theme, width, height, aggregate, rows} = props;
	const fleet = ui.fleet;
	const lines = useMemo(() => fleetLines(props), [state, fleet, theme, width, height, aggregate, rows]);
	return <Lines lines={lines} width={width} height={height} ascii={theme.ascii} />;
}
