/**
 * One side of a comparison: a stretch of a target's history, measured whole and in k equal windows
 * (by scrape count) so that a rate can be set against its own variation between windows. Counter
 * increases and histogram bucket increases are raw (last − first, restarts added back, no
 * extrapolation): the whole stretch is observed, there is no edge to extrapolate to.
 */
import {counterRate} from './window-stats.js';
import {sameBounds, type History, type HistoryEntry} from './history.js';
import type {HistogramData} from './snapshot.js';

export interface Stretch {
	readonly history: History;
	/** Indices of the first and last entry of the stretch in the history. */
	readonly first: number;
	readonly last: number;
	/** Window boundaries (indices, first … last), k + 1 of them; k = 0 with a single entry. */
	readonly bounds: readonly number[];
}

/** The entries of `history` with fromT ≤ t ≤ toT, cut into at most `windows` windows. Null with fewer than two. */
export function stretchOf(history: History, fromT: number, toT: number, windows: number): Stretch | null {
	const first = history.indexFrom(fromT);
	if (first < 0) return null;
	let last = history.indexFrom(toT, true);
	last = last < 0 ? history.size - 1 : last - 1;
	if (last - first < 1) return null;
	const k = Math.max(1, Math.min(windows, last - first));
	const bounds: number[] = [];
	for (let j = 0; j <= k; j++) bounds.push(first + Math.round((j * (last - first)) / k));
	return {history, first, last, bounds};
}

const entry = (s: Stretch, i: number): HistoryEntry => s.history.at(i)!;

// Entries never change once pushed, so a figure of the stretch [first, last] cut into k windows is
// the same on every call: a baseline is measured once, not on every scrape of the live side. Keyed
// by the last entry (dropped with it) and the first entry's sequence number.
const measures = new WeakMap<HistoryEntry, Map<string, unknown>>();

/** `compute()` once per stretch (its first and last entry and its windows) and `what`. */
export function measured<T>(s: Stretch, what: string, compute: () => T): T {
	const last = entry(s, s.last);
	let map = measures.get(last);
	if (!map) measures.set(last, (map = new Map()));
	const key = `${entry(s, s.first).seq}:${s.bounds.length - 1}:${what}`;
	if (!map.has(key)) map.set(key, compute());
	return map.get(key) as T;
}

/** Per-second rate of a counter over [from, to] (history indices), null when it is missing at either end. */
function rateBetween(s: Stretch, from: number, to: number, key: string): number | null {
	return counterRate(s.history, entry(s, from), entry(s, to), key);
}

/** The counter's rate over the whole stretch, and per window. */
export function counterRates(s: Stretch, key: string): {whole: number | null; windows: number[]} {
	const whole = rateBetween(s, s.first, s.last, key);
	const windows: number[] = [];
	for (let j = 1; j < s.bounds.length; j++) {
		const r = rateBetween(s, s.bounds[j - 1]!, s.bounds[j]!, key);
		if (r !== null) windows.push(r);
	}
	return {whole, windows};
}

/** A counter's raw increase over [from, to], restarts added back. */
export function counterIncrease(s: Stretch, from: number, to: number, key: string): number | null {
	const a = entry(s, from).snapshot.metrics.get(key);
	const b = entry(s, to).snapshot.metrics.get(key);
	if (a?.kind !== 'counter' || b?.kind !== 'counter') return null;
	return b.value - a.value + s.history.correctionOf(key, entry(s, from), entry(s, to));
}

/** The ratio of two counters' increases (a share), whole and per window; null where the denominator did not move. */
export function counterShare(s: Stretch, numerator: string, denominator: string): {whole: number | null; windows: number[]} {
	const share = (from: number, to: number): number | null => {
		const n = counterIncrease(s, from, to, numerator);
		const d = counterIncrease(s, from, to, denominator);
		return n === null || d === null || !(d > 0) ? null : n / d;
	};
	const windows: number[] = [];
	for (let j = 1; j < s.bounds.length; j++) {
		const v = share(s.bounds[j - 1]!, s.bounds[j]!);
		if (v !== null) windows.push(v);
	}
	return {whole: share(s.first, s.last), windows};
}

/** A gauge's mean over the scrapes of the stretch, and over each window's scrapes (a window's last scrape is its own). */
export function gaugeMeans(s: Stretch, key: string): {whole: number | null; windows: number[]} {
	const valueAt = (i: number): number | null => {
		const m = entry(s, i).snapshot.metrics.get(key);
		return m?.kind === 'gauge' && Number.isFinite(m.value) ? m.value : null;
	};
	const mean = (from: number, to: number): number | null => {
		let sum = 0;
		let n = 0;
		for (let i = from; i <= to; i++) {
			const v = valueAt(i);
			if (v !== null) {
				sum += v;
				n++;
			}
		}
		return n > 0 ? sum / n : null;
	};
	const windows: number[] = [];
	for (let j = 1; j < s.bounds.length; j++) {
		const v = mean(j === 1 ? s.bounds[0]! : s.bounds[j - 1]! + 1, s.bounds[j]!);
		if (v !== null) windows.push(v);
	}
	return {whole: mean(s.first, s.last), windows};
}

/** Observations of a histogram over the whole stretch: bounds, per-bucket counts (not cumulative), sum and count. */
export interface BinnedSample {
	readonly les: readonly number[];
	/** Per bucket (the last is (top, +Inf]), from the raw increases. */
	readonly counts: readonly number[];
	readonly sum: number;
	readonly count: number;
	/** Observations per second over the stretch. */
	readonly rate: number;
}

/** The histogram's observations over the stretch (or [fromIndex, toIndex] of it); null when missing at either end or when its layout changed. */
export function binnedSample(s: Stretch, key: string, fromIndex = s.first, toIndex = s.last): BinnedSample | null {
	const from = entry(s, fromIndex);
	const to = entry(s, toIndex);
	const a = from.snapshot.metrics.get(key);
	const b = to.snapshot.metrics.get(key);
	if (a?.kind !== 'histogram' || b?.kind !== 'histogram' || !sameBounds(a.hist.les, b.hist.les)) return null;
	const les = b.hist.les;
	const cumulative = les.map((_, i) => b.hist.counts[i]! - a.hist.counts[i]!);
	let sum = b.hist.sum - a.hist.sum;
	let count = b.hist.count - a.hist.count;
	const before: HistogramData[] = s.history.histogramResetsOf(key, from, to);
	for (const h of before) {
		if (!sameBounds(h.les, les)) return null;
		for (let i = 0; i < les.length; i++) cumulative[i]! += h.counts[i]!;
		sum += h.sum;
		count += h.count;
	}
	const counts: number[] = [];
	let previous = 0;
	for (const c of cumulative) {
		// Cumulative counts only go up; a dip (a scrape cut mid-update) is treated as no observations.
		counts.push(Math.max(0, c - previous));
		previous = Math.max(previous, c);
	}
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	return {les, counts, sum, count, rate: seconds > 0 ? count / seconds : 0};
}

/** The histogram's mean in each window that saw observations (the noise of a mean between windows). */
export function histogramWindowMeans(s: Stretch, key: string): number[] {
	const out: number[] = [];
	for (let j = 1; j < s.bounds.length; j++) {
		const w = binnedSample(s, key, s.bounds[j - 1]!, s.bounds[j]!);
		if (w && w.count > 0) out.push(w.sum / w.count);
	}
	return out;
}

/** Time covered by the stretch (first to last scrape). */
export function stretchSeconds(s: Stretch): number {
	return (entry(s, s.last).snapshot.t - entry(s, s.first).snapshot.t) / 1000;
}

export function stretchTimes(s: Stretch): {fromT: number; toT: number} {
	return {fromT: entry(s, s.first).snapshot.t, toT: entry(s, s.last).snapshot.t};
}

/** Restarts inside the stretch (entries after the first with a reset). */
export function stretchRestarts(s: Stretch): number[] {
	const out: number[] = [];
	for (let i = s.first + 1; i <= s.last; i++) if (entry(s, i).resets.length > 0) out.push(entry(s, i).snapshot.t);
	return out;
}

/** The engine the stretch's last scrape matched. */
export function stretchEngine(s: Stretch): string | null {
	return entry(s, s.last).snapshot.engine;
}
