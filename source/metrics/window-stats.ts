/**
 * Windowed and lifetime histogram statistics and counter rates: the raw increases between two
 * scrapes (restarts added back), and PromQL's view of a window (its range rule and rate()'s
 * extrapolation, per series). derive.ts assembles the per-scrape figures from these; objectives
 * (slo-measure.ts) measure their windows with the same functions.
 */
import type {HistogramData} from './snapshot.js';
import {sameBounds, type History, type HistoryEntry} from './history.js';
import {MIN_PERCENTILE_COUNT, normaliseBuckets, normaliseColumns, quantileEstimate, shareAboveTop, type Bucket, type QuantileEstimate} from './quantile.js';
import {extrapolate, extrapolator, type PromqlVersion} from './window.js';

export {MIN_PERCENTILE_COUNT};

/** A percentile of a HistogramStats: the estimate, its bucket, and whether n was too small. */
export interface Percentile extends QuantileEstimate {
	/** Fewer than MIN_PERCENTILE_COUNT observations: the value stays (Prometheus'), not for display. */
	readonly tooFew: boolean;
}

export interface HistogramStats {
	/**
	 * Observations (Δcount between the window's first and last scrape, not extrapolated; the
	 * cumulative count for lifetime). Window `sum`, `mean`, `rate`, quantiles and buckets are PromQL's
	 * (increase() per series, extrapolated to the window's edges).
	 */
	readonly count: number;
	readonly sum: number;
	/** sum / count, null without observations. */
	readonly mean: number | null;
	/** Observations per second (window only; null for lifetime): PromQL's rate() of `_count`. */
	readonly rate: number | null;
	readonly p50: Percentile;
	readonly p90: Percentile;
	readonly p99: Percentile;
	/** Fewer than MIN_PERCENTILE_COUNT observations (and more than none): percentiles not for display. */
	readonly tooFew: boolean;
	/** Window only: PromQL's increase() of `_count` (extrapolated to the window's edges); null for lifetime. */
	readonly increase: number | null;
	/** Share of observations above the top finite bucket (0–1), null without observations. */
	readonly aboveTopShare: number | null;
	/** Normalised cumulative buckets the figures were computed from (for bucket bars): counts for lifetime, rates (per second) for a window. */
	readonly buckets: readonly Bucket[];
}


const NONE_Q: Percentile = Object.freeze({value: null, aboveTopBucket: false, bounds: null, coarse: false, tooFew: false});

/** Mean, rate and percentiles of cumulative buckets; `seconds` is the time they span (null: lifetime). */
export function histogramStats(buckets: readonly Bucket[], sum: number, count: number, seconds: number | null, increase: number | null = null): HistogramStats {
	return statsOf(normaliseBuckets(buckets), sum, count, seconds, increase);
}

/** histogramStats() of buckets already normalised. */
function statsOf(normalised: readonly Bucket[], sum: number, count: number, seconds: number | null, increase: number | null): HistogramStats {
	const hasObservations = count > 0;
	const tooFew = hasObservations && count < MIN_PERCENTILE_COUNT;
	// Built whole, not spread ({...estimate, tooFew}): see quantileEstimate.
	const percentile = (q: number): Percentile => {
		if (!hasObservations) return NONE_Q;
		const e = quantileEstimate(q, normalised);
		return {value: e.value, aboveTopBucket: e.aboveTopBucket, bounds: e.bounds, coarse: e.coarse, tooFew};
	};
	const n = increase ?? count;
	return {
		count,
		sum,
		mean: hasObservations && n > 0 ? sum / n : null,
		rate: seconds !== null && seconds > 0 ? n / seconds : null,
		increase,
		p50: percentile(0.5),
		p90: percentile(0.9),
		p99: percentile(0.99),
		tooFew,
		aboveTopShare: hasObservations ? shareAboveTop(normalised) : null,
		buckets: normalised,
	};
}

export function lifetimeStats(hist: HistogramData): HistogramStats {
	return statsOf(normaliseColumns(hist.les, hist.counts), hist.sum, hist.count, null, null);
}

/** Raw (unextrapolated) increases of a histogram between two entries, restarts added back. */
function deltaStatsRaw(history: History, from: HistoryEntry, to: HistoryEntry, key: string): {a: HistogramData; counts: Float64Array; sum: number; count: number; seconds: number} | null {
	const a = from.snapshot.metrics.get(key);
	const b = to.snapshot.metrics.get(key);
	if (a?.kind !== 'histogram' || b?.kind !== 'histogram') return null;
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	if (!(seconds > 0)) return null;
	const les = b.hist.les;
	if (!sameBounds(a.hist.les, les)) return null;
	const counts = new Float64Array(les.length);
	for (let i = 0; i < les.length; i++) counts[i] = b.hist.counts[i]! - a.hist.counts[i]!;
	let sum = b.hist.sum - a.hist.sum;
	let count = b.hist.count - a.hist.count;
	for (const before of history.histogramResetsOf(key, from, to)) {
		if (!sameBounds(before.les, les)) return null;
		for (let i = 0; i < les.length; i++) counts[i]! += before.counts[i]!;
		sum += before.sum;
		count += before.count;
	}
	return {a: a.hist, counts, sum, count, seconds};
}

/**
 * Statistics of the observations made between two entries: the raw difference, plus the buckets
 * just before each restart in between (Prometheus' reset rule). Null when the bucket layout
 * changed in between, which would make a bucket-by-bucket difference meaningless.
 */
export function deltaStats(history: History, from: HistoryEntry, to: HistoryEntry, key: string): HistogramStats | null {
	const raw = deltaStatsRaw(history, from, to, key);
	if (!raw) return null;
	return statsOf(normaliseColumns(raw.a.les, raw.counts), raw.sum, raw.count, raw.seconds, null);
}

export function counterRate(history: History, from: HistoryEntry, to: HistoryEntry, key: string): number | null {
	const a = from.snapshot.metrics.get(key);
	const b = to.snapshot.metrics.get(key);
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	if (a?.kind !== 'counter' || b?.kind !== 'counter' || !(seconds > 0)) return null;
	return (b.value - a.value + history.correctionOf(key, from, to)) / seconds;
}

/** The window a derive evaluates: PromQL's range ending at the last scrape (windowStats() takes one). */
export interface Range {
	readonly from: HistoryEntry;
	readonly to: HistoryEntry;
	/** Scrapes in the range. */
	readonly samples: number;
	readonly endMs: number;
	readonly rangeMs: number;
	readonly version: PromqlVersion;
	/**
	 * fdtop's history starts inside the range (it has not been watching for a whole window yet): the
	 * figures are over the scrapes it has, not extrapolated, which estimates what Prometheus (with the
	 * earlier scrapes) shows better than stretching a few seconds to the whole window would.
	 */
	readonly filling: boolean;
}

/** The range PromQL evaluates at the newest scrape over `windowMs`: left-open on Prometheus 3, left-closed on 2. */
export function rangeOf(history: History, windowMs: number, version: PromqlVersion): Range {
	const lastIndex = history.size - 1;
	const last = history.at(lastIndex)!;
	const t = last.snapshot.t;
	const firstIndex = Math.max(0, history.indexFrom(t - windowMs, version === 3));
	const first = history.at(firstIndex)!;
	const filling = firstIndex === 0 && first.snapshot.t > t - windowMs;
	return {from: first, to: last, samples: lastIndex - firstIndex + 1, endMs: t, rangeMs: windowMs, version, filling};
}

/** Seconds a range's rates are per: the window, or while filling the time the scrapes span. */
function rangeSeconds(r: Range): number {
	return (r.filling ? r.to.snapshot.t - r.from.snapshot.t : r.rangeMs) / 1000;
}

/** PromQL's increase() of one counter series over the range, from its raw first value and corrected increase. */
function rangeIncrease(r: Range, first: number, raw: number): number | null {
	if (r.filling) return raw;
	return extrapolate({firstT: r.from.snapshot.t, lastT: r.to.snapshot.t, samples: r.samples, first, increase: raw}, r.endMs, r.rangeMs, r.version)?.increase ?? null;
}

const NO_RESULT = (): number => Number.NaN;
const UNSTRETCHED = (_first: number, raw: number): number => raw;

/** rangeIncrease() for the many series of one histogram (NaN where PromQL has none): the range's edges worked out once. */
function rangeIncreases(r: Range): (first: number, raw: number) => number {
	if (r.filling) return UNSTRETCHED;
	return extrapolator(r.from.snapshot.t, r.to.snapshot.t, r.samples, r.endMs, r.rangeMs, r.version) ?? NO_RESULT;
}

/** PromQL's rate() of a counter over the range (the sum of its series' corrected increases). */
export function windowRate(history: History, r: Range, key: string): number | null {
	const a = r.from.snapshot.metrics.get(key);
	const b = r.to.snapshot.metrics.get(key);
	if (a?.kind !== 'counter' || b?.kind !== 'counter') return null;
	const inc = rangeIncrease(r, a.value, b.value - a.value + history.correctionOf(key, r.from, r.to));
	return inc === null ? null : inc / rangeSeconds(r);
}

/**
 * PromQL's `rate(x_bucket{le=…}[w])` for every bucket and `rate(x_count[w])`, each extrapolated on
 * its own and not made monotonic: exactly what `sum(rate(x_bucket{le="T"}[w])) / sum(rate(x_count[w]))`
 * divides (attainment of an objective at a bucket bound).
 */
export function windowBucketRates(history: History, r: Range, key: string): {readonly buckets: Bucket[]; readonly rate: number; readonly count: number} | null {
	const raw = deltaStatsRaw(history, r.from, r.to, key);
	if (!raw) return null;
	const seconds = rangeSeconds(r);
	const ext = rangeIncreases(r);
	// `count`: the observations seen (not extrapolated), for the n-too-small rule.
	return {buckets: raw.a.les.map((le, i) => ({le, count: ext(raw.a.counts[i]!, raw.counts[i]!) / seconds})), rate: ext(raw.a.count, raw.count) / seconds, count: raw.count};
}

/**
 * A histogram over the range as PromQL sees it: `histogram_quantile(q, rate(x_bucket[w]))`,
 * `rate(x_sum[w]) / rate(x_count[w])` and `rate(x_count[w])`, each bucket extrapolated on its own
 * (their zero clamps may differ); `count` stays the observed, unextrapolated increase. The buckets
 * are rates, as `rate()` hands them to histogram_quantile: a percentile whose rank falls exactly on
 * a bound is decided by the same doubles PromQL compares (increases would differ in the last bit).
 */
export function windowMean(history: History, r: Range, key: string): number | null {
	const raw = deltaStatsRaw(history, r.from, r.to, key);
	if (!raw || !(raw.count > 0)) return null;
	// As windowStats computes it (sum and count extrapolated alike), without the percentiles.
	const n = rangeIncrease(r, raw.a.count, raw.count) ?? Number.NaN;
	return n > 0 ? (rangeIncrease(r, raw.a.sum, raw.sum) ?? Number.NaN) / n : null;
}

/** The window's statistics of histogram `key` (see windowMean for the mean alone). */
export function windowStats(history: History, r: Range, key: string): HistogramStats | null {
	return windowStatsLater(history, r, key)?.() ?? null;
}

/**
 * windowStats() in two steps: what needs the history is read now (it moves on with the next
 * scrape), and the statistics are made from that when the returned function is called (derive.ts
 * calls it when a view first reads them). Null when windowStats() is null.
 */
export function windowStatsLater(history: History, r: Range, key: string): (() => HistogramStats) | null {
	const raw = deltaStatsRaw(history, r.from, r.to, key);
	if (!raw) return null;
	const {a, counts, sum, count} = raw;
	const ext = rangeIncreases(r);
	const seconds = rangeSeconds(r);
	// Per bucket, in place of its raw increase: its rate (no bucket objects built twice).
	for (let i = 0; i < counts.length; i++) counts[i] = ext(a.counts[i]!, counts[i]!) / seconds;
	const windowSum = ext(a.sum, sum);
	const increase = ext(a.count, count);
	const les = a.les;
	return () => statsOf(normaliseColumns(les, counts), windowSum, count, seconds, increase);
}
