/**
 * `fdtop report`'s content as plain data: one function per section, each from the states a replay
 * of a whole recording left (source/report-html-cli.ts builds them with a window as long as the
 * recording). The figures are the pure core's, the same the views and --json show: chart points
 * are Derived's per-scrape series, the distributions and summary figures its window statistics.
 * html-report.ts turns the model into the page; nothing here formats HTML.
 */
import {compareJson, compareRows, eventText, figureLabel, shortTest, type CompareRow} from './compare-report.js';
import type {Comparison} from './metrics/compare.js';
import type {Derived, DerivedMetric, HistogramStats} from './metrics/derive.js';
import {MARKER_OF, type EventKind, type EventMarker, type TimelineEvent} from './metrics/events.js';
import {eventWords} from './event-words.js';
import {catalogEntryForKey} from './metrics/catalog.js';
import type {Unit} from './metrics/catalog-types.js';
import {objectiveLabel, type Objective, type SloStatus} from './metrics/slo.js';
import {localize, msgs, type Lang, type Messages} from './i18n/index.js';
import type {AppState, TargetStatus} from './store.js';
import {attainmentText, boundsText, burnText, statusText} from './slo-report.js';

/** One recording, replayed to its end. */
export interface RunInput {
	/** 'A'/'B' with --compare, else ''. */
	readonly label: string;
	readonly file: string;
	readonly createdAt: string;
	readonly fdtop: string;
	readonly intervalMs: number;
	readonly firstT: number;
	readonly lastT: number;
	readonly records: number;
	/** Every stride-th scrape of a target made the figures (a long recording, thinned). */
	readonly stride: number;
	readonly tornLines: number;
	readonly outOfOrder: number;
	readonly state: AppState;
}

export interface RunSummary {
	readonly label: string;
	readonly file: string;
	readonly recordedBy: string;
	readonly intervalMs: number;
	readonly from: string;
	readonly to: string;
	readonly seconds: number;
	readonly records: number;
	readonly stride: number;
	readonly tornLines: number;
	readonly outOfOrder: number;
	readonly targets: readonly {readonly name: string; readonly location: string; readonly engine: string | null; readonly era: string | null; readonly scrapes: number; readonly failures: number; readonly error: string | null}[];
}

/** One line of a chart: y aligned with the chart's x (null: no point there). */
export interface ChartLine {
	readonly label: string;
	readonly run: number;
	/** The target's index in its run (colours tell a run's targets apart; a dash tells B from A). */
	readonly target: number;
	readonly y: readonly (number | null)[];
	/**
	 * Indices of x where this line's target was scraped but the figure had no value: a gap in the
	 * line. Elsewhere a null is only another line's time (targets and runs scrape at their own times): the line runs on across it.
	 */
	readonly gaps: readonly number[];
}

export interface ChartData {
	readonly id: string;
	readonly title: string;
	readonly unit: Unit;
	/** Seconds since the first scrape of each line's recording. */
	readonly x: readonly number[];
	readonly lines: readonly ChartLine[];
}

export interface DistributionColumn {
	readonly label: string;
	/** Requests behind the shares (the increase of _count over the recording). */
	readonly count: number;
	/** Share of requests per row of `bounds` (0–1); null: this run has no such bucket. */
	readonly shares: readonly (number | null)[];
}

export interface DistributionData {
	readonly key: string;
	readonly title: string;
	readonly unit: Unit;
	/** Upper bounds of the buckets (Infinity last: above the top bucket). */
	readonly bounds: readonly number[];
	/** Buckets left out: no run had a request in them, and none below them (or none above, to the top). */
	readonly emptyBuckets: number;
	readonly columns: readonly DistributionColumn[];
}

export interface SloRow {
	readonly column: string;
	readonly objective: string;
	readonly attainment: string;
	readonly bounds: string;
	/** The status as data (`met`, `breached`, …: the page colours it); `status` is its words. */
	readonly state: SloStatus;
	readonly status: string;
	readonly burn: string;
	readonly why: string | null;
}

export interface SummaryRow {
	readonly title: string;
	readonly unit: Unit;
	/** One value per column (run × target), null when that side lacks the figure. */
	readonly values: readonly (number | null)[];
}

export interface EventRow {
	readonly column: string;
	/** Which run (0, or 1 for --compare's B): the charts mark it on that run's time axis. */
	readonly run: number;
	readonly at: string;
	readonly seconds: number;
	readonly kind: EventKind;
	/** The chart marker: ↺ restart, ⚙ config, ! the rest (events.ts MARKER_OF). */
	readonly marker: EventMarker;
	readonly level: string;
	readonly what: string;
}

/** `fdtop compare A B` on the two recordings: its rows as the command prints them, its JSON, each side's events. */
export interface ComparisonData {
	readonly method: readonly string[];
	readonly eraNote: string | null;
	readonly rows: readonly CompareRow[];
	/** Each side's label and its events' lines (`time title: detail`), beside the figures. */
	readonly sides: readonly {readonly name: 'A' | 'B'; readonly label: string; readonly events: readonly string[]}[];
	/** `compare` of `fdtop compare A B --json`, as it prints it. */
	readonly json: Record<string, unknown>;
}

/** Each run's targets as the columns of tables and the lines of charts. */
export interface Column {
	readonly label: string;
	readonly run: number;
	readonly target: TargetStatus;
}

export function columnsOf(runs: readonly RunInput[]): Column[] {
	return runs.flatMap((r, run) =>
		r.state.targets.map(target => {
			const parts = [r.label, r.state.targets.length > 1 ? target.name : ''].filter(Boolean);
			return {label: parts.join(' · ') || target.name, run, target};
		}),
	);
}

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : '');

export function runSummaries(runs: readonly RunInput[]): RunSummary[] {
	return runs.map(r => ({
		label: r.label,
		file: r.file,
		recordedBy: r.fdtop,
		intervalMs: r.intervalMs,
		from: iso(r.firstT),
		to: iso(r.lastT),
		seconds: Number.isFinite(r.lastT - r.firstT) ? (r.lastT - r.firstT) / 1000 : 0,
		records: r.records,
		stride: r.stride,
		tornLines: r.tornLines,
		outOfOrder: r.outOfOrder,
		targets: r.state.targets.map(t => ({name: t.name, location: t.location, engine: t.derived?.engine ?? null, era: t.era, scrapes: t.scrapes, failures: t.failures, error: t.error})),
	}));
}

type HtmlWords = Messages['html'];
type LineLabel = keyof HtmlWords['lineLabels'];

/** What each chart draws: a catalog key and the fields of its series (derive.ts Series); titles and labels are the catalog's (html.chartTitles, html.lineLabels). */
export const CHARTS: readonly {readonly id: keyof HtmlWords['chartTitles']; readonly unit: Unit; readonly lines: readonly {readonly key: string; readonly field: 'rate' | 'value' | 'mean' | 'p50' | 'p99'; readonly label: LineLabel}[]}[] = [
	{id: 'requests', unit: 'requests', lines: [{key: 'requestSuccessTotal', field: 'rate', label: 'completed'}, {key: 'requestsReceivedTotal', field: 'rate', label: 'received'}]},
	{id: 'tokens', unit: 'tokens', lines: [{key: 'generationTokensTotal', field: 'rate', label: 'generated'}, {key: 'promptTokensTotal', field: 'rate', label: 'prompt'}]},
	{id: 'ttft', unit: 'seconds', lines: [{key: 'ttft', field: 'mean', label: 'mean'}, {key: 'ttft', field: 'p50', label: 'p50'}, {key: 'ttft', field: 'p99', label: 'p99'}]},
	{id: 'tpot', unit: 'seconds', lines: [{key: 'tpot', field: 'mean', label: 'mean'}, {key: 'tpot', field: 'p50', label: 'p50'}, {key: 'tpot', field: 'p99', label: 'p99'}]},
	{id: 'phases', unit: 'seconds', lines: [{key: 'queueTime', field: 'mean', label: 'queue'}, {key: 'prefillTime', field: 'mean', label: 'prefill'}, {key: 'decodeTime', field: 'mean', label: 'decode'}]},
	{id: 'kv', unit: 'ratio', lines: [{key: 'kvCacheUsage', field: 'value', label: 'usage'}]},
	{id: 'batch', unit: 'requests', lines: [{key: 'running', field: 'value', label: 'running'}, {key: 'waiting', field: 'value', label: 'waiting'}]},
];

/** A chart point of one line (p99 as the views draw it: NaN under too few observations). */
function pointsOf(d: Derived, key: string, field: string): readonly number[] | undefined {
	const s = d.series.get(key);
	if (!s) return undefined;
	return field === 'p99' ? s.p99Shown : (s as Record<string, readonly number[] | undefined>)[field];
}

/** Every chart over the whole of each recording; with several runs, one x axis of seconds since each run's start. */
export function chartSection(runs: readonly RunInput[], w: HtmlWords = msgs('en').html): ChartData[] {
	const columns = columnsOf(runs);
	const out: ChartData[] = [];
	for (const chart of CHARTS) {
		const raw: {label: string; run: number; target: number; points: Map<number, number>; gaps: Set<number>}[] = [];
		for (const c of columns) {
			const d = c.target.derived;
			if (!d) continue;
			const t0 = runs[c.run]!.firstT;
			for (const line of chart.lines) {
				const values = pointsOf(d, line.key, line.field);
				if (!values) continue;
				const points = new Map<number, number>();
				const gaps = new Set<number>();
				d.times.forEach((t, i) => {
					const v = values[i];
					if (v !== undefined && Number.isFinite(v)) points.set((t - t0) / 1000, v);
					else gaps.add((t - t0) / 1000);
				});
				if (points.size > 0) raw.push({label: columns.length > 1 ? `${c.label} ${w.lineLabels[line.label]}` : w.lineLabels[line.label], run: c.run, target: runs[c.run]!.state.targets.indexOf(c.target), points, gaps});
			}
		}
		if (raw.length === 0) continue;
		const xs = new Set<number>();
		for (const r of raw) for (const x of r.points.keys()) xs.add(x);
		const x = [...xs].sort((a, b) => a - b);
		const lines = raw.map(r => ({label: r.label, run: r.run, target: r.target, y: x.map(v => r.points.get(v) ?? null), gaps: x.flatMap((v, i) => (r.gaps.has(v) ? [i] : []))}));
		out.push({id: chart.id, title: w.chartTitles[chart.id], unit: chart.unit, x, lines});
	}
	return out;
}

export const DISTRIBUTION_KEYS = ['ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'e2eLatency'] as const;

function wholeStats(d: Derived | null, key: string): HistogramStats | null {
	const m: DerivedMetric | undefined = d?.metrics.get(key);
	return m?.kind === 'histogram' && m.window && m.window.count > 0 ? m.window : null;
}

/** Each bucket's share of the requests (cumulative buckets → per bucket), by upper bound. */
export function bucketShares(stats: HistogramStats): Map<number, number> {
	const out = new Map<number, number>();
	const total = stats.buckets.at(-1)?.count ?? 0;
	let below = 0;
	for (const b of stats.buckets) {
		out.set(b.le, total > 0 ? Math.max(0, b.count - below) / total : 0);
		below = b.count;
	}
	return out;
}

/** Latency distributions over each whole recording, runs side by side on the same bucket rows. */
export function distributionSection(runs: readonly RunInput[]): DistributionData[] {
	const columns = columnsOf(runs);
	const out: DistributionData[] = [];
	for (const key of DISTRIBUTION_KEYS) {
		const found = columns.map(c => ({c, stats: wholeStats(c.target.derived, key)})).filter(f => f.stats !== null);
		if (found.length === 0) continue;
		const shares = found.map(f => bucketShares(f.stats!));
		const all = [...new Set(shares.flatMap(s => [...s.keys()]))].sort((a, b) => a - b);
		// Buckets no run used, below the first used one and above the last (but the top, +Inf), say nothing.
		const used = (le: number) => shares.some(s => (s.get(le) ?? 0) > 0);
		const lo = Math.max(0, all.findIndex(used));
		let hi = all.length - 1;
		while (hi > lo && !Number.isFinite(all[hi]!)) hi--;
		while (hi > lo && !used(all[hi]!)) hi--;
		const bounds = [...all.slice(lo, hi + 1), ...all.slice(hi + 1).filter(le => !Number.isFinite(le))];
		const entry = catalogEntryForKey(key);
		out.push({
			key,
			title: entry?.title ?? key,
			unit: entry?.unit ?? 'seconds',
			bounds,
			emptyBuckets: all.length - bounds.length,
			columns: found.map((f, i) => ({label: f.c.label, count: f.stats!.count, shares: bounds.map(b => shares[i]!.get(b) ?? null)})),
		});
	}
	return out;
}

/** The headline figures over each whole recording, one value per column. */
export function summarySection(runs: readonly RunInput[], w: HtmlWords = msgs('en').html): SummaryRow[] {
	const columns = columnsOf(runs);
	const rate = (key: string) => (d: Derived | null) => {
		const m = d?.metrics.get(key);
		return m?.kind === 'counter' ? m.rate : null;
	};
	const stat = (key: string, pick: (s: HistogramStats) => number | null) => (d: Derived | null) => {
		const s = wholeStats(d, key);
		return s ? pick(s) : null;
	};
	const rows: {title: string; unit: Unit; get: (d: Derived | null) => number | null}[] = [
		{title: w.summaryRows.completed, unit: 'requests', get: rate('requestSuccessTotal')},
		{title: w.summaryRows.generated, unit: 'tokens', get: rate('generationTokensTotal')},
	];
	for (const key of ['ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'e2eLatency']) {
		const title = catalogEntryForKey(key)?.title ?? key;
		rows.push({title: w.summaryRows.mean(title), unit: 'seconds', get: stat(key, s => s.mean)});
		for (const q of ['p50', 'p90', 'p99'] as const) rows.push({title: w.summaryRows.quantile(title, q), unit: 'seconds', get: stat(key, s => (s[q].tooFew ? null : s[q].value))});
		rows.push({title: w.summaryRows.requests(title), unit: 'count', get: stat(key, s => s.count)});
	}
	return rows
		.map(r => ({title: r.title, unit: r.unit, values: columns.map(c => finiteOrNull(r.get(c.target.derived)))}))
		.filter(r => r.values.some(v => v !== null));
}

const finiteOrNull = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** The verdicts of --slo over each whole recording (the window is the recording). */
export function sloSection(runs: readonly RunInput[], lang: Lang = 'en'): SloRow[] {
	const rows: SloRow[] = [];
	for (const c of columnsOf(runs)) {
		for (const o of c.target.slo?.report.objectives ?? []) {
			const v = o.verdict;
			rows.push({column: c.label, objective: objectiveLabel(v.objective, false, lang), attainment: attainmentText(v), bounds: boundsText(v, lang), state: v.status, status: statusText(v, lang), burn: burnText(o, true, lang), why: v.why === null ? null : localize(v.why, lang)});
		}
	}
	return rows;
}

/**
 * What happened, in time order: each target's event log as the store derives it (restarts, down
 * and up, configuration changes, SLO status, diagnoses, alerts with --alert), recomputed from the
 * scrapes as the live views' Event log is.
 */
export function eventSection(runs: readonly RunInput[], lang: Lang = 'en'): EventRow[] {
	const rows: EventRow[] = [];
	for (const c of columnsOf(runs)) {
		const objectives = runs[c.run]!.state.objectives ?? [];
		for (const e of c.target.events ?? []) {
			rows.push({column: c.label, run: c.run, at: iso(e.t), seconds: (e.t - runs[c.run]!.firstT) / 1000, kind: e.kind, marker: MARKER_OF[e.kind], level: e.level, what: eventWhat(e, lang, objectives)});
		}
	}
	return rows.sort((a, b) => a.seconds - b.seconds);
}

/** `title: detail`: English as the event says it, another language from its data (event-words.ts). */
function eventWhat(e: TimelineEvent, lang: Lang, objectives: readonly Objective[]): string {
	const {title, detail} = lang === 'en' ? e : eventWords(e, msgs(lang), lang, objectives);
	return detail ? `${title}${msgs(lang).html.colon}${detail}` : title;
}

/** The comparison as `fdtop compare` prints it. */
export function comparisonSection(c: Comparison, lang: Lang = 'en', objectives: readonly Objective[] = []): ComparisonData {
	const w = {...msgs(lang).compareText, sameTest: ''};
	const windows = c.a.windows === c.b.windows ? String(c.a.windows) : `${c.a.windows}/${c.b.windows}`;
	return {
		method: w.method(c.alpha, windows),
		eraNote: c.eraNote,
		// English: the rows as `fdtop compare` prints them; another language: the Compare view's words of each figure and test.
		rows: compareRows(c, w).map((row, i) => {
			const f = c.figures[i]!;
			if (lang === 'en') return row;
			const v = msgs(lang).compareView;
			return {...row, cells: [figureLabel(f, v), row.cells[1], row.cells[2], row.cells[3], row.cells[4], row.cells[5] === '' ? '' : shortTest(f, true, v, w)]};
		}),
		sides: (['A', 'B'] as const).map(name => {
			const s = name === 'A' ? c.a : c.b;
			return {name, label: s.label, events: s.events.map(e => (lang === 'en' ? eventText(e) : `${new Date(e.t).toISOString().replace('.000Z', 'Z')} ${eventWhat(e, lang, objectives)}`))};
		}),
		json: compareJson(c),
	};
}

/** The comparison's distributions (its bins: trimmed, aligned, the shares its test stands on) as the page's tables. */
export function comparedDistributions(c: Comparison): DistributionData[] {
	return c.distributions.map(d => {
		const entry = catalogEntryForKey(d.key);
		return {
			key: d.key,
			title: d.title,
			unit: entry?.unit ?? 'seconds',
			bounds: d.bins.map(b => b.hi),
			emptyBuckets: 0,
			columns: [
				{label: 'A', count: d.countA, shares: d.bins.map(b => b.shareA)},
				{label: 'B', count: d.countB, shares: d.bins.map(b => b.shareB)},
			],
		};
	});
}

export interface ReportModel {
	readonly fdtop: string;
	readonly generatedAt: string;
	readonly runs: readonly RunSummary[];
	readonly columns: readonly string[];
	readonly summary: readonly SummaryRow[];
	readonly charts: readonly ChartData[];
	readonly distributions: readonly DistributionData[];
	readonly slo: readonly SloRow[];
	readonly events: readonly EventRow[];
	/** With --compare: `fdtop compare A B` on the two recordings. */
	readonly comparison: ComparisonData | null;
	/** The objectives given (--slo): the section shows even when no run had data for them. */
	readonly objectives: number;
}

export function reportModel(runs: readonly RunInput[], fdtop: string, generatedAt: Date, comparison?: Comparison, lang: Lang = 'en'): ReportModel {
	const w = msgs(lang).html;
	return {
		fdtop,
		generatedAt: generatedAt.toISOString(),
		runs: runSummaries(runs),
		columns: columnsOf(runs).map(c => c.label),
		summary: summarySection(runs, w),
		charts: chartSection(runs, w),
		distributions: comparison ? comparedDistributions(comparison) : distributionSection(runs),
		slo: sloSection(runs, lang),
		events: eventSection(runs, lang),
		comparison: comparison ? comparisonSection(comparison, lang, runs[0]?.state.objectives ?? []) : null,
		objectives: runs[0]?.state.objectives?.length ?? 0,
	};
}
