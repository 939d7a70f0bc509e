/**
 * A Comparison (metrics/compare.ts) as text: the figure table (A, B, change, and what the test
 * says), the side-by-side bucket bars, and the JSON shape of `--json`'s `compare` key. The Compare
 * view and `fdtop compare --once` print the same rows.
 */
import type {CompareFigure, CompareTest, Comparison, CompareDistribution, FigureUnit, SideSummary} from './metrics/compare.js';
import type {TimelineEvent} from './metrics/events.js';
import {eraDifference} from './metrics/compare.js';
import {append} from './arrays.js';
import {formatCount, formatDuration, formatRate, formatRatio, formatSeconds, MISSING, padLeft, padRight} from './format.js';
import {msgs, type Lang, type Messages} from './i18n/index.js';
import {eventWords} from './event-words.js';

/** Every user-visible string of the comparison: the catalogs' compareText section (English here; `lang` picks another). */
type CompareWords = Messages['compareText'];
type ViewWords = Messages['compareView'];
export const COMPARE_TEXT = {...msgs('en').compareText, sameTest: ''};
const COMPARE_VIEW = msgs('en').compareView;

/** Events listed per side in the text; --json lists every one. */
export const EVENTS_SHOWN = 8;

const time = (t: number | null) => (t === null ? MISSING : new Date(t).toISOString().replace('.000Z', 'Z'));

const side = (name: string, label: string, span: string) => `${name}  ${label}  ${span}`;

/** A side's label in `w`'s language: the one fdtop named (baseline, live window) worded, else as the user gave it. */
export function sideLabel(s: SideSummary, w: CompareWords = COMPARE_TEXT): string {
	if (s.side?.kind === 'baseline') return w.baselineSide(s.side.name);
	if (s.side?.kind === 'live') return w.liveSide(s.side.name, s.side.window);
	return s.label;
}

export function sideLine(name: 'A' | 'B', c: Comparison, brief = false, w: CompareWords = COMPARE_TEXT): string {
	const s = name === 'A' ? c.a : c.b;
	const label = sideLabel(s, w);
	if (s.fromT === null) return side(name, label, w.noData);
	if (brief) return side(name, label, `${w.brief(formatDuration(s.seconds * 1000), s.scrapes)}${s.era ? `${w.sep}${s.engine ?? ''} ${s.era}` : ''}${s.restarts.length > 0 ? `${w.sep}${w.restarts(s.restarts.length)}` : ''}`);
	const engine = s.engine === null ? '' : `${w.sep}${s.engine}${s.era ? ` ${s.era}` : ''}`;
	const restarts = s.restarts.length > 0 ? `${w.sep}${w.restarts(s.restarts.length)}` : '';
	return side(name, label, `${w.span(time(s.fromT), time(s.toT), formatDuration(s.seconds * 1000), s.scrapes, s.windows, `${engine}${restarts}`)}`);
}

/** A figure's value as shown: `--` when the side does not have it; `> 1 s` above the top bucket. */
export function formatFigure(value: number | null, unit: FigureUnit, above = false, coarse?: number): string {
	if (value === null) return MISSING;
	if (coarse !== undefined) return `<= ${formatSeconds(coarse)}`;
	const text = unit === 'seconds' ? formatSeconds(value) : unit === 'perSecond' ? formatRate(value, '') : formatRatio(value);
	// Above the top bucket: a percentile is more than the bound; an attainment at least the share.
	return above ? `${unit === 'share' ? '>=' : '>'} ${text}` : text;
}

function formatChange(f: CompareFigure): string {
	if (f.change === null) return MISSING;
	const text = formatFigure(Math.abs(f.change), f.unit);
	return f.change > 0 ? `+${text}` : f.change < 0 ? `-${text}` : text;
}

export function formatP(p: number): string {
	if (p < 1e-12) return '<1e-12';
	if (p < 0.001) return p.toExponential(0).replace('e-', 'e-');
	return p.toFixed(3);
}

/** What the test says, in words: the p-value, the test and what stands behind it. */
export function testText(test: CompareTest, significant: boolean, requests: number | null, windowTest?: CompareTest, per: 'requests' | 'tokens' = 'requests', w: CompareWords = COMPARE_TEXT, v: ViewWords = COMPARE_VIEW): string {
	if (test.test === 'none') return reasonText(test.reason, v);
	if (test.test === 'chi-square') {
		const windows = windowTest && windowTest.test === 'welch-t' ? w.windowMeans(formatP(windowTest.pValue)) : '';
		const detail = `${w.chiDetail(formatP(test.pValue), test.bins, formatCount(test.nA + test.nB), per === 'tokens' ? 'tok' : 'req')}${windows}`;
		return significant ? `${w.differs} (${detail})` : `${w.noDifference(formatCount(requests ?? test.nA + test.nB), w[per])} (${detail})`;
	}
	const detail = `p ${formatP(test.pValue)}, Welch t, ${test.kA}+${test.kB} ${w.windows}`;
	return significant ? `${w.differs} (${detail})` : `${w.withinNoise} (${detail})`;
}

/** The significance cell in the catalog's words (the Compare view, the report's page): about 55 columns when wide, 19 at 80 columns. */
export function shortTest(f: CompareFigure, wide: boolean, v: Messages['compareView'], w: Messages['compareText']): string {
	const t = f.test;
	if (t.test === 'none') return reasonText(t.reason, v);
	const n = formatCount(f.requests ?? (t.test === 'chi-square' ? t.nA + t.nB : 0));
	// For latency the smaller of the two tests' evidence decides; show the larger p.
	const p = formatP(f.windowTest && f.windowTest.test !== 'none' ? Math.max(t.pValue, f.windowTest.pValue) : t.pValue);
	const short = f.per === 'tokens' ? v.tok : v.req;
	const name = t.test === 'chi-square' ? v.chiSquare(f.windowTest !== undefined, n, short) : v.welch(t.kA, t.kB);
	if (f.significant) return wide ? v.differs(p, name) : v.differsShort(p);
	if (t.test === 'chi-square') return wide ? v.noDifference(n, f.per === 'tokens' ? w.tokens : w.requests) : v.noDifferenceShort(n, short);
	return wide ? w.withinNoise : v.withinNoiseShort;
}

export interface CompareRow {
	readonly id: string;
	readonly cells: readonly [string, string, string, string, string, string];
	readonly significant: boolean;
}

/** A figure's row label in the catalog's words: rates and gauges by id, latency by histogram and statistic; else (SLO rows) as computed. */
export function figureLabel(f: CompareFigure, v: ViewWords = COMPARE_VIEW): string {
	const named = (v.figures as Record<string, string>)[f.id];
	if (named !== undefined) return named;
	const [key, stat] = f.id.split('.');
	const name = (v.latency as Record<string, string>)[key ?? ''];
	if (f.group === 'latency' && name !== undefined && stat !== undefined) return `${name} ${stat === 'mean' ? v.mean : stat}`;
	return f.label;
}

/** Why a figure has no test, its English fragments swapped for the catalog's (counts stay). */
export function reasonText(reason: string, v: ViewWords = COMPARE_VIEW): string {
	let out = reason;
	for (const [english, local] of Object.entries(v.reasons)) out = out.replace(english, local);
	return out;
}

/** One row per figure; a latency histogram's test is written once, on its mean's row. Labels and words in `w`'s and `v`'s language. */
export function compareRows(c: Comparison, w: CompareWords = COMPARE_TEXT, v: ViewWords = COMPARE_VIEW): CompareRow[] {
	return c.figures.map(f => {
		const first = f.group !== 'latency' || f.id.endsWith('.mean');
		// A change that is not larger than the noise gets no percentage: it would read as a finding.
		const pct = f.significant && f.changeRatio !== null ? `${f.changeRatio > 0 ? '+' : ''}${formatRatio(f.changeRatio)}` : '';
		return {
			id: f.id,
			cells: [figureLabel(f, v), formatFigure(f.a, f.unit, f.aAbove, f.aCoarse), formatFigure(f.b, f.unit, f.bAbove, f.bCoarse), formatChange(f), pct, first ? testText(f.test, f.significant, f.requests, f.windowTest, f.per, w, v) : ''],
			significant: f.significant,
		};
	});
}

export const COLUMN_WIDTHS = [18, 9, 9, 10, 8] as const;

export function rowText(cells: readonly string[]): string {
	return cells.map((cell, i) => (i === 0 ? padRight(cell, COLUMN_WIDTHS[0]) : i < 5 ? padLeft(cell, COLUMN_WIDTHS[i as 1]) : `  ${cell}`)).join(' ').trimEnd();
}

/** Aligned bucket bars of one distribution: `≤ 50 ms  A ██████   31 %  B ██   9 %`. */
export function distributionLines(d: CompareDistribution, width: number, ascii: boolean, w: CompareWords = COMPARE_TEXT, v: ViewWords = COMPARE_VIEW): string[] {
	const full = ascii ? '#' : '█';
	const bar = (share: number) => padRight(full.repeat(Math.round(share * width)), width);
	const per = d.per === 'tokens' ? 'tok' : 'req';
	const head = `${d.title}  A ${formatCount(d.countA)} ${per}, B ${formatCount(d.countB)} ${per}: ${testText(d.test, d.significant, d.countA + d.countB, d.windowTest, d.per, w, v)}`;
	return [
		head,
		...d.bins.map(b => {
			const bound = Number.isFinite(b.hi) ? `<= ${formatSeconds(b.hi)}` : `> ${formatSeconds(b.lo)}`;
			return `  ${padLeft(bound, 11)}  A ${bar(b.shareA)} ${padLeft(formatRatio(b.shareA), 6)}  B ${bar(b.shareB)} ${padLeft(formatRatio(b.shareB), 6)}`;
		}),
	];
}

/** One event as a line: `2026-01-01T00:01:00Z restart: counters reset (44 metrics)` (detail untrusted: print through inert()). */
export function eventText(e: TimelineEvent): string {
	return `${time(e.t)} ${e.title}: ${e.detail}`;
}

/** One event as a line in a language (the catalog `m` of `lang`). */
export function eventTextIn(e: TimelineEvent, m: Messages, lang: Lang): string {
	const said = eventWords(e, m, lang);
	return `${time(e.t)} ${m.eventsView.titled(said.title, said.detail)}`;
}

/** Each side's events beside its figures: `events A: 2` and the newest few. */
export function eventLines(c: Comparison, w: CompareWords = COMPARE_TEXT, lang: Lang = 'en'): string[] {
	const lines: string[] = [];
	for (const [name, s] of [['A', c.a], ['B', c.b]] as const) {
		lines.push(w.events(name, s.events.length));
		const shown = s.events.slice(-EVENTS_SHOWN);
		if (shown.length < s.events.length) lines.push(w.moreEvents(s.events.length - shown.length));
		for (const e of shown) lines.push(`  ${eventTextIn(e, msgs(lang), lang)}`);
	}
	return lines;
}

/** The whole comparison as plain lines (`fdtop compare --once`). */
export function compareLines(c: Comparison, options: {readonly ascii?: boolean; readonly bars?: boolean; readonly lang?: Lang} = {}): string[] {
	const w = options.lang === undefined ? COMPARE_TEXT : msgs(options.lang).compareText;
	const windows = c.a.windows === c.b.windows ? String(c.a.windows) : `${c.a.windows}/${c.b.windows}`;
	const lines = [w.title, sideLine('A', c, false, w), sideLine('B', c, false, w)];
	if (c.eraNote) lines.push(eraDifference(c.a, c.b, w) ?? c.eraNote);
	append(lines, w.method(c.alpha, windows), ['', rowText(w.header)]);
	const v = msgs(options.lang ?? 'en').compareView;
	for (const row of compareRows(c, w, v)) lines.push(rowText(row.cells));
	append(lines, [''], eventLines(c, w, options.lang));
	if (options.bars !== false && c.distributions.length > 0) {
		lines.push('', w.distributions);
		for (const d of c.distributions) append(lines, [''], distributionLines(d, 20, options.ascii ?? false, w, v));
	}
	return lines;
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

function testJson(test: CompareTest): Record<string, unknown> {
	if (test.test === 'none') return {test: 'none', reason: test.reason};
	if (test.test === 'chi-square') return {test: 'chi-square', statistic: test.statistic, df: test.df, pValue: test.pValue, bins: test.bins, requestsA: test.nA, requestsB: test.nB};
	return {test: 'welch-t', t: finite(test.t), df: test.df, pValue: test.pValue, windowsA: test.kA, windowsB: test.kB, sdA: test.sdA, sdB: test.sdB};
}

/** An event as `events` of --json has it (report.ts eventsJson), without the target: the side names it. */
export function eventJson(e: TimelineEvent): Record<string, unknown> {
	return {time: new Date(e.t).toISOString(), kind: e.kind, level: e.level, title: e.title, detail: e.detail, subject: e.subject ?? null, phase: e.phase ?? null};
}

/** The `compare` key of `--json`: plain numbers (seconds, per second, shares 0–1), null for `--`. */
export function compareJson(c: Comparison): Record<string, unknown> {
	const side = (s: SideSummary) => ({label: s.label, from: s.fromT === null ? null : time(s.fromT), to: s.toT === null ? null : time(s.toT), seconds: s.seconds, scrapes: s.scrapes, windows: s.windows, engine: s.engine, era: s.era, restarts: s.restarts.map(t => time(t)), events: s.events.map(eventJson)});
	return {
		a: side(c.a),
		b: side(c.b),
		alpha: c.alpha,
		eraNote: c.eraNote,
		figures: c.figures.map(f => ({id: f.id, group: f.group, label: f.label, unit: f.unit, a: f.a, b: f.b, aAbove: f.aAbove ?? false, bAbove: f.bAbove ?? false, aBucket: f.aCoarse ?? null, bBucket: f.bCoarse ?? null, change: f.change, changeRatio: f.changeRatio, significant: f.significant, requests: f.requests, observations: f.per ?? null, ...testJson(f.test), windowTest: f.windowTest ? testJson(f.windowTest) : null})),
		distributions: c.distributions.map(d => ({key: d.key, title: d.title, requestsA: d.countA, requestsB: d.countB, observations: d.per, significant: d.significant, ...testJson(d.test), windowTest: d.windowTest ? testJson(d.windowTest) : null, bins: d.bins.map(b => ({lo: b.lo, hi: Number.isFinite(b.hi) ? b.hi : null, shareA: b.shareA, shareB: b.shareB}))})),
	};
}
