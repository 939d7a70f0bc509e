/**
 * Verdicts as JSON (the `slo` and `goodput` keys of --once --json and of `fdtop check --json`) and
 * as an aligned table (the --once text report and `fdtop check`). Every label is in SLO_TABLE.
 */
import {formatDuration, formatRate, formatSeconds, MISSING, padLeft, padRight} from './format.js';
import {attainmentText, formatBurn, formatShare, objectiveLabel, shortDuration, SLO_TEXT, type Burn, type ObjectiveReport, type Range, type SloMeasure, type SloReport, type Verdict} from './metrics/slo.js';

export {attainmentText};
import {inertClip} from './text.js';
import {localize, msgs, type Lang} from './i18n/index.js';

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

/** Every user-visible string of the tables, in one place. */
export const SLO_TABLE = {
	heading: (window: string) => `SLO (window ${window}; attainment = share of requests at or under the threshold)`,
	columns: ['target', 'objective', 'attainment', 'bounds', 'status', 'burn 5m/1h'],
	fleet: 'fleet',
	goodput: (requests: string, tokens: string) => `goodput (met every objective): ${requests} requests/s, ${tokens} tokens/s`,
	backlog: (arrivals: string, completions: string, growth: string, drain: string) => `backlog: arrivals ${arrivals}/s, completions ${completions}/s, growing ${growth}/s, drain ${drain}`,
	unreadable: 'target unreadable',
	fast: 'FAST BURN',
	slow: 'slow burn',
	covered: (covered: string, window: string) => `only ${covered} of ${window} covered`,
} as const;

const finite = (n: number | null | undefined): number | null => (n === null || n === undefined || !Number.isFinite(n) ? null : n);

/** `value` is null while the history does not cover the window (`coveredSeconds` says how much it does). */
function burnJson(b: Burn): Json {
	return {windowSeconds: b.windowMs / 1000, value: finite(b.value), atMost: b.atMost, coveredSeconds: b.coveredMs / 1000};
}

function verdictJson(v: Verdict): {[key: string]: Json} {
	const a = v.attainment;
	return {
		windowSeconds: v.windowMs / 1000,
		coveredSeconds: v.coveredMs / 1000,
		observations: v.observations,
		attainment: finite(a?.value),
		bounds: a ? {lower: finite(a.lower), upper: finite(a.upper)} : null,
		exact: a?.exact ?? false,
		aboveTopBucket: a?.aboveTop ?? false,
		status: v.status,
		estimate: v.estimate,
		why: v.why,
	};
}

function rangeJson(r: Range | null): Json {
	return r ? {min: r.min, max: r.max} : null;
}

/** The `slo` key: every objective with attainment, bounds, status, estimate, burn. */
export function sloJson(report: SloReport): {[key: string]: Json} {
	const b = report.backlog;
	return {
		windowSeconds: report.windowMs / 1000,
		met: report.met,
		total: report.objectives.length,
		objectives: report.objectives.map((o: ObjectiveReport) => ({
			objective: o.verdict.objective.text,
			label: objectiveLabel(o.verdict.objective),
			metric: o.verdict.objective.key,
			threshold: o.verdict.objective.threshold,
			share: o.verdict.objective.share,
			...verdictJson(o.verdict),
			burn: {short: burnJson(o.burn.short), long: burnJson(o.burn.long), fast: o.burn.fast, slow: o.burn.slow},
			windows: o.windows.map(w => verdictJson(w)),
		})),
		backlog: b
			? {arrivalsPerSecond: b.arrivals, completionsPerSecond: b.completions, growthPerSecond: b.growth, inFlight: b.inFlight, residenceSeconds: finite(b.residence), drainSeconds: finite(b.drain)}
			: null,
	};
}

/** The `goodput` key: requests and tokens per second that met every objective, as a range. */
export function goodputJson(report: SloReport): {[key: string]: Json} {
	return {windowSeconds: report.windowMs / 1000, requestsPerSecond: rangeJson(report.goodput.requests), tokensPerSecond: rangeJson(report.goodput.tokens)};
}

// ---------------------------------------------------------------- text

export function formatRange(r: Range | null): string {
	if (!r) return MISSING;
	const min = formatRate(r.min, '');
	const max = formatRate(r.max, '');
	return min === max ? min : `${min}–${max}`;
}

export function boundsText(v: Verdict, lang: Lang = 'en'): string {
	const a = v.attainment;
	if (!a || v.status === 'too-few') return '';
	if (a.exact) return msgs(lang).report.slo.exact;
	return `${formatShare(a.lower)}–${formatShare(a.upper)}`;
}

export function statusText(v: Verdict, lang: Lang = 'en'): string {
	const w = lang === 'en' ? SLO_TEXT : msgs(lang).report.slo;
	return `${w.status[v.status]}${v.estimate ? ` (${w.estimate})` : ''}`;
}

/** `1.2x/0.8x`, `≤100x/≤100x` above the top bucket, `1.2x/3m of 1h` while the history fills; `FAST BURN` or `slow burn` when both windows burn. */
export function burnText(o: ObjectiveReport, marks = true, lang: Lang = 'en'): string {
	const w = msgs(lang).sloView;
	const mark = !marks ? '' : o.burn.fast ? ` ${w.fast}` : o.burn.slow ? ` ${w.slow}` : '';
	return `${formatBurn(o.burn.short, lang)}/${formatBurn(o.burn.long, lang)}${mark}`;
}

const WIDTHS = [18, 28, 11, 14, 20, 16];

function line(cells: readonly string[]): string {
	return cells.map((c, i) => (i === 0 || i === 1 || i === 4 ? padRight(c, WIDTHS[i]!) : padLeft(c, WIDTHS[i]!) + (i === 3 ? '  ' : ' '))).join('').trimEnd();
}

export interface SloTableRow {
	readonly name: string;
	/** Null: the target could not be read (error says why). */
	readonly report: SloReport | null;
	readonly measure: SloMeasure | null;
	readonly error?: string | null;
}

/** One table: per target, then the fleet; a note line under each objective that has a why. */
export function sloTableLines(rows: readonly SloTableRow[], windowMs: number, lang: Lang = 'en'): string[] {
	const w = msgs(lang).report.slo;
	const out = [w.heading(formatDuration(windowMs)), line(w.columns)];
	for (const row of rows) {
		const name = inertClip(row.name, WIDTHS[0]! - 1);
		if (!row.report) {
			out.push(line([name, '', '', '', w.unreadable]));
			if (row.error) out.push(`  ${localize(inertClip(row.error, 300), lang)}`);
			continue;
		}
		for (const o of row.report.objectives) {
			const v = o.verdict;
			out.push(line([name, objectiveLabel(v.objective, false, lang), attainmentText(v), boundsText(v, lang), statusText(v, lang), burnText(o, true, lang)]));
			if (v.why) out.push(`  ${localize(v.why, lang)}`);
		}
		const main = row.report.objectives[0]?.verdict;
		if (main && !main.covered && main.coveredMs > 0) out.push(`  ${w.covered(shortDuration(main.coveredMs), shortDuration(windowMs))}`);
		const g = row.report.goodput;
		if (g.requests || g.tokens) out.push(`  ${w.goodput(formatRange(g.requests), formatRange(g.tokens))}`);
		const b = row.report.backlog;
		if (b) out.push(`  ${w.backlog(formatRate(b.arrivals, ''), formatRate(b.completions, ''), formatRate(b.growth, ''), b.drain === null ? MISSING : formatSeconds(b.drain))}`);
	}
	return out;
}
