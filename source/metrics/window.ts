/**
 * Windowed increases the way PromQL computes `increase()` and `rate()` (prometheus/prometheus
 * promql/functions.go, extrapolatedRate), so that a figure fdtop shows is the figure a Grafana panel
 * shows for the same scrapes at the same evaluation time.
 *
 * - Prometheus 3 selects the samples with t in (end − range, end] (left-open, since 3.0); 2.x
 *   selected [end − range, end] (left-closed): one more sample when a scrape lands on the left edge.
 * - Both extrapolate the sampled increase towards the range's edges: all the way when the nearest
 *   sample is within 1.1 average scrape intervals of the edge, otherwise half an interval; a counter
 *   is never extrapolated back past the point where it would have been zero. 2.x applies the zero
 *   clamp before the 1.1 threshold test, 3.x after it (the results differ only near a counter's start).
 *
 * Everything here is pure and works on plain numbers, so windows can be evaluated anywhere (the
 * views, the --once report, service-level attainment).
 */


import type {PromqlVersion} from '../sources/types.js';

export type {PromqlVersion};

export const DEFAULT_PROMQL: PromqlVersion = 3;

/** The range `(startMs, endMs]` (Prometheus 3) or `[startMs, endMs]` (Prometheus 2) as words. */
export function rangeNotation(version: PromqlVersion): string {
	return version === 3 ? '(t−w, t]' : '[t−w, t]';
}

/** Whether a sample at `t` is inside the range ending at `endMs` of `rangeMs`. */
export function inRange(t: number, endMs: number, rangeMs: number, version: PromqlVersion): boolean {
	const start = endMs - rangeMs;
	return t <= endMs && (version === 3 ? t > start : t >= start);
}

/** What one series contributed over the samples of a range. */
export interface SampledIncrease {
	/** Time of the first and last sample in the range (ms). */
	readonly firstT: number;
	readonly lastT: number;
	/** Samples in the range (at least 2 for a result). */
	readonly samples: number;
	/** Value of the first sample (for the counter's zero clamp). */
	readonly first: number;
	/** last − first, plus the value before each reset (Prometheus' counter correction). */
	readonly increase: number;
}

export interface Extrapolated {
	/** PromQL's increase() over the range. */
	readonly increase: number;
	/** The span (ms) the sampled increase was stretched to: the range when the samples reach both edges. */
	readonly spanMs: number;
}

/** What extrapolation needs of a range's scrapes, the same for every series sampled at them. */
interface Edges {
	/** Seconds between the first and last sample. */
	readonly sampled: number;
	/** Seconds from the range's start to the first sample, before the clamps. */
	readonly toStart: number;
	/** Seconds from the last sample to the range's end, clamped. */
	readonly toEnd: number;
	readonly average: number;
	readonly threshold: number;
}

function edgesOf(firstT: number, lastT: number, samples: number, endMs: number, rangeMs: number): Edges | null {
	if (samples < 2) return null;
	const sampled = (lastT - firstT) / 1000;
	if (!(sampled > 0)) return null;
	const toStart = (firstT - (endMs - rangeMs)) / 1000;
	let toEnd = (endMs - lastT) / 1000;
	const average = sampled / (samples - 1);
	const threshold = average * 1.1;
	if (toEnd >= threshold) toEnd = average / 2;
	return {sampled, toStart, toEnd, average, threshold};
}

/** Seconds the sampled increase of one series is stretched to (its zero clamp is its own). */
function spanOf(e: Edges, first: number, increase: number, version: PromqlVersion, isCounter: boolean): number {
	let toStart = e.toStart;
	const zeroAt = isCounter && increase > 0 && first >= 0 ? e.sampled * (first / increase) : Number.POSITIVE_INFINITY;
	if (version === 2) {
		if (zeroAt < toStart) toStart = zeroAt;
		if (toStart >= e.threshold) toStart = e.average / 2;
	} else {
		if (toStart >= e.threshold) toStart = e.average / 2;
		if (zeroAt < toStart) toStart = zeroAt;
	}
	return e.sampled + toStart + e.toEnd;
}

/**
 * PromQL's `increase()` of one series over the range `(endMs − rangeMs, endMs]`, from what its samples
 * in that range give. Null with fewer than two samples or samples at a single instant (no result,
 * as in PromQL). `isCounter: false` is `delta()`.
 */
export function extrapolate(s: SampledIncrease, endMs: number, rangeMs: number, version: PromqlVersion, isCounter = true): Extrapolated | null {
	const e = edgesOf(s.firstT, s.lastT, s.samples, endMs, rangeMs);
	if (!e) return null;
	const span = spanOf(e, s.first, s.increase, version, isCounter);
	return {increase: s.increase * (span / e.sampled), spanMs: span * 1000};
}

/**
 * extrapolate() for many counter series sampled at the same scrapes (every bucket of a histogram,
 * its sum and count): the range's edges are worked out once, each series adds only its zero
 * clamp. `(first, increase)` → PromQL's increase(), the same double extrapolate() gives. Null when
 * the range has no result (fewer than two samples, or one instant).
 */
export function extrapolator(firstT: number, lastT: number, samples: number, endMs: number, rangeMs: number, version: PromqlVersion): ((first: number, increase: number) => number) | null {
	const e = edgesOf(firstT, lastT, samples, endMs, rangeMs);
	if (!e) return null;
	return (first, increase) => increase * (spanOf(e, first, increase, version, true) / e.sampled);
}

export interface Sample {
	/** ms */
	readonly t: number;
	readonly v: number;
}

/** The samples of a range reduced to what extrapolate() needs (counter resets corrected). */
export function sampledIncrease(samples: readonly Sample[], endMs: number, rangeMs: number, version: PromqlVersion, isCounter = true): SampledIncrease | null {
	let first: Sample | undefined;
	let last: Sample | undefined;
	let n = 0;
	let correction = 0;
	for (const s of samples) {
		if (!inRange(s.t, endMs, rangeMs, version)) continue;
		if (isCounter && last && s.v < last.v) correction += last.v;
		first ??= s;
		last = s;
		n++;
	}
	if (!first || !last) return null;
	return {firstT: first.t, lastT: last.t, samples: n, first: first.v, increase: last.v - first.v + correction};
}

/** PromQL's `increase(x[range])` evaluated at `endMs`, from one series' samples (any order of time is not accepted: sorted). */
export function increase(samples: readonly Sample[], endMs: number, rangeMs: number, version: PromqlVersion = DEFAULT_PROMQL): number | null {
	const s = sampledIncrease(samples, endMs, rangeMs, version);
	return s ? (extrapolate(s, endMs, rangeMs, version)?.increase ?? null) : null;
}

/** PromQL's `rate(x[range])` evaluated at `endMs` (per second). */
export function rate(samples: readonly Sample[], endMs: number, rangeMs: number, version: PromqlVersion = DEFAULT_PROMQL): number | null {
	const inc = increase(samples, endMs, rangeMs, version);
	return inc === null ? null : inc / (rangeMs / 1000);
}
