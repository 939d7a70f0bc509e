/**
 * History → what the objectives need, per window: bucket and count rates of the objectives'
 * histograms, completion, token and arrival rates. Built on derive's windowed helpers
 * (rangeOf, windowBucketRates, windowRate), so the window semantics (PromQL's range and
 * extrapolation) and the counter-reset
 * rules are the ones every other windowed figure follows. Computed once per scrape, and only when
 * objectives were given.
 */
import {deltaStats, rangeOf, windowBucketRates, windowRate} from './window-stats.js';
import {DEFAULT_PROMQL, type PromqlVersion} from './window.js';
import type {History, HistoryEntry} from './history.js';
import type {HistogramRates, SloMeasure, SloWindow} from './slo.js';

/** Each spark point summarises this trailing span. */
export const SPARK_SPAN_MS = 60_000;
export const SPARK_POINTS = 40;

function rates(history: History, from: HistoryEntry, to: HistoryEntry, key: string): HistogramRates | null {
	const stats = deltaStats(history, from, to, key);
	if (!stats) return null;
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	return {buckets: stats.buckets.map(b => ({le: b.le, count: b.count / seconds})), rate: stats.count / seconds, count: stats.count};
}

/**
 * One window as PromQL evaluates it at the newest scrape: attainment at a bucket bound is then
 * exactly `sum(rate(x_bucket{le="T"}[w])) / sum(rate(x_count[w]))`.
 */
function windowOf(history: History, keys: readonly string[], windowMs: number, version: PromqlVersion): SloWindow {
	const range = rangeOf(history, windowMs, version);
	const {from: first, to: last} = range;
	const hasWindow = range.samples > 1;
	const histograms = new Map<string, HistogramRates | null>();
	for (const key of keys) {
		if (last.snapshot.metrics.get(key)?.kind !== 'histogram') continue;
		histograms.set(key, hasWindow ? windowBucketRates(history, range, key) : null);
	}
	const counter = (key: string) => (hasWindow && last.snapshot.metrics.get(key)?.kind === 'counter' ? windowRate(history, range, key) : null);
	return {
		windowMs,
		coveredMs: last.snapshot.t - first.snapshot.t,
		histograms,
		completions: counter('requestSuccessTotal'),
		tokens: counter('generationTokensTotal'),
		arrivals: counter('requestsReceivedTotal'),
	};
}

function gauge(entry: HistoryEntry, key: string): number | null {
	const m = entry.snapshot.metrics.get(key);
	return m?.kind === 'gauge' && Number.isFinite(m.value) ? Math.max(0, m.value) : null;
}

/** The objectives' figures over each window, for the newest entry of a history (`sparkPoints` 0: no spark, as the event log needs). */
export function measureSlo(history: History, keys: readonly string[], windowsMs: readonly number[], intervalMs: number, version: PromqlVersion = DEFAULT_PROMQL, sparkPoints = SPARK_POINTS): SloMeasure | null {
	const last = history.last;
	if (!last) return null;
	const windows = [...new Set(windowsMs)].sort((a, b) => a - b).map(w => windowOf(history, keys, w, version));
	const running = gauge(last, 'running');
	const waiting = gauge(last, 'waiting');
	// Spark points one step apart going back from the newest scrape, each over SPARK_SPAN_MS.
	const stepMs = Math.max(SPARK_SPAN_MS / 4, intervalMs);
	const spark = new Map<string, (HistogramRates | null)[]>();
	const oldest = history.at(0)!.snapshot.t;
	const ends: HistoryEntry[] = [];
	for (let k = 0; k < sparkPoints; k++) {
		const at = last.snapshot.t - k * stepMs;
		if (at - SPARK_SPAN_MS / 2 < oldest) break;
		// The newest entry at or before `at`.
		const next = history.indexFrom(at + 1);
		const index = (next === -1 ? history.size : next) - 1;
		if (index < 0) break;
		ends.unshift(history.at(index)!);
	}
	for (const key of keys) {
		if (last.snapshot.metrics.get(key)?.kind !== 'histogram') continue;
		spark.set(
			key,
			ends.map(end => {
				const from = history.at(Math.max(0, history.indexFrom(end.snapshot.t - SPARK_SPAN_MS)))!;
				return from.seq < end.seq ? rates(history, from, end, key) : null;
			}),
		);
	}
	return {t: last.snapshot.t, windows, inFlight: running === null && waiting === null ? null : (running ?? 0) + (waiting ?? 0), spark, members: 1};
}
