/**
 * Prometheus-faithful maths over classic histograms and counters.
 * Mirrors prometheus/prometheus promql/quantile.go (BucketQuantile) and functions.go (extrapolatedRate).
 */

export interface Bucket {
	/** Upper bound (`le`), +Infinity for the last bucket. */
	readonly le: number;
	/** Cumulative count of observations ≤ le. */
	readonly count: number;
}

export interface QuantileResult {
	/** The estimate, or null when there is nothing to estimate from (no observations, no +Inf bucket). */
	readonly value: number | null;
	/**
	 * True when the rank falls in the +Inf bucket: the true quantile is above the top finite bound
	 * and `value` is that bound (as Prometheus returns it), which must be shown as "> bound".
	 */
	readonly aboveTopBucket: boolean;
}

/**
 * Below this many observations percentiles are not shown (`n too small`): one request has no p90,
 * and interpolating a handful of them invents a spread. The mean, exact at any count, stays.
 */
export const MIN_PERCENTILE_COUNT = 5;

const NONE: QuantileResult = Object.freeze({value: null, aboveTopBucket: false});

/**
 * A quantile estimate with what the buckets actually know about it: the true quantile lies in
 * `bounds`, and the interpolated `value` (Prometheus') is a guess inside them.
 */
export interface QuantileEstimate extends QuantileResult {
	/**
	 * The bucket the rank fell in, [lower, upper]: the previous bound (0 below the first, as
	 * Prometheus interpolates) and this one; upper is +Infinity above the top finite bucket, lower
	 * −Infinity for a first bucket at or below zero. Null when there is no estimate.
	 */
	readonly bounds: readonly [number, number] | null;
	/**
	 * The bucket is too wide to say more than its bounds: the first bucket (from 0), a bucket
	 * across zero or an unbounded one, or one whose larger bound is more than twice the smaller.
	 * Linear interpolation there invents a spread the data does not have.
	 */
	readonly coarse: boolean;
}

const NO_ESTIMATE: QuantileEstimate = Object.freeze({value: null, aboveTopBucket: false, bounds: null, coarse: false});

/** More than a factor of two between the bounds, across zero, or unbounded: see QuantileEstimate.coarse. */
export function isCoarseBucket(lower: number, upper: number): boolean {
	if (!Number.isFinite(lower) || !Number.isFinite(upper)) return true;
	if (lower <= 0 && upper >= 0) return true;
	const small = Math.min(Math.abs(lower), Math.abs(upper));
	const large = Math.max(Math.abs(lower), Math.abs(upper));
	return large > 2 * small;
}

// Smallest normal float64, as in Prometheus util/almost.
const MIN_NORMAL = 2.2250738585072014e-308;

function almostEqual(a: number, b: number, epsilon: number): boolean {
	if (a === b) return true;
	const absSum = Math.abs(a) + Math.abs(b);
	const diff = Math.abs(a - b);
	if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
	return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Sort by bound, add counts of equal bounds, and force monotonicity the way Prometheus does. */
export function normaliseBuckets(input: readonly Bucket[]): Bucket[] {
	const merged: {le: number; count: number}[] = [];
	// Bounds from a snapshot come strictly increasing: then sorting and merging change nothing.
	let ordered = true;
	for (let i = 0; ordered && i < input.length; i++) {
		const le = input[i]!.le;
		if (Number.isNaN(le) || (i > 0 && !(le > input[i - 1]!.le))) ordered = false;
	}
	if (ordered) {
		for (const b of input) merged.push({le: b.le, count: b.count});
	} else {
		const sorted = input.filter(b => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le);
		for (const b of sorted) {
			const last = merged.at(-1);
			if (last && last.le === b.le) last.count += b.count;
			else merged.push({le: b.le, count: b.count});
		}
	}
	return monotonic(merged);
}

/**
 * normaliseBuckets() of the buckets `les[i]`, `counts[i]` (a snapshot's or a window's columns),
 * without building them as objects first: the same buckets, one object each instead of two.
 */
export function normaliseColumns(les: readonly number[], counts: ArrayLike<number>): Bucket[] {
	const n = les.length;
	for (let i = 0; i < n; i++) {
		const le = les[i]!;
		if (Number.isNaN(le) || (i > 0 && !(le > les[i - 1]!))) return normaliseBuckets(les.map((l, j) => ({le: l, count: counts[j]!})));
	}
	const merged: {le: number; count: number}[] = [];
	for (let i = 0; i < n; i++) merged.push({le: les[i]!, count: counts[i]!});
	return monotonic(merged);
}

/** Force cumulative counts never to go down, the way Prometheus does (in place). */
function monotonic(merged: {le: number; count: number}[]): Bucket[] {
	let prev = merged[0]?.count ?? 0;
	for (let i = 1; i < merged.length; i++) {
		const current = merged[i]!;
		if (current.count === prev) continue;
		if (almostEqual(prev, current.count, 1e-12)) current.count = prev;
		else if (current.count < prev) current.count = prev;
		else prev = current.count;
	}
	return merged;
}

/**
 * The index of the bucket that holds rank q·total (Prometheus' search among all but +Inf; n − 1
 * means above the top finite bucket), or −1 when there is nothing to estimate from.
 */
function rankBucket(q: number, buckets: readonly Bucket[]): number {
	if (Number.isNaN(q) || q < 0 || q > 1) return -1;
	const n = buckets.length;
	if (n < 2) return -1;
	const top = buckets[n - 1]!;
	if (top.le !== Number.POSITIVE_INFINITY) return -1;
	if (!(top.count > 0)) return -1;
	const rank = q * top.count;
	// First bucket among all but +Inf whose cumulative count reaches the rank.
	let lo = 0;
	let hi = n - 1;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (buckets[mid]!.count >= rank) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** Prometheus' estimate once the rank's bucket `b` (≥ 0) is known: null when it is NaN. */
function valueIn(q: number, buckets: readonly Bucket[], b: number): number | null {
	const n = buckets.length;
	if (b === n - 1) return buckets[n - 2]!.le;
	const bucket = buckets[b]!;
	if (b === 0 && bucket.le <= 0) return bucket.le;
	const start = b > 0 ? buckets[b - 1]!.le : 0;
	const below = b > 0 ? buckets[b - 1]!.count : 0;
	const count = bucket.count - below;
	const rank = q * buckets[n - 1]!.count - below;
	const value = start + (bucket.le - start) * (rank / count);
	return Number.isNaN(value) ? null : value;
}

/** `histogram_quantile(q, buckets)` for already-normalised buckets (see normaliseBuckets). */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): QuantileResult {
	const b = rankBucket(q, buckets);
	if (b < 0) return NONE;
	return {value: valueIn(q, buckets, b), aboveTopBucket: b === buckets.length - 1};
}

/**
 * `bucketQuantile`, plus the bucket the rank fell in and whether it is too wide to interpolate in.
 * One search for the bucket, and the object built whole: spreading the result into a new one
 * (`{...result, bounds}`) took V8's slow path, ~11 µs a call against ~0.3 µs (derive calls this six
 * times per histogram per scrape).
 */
export function quantileEstimate(q: number, buckets: readonly Bucket[]): QuantileEstimate {
	const b = rankBucket(q, buckets);
	if (b < 0) return NO_ESTIMATE;
	const value = valueIn(q, buckets, b);
	if (value === null) return NO_ESTIMATE;
	const upper = buckets[b]!.le;
	const lower = b > 0 ? buckets[b - 1]!.le : upper <= 0 ? Number.NEGATIVE_INFINITY : 0;
	return {value, aboveTopBucket: b === buckets.length - 1, bounds: [lower, upper], coarse: b === 0 || isCoarseBucket(lower, upper)};
}

/** Convenience: normalise then estimate. */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): QuantileResult {
	return bucketQuantile(q, normaliseBuckets(buckets));
}

/** Share of observations above the top finite bound (0–1), or null without observations. */
export function shareAboveTop(buckets: readonly Bucket[]): number | null {
	const n = buckets.length;
	if (n < 2 || buckets[n - 1]!.le !== Number.POSITIVE_INFINITY) return null;
	const total = buckets[n - 1]!.count;
	if (!(total > 0)) return null;
	return (total - buckets[n - 2]!.count) / total;
}

export interface TimedValue {
	/** Milliseconds. */
	readonly t: number;
	readonly v: number;
}

/**
 * Reset-corrected increase between the first and last sample (Prometheus `increase` steps 1–2,
 * without extrapolation): last − first, plus the value before every drop.
 */
export function counterIncrease(samples: readonly TimedValue[]): number | null {
	if (samples.length < 2) return null;
	let result = samples.at(-1)!.v - samples[0]!.v;
	for (let i = 1; i < samples.length; i++) {
		const prev = samples[i - 1]!.v;
		if (samples[i]!.v < prev) result += prev;
	}
	return result;
}

/**
 * Prometheus `rate(x[range])` evaluated at `endMs` over samples already selected in
 * (endMs − rangeMs, endMs]: reset correction plus extrapolation to the window edges.
 * Useful to compare with Grafana; fdtop's own display uses plain increase / elapsed.
 */
export function extrapolatedRate(samples: readonly TimedValue[], endMs: number, rangeMs: number, isCounter = true): number | null {
	const n = samples.length;
	if (n < 2) return null;
	const first = samples[0]!;
	const last = samples[n - 1]!;
	let result = isCounter ? counterIncrease(samples)! : last.v - first.v;
	const rangeStart = endMs - rangeMs;
	let durationToStart = (first.t - rangeStart) / 1000;
	let durationToEnd = (endMs - last.t) / 1000;
	const sampled = (last.t - first.t) / 1000;
	if (sampled <= 0) return null;
	const average = sampled / (n - 1);
	const threshold = average * 1.1;
	if (durationToStart >= threshold) durationToStart = average / 2;
	if (isCounter && result > 0 && first.v >= 0) {
		const durationToZero = sampled * (first.v / result);
		if (durationToZero < durationToStart) durationToStart = durationToZero;
	}
	if (durationToEnd >= threshold) durationToEnd = average / 2;
	const factor = (sampled + durationToStart + durationToEnd) / sampled;
	result *= factor;
	return result / (rangeMs / 1000);
}
