/**
 * A fleet's figures from its targets' figures, done the way PromQL would across instances:
 * rates and counts are summed; histograms are merged bucket by bucket BEFORE quantiles are taken
 * (never an average of p99s); ratios such as KV usage are weighted by each target's block
 * capacity when it is known; histograms whose bucket layouts differ are not merged silently.
 */
import {CATALOG_BY_KEY} from './catalog.js';
import {histogramStats, type Derived, type DerivedMetric, type HistogramStats} from './derive.js';
import type {Bucket} from './quantile.js';
import {minOf} from '../arrays.js';

export interface Aggregate {
	readonly derived: Derived;
	/** Targets whose figures went in. */
	readonly members: number;
	/** Keys left out because the targets' bucket layouts differ. */
	readonly layoutMismatch: readonly string[];
	/** True when KV usage was weighted by block capacity (false: a plain mean). */
	readonly kvWeighted: boolean;
}

function sameLayout(a: readonly Bucket[], b: readonly Bucket[]): boolean {
	return a.length === b.length && a.every((x, i) => x.le === b[i]!.le);
}

function mergeStats(list: readonly HistogramStats[], withRate: boolean): HistogramStats | null {
	const first = list[0];
	if (!first) return null;
	const counts = first.buckets.map(() => 0);
	let sum = 0;
	let count = 0;
	let rate = 0;
	let rated = false;
	let increase = 0;
	let extrapolated = true;
	for (const s of list) {
		if (s.increase === null) extrapolated = false;
		else increase += s.increase;
		s.buckets.forEach((b, i) => (counts[i]! += b.count));
		sum += s.sum;
		count += s.count;
		if (s.rate !== null) {
			rate += s.rate;
			rated = true;
		}
	}
	const merged = histogramStats(
		first.buckets.map((b, i) => ({le: b.le, count: counts[i]!})),
		sum,
		count,
		null,
		// Windows: the mean is Σ rate(sum) / Σ rate(count), as PromQL's sum() of rates gives it.
		withRate && extrapolated ? increase : null,
	);
	// A fleet's rate is the sum of its members' rates (their windows need not span the same time).
	return {...merged, rate: withRate && rated ? rate : null};
}

/** The fleet's window is partial when any member's is: every reason, the least covered span. */
function mergePartial(list: readonly Derived[]): Derived['partial'] {
	const partial = list.map(d => d.partial).filter(p => p != null);
	if (partial.length === 0) return null;
	return {reasons: [...new Set(partial.flatMap(p => p.reasons))], coveredMs: minOf(partial.map(p => p.coveredMs))};
}

function gaugeValue(d: Derived, key: string): number | undefined {
	const m = d.metrics.get(key);
	return m?.kind === 'gauge' && Number.isFinite(m.value) ? m.value : undefined;
}

/** Aggregate the latest derived figures of several targets (those without data are skipped). */
export function aggregate(all: readonly (Derived | null)[]): Aggregate | null {
	const list = all.filter((d): d is Derived => d !== null);
	if (list.length === 0) return null;
	const keys = new Set<string>();
	for (const d of list) for (const key of d.metrics.keys()) keys.add(key);
	const metrics = new Map<string, DerivedMetric>();
	const layoutMismatch: string[] = [];
	const capacities = list.map(d => gaugeValue(d, 'maxGpuBlocks'));
	const kvWeighted = capacities.every(c => c !== undefined && c > 0);
	for (const key of keys) {
		const entry = CATALOG_BY_KEY.get(key);
		if (!entry) continue;
		const members = list.map(d => d.metrics.get(key)).filter((m): m is DerivedMetric => m !== undefined);
		const kind = members[0]!.kind;
		if (members.some(m => m.kind !== kind)) continue;
		if (kind === 'histogram') {
			const hs = members as Extract<DerivedMetric, {kind: 'histogram'}>[];
			if (hs.some(h => !sameLayout(h.lifetime.buckets, hs[0]!.lifetime.buckets))) {
				layoutMismatch.push(key);
				continue;
			}
			const windows = hs.map(h => h.window).filter((w): w is HistogramStats => w !== null);
			const lifetime = mergeStats(hs.map(h => h.lifetime), false)!;
			metrics.set(key, {
				kind: 'histogram',
				entry,
				allZero: hs.every(h => h.allZero),
				topBucket: hs[0]!.topBucket,
				lifetime,
				window: windows.length === hs.length ? mergeStats(windows, true) : null,
				reset: hs.some(h => h.reset),
			});
		} else if (kind === 'counter') {
			const cs = members as Extract<DerivedMetric, {kind: 'counter'}>[];
			const rates = cs.map(c => c.rate);
			metrics.set(key, {
				kind: 'counter',
				entry,
				value: cs.reduce((a, c) => a + c.value, 0),
				rate: rates.every(r => r !== null) ? rates.reduce((a, r) => a + r!, 0) : null,
				reset: cs.some(c => c.reset),
				allZero: cs.every(c => c.allZero),
			});
		} else if (kind === 'gauge') {
			let value: number;
			if (entry.unit === 'ratio' || entry.unit === 'seconds') {
				// A ratio of the fleet: weight each target by its KV capacity when every target reports it.
				const weights = list.map((d, i) => (d.metrics.has(key) ? (entry.group === 'kvCache' && kvWeighted ? capacities[i]! : 1) : 0));
				let num = 0;
				let den = 0;
				list.forEach((d, i) => {
					const v = gaugeValue(d, key);
					if (v !== undefined) {
						num += v * weights[i]!;
						den += weights[i]!;
					}
				});
				value = den > 0 ? num / den : Number.NaN;
			} else {
				value = list.reduce((a, d) => a + (gaugeValue(d, key) ?? 0), 0);
			}
			metrics.set(key, {kind: 'gauge', entry, value});
		}
	}
	const newest = list.reduce((a, d) => (d.t > a.t ? d : a));
	return {
		derived: {
			t: newest.t,
			windowMs: newest.windowMs,
			coveredMs: minOf(list.map(d => d.coveredMs)),
			partial: mergePartial(list),
			promql: newest.promql,
			scrapes: minOf(list.map(d => d.scrapes)),
			engine: list.every(d => d.engine === list[0]!.engine) ? list[0]!.engine : null,
			metrics,
			chartSpanMs: newest.chartSpanMs,
			times: [],
			series: new Map(),
			events: list.flatMap(d => d.events).sort((a, b) => a.t - b.t),
		},
		members: list.length,
		layoutMismatch,
		kvWeighted,
	};
}
