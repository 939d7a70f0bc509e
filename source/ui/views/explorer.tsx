/**
 * Explorer: every metric family of the last scrape, known to fdtop or not: type, series count,
 * current value or rate; `/` filters by name, catalog key or title, Enter opens a family's series and buckets. Only the
 * visible rows are formatted, so a scrape with thousands of series stays cheap to draw.
 */
import {useMemo} from 'react';
import {formatGoFloat} from '../../prom/float.js';
import {MISSING, formatCount, formatRate, formatValue} from '../../format.js';
import {CATALOG_BY_KEY, catalogEntryForFamily} from '../../metrics/catalog.js';
import type {Family} from '../../prom/types.js';
import type {TargetStatus} from '../../store.js';
import {inert} from '../../text.js';
import {maxOf} from '../../arrays.js';
import {Lines} from '../components/lines.js';
import {selectRow, tableHeader, tableRow, type Column} from '../components/table.js';
import {fitParts} from '../text-width.js';
import type {Theme} from '../theme.js';
import type {Bounds} from '../ui-state.js';
import {familyDetail, familyRows, filterRows, type FamilyRow, type SeriesDetail} from '../explorer-model.js';
import type {ViewProps} from './types.js';

const catalogKey = (name: string) => catalogEntryForFamily(name)?.entry.key ?? null;

/** Rows of the family list, once per scrape. */
export function explorerRows(target: TargetStatus | undefined): FamilyRow[] {
	return target ? familyRows(target, catalogKey) : [];
}

/** Lines above and below the list or the detail. */
const LIST_CHROME = 3;
const DETAIL_CHROME = 2;

export function explorerBounds(rows: number, detailRows: number | null, height: number): Bounds {
	return detailRows === null ? {total: rows, page: Math.max(1, height - LIST_CHROME)} : {total: detailRows, page: Math.max(1, height - DETAIL_CHROME)};
}

function number(n: number): string {
	return Number.isFinite(n) ? formatCount(n) : formatGoFloat(n);
}

/** Seconds by the catalog, or by the Prometheus naming convention for unknown families. */
function inSeconds(row: FamilyRow): boolean {
	return row.key ? CATALOG_BY_KEY.get(row.key)?.unit === 'seconds' : row.name.endsWith('_seconds');
}

function summaryText(row: FamilyRow, m: Theme['msg']['explorer']): string {
	const s = row.summary;
	switch (s.kind) {
		case 'histogram': {
			const mean = s.count > 0 ? s.sum / s.count : null;
			const meanText = mean === null ? MISSING : inSeconds(row) ? formatValue(mean, 'seconds') : number(mean);
			return m.obs(number(s.count), meanText);
		}
		case 'rate':
			return `${formatRate(s.rate)} (${number(s.value)})`;
		case 'value':
			return number(s.value);
		case 'range':
			return m.range(number(s.min), number(s.max));
		case 'none':
			return MISSING;
	}
}

type DetailRow = {kind: 'series'; series: SeriesDetail} | {kind: 'bucket'; le: string; cumulative: number; delta: number; top: number} | {kind: 'sample'; name: string; value: number};

export function detailRows(family: Family): DetailRow[] {
	const rows: DetailRow[] = [];
	for (const s of familyDetail(family)) {
		rows.push({kind: 'series', series: s});
		const top = maxOf(s.buckets.map(b => b.delta), 0);
		for (const b of s.buckets) rows.push({kind: 'bucket', ...b, top});
		for (const sample of s.samples) rows.push({kind: 'sample', ...sample});
	}
	return rows;
}

function detailLine(row: DetailRow, theme: Theme, width: number): string {
	switch (row.kind) {
		case 'series':
			return theme.fit(theme.paint(row.series.labels || theme.msg.explorer.noLabels, 'accent'), width);
		case 'bucket': {
			const barWidth = Math.max(0, Math.min(30, width - 40));
			const cells = row.top > 0 ? Math.round((row.delta / row.top) * barWidth) : 0;
			return theme.fit(`  le ${theme.pad(row.le, 10)} ${number(row.cumulative).padStart(9)} ${`+${number(row.delta)}`.padStart(9)}  ${theme.paint(theme.glyphs.full.repeat(cells), 'series1')}`, width);
		}
		case 'sample':
			return theme.fit(`  ${row.name}  ${number(row.value)}`, width);
	}
}

export function explorerLines(props: ViewProps & {rows: readonly FamilyRow[]; detail: readonly DetailRow[] | null}): string[] {
	const {model, ui, theme, width, height, rows, detail} = props;
	if (!model || model.target.families.length === 0) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const e = ui.explorer;
	const m = theme.msg.explorer;
	if (detail && e.open) {
		const row = rows.find(r => r.name === e.open);
		const head = fitParts([theme.paint(e.open, 'title'), row?.type ?? '', m.series(row?.series ?? 0), theme.paint(m.back, 'muted')], width, {keep: 1, dropOrder: [1, 2, 3]}).join('  ');
		const help = row?.help ? `HELP ${row.help}` : m.noHelp;
		const page = height - DETAIL_CHROME;
		const top = Math.min(e.detailTop, Math.max(0, detail.length - page));
		return [theme.fit(head, width), theme.fit(theme.paint(help, 'muted'), width), ...detail.slice(top, top + page).map(r => detailLine(r, theme, width))];
	}
	const shown = filterRows(rows, e.filter);
	const filterText = e.filter ? m.matches(shown.length, inert(e.filter)) : '';
	// Key hints that do not fit go whole, the last first.
	const head = fitParts([theme.paint(m.title, 'title'), `${m.families(rows.length)}${filterText}`, ...m.keys.split(/ {2,}/).map(k => theme.paint(k, 'muted'))], width, {keep: 2}).join('  ');
	const typeWidth = 9;
	const seriesWidth = 6;
	const valueWidth = Math.min(30, Math.max(12, Math.floor(width / 4)));
	const nameWidth = Math.max(10, width - typeWidth - seriesWidth - valueWidth - 3);
	const cols: Column[] = [
		{title: m.columns.name, width: nameWidth, align: 'left'},
		{title: m.columns.type, width: typeWidth, align: 'left'},
		{title: m.columns.series, width: seriesWidth},
		{title: m.columns.value, width: valueWidth},
	];
	const page = height - LIST_CHROME;
	const cursor = Math.min(e.list.cursor, Math.max(0, shown.length - 1));
	const top = Math.max(0, Math.min(e.list.top, shown.length - page, cursor));
	const visible = shown.slice(top, top + page).map((row, i) => {
		const known = row.key ? row.name : theme.paint(row.name, 'muted');
		const line = tableRow(cols, [known, row.type, String(row.series), summaryText(row, m)], theme);
		return selectRow(line, width, top + i === cursor, theme);
	});
	const selected = shown[cursor];
	const footer = selected ? `${selected.key ? '' : m.notInCatalog}${selected.help ? `HELP ${selected.help}` : m.noHelp}` : m.noMatch;
	return [theme.fit(head, width), tableHeader(cols, theme), ...visible, ...Array.from({length: Math.max(0, page - visible.length)}, () => ''), theme.fit(theme.paint(footer, 'muted'), width)];
}

export function ExplorerView(props: ViewProps & {rows: readonly FamilyRow[]; detail: readonly DetailRow[] | null}) {
	const {state, model, ui, theme, width, height, rows, detail} = props;
	const e = ui.explorer;
	const lines = useMemo(() => explorerLines(props), [state, model, e, theme, width, height, rows, detail]);
	return <Lines lines={lines} width={width} height={height} dim={model?.stale ?? false} ascii={theme.ascii} />;
}
