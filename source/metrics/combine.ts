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
import type {History} from './history.js';

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
 * The combination of gauge `key` at the newest entry of `history`, looking back to entry `first`
 * for movement; undefined when the newest entry has one series only.
 */
export function combineGauge(history: History, first: number, key: string, entry: CatalogEntry): {value: number; combination: GaugeCombination} | undefined {
	const lastIndex = history.size - 1;
	const data = history.at(lastIndex)?.snapshot.metrics.get(key);
	if (data?.kind !== 'gauge' || !data.spread) return undefined;
	const {series, finite: used, min, max} = data.spread;
	const base = {series, min, max, disagree: disagree(entry, min, max)};
	if (entry.combine !== 'live' || !data.series) return {value: data.value, combination: {...base, how: NAMES[entry.combine], used, from: []}};
	const finite: [string, number][] = [];
	for (const [label, v] of data.series) if (Number.isFinite(v)) finite.push([label, v]);
	const moved = new Set<string>();
	let previous: ReadonlyMap<string, number> | undefined;
	for (let i = Math.max(0, first); i <= lastIndex; i++) {
		const m = history.at(i)?.snapshot.metrics.get(key);
		const now = m?.kind === 'gauge' ? m.series : undefined;
		if (now && previous) {
			for (const [series, v] of now) {
				const before = previous.get(series);
				if (before !== undefined && before !== v && Number.isFinite(v)) moved.add(series);
			}
		}
		previous = now;
	}
	const live = finite.filter(([series]) => moved.has(series));
	if (live.length === 0) return {value: mean(finite.map(([, v]) => v)), combination: {...base, how: 'avg', used: finite.length, from: []}};
	return {
		value: mean(live.map(([, v]) => v)),
		combination: {...base, how: 'live', used: live.length, from: live.length < finite.length ? live.map(([series]) => seriesLabel(series)) : []},
	};
}

/** The combination in a few characters for a screen: `avg of 2`, `live pid=2563 of 2`, `live 2 of 3`. */
export function combinationTag(c: GaugeCombination): string {
	if (c.how === 'live') return c.used === 1 && c.from.length === 1 ? `live ${c.from[0]} of ${c.series}` : `live ${c.used} of ${c.series}`;
	return `${c.how} of ${c.series}`;
}
