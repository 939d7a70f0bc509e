/**
 * History → what the objectives need, per window: bucket and count rates of the objectives'
 * histograms, completion, token and arrival rates. Built on derive's windowed helpers
 * (History.indexFrom, deltaStats, counterRate), so the window semantics and the counter-reset
 * rules are the ones every other windowed figure follows. Computed once per scrape, and only when
 * objectives were given.
 */
import {counterRate, deltaStats} from './derive.js';
import type {History, HistoryEntry} from './history.js';
import type {HistogramRates, SloMeasure, SloWindow} from './slo.js';

/** Each spark point summarises this trailing span. */
export const SPARK_SPAN_MS = 60_000;
export const SPARK_POINTS = 40;

function rates(history: History, from: HistoryEntry, to: HistoryEntry, key: string): HistogramRates | null {
	const stats = deltaStats(history, from, to, key);
	if (!stats) return null;
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	return {buckets: stats.buckets.map(b => ({le: b.le, count: b.count / seconds})), rate: stats.count / seconds};
}

function windowOf(history: History, keys: readonly string[], windowMs: number): SloWindow {
	const lastIndex = history.size - 1;
	const last = history.at(lastIndex)!;
	const firstIndex = Math.max(0, history.indexFrom(last.snapshot.t - windowMs));
	const first = history.at(firstIndex)!;
	const hasWindow = firstIndex < lastIndex;
	const histograms = new Map<string, HistogramRates | null>();
	for (const key of keys) {
		if (last.snapshot.metrics.get(key)?.kind !== 'histogram') continue;
		histograms.set(key, hasWindow ? rates(history, first, last, key) : null);
	}
	const counter = (key: string) => (hasWindow && last.snapshot.metrics.get(key)?.kind === 'counter' ? counterRate(history, first, last, key) : null);
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

/** The objectives' figures over each window, for the newest entry of a history. */
export function measureSlo(history: History, keys: readonly string[], windowsMs: readonly number[], intervalMs: number): SloMeasure | null {
	const last = history.last;
	if (!last) return null;
	const windows = [...new Set(windowsMs)].sort((a, b) => a - b).map(w => windowOf(history, keys, w));
	const running = gauge(last, 'running');
	const waiting = gauge(last, 'waiting');
	// Spark points one step apart going back from the newest scrape, each over SPARK_SPAN_MS.
	const stepMs = Math.max(SPARK_SPAN_MS / 4, intervalMs);
	const spark = new Map<string, (HistogramRates | null)[]>();
	const oldest = history.at(0)!.snapshot.t;
	const ends: HistoryEntry[] = [];
	for (let k = 0; k < SPARK_POINTS; k++) {
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
