/**
 * How a gauge read from several series of one family (multiprocess `pid`, several `model_id`) was
 * combined into the one figure shown, and whether the series disagree. Pure.
 *
 * The `live` rule (speculative-decoding gauges in multiprocess mode, where a dead worker's series
 * stays on the page with its last value) works from scrapes alone: a series whose value changed
 * between two scrapes inside the window is live. The figure is the live series' value (their mean
 * when several move); when none moved in the window, the mean of all of them, named `avg`.
 */
import type {CatalogEntry, Combine} from './catalog-types.js';
import type {History, HistoryEntry} from './history.js';
import {en, type Messages} from '../i18n/en.js';

/** The combination as named on screen and in JSON. */
export type CombinationName = 'sum' | 'max' | 'avg' | 'first' | 'live';

export interface GaugeCombination {
	readonly how: CombinationName;
	/** Series in the family. */
	readonly series: number;
	/** Series the figure comes from (`live`: those that moved; otherwise every finite one). */
	readonly used: number;
	/** Label sets (`pid=2241`) of the series used, when fewer than all. */
	readonly from: readonly string[];
	/** Lowest and highest series value. */
	readonly min: number;
	readonly max: number;
	/** The series differ by more than a little (see `disagree`); never for `sum`. */
	readonly disagree: boolean;
}

const NAMES: Record<Combine, CombinationName> = {sum: 'sum', max: 'max', mean: 'avg', first: 'first', live: 'live'};

/** Ratios: more than 5 points apart. Other units: the spread is more than 10 % of the larger. */
export function disagree(entry: CatalogEntry, min: number, max: number): boolean {
	if (entry.combine === 'sum' || !(max > min)) return false;
	if (entry.unit === 'ratio') return max - min > 0.05;
	return max - min > 0.1 * Math.max(Math.abs(max), Math.abs(min));
}

/** `pid=2241\0` (a snapshot's series key) → `pid=2241`. */
export function seriesLabel(key: string): string {
	return key.split('\u0000').filter(Boolean).join(',');
}

function mean(values: readonly number[]): number {
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}

/**
 * Where each series of one live gauge last moved, kept per history and brought up to date with
 * the entries pushed since the last call: a derive per scrape then compares one new entry with its
 * predecessor, not every pair in the window again (60 pairs per live gauge per scrape at a 1 m
 * window and 1 s scrapes, 3,600 at 1 h).
 */
interface Movement {
	/** The newest entry compared so far (with its predecessor). */
	last: HistoryEntry;
	/** Series → seq of the newest entry at which its value differed from the entry before. */
	readonly movedAt: Map<string, number>;
}

const movements = new WeakMap<History, Map<string, Movement>>();

function seriesOf(history: History, index: number, key: string): ReadonlyMap<string, number> | undefined {
	const m = history.at(index)?.snapshot.metrics.get(key);
	return m?.kind === 'gauge' ? m.series : undefined;
}

/** `key`'s movement state for `history`, updated to its newest entry. */
function movementOf(history: History, key: string): Movement {
	const lastIndex = history.size - 1;
	let byKey = movements.get(history);
	if (!byKey) movements.set(history, (byKey = new Map()));
	let state = byKey.get(key);
	// Entries are numbered in push order, so the one compared last is found by its seq; gone from
	// the ring (or never seen), every pair still in it is compared.
	const oldestSeq = history.at(0)!.seq;
	const at = state ? state.last.seq - oldestSeq : -1;
	const from = state && at >= 0 && history.at(at) === state.last ? at : 0;
	state ??= {last: history.at(lastIndex)!, movedAt: new Map()};
	for (let i = from + 1; i <= lastIndex; i++) {
		const previous = seriesOf(history, i - 1, key);
		const now = seriesOf(history, i, key);
		if (!now || !previous) continue;
		const seq = history.at(i)!.seq;
		for (const [series, v] of now) {
			const before = previous.get(series);
			if (before !== undefined && before !== v && Number.isFinite(v)) state.movedAt.set(series, seq);
		}
	}
	state.last = history.at(lastIndex)!;
	// Series of restarted workers (new pids) would pile up: forget moves older than the ring.
	if (state.movedAt.size > 64) for (const [series, seq] of state.movedAt) if (seq <= oldestSeq) state.movedAt.delete(series);
	byKey.set(key, state);
	return state;
}

/**
 * The combination of gauge `key` at the newest entry of `history`, looking back to entry `first`
 * for movement; undefined when the newest entry has one series only.
 */
export function combineGauge(history: History, first: number, key: string, entry: CatalogEntry): {value: number; combination: GaugeCombination} | undefined {
	const lastIndex = history.size - 1;
	const data = history.at(lastIndex)?.snapshot.metrics.get(key);
	if (data?.kind !== 'gauge' || !data.spread) return undefined;
	const {series, finite: used, min, max} = data.spread;
	// Built whole, not spread from a shared base ({...base, how}): V8's slow path, once per gauge per scrape.
	const combination = (how: CombinationName, used: number, from: readonly string[]): GaugeCombination => ({series, min, max, disagree: disagree(entry, min, max), how, used, from});
	if (entry.combine !== 'live' || !data.series) return {value: data.value, combination: combination(NAMES[entry.combine], used, [])};
	const finite: [string, number][] = [];
	for (const [label, v] of data.series) if (Number.isFinite(v)) finite.push([label, v]);
	// A series moved inside the window when it changed between two of its entries: at an entry
	// after the window's first.
	const firstSeq = history.at(Math.max(0, first))?.seq ?? Number.POSITIVE_INFINITY;
	const {movedAt} = movementOf(history, key);
	const live = finite.filter(([series]) => (movedAt.get(series) ?? Number.NEGATIVE_INFINITY) > firstSeq);
	if (live.length === 0) return {value: mean(finite.map(([, v]) => v)), combination: combination('avg', finite.length, [])};
	return {value: mean(live.map(([, v]) => v)), combination: combination('live', live.length, live.length < finite.length ? live.map(([series]) => seriesLabel(series)) : [])};
}

/** The combination in a few characters for a screen: `avg of 2`, `live pid=2563 of 2`, `live 2 of 3`. */
export function combinationTag(c: GaugeCombination, w: Messages['combination'] = en.combination): string {
	const used = c.how !== 'live' ? '' : c.used === 1 && c.from.length === 1 ? c.from[0]! : String(c.used);
	return w.of(w.how[c.how], used, c.series);
}
