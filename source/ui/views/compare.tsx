/**
 * Compare (key 7): the live window against a baseline recording (`fdtop TARGET --baseline
 * run.jsonl.gz`), figure by figure: A the baseline, B the live window, the change, and whether it
 * is larger than the noise. The Comparison is computed once per scrape (app.tsx, through the
 * baseline option); the rows are the ones `fdtop compare --once` prints (compare-report.ts). Every
 * label is in COMPARE_VIEW_TEXT.
 */
import {compareRows, COLUMN_WIDTHS, distributionLines, formatFigure, formatP, rowText, sideLine, COMPARE_TEXT, type CompareRow} from '../../compare-report.js';
import type {Comparison, CompareFigure} from '../../metrics/compare.js';
import {append} from '../../arrays.js';
import {formatCount, formatRatio} from '../../format.js';
import {inert} from '../../text.js';
import {clockTime} from '../components/header.js';
import type {Theme} from '../theme.js';
import type {ViewProps} from './types.js';

export const COMPARE_VIEW_TEXT = {
	none: 'No baseline. Start with one: fdtop TARGET --baseline run.jsonl.gz (a recording made with --record)',
	noneMore: 'or compare two runs at once: fdtop compare before.jsonl.gz after.jsonl.gz (README: Compare)',
	waiting: 'waiting for two scrapes of the live window',
	more: (n: number) => `… ${n} more rows: widen the terminal, or fdtop compare --once`,
	legend: '* differs beyond the noise (latency: chi-square on buckets and window means; rates: Welch t between windows)',
	legendShort: '* differs beyond the noise (fdtop compare --once says how)',
	differs: (p: string, test: string) => `differs, p ${p} (${test})`,
	differsShort: (p: string) => `differs, p ${p}`,
	noDifference: (n: string, per: string) => `no difference detectable, ${n} ${per}`,
	noDifferenceShort: (n: string, per: string) => `no diff, ${n} ${per}`,
	withinNoise: 'within the noise between windows',
	withinNoiseShort: 'within noise',
	events: (side: string, n: number) => `${side} events ${n}`,
	eventsHint: ' (8: Events)',
	newest: (what: string) => `, newest ${what}`,
	strip: 'vs baseline',
	stripHint: '7: Compare',
} as const;

/** The significance cell: about 55 columns when wide, 19 at 80 columns. */
function shortTest(f: CompareFigure, wide: boolean): string {
	const t = f.test;
	if (t.test === 'none') return t.reason;
	const n = formatCount(f.requests ?? (t.test === 'chi-square' ? t.nA + t.nB : 0));
	// For latency the smaller of the two tests' evidence decides; show the larger p.
	const p = formatP(f.windowTest && f.windowTest.test !== 'none' ? Math.max(t.pValue, f.windowTest.pValue) : t.pValue);
	const name = t.test === 'chi-square' ? `chi-square${f.windowTest ? ' + window means' : ''}, ${n} ${f.per === 'tokens' ? 'tok' : 'req'}` : `Welch t, ${t.kA}+${t.kB} windows`;
	if (f.significant) return wide ? COMPARE_VIEW_TEXT.differs(p, name) : COMPARE_VIEW_TEXT.differsShort(p);
	if (t.test === 'chi-square') return wide ? COMPARE_VIEW_TEXT.noDifference(n, f.per ?? 'requests') : COMPARE_VIEW_TEXT.noDifferenceShort(n, f.per === 'tokens' ? 'tok' : 'req');
	return wide ? COMPARE_VIEW_TEXT.withinNoise : COMPARE_VIEW_TEXT.withinNoiseShort;
}

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
	if (!props.hasBaseline) return [fit(COMPARE_VIEW_TEXT.none), fit(COMPARE_VIEW_TEXT.noneMore)];
	if (!c || c.b.fromT === null) return [fit(COMPARE_VIEW_TEXT.waiting)];
	const wide = width >= 110;
	const head = [fit(sideLine('A', c, true)), fit(sideLine('B', c, true))];
	if (c.eraNote) head.push(fit(c.eraNote));
	// Each side's events beside its figures: a line when it has any (the live side's are in 8: Events).
	for (const [name, side] of [['A', c.a], ['B', c.b]] as const) {
		const e = side.events.at(-1);
		if (!e) continue;
		const hint = name === 'B' ? COMPARE_VIEW_TEXT.eventsHint : '';
		head.push(theme.paint(fit(`${COMPARE_VIEW_TEXT.events(name, side.events.length)}${hint}${COMPARE_VIEW_TEXT.newest(`${clockTime(e.t)} ${e.title}: ${e.detail}`)}`), e.level === 'info' ? 'muted' : 'warn'));
	}
	head.push(theme.paint(fit(wide ? COMPARE_VIEW_TEXT.legend : COMPARE_VIEW_TEXT.legendShort), 'muted'), paintHeader(theme, fit(rowText(COMPARE_TEXT.header))));
	const all = compareRows(c);
	const byId = new Map(c.figures.map(f => [f.id, f]));
	const room = height - head.length;
	const {shown, hidden} = fitting(all, room);
	const lines = [...head];
	for (const row of shown) {
		const f = byId.get(row.id)!;
		const cells = [...row.cells] as string[];
		if (cells[5] !== '') cells[5] = shortTest(f, wide);
		cells[0] = `${row.significant ? '*' : ' '}${cells[0]!.slice(0, COLUMN_WIDTHS[0] - 1)}`;
		const text = fit(rowText(cells));
		lines.push(row.significant ? theme.paint(text, 'warn') : text);
	}
	if (hidden > 0) lines.push(theme.paint(fit(COMPARE_VIEW_TEXT.more(hidden)), 'muted'));
	// The TTFT bars, when the figures left room for them.
	const ttft = c.distributions.find(d => d.key === 'ttft') ?? c.distributions[0];
	if (ttft) {
		const bars = distributionLines(ttft, wide ? 20 : 10, theme.ascii);
		if (height - lines.length >= bars.length + 1) append(lines, [''], bars.map(fit));
	}
	return lines;
}

function paintHeader(theme: Theme, text: string): string {
	return theme.paint(text, 'muted');
}

/** The Overview's line: `vs baseline  req/s 3.39→8.60 +154 %*  TTFT mean 83ms→25s +>999 %*  …  7: Compare` (* beyond the noise, ~ within it). */
export function baselineStrip(c: Comparison, theme: Theme, width: number): string {
	const ids = ['rate.requestsReceived', 'ttft.mean', 'queueTime.mean', 'rate.generationTokens', 'tpot.mean', 'kvCacheUsage'];
	const cells: string[] = [];
	for (const id of ids) {
		const f = c.figures.find(x => x.id === id);
		if (!f || f.a === null || f.b === null) continue;
		const pct = f.significant && f.changeRatio !== null ? ` ${f.changeRatio > 0 ? '+' : ''}${formatRatio(f.changeRatio)}*` : ' ~';
		const arrow = theme.ascii ? '>' : '→';
		const text = `${f.label.replace(' (mean)', '').replace('arrivals ', '')} ${formatFigure(f.a, f.unit).replaceAll(' ', '')}${arrow}${formatFigure(f.b, f.unit).replaceAll(' ', '')}${pct}`;
		cells.push(f.significant ? theme.paint(text, 'warn') : text);
	}
	return theme.fit(`${theme.paint(COMPARE_VIEW_TEXT.strip, 'title')}  ${cells.join('  ')}  ${theme.paint(COMPARE_VIEW_TEXT.stripHint, 'muted')}`, width);
}
