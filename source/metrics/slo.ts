/**
 * Service-level objectives: parsing (`ttft<=2s:99%`, `ttft <= 2s for 99%`), attainment from
 * bucket rates, status, error-budget burn, goodput and backlog. Pure functions over plain data.
 *
 * Attainment at a bucket bound is `sum(rate(X_bucket{le="T"}[w])) / sum(rate(X_count[w]))`:
 * targets are merged as RATES (each target's increase over the time its own scrapes cover), which
 * is what PromQL's `sum(rate())` adds when its extrapolation stays within the scrape interval.
 * Between bounds it is interpolated as `histogram_quantile` would, and carried with the two
 * bounds' exact attainments; above the top finite bucket only a lower bound is known.
 */
import type {CatalogEntry} from './catalog-types.js';
import {SLO_TEXT, type Objective, type SloStatus} from './slo-objective.js';
import {msgs, type Lang, type Messages} from '../i18n/index.js';

export {parseObjective, SLO_ALIASES, SLO_TEXT, type Objective, type ParsedObjective, type SloStatus} from './slo-objective.js';
import {MIN_PERCENTILE_COUNT, type Bucket} from './quantile.js';
import {maxOf} from '../arrays.js';

export interface Attainment {
	/** Interpolated share at or under the threshold (the lower bound above the top finite bucket). */
	readonly value: number;
	/** Exact attainment at the bucket bounds below and above the threshold (upper 1 above the top). */
	readonly lower: number;
	readonly upper: number;
	/** The threshold is a bucket bound: `value` is exact. */
	readonly exact: boolean;
	/** The threshold is above the highest finite bucket: only `lower` is known. */
	readonly aboveTop: boolean;
	/** Highest finite bucket bound, null without one. */
	readonly top: number | null;
}

/**
 * Share of observations ≤ `threshold` from cumulative buckets (counts or rates, sorted, +Inf last)
 * and the total (`X_count`, or its rate). Null without observations.
 */
export function attainment(buckets: readonly Bucket[], total: number, threshold: number): Attainment | null {
	if (!(total > 0)) return null;
	const finite = buckets.filter(b => Number.isFinite(b.le));
	const top = finite.length > 0 ? finite.at(-1)!.le : null;
	const i = finite.findIndex(b => b.le >= threshold);
	if (i === -1) {
		const lower = top === null ? 0 : finite.at(-1)!.count / total;
		return {value: lower, lower, upper: 1, exact: false, aboveTop: true, top};
	}
	const bucket = finite[i]!;
	const upper = bucket.count / total;
	if (bucket.le === threshold) return {value: upper, lower: upper, upper, exact: true, aboveTop: false, top};
	const startLe = i > 0 ? finite[i - 1]!.le : Math.min(0, bucket.le);
	const startCount = i > 0 ? finite[i - 1]!.count : 0;
	const lower = startCount / total;
	// histogram_quantile's linear interpolation inside the bucket, read the other way round.
	const fraction = threshold <= startLe ? 0 : (threshold - startLe) / (bucket.le - startLe);
	const value = (startCount + (bucket.count - startCount) * fraction) / total;
	return {value, lower, upper, exact: false, aboveTop: false, top};
}

// ---------------------------------------------------------------- window samples

/** What one window says about one histogram: per-second rates, so targets merge by adding. */
export interface HistogramRates {
	readonly buckets: readonly Bucket[];
	/** Observations per second (`rate(X_count)`). */
	readonly rate: number;
	/** Observations in the window (the increase of `X_count`, not extrapolated): fewer than 5 is `n too small`. */
	readonly count: number;
}

/** Everything the objectives need from one window of one target (or of the fleet). */
export interface SloWindow {
	readonly windowMs: number;
	/** Time the window's scrapes actually span (the smallest of the fleet's). */
	readonly coveredMs: number;
	/** Per histogram key: its rates, null when the key is present but no window exists yet. */
	readonly histograms: ReadonlyMap<string, HistogramRates | null>;
	/** Completed requests, generated tokens and arrivals per second; null when not exported. */
	readonly completions: number | null;
	readonly tokens: number | null;
	readonly arrivals: number | null;
}

export interface SloMeasure {
	readonly t: number;
	readonly windows: readonly SloWindow[];
	/** Requests in the server now (running + waiting), null when neither gauge is exported. */
	readonly inFlight: number | null;
	/** Per key: attainment-ready rates over the trailing spark span at each of the last points. */
	readonly spark: ReadonlyMap<string, readonly (HistogramRates | null)[]>;
	readonly members: number;
}

function addRates(a: HistogramRates | null | undefined, b: HistogramRates | null | undefined): HistogramRates | null | undefined {
	if (!a) return b ?? a;
	if (!b) return a;
	// Layouts that differ (vLLM's TTFT goes past FastDeploy's 1 s) add up at the bounds they share,
	// +Inf always: what sum(rate(x_bucket{le="T"})) adds at those; never one member dropped.
	const other = new Map(b.buckets.map(x => [x.le, x.count]));
	const buckets = a.buckets.filter(x => other.has(x.le)).map(x => ({le: x.le, count: x.count + other.get(x.le)!}));
	return {buckets, rate: a.rate + b.rate, count: a.count + b.count};
}

const addNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

/** The fleet: rates added per window and key (PromQL's `sum(rate())`), before any division. */
export function mergeMeasures(list: readonly (SloMeasure | null | undefined)[]): SloMeasure | null {
	const present = list.filter((m): m is SloMeasure => !!m);
	if (present.length === 0) return null;
	if (present.length === 1) return present[0]!;
	const first = present[0]!;
	const windows = first.windows.map((w, wi) => {
		const histograms = new Map<string, HistogramRates | null>();
		let covered = Number.POSITIVE_INFINITY;
		let completions: number | null = null;
		let tokens: number | null = null;
		let arrivals: number | null = null;
		for (const m of present) {
			const other = m.windows[wi];
			if (!other) continue;
			covered = Math.min(covered, other.coveredMs);
			for (const [key, rates] of other.histograms) histograms.set(key, addRates(histograms.get(key), rates) ?? null);
			completions = addNullable(completions, other.completions);
			tokens = addNullable(tokens, other.tokens);
			arrivals = addNullable(arrivals, other.arrivals);
		}
		return {windowMs: w.windowMs, coveredMs: Number.isFinite(covered) ? covered : 0, histograms, completions, tokens, arrivals};
	});
	const spark = new Map<string, (HistogramRates | null)[]>();
	for (const m of present) {
		for (const [key, points] of m.spark) {
			const into = spark.get(key);
			if (!into) spark.set(key, points.slice());
			else for (let i = 0; i < Math.min(into.length, points.length); i++) into[into.length - 1 - i] = addRates(into[into.length - 1 - i], points[points.length - 1 - i]) ?? null;
		}
	}
	let inFlight: number | null = null;
	for (const m of present) inFlight = addNullable(inFlight, m.inFlight);
	return {t: maxOf(present.map(m => m.t)), windows, inFlight, spark, members: present.reduce((n, m) => n + m.members, 0)};
}

// ---------------------------------------------------------------- verdicts


export interface Verdict {
	readonly objective: Objective;
	readonly status: SloStatus;
	/** Decided by the interpolated figure (the threshold lies between two bucket bounds). */
	readonly estimate: boolean;
	readonly attainment: Attainment | null;
	/** Why the status is unknown, n too small or no data; null otherwise. */
	readonly why: string | null;
	readonly windowMs: number;
	/** Time the window's scrapes span (0 without a window); `covered` once it spans COVERED of the window. */
	readonly coveredMs: number;
	readonly covered: boolean;
	/** Requests (observations) in the window, null without a window. */
	readonly observations: number | null;
}

/** A window counts as covered once the history spans this share of it (PromQL extrapolates the rest). */
export const COVERED = 0.9;
export const isCovered = (coveredMs: number, windowMs: number): boolean => windowMs > 0 && coveredMs >= COVERED * windowMs;

/** A duration as the windows are named: `5m`, `1h`, `2s`, `1.6m`. */
export const shortDuration = (ms: number): string => {
	const s = ms / 1000;
	return s < 59.95 ? `${+s.toFixed(1)}s` : s < 3597 ? `${+(s / 60).toFixed(1)}m` : `${+(s / 3600).toFixed(1)}h`;
};

/** Percent with one decimal, as the verdicts print it: 0.972 → "97.2 %". */
export function formatShare(share: number): string {
	const percent = share * 100;
	const text = percent >= 99.95 && percent < 100 ? percent.toFixed(2) : percent.toFixed(1);
	return `${text.replace(/\.0+$/, '')} %`;
}

export function formatThreshold(value: number, entry: CatalogEntry): string {
	if (entry.unit !== 'seconds' && entry.unit !== 'milliseconds') return String(value);
	const seconds = entry.unit === 'milliseconds' ? value / 1000 : value;
	if (seconds >= 1) return `${+seconds.toFixed(3)} s`;
	if (seconds >= 0.001) return `${+(seconds * 1000).toFixed(3)} ms`;
	return `${+(seconds * 1e6).toFixed(3)} µs`;
}

/** `TTFT ≤ 2 s for 99 %` (`<=` in ASCII), in `lang` (the catalog's sloView.objective). */
export function objectiveLabel(o: Objective, ascii = false, lang: Lang = 'en'): string {
	return objectiveText(o, msgs(lang).sloView, ascii);
}

/** `TTFT ≤ 2 s for 99 %` (`<=` in ASCII) in the words given: a catalog's sloView section. */
export function objectiveText(o: Objective, m: Messages['sloView'], ascii = false): string {
	return m.objective(o.entry.title, ascii ? '<=' : '≤', formatThreshold(o.threshold, o.entry), formatShare(o.share));
}

/** Judge one objective against one window (null: the key is absent; undefined rates: no window yet). */
/**
 * Rounding slack when a share is compared with its target: attainment is a ratio of extrapolated
 * rates (PromQL's), so 9 requests of 10 can come out as 0.8999999999999999; an objective met
 * exactly must not read breached by the last bit of a double.
 */
const ROUNDING = 1e-12;
const reaches = (share: number, target: number): boolean => share >= target - ROUNDING;

export function judge(o: Objective, window: SloWindow | undefined, windowMs = window?.windowMs ?? 0): Verdict {
	const coveredMs = window?.coveredMs ?? 0;
	const rates = window?.histograms.get(o.key);
	const base = {objective: o, windowMs, coveredMs, covered: isCovered(coveredMs, windowMs), observations: rates ? rates.count : null};
	if (!window || rates === undefined) return {...base, status: 'unknown', estimate: false, attainment: null, why: SLO_TEXT.absent(o.entry.title)};
	if (rates === null) return {...base, status: 'no-data', estimate: false, attainment: null, why: SLO_TEXT.noWindow};
	const a = attainment(rates.buckets, rates.rate, o.threshold);
	if (!a || !(rates.count > 0)) return {...base, status: 'no-data', estimate: false, attainment: null, why: SLO_TEXT.noRequests};
	// As the percentiles: an estimate from fewer than 5 observations is not shown as one.
	if (rates.count < MIN_PERCENTILE_COUNT) return {...base, status: 'too-few', estimate: false, attainment: a, why: SLO_TEXT.tooFew(rates.count, MIN_PERCENTILE_COUNT)};
	if (reaches(a.lower, o.share)) return {...base, status: 'met', estimate: false, attainment: a, why: null};
	if (!reaches(a.upper, o.share)) return {...base, status: 'breached', estimate: false, attainment: a, why: null};
	if (a.aboveTop) {
		const top = formatThreshold(a.top ?? 0, o.entry);
		return {...base, status: 'unknown', estimate: false, attainment: a, why: SLO_TEXT.aboveTop(o.entry.title, top, formatThreshold(o.threshold, o.entry), formatShare(a.lower))};
	}
	return {...base, status: reaches(a.value, o.share) ? 'met' : 'breached', estimate: true, attainment: a, why: null};
}

export const FAST_BURN = 14.4;
export const SLOW_BURN = 6;
export const SHORT_BURN_MS = 300_000;
export const LONG_BURN_MS = 3_600_000;

export interface Burn {
	/**
	 * `(1 − attainment) / (1 − share)`; null without data, with n too small, or while the history
	 * does not cover the window (a 1 h burn from 3 minutes is not a 1 h burn).
	 */
	readonly value: number | null;
	/** Above the top finite bucket the attainment is a lower bound, so the burn is an upper bound. */
	readonly atMost: boolean;
	readonly windowMs: number;
	/** Time the window's history spans; `covered` as for verdicts. */
	readonly coveredMs: number;
	readonly covered: boolean;
}

/** The budget a verdict's window burns; the only definition of burn (the SLO view, strips, --json, check). */
export function burnRate(v: Verdict): Burn {
	const a = v.attainment;
	const usable = a !== null && v.covered && v.status !== 'too-few';
	return {value: usable ? Math.max(0, 1 - a.value) / (1 - v.objective.share) : null, atMost: a?.aboveTop ?? false, windowMs: v.windowMs, coveredMs: v.coveredMs, covered: v.covered};
}

/** `1.2x`, `≤100x` above the top bucket, `3m of 1h` while the history fills the window, `--` without data. */
export function formatBurn(b: Burn, lang: Lang = 'en'): string {
	if (!b.covered && b.coveredMs > 0) return msgs(lang).sloView.coveredOf(shortDuration(b.coveredMs), shortDuration(b.windowMs));
	if (b.value === null || !Number.isFinite(b.value)) return '--';
	return `${b.atMost ? '≤' : ''}${b.value.toFixed(b.value < 10 ? 1 : 0)}x`;
}

export interface BurnPair {
	readonly short: Burn;
	readonly long: Burn;
	/** Both windows burn at or above 14.4x (a month's budget in about two days). */
	readonly fast: boolean;
	/** Both at or above 6x (and not fast). */
	readonly slow: boolean;
}

/** Flagged only when both windows have a burn (covered, enough requests) and it is not an upper bound. */
export function burnPair(short: Verdict, long: Verdict): BurnPair {
	const s = burnRate(short);
	const l = burnRate(long);
	const both = (x: number) => s.value !== null && l.value !== null && !s.atMost && !l.atMost && s.value >= x && l.value >= x;
	const fast = both(FAST_BURN);
	return {short: s, long: l, fast, slow: !fast && both(SLOW_BURN)};
}

export interface Range {
	readonly min: number;
	readonly max: number;
}

/**
 * Requests (or tokens) per second that met every objective. Histograms do not say which request
 * missed which objective: at least `rate × (1 − Σ misses)` (every miss a different request), at
 * most `rate × min(attainment)` (all misses the same requests), each from the honest bounds.
 * Tokens use the same shares: it assumes a missed request generates as many tokens as another.
 */
export function goodput(rate: number | null, verdicts: readonly Verdict[]): Range | null {
	if (rate === null || verdicts.length === 0) return null;
	let misses = 0;
	let best = 1;
	for (const v of verdicts) {
		const a = v.attainment;
		if (!a) return null;
		misses += 1 - Math.min(1, a.lower);
		best = Math.min(best, Math.min(1, a.upper));
	}
	return {min: rate * Math.max(0, 1 - misses), max: rate * Math.max(0, best)};
}

export interface Backlog {
	readonly arrivals: number;
	readonly completions: number;
	/** Arrivals − completions: requests per second the backlog grows (negative: shrinks). */
	readonly growth: number;
	/** Requests in the server now, null when not exported. */
	readonly inFlight: number | null;
	/** Little's law: mean time a request spends in the server, L / λ (seconds). */
	readonly residence: number | null;
	/** Time to drain what is in the server at the current completion rate (seconds), null when it never drains. */
	readonly drain: number | null;
}

export function backlog(arrivals: number | null, completions: number | null, inFlight: number | null): Backlog | null {
	if (arrivals === null || completions === null) return null;
	const growth = arrivals - completions;
	return {
		arrivals,
		completions,
		growth,
		inFlight,
		residence: inFlight !== null && arrivals > 0 ? inFlight / arrivals : null,
		drain: inFlight !== null && completions > 0 ? inFlight / completions : inFlight === 0 ? 0 : null,
	};
}

export interface ObjectiveReport {
	readonly verdict: Verdict;
	/** Verdicts over the other windows (1 m, 5 m, 15 m, 1 h), shortest first. */
	readonly windows: readonly Verdict[];
	readonly burn: BurnPair;
	/** Attainment over the spark span at each recent point (NaN: none). */
	readonly spark: readonly number[];
}

export interface SloReport {
	readonly windowMs: number;
	readonly objectives: readonly ObjectiveReport[];
	readonly goodput: {readonly requests: Range | null; readonly tokens: Range | null};
	readonly backlog: Backlog | null;
	/** Worst status first: breached, unknown, no data, met. */
	readonly worst: ObjectiveReport | null;
	readonly met: number;
}

const RANK: Record<SloStatus, number> = {breached: 0, unknown: 1, 'too-few': 2, 'no-data': 3, met: 4};

/** Share of the requests at or under the threshold, null without a window or with n too small. */
function share(rates: HistogramRates | null | undefined, threshold: number): number | null {
	return rates && rates.count >= MIN_PERCENTILE_COUNT ? (attainment(rates.buckets, rates.rate, threshold)?.value ?? null) : null;
}

/** Everything about every objective for `windowMs` (the main window), from one measure. */
export function sloReport(objectives: readonly Objective[], measure: SloMeasure | null, windowMs: number): SloReport {
	const windowOf = (ms: number) => measure?.windows.find(w => w.windowMs === ms);
	const main = windowOf(windowMs);
	const reports = objectives.map((o): ObjectiveReport => {
		const verdict = judge(o, main, windowMs);
		const points = measure?.spark.get(o.key) ?? [];
		return {
			verdict,
			windows: (measure?.windows ?? []).filter(w => SLO_WINDOWS_MS.includes(w.windowMs)).map(w => judge(o, w)),
			burn: burnPair(judge(o, windowOf(SHORT_BURN_MS), SHORT_BURN_MS), judge(o, windowOf(LONG_BURN_MS), LONG_BURN_MS)),
			spark: points.map(p => share(p, o.threshold) ?? Number.NaN),
		};
	});
	const verdicts = reports.map(r => r.verdict);
	// Between two breaches the worse is the one missing more of its budget over the main window.
	const missed = (v: Verdict) => (v.attainment ? (1 - v.attainment.value) / (1 - v.objective.share) : 0);
	let worst: ObjectiveReport | null = null;
	for (const r of reports) {
		if (!worst || RANK[r.verdict.status] < RANK[worst.verdict.status]) worst = r;
		else if (r.verdict.status === 'breached' && worst.verdict.status === 'breached' && missed(r.verdict) > missed(worst.verdict)) worst = r;
	}
	return {
		windowMs,
		objectives: reports,
		goodput: {requests: goodput(main?.completions ?? null, verdicts), tokens: goodput(main?.tokens ?? null, verdicts)},
		backlog: backlog(main?.arrivals ?? null, main?.completions ?? null, measure?.inFlight ?? null),
		worst,
		met: verdicts.filter(v => v.status === 'met').length,
	};
}

/** The windows the SLO view shows, besides the main window. */
export const SLO_WINDOWS_MS: readonly number[] = [60_000, 300_000, 900_000, 3_600_000];

/** ✓ met, ✗ breached, ? anything that cannot be judged (ASCII: ok, x, ?): the strips, the SLO view, the fleet column. */
export function statusMark(status: SloStatus, ascii = false): string {
	return status === 'met' ? (ascii ? 'ok' : '✓') : status === 'breached' ? (ascii ? 'x' : '✗') : '?';
}

/** `96.1 %`, `≈96.1 %` between bounds, `≥ 97.2 %` above the top bucket, `--` without a figure or with n too small. */
export function attainmentText(v: Verdict, ascii = false): string {
	const a = v.attainment;
	if (!a || v.status === 'too-few') return '--';
	if (a.aboveTop) return `${ascii ? '>=' : '≥'} ${formatShare(a.lower)}`;
	return `${v.estimate ? (ascii ? '~' : '≈') : ''}${formatShare(a.value)}`;
}

/** The fleet's verdicts: the members' measures merged as rates, then judged like one target. */
export function fleetSlo(measures: readonly (SloMeasure | null | undefined)[], objectives: readonly Objective[], windowMs: number): {measure: SloMeasure | null; report: SloReport} {
	const measure = mergeMeasures(measures);
	return {measure, report: sloReport(objectives, measure, windowMs)};
}
