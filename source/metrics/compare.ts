/**
 * `compareRuns(a, b, options)`: two stretches of history (two recordings, a live window and a
 * baseline, two Prometheus ranges) → every headline figure on both sides, the change, and whether
 * the change is larger than the noise. Pure: the CLI, the Compare view and the HTML report render
 * the same Comparison.
 *
 * Significance, stated in each figure's `test`:
 * - latency distributions: a chi-square test of homogeneity on the two sides' bucket counts
 *   (neighbouring sparse buckets merged until every expected count is ≥ 5), with the requests
 *   behind it; the same test stands behind that histogram's mean and percentiles;
 * - rates, gauges and shares: Welch's t-test on the figure measured in each of k windows of each
 *   side (the variation between windows of the same source is the noise);
 * - SLO attainment: a chi-square test on the 2 × 2 table of requests within / beyond the threshold.
 */
import {CATALOG_BY_KEY} from './catalog.js';
import {binnedSample, counterRates, histogramWindowMeans, measured, counterShare, gaugeMeans, stretchEngine, stretchOf, stretchRestarts, stretchSeconds, stretchTimes, type BinnedSample, type Stretch} from './compare-side.js';
import {chiSquareHomogeneity, welchTest, type ChiSquareResult, type WelchResult} from './compare-stats.js';
import type {Era} from './era.js';
import type {TimelineEvent} from './events.js';
import type {History} from './history.js';
import {MIN_PERCENTILE_COUNT, normaliseBuckets, quantileEstimate} from './quantile.js';
import {attainment, type Objective} from './slo.js';
import {append} from '../arrays.js';
import {enText} from '../i18n/en-text.js';
import type {Messages} from '../i18n/en.js';

export const DEFAULT_WINDOWS = 6;
export const DEFAULT_ALPHA = 0.01;
export const COMPARE_LATENCY_KEYS = ['ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'e2eLatency'] as const;

/** One side: a target's history and the stretch of it to compare (the whole history by default). */
export interface CompareInput {
	/** What the side is, as the user named it (a file, a URL, `prometheus …@…`). */
	readonly label: string;
	/** What the label says, as data, where fdtop named the side (the Compare view's baseline and live window): worded at display, `label` stays English (--json). */
	readonly side?: SideName;
	readonly history: History;
	readonly fromT?: number;
	readonly toT?: number;
	readonly era?: Era | null;
	/** The side's event log (the store's, events.ts): those inside the stretch are listed beside its figures. */
	readonly events?: readonly TimelineEvent[];
}

export interface CompareOptions {
	/** Windows each side is cut into for the rates' noise (default 6). */
	readonly windows?: number;
	/** Significance level (default 0.01: some thirty figures are tested at once). */
	readonly alpha?: number;
	/** Objectives (--slo) whose attainment is compared. */
	readonly objectives?: readonly Objective[];
}

/** A side fdtop named: the `--baseline` recording, or the live window of a target. */
export type SideName = {readonly kind: 'baseline'; readonly name: string} | {readonly kind: 'live'; readonly name: string; readonly window: string};

export interface SideSummary {
	readonly label: string;
	readonly side?: SideName;
	/** First and last scrape compared (ms), null without two scrapes. */
	readonly fromT: number | null;
	readonly toT: number | null;
	readonly seconds: number;
	readonly scrapes: number;
	/** Windows the side was cut into for the rates' noise. */
	readonly windows: number;
	readonly engine: string | null;
	readonly era: Era | null;
	/** Times of server restarts inside the stretch. */
	readonly restarts: readonly number[];
	/** The side's events after its first scrape and by its last, oldest first (as restarts; empty without an event log). */
	readonly events: readonly TimelineEvent[];
}

export type CompareTest = ChiSquareResult | WelchResult | {readonly test: 'none'; readonly reason: string};

export type FigureUnit = 'seconds' | 'perSecond' | 'share';

export interface CompareFigure {
	/** Stable id: `ttft.p99`, `rate.generationTokens`, `kvCacheUsage`, `slo.ttft<=2s:99%`. */
	readonly id: string;
	readonly group: 'throughput' | 'latency' | 'cache' | 'slo';
	readonly label: string;
	readonly unit: FigureUnit;
	/** Null: the side does not have the figure (`--`). */
	readonly a: number | null;
	readonly b: number | null;
	/** The value is only a lower bound: the percentile lies above the top finite bucket. */
	readonly aAbove?: boolean;
	readonly bAbove?: boolean;
	/** A percentile in a coarse bucket: the value is an interpolation, only the bucket's upper bound is known (shown as `<=`). */
	readonly aCoarse?: number;
	readonly bCoarse?: number;
	/** b − a and (b − a) / a; null when either side is missing or only bounded. */
	readonly change: number | null;
	readonly changeRatio: number | null;
	readonly test: CompareTest;
	/**
	 * Latency only: Welch's t-test on the histogram's mean per window. Requests close in time are
	 * not independent (a burst queues many at once), so the chi-square test alone overstates
	 * significance; a latency figure differs only when both tests say so.
	 */
	readonly windowTest?: CompareTest;
	/** p < alpha (for latency: the chi-square and, when there is one, the window test). */
	readonly significant: boolean;
	/** Observations behind a latency or SLO figure (a + b), null for rates. */
	readonly requests: number | null;
	/** What an observation is: a request, or a token (TPOT is observed once per output token). */
	readonly per?: 'requests' | 'tokens';
}

export interface DistributionBin {
	readonly lo: number;
	readonly hi: number;
	readonly shareA: number;
	readonly shareB: number;
}

export interface CompareDistribution {
	readonly key: string;
	readonly title: string;
	readonly countA: number;
	readonly countB: number;
	readonly per: 'requests' | 'tokens';
	/** Per bucket, the share of each side's requests (aligned bounds; empty at both ends trimmed). */
	readonly bins: readonly DistributionBin[];
	readonly test: CompareTest;
	readonly windowTest?: CompareTest;
	readonly significant: boolean;
}

export interface Comparison {
	readonly a: SideSummary;
	readonly b: SideSummary;
	readonly alpha: number;
	/** Why the sides may not measure the same thing (engines or FastDeploy versions differ), else null. */
	readonly eraNote: string | null;
	readonly figures: readonly CompareFigure[];
	readonly distributions: readonly CompareDistribution[];
}

const title = (key: string): string => CATALOG_BY_KEY.get(key)?.title ?? key;

function summary(input: CompareInput, s: Stretch | null): SideSummary {
	const times = s ? stretchTimes(s) : null;
	const events = input.events && times ? input.events.filter(e => e.t > times.fromT && e.t <= times.toT) : input.events && [];
	return {
		label: input.label,
		...(input.side ? {side: input.side} : {}),
		fromT: times?.fromT ?? null,
		toT: times?.toT ?? null,
		seconds: s ? stretchSeconds(s) : 0,
		scrapes: s ? s.last - s.first + 1 : 0,
		windows: s ? s.bounds.length - 1 : 0,
		engine: s ? stretchEngine(s) : null,
		era: input.era ?? null,
		// With an event log, its restarts (a labelled series coming back after one is no second restart).
		restarts: events ? events.filter(e => e.kind === 'restart').map(e => e.t) : s ? stretchRestarts(s) : [],
		events: events ?? [],
	};
}

function changeOf(a: number | null, b: number | null, bounded: boolean): {change: number | null; changeRatio: number | null} {
	if (a === null || b === null || bounded) return {change: null, changeRatio: null};
	return {change: b - a, changeRatio: a !== 0 ? (b - a) / Math.abs(a) : null};
}

function significantOf(test: CompareTest, alpha: number): boolean {
	return test.test !== 'none' && test.pValue < alpha;
}

/** A figure measured per window on both sides (a rate, a gauge mean, a share): Welch's t-test. */
function windowed(id: string, group: CompareFigure['group'], label: string, unit: FigureUnit, A: {whole: number | null; windows: number[]} | null, B: {whole: number | null; windows: number[]} | null, alpha: number): CompareFigure | null {
	const a = A?.whole ?? null;
	const b = B?.whole ?? null;
	if (a === null && b === null) return null;
	let test: CompareTest = {test: 'none', reason: a === null || b === null ? 'one side only' : 'fewer than 2 windows on a side'};
	if (a !== null && b !== null) test = welchTest(A!.windows, B!.windows) ?? test;
	return {id, group, label, unit, a, b, ...changeOf(a, b, false), test, significant: significantOf(test, alpha), requests: null};
}

const perOf = (key: string): 'requests' | 'tokens' => (key === 'tpot' ? 'tokens' : 'requests');

function distributionTest(A: BinnedSample | null, B: BinnedSample | null): CompareTest {
	if (!A || !B) return {test: 'none', reason: 'one side only'};
	if (A.les.length !== B.les.length || A.les.some((le, i) => le !== B.les[i])) return {test: 'none', reason: 'bucket bounds differ'};
	return chiSquareHomogeneity(A.counts, B.counts) ?? {test: 'none', reason: A.count + B.count < 20 ? `too few requests (${A.count + B.count})` : 'one bucket holds nearly all requests on both sides'};
}

/** Both tests of a latency histogram, and whether they agree that it differs. */
function latencyTests(key: string, A: BinnedSample | null, B: BinnedSample | null, sa: Stretch | null, sb: Stretch | null, alpha: number): {test: CompareTest; windowTest?: CompareTest; significant: boolean} {
	const test = distributionTest(A, B);
	const means = (s: Stretch) => measured(s, `means:${key}`, () => histogramWindowMeans(s, key));
	const windowTest = sa && sb ? (welchTest(means(sa), means(sb)) ?? undefined) : undefined;
	const significant = significantOf(test, alpha) && (windowTest === undefined || significantOf(windowTest, alpha));
	return windowTest ? {test, windowTest, significant} : {test, significant};
}

function cumulative(sample: BinnedSample): {le: number; count: number}[] {
	let run = 0;
	return sample.les.map((le, i) => ({le, count: (run += sample.counts[i]!)}));
}

/** Mean and percentiles of one latency histogram on both sides, all standing on one distribution test. */
function latencyFigures(key: string, A: BinnedSample | null, B: BinnedSample | null, tests: ReturnType<typeof latencyTests>): CompareFigure[] {
	if (!A && !B) return [];
	const requests = (A?.count ?? 0) + (B?.count ?? 0);
	const per = perOf(key);
	const name = title(key);
	const mean = (s: BinnedSample | null) => (s && s.count > 0 ? s.sum / s.count : null);
	const out: CompareFigure[] = [{id: `${key}.mean`, group: 'latency', label: `${name} mean`, unit: 'seconds', a: mean(A), b: mean(B), ...changeOf(mean(A), mean(B), false), ...tests, requests, per}];
	for (const q of [0.5, 0.9, 0.99]) {
		const at = (s: BinnedSample | null) => {
			if (!s || s.count < MIN_PERCENTILE_COUNT) return {value: null, above: false, coarse: undefined};
			const e = quantileEstimate(q, normaliseBuckets(cumulative(s)));
			return {value: e.value, above: e.aboveTopBucket, coarse: e.coarse && !e.aboveTopBucket && e.bounds ? e.bounds[1] : undefined};
		};
		const x = at(A);
		const y = at(B);
		// A coarse estimate is known only to its bucket: the change between it and anything is not a figure.
		const unknown = x.above || y.above || x.coarse !== undefined || y.coarse !== undefined;
		out.push({id: `${key}.p${q * 100}`, group: 'latency', label: `${name} p${q * 100}`, unit: 'seconds', a: x.value, b: y.value, aAbove: x.above, bAbove: y.above, aCoarse: x.coarse, bCoarse: y.coarse, ...changeOf(x.value, y.value, unknown), ...tests, requests, per});
	}
	return out;
}

function distribution(key: string, A: BinnedSample | null, B: BinnedSample | null, tests: ReturnType<typeof latencyTests>): CompareDistribution | null {
	if (!A || !B || !(A.count > 0) || !(B.count > 0)) return null;
	const {test} = tests;
	if (test.test === 'none' && test.reason === 'bucket bounds differ') return null;
	const bins: DistributionBin[] = A.les.map((hi, i) => ({lo: i === 0 ? 0 : A.les[i - 1]!, hi, shareA: A.counts[i]! / A.count, shareB: B.counts[i]! / B.count}));
	let first = bins.findIndex(x => x.shareA > 0 || x.shareB > 0);
	let last = bins.length - 1;
	while (last > first && bins[last]!.shareA === 0 && bins[last]!.shareB === 0) last--;
	if (first < 0) first = 0;
	return {key, title: title(key), countA: A.count, countB: B.count, per: perOf(key), bins: bins.slice(first, last + 1), ...tests};
}

function sloFigure(o: Objective, A: BinnedSample | null, B: BinnedSample | null, alpha: number): CompareFigure {
	const at = (s: BinnedSample | null) => (s ? attainment(cumulative(s), s.count, o.threshold) : null);
	const x = at(A);
	const y = at(B);
	let test: CompareTest = {test: 'none', reason: !A || !B ? 'one side only' : 'no requests on a side'};
	if (A && B && x && y) test = chiSquareHomogeneity([x.value * A.count, (1 - x.value) * A.count], [y.value * B.count, (1 - y.value) * B.count]) ?? {test: 'none', reason: `too few requests (${A.count + B.count})`};
	const a = x?.value ?? null;
	const b = y?.value ?? null;
	// Above the top finite bucket only a lower bound is known, unless it is already 100 %.
	const aAbove = x !== null && x.aboveTop && x.lower < 1;
	const bAbove = y !== null && y.aboveTop && y.lower < 1;
	return {id: `slo.${o.text}`, group: 'slo', label: `SLO ${o.text}`, unit: 'share', a, b, aAbove, bAbove, ...changeOf(a, b, aAbove || bAbove), test, significant: significantOf(test, alpha), requests: (A?.count ?? 0) + (B?.count ?? 0)};
}

/** Engines or FastDeploy versions that differ, named; null when both sides are alike (or unknown). */
export function eraDifference(a: SideSummary, b: SideSummary, w: Pick<Messages['compareText'], 'enginesDiffer' | 'versionsDiffer' | 'ttftQueue'> = enText.compareText): string | null {
	if (a.engine !== null && b.engine !== null && a.engine !== b.engine) return w.enginesDiffer(a.engine, b.engine);
	if (a.era !== null && b.era !== null && a.era !== b.era) {
		const queue = (e: Era) => (e === '2.0' || e === '2.1' || e === '2.2' ? w.ttftQueue.without : w.ttftQueue.with);
		return w.versionsDiffer(a.era, b.era, queue(a.era) === queue(b.era) ? null : [queue(a.era), queue(b.era)]);
	}
	return null;
}

/** Compare two stretches of history, figure by figure. */
export function compareRuns(a: CompareInput, b: CompareInput, options: CompareOptions = {}): Comparison {
	const k = options.windows ?? DEFAULT_WINDOWS;
	const alpha = options.alpha ?? DEFAULT_ALPHA;
	const sa = stretchOf(a.history, a.fromT ?? Number.NEGATIVE_INFINITY, a.toT ?? Number.POSITIVE_INFINITY, k);
	const sb = stretchOf(b.history, b.fromT ?? Number.NEGATIVE_INFINITY, b.toT ?? Number.POSITIVE_INFINITY, k);
	const A = summary(a, sa);
	const B = summary(b, sb);
	const figures: CompareFigure[] = [];
	const push = (f: CompareFigure | null) => f && figures.push(f);
	const rates = (s: Stretch | null, key: string) => s && measured(s, `rate:${key}`, () => counterRates(s, key));
	const rate = (id: string, key: string, label: string) => push(windowed(`rate.${id}`, 'throughput', label, 'perSecond', rates(sa, key), rates(sb, key), alpha));
	rate('requestsReceived', 'requestsReceivedTotal', 'arrivals req/s');
	rate('requestSuccess', 'requestSuccessTotal', 'done req/s');
	rate('promptTokens', 'promptTokensTotal', 'prompt tok/s');
	rate('generationTokens', 'generationTokensTotal', 'gen tok/s');
	rate('preemptions', 'requestPreemptedTotal', 'preemptions/s');
	const samples = new Map<string, [BinnedSample | null, BinnedSample | null]>();
	const sampleOf = (key: string) => {
		if (!samples.has(key)) samples.set(key, [sa && measured(sa, `bins:${key}`, () => binnedSample(sa, key)), sb && measured(sb, `bins:${key}`, () => binnedSample(sb, key))]);
		return samples.get(key)!;
	};
	const tests = new Map(COMPARE_LATENCY_KEYS.map(key => [key, latencyTests(key, sampleOf(key)[0], sampleOf(key)[1], sa, sb, alpha)]));
	for (const key of COMPARE_LATENCY_KEYS) append(figures, latencyFigures(key, sampleOf(key)[0], sampleOf(key)[1], tests.get(key)!));
	const kv = (s: Stretch | null) => s && measured(s, 'gauge:kvCacheUsage', () => gaugeMeans(s, 'kvCacheUsage'));
	push(windowed('kvCacheUsage', 'cache', 'KV usage (mean)', 'share', kv(sa), kv(sb), alpha));
	const hit = (s: Stretch | null) =>
		s &&
		measured(s, 'prefixHit', () => {
			const g = gaugeMeans(s, 'hitTokenRate');
			return g.whole !== null ? g : counterShare(s, 'prefixCacheTokensTotal', 'promptTokensTotal');
		});
	push(windowed('prefixHit', 'cache', 'prefix hit %', 'share', hit(sa), hit(sb), alpha));
	for (const o of options.objectives ?? []) figures.push(sloFigure(o, sampleOf(o.key)[0], sampleOf(o.key)[1], alpha));
	const distributions = COMPARE_LATENCY_KEYS.map(key => distribution(key, sampleOf(key)[0], sampleOf(key)[1], tests.get(key)!)).filter(d => d !== null);
	return {a: A, b: B, alpha, eraNote: eraDifference(A, B), figures, distributions};
}
