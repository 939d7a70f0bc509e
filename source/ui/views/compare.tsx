/**
 * Compare (key 7): the live window against a baseline recording (`fdtop TARGET --baseline
 * run.jsonl.gz`), figure by figure: A the baseline, B the live window, the change, and whether it
 * is larger than the noise. The Comparison is computed once per scrape (app.tsx, through the
 * baseline option); the rows are the ones `fdtop compare --once` prints (compare-report.ts). Every
 * label comes from the catalogs (theme.msg.compareView, theme.msg.compareText).
 */
import {compareRows, COLUMN_WIDTHS, distributionLines, figureLabel, formatFigure, rowText, shortTest, sideLine, type CompareRow} from '../../compare-report.js';
import {fit as fitWidth, fitParts} from '../text-width.js';
import {eraDifference, type Comparison} from '../../metrics/compare.js';
import {append} from '../../arrays.js';
import {formatRatio} from '../../format.js';
import {inert} from '../../text.js';
import {eventWords as wordEvent} from '../../event-words.js';
import {clockTime} from '../components/header.js';
import type {Theme} from '../theme.js';
import type {ViewProps} from './types.js';

/** Rows that fit `room` lines: the p50 and p90 rows go first, then the tail, with a line saying so. */
function fitting(rows: readonly CompareRow[], room: number): {shown: readonly CompareRow[]; hidden: number} {
	if (rows.length <= room) return {shown: rows, hidden: 0};
	const brief = rows.filter(r => !/\.p(50|90)$/.test(r.id));
	const shown = brief.slice(0, Math.max(0, room - 1));
	return {shown, hidden: rows.length - shown.length};
}

export function compareLines(props: ViewProps & {readonly comparison: Comparison | null; readonly hasBaseline: boolean}): string[] {
	const {theme, width, height, comparison: c} = props;
	const fit = (text: string) => theme.fit(inert(text), width);
	const v = theme.msg.compareView;
	const w = theme.msg.compareText;
	if (!props.hasBaseline) return [fit(v.none), fit(v.noneMore)];
	if (!c || c.b.fromT === null) return [fit(v.waiting)];
	const wide = width >= 110;
	const head = [fit(sideLine('A', c, true, w)), fit(sideLine('B', c, true, w))];
	if (c.eraNote) head.push(fit(eraDifference(c.a, c.b, w) ?? c.eraNote));
	// Each side's events beside its figures: a line when it has any (the live side's are in 8: Events).
	for (const [name, side] of [['A', c.a], ['B', c.b]] as const) {
		const e = side.events.at(-1);
		if (!e) continue;
		const hint = name === 'B' ? v.eventsHint : '';
		const said = wordEvent(e, theme.msg, theme.lang);
		head.push(theme.paint(fit(`${v.events(name, side.events.length)}${hint}${v.newest(`${clockTime(e.t)} ${theme.msg.eventsView.titled(said.title, said.detail)}`)}`), e.level === 'info' ? 'muted' : 'warn'));
	}
	head.push(theme.paint(fit(wide ? v.legend : v.legendShort), 'muted'), paintHeader(theme, fit(rowText(w.header))));
	const all = compareRows(c, w, v);
	const byId = new Map(c.figures.map(f => [f.id, f]));
	const room = height - head.length;
	const {shown, hidden} = fitting(all, room);
	const lines = [...head];
	for (const row of shown) {
		const f = byId.get(row.id)!;
		const cells = [...row.cells] as string[];
		if (cells[5] !== '') cells[5] = shortTest(f, wide, v, w);
		// By display width: a label in Chinese takes two cells a character (rowText pads by width too).
		cells[0] = `${row.significant ? '*' : ' '}${fitWidth(figureLabel(f, v), COLUMN_WIDTHS[0] - 1, '')}`;
		const text = fit(rowText(cells));
		lines.push(row.significant ? theme.paint(text, 'warn') : text);
	}
	if (hidden > 0) lines.push(theme.paint(fit(v.more(hidden)), 'muted'));
	// The TTFT bars, when the figures left room for them.
	const ttft = c.distributions.find(d => d.key === 'ttft') ?? c.distributions[0];
	if (ttft) {
		const bars = distributionLines(ttft, wide ? 20 : 10, theme.ascii, w, v);
		if (height - lines.length >= bars.length + 1) append(lines, [''], bars.map(fit));
	}
	return lines;
}

function paintHeader(theme: Theme, text: string): string {
	return theme.paint(text, 'muted');
}

/** The Overview's line: `vs baseline  req/s 3.39→8.60 +154 %*  TTFT mean 83ms→25s +>999 %*  …  7: Compare` (* beyond the noise, ~ within it). */
export function baselineStrip(c: Comparison, theme: Theme, width: number): string {
	const v = theme.msg.compareView;
	const cells: string[] = [];
	for (const [id, label] of Object.entries(v.stripLabels)) {
		const f = c.figures.find(x => x.id === id);
		if (!f || f.a === null || f.b === null) continue;
		const pct = f.significant && f.changeRatio !== null ? ` ${f.changeRatio > 0 ? '+' : ''}${formatRatio(f.changeRatio)}*` : ' ~';
		const arrow = theme.ascii ? '>' : '→';
		const text = `${label} ${formatFigure(f.a, f.unit).replaceAll(' ', '')}${arrow}${formatFigure(f.b, f.unit).replaceAll(' ', '')}${pct}`;
		cells.push(f.significant ? theme.paint(text, 'warn') : text);
	}
	// Figures that do not fit are dropped whole, the last first; the label and the pointer to 7 stay.
	const parts = fitParts([theme.paint(v.strip, 'title'), theme.paint(v.stripHint, 'muted'), ...cells], width, {keep: 2});
	return theme.fit([parts[0], ...parts.slice(2), parts[1]].join('  '), width);
}
