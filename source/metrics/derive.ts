/**
 * History → the figures every view and report shows: windowed and lifetime histogram statistics,
 * counter rates, gauge values, per-scrape chart series and events. Computed once per scrape.
 */
import type {CatalogEntry, Engine} from './catalog-types.js';
import {catalogEntryForKey} from './catalog.js';
import {combineGauge, type GaugeCombination} from './combine.js';
import type {History, HistoryEntry} from './history.js';
import {counterRate, deltaStats, lifetimeStats, rangeOf, windowRate, windowStatsLater, type HistogramStats, type Range} from './window-stats.js';
import type {Labels} from '../prom/types.js';
import {DEFAULT_PROMQL, extrapolate, type PromqlVersion} from './window.js';

// The statistics live in window-stats.ts; their names are exported here too (views and reports import derive).
export {MIN_PERCENTILE_COUNT, counterRate, deltaStats, histogramStats, rangeOf, windowBucketRates, windowRate, windowStats, type HistogramStats, type Percentile, type Range} from './window-stats.js';

export type DerivedMetric =
	| {
			readonly kind: 'histogram';
			readonly entry: CatalogEntry;
			/** Present but never observed since the server started. */
			readonly allZero: boolean;
			readonly topBucket: number | null;
			readonly lifetime: HistogramStats;
			/** Null until two scrapes span the window. */
			readonly window: HistogramStats | null;
			readonly reset: boolean;
	  }
	| {
			readonly kind: 'counter';
			readonly entry: CatalogEntry;
			readonly value: number;
			/** Per second over the window, null until two scrapes exist. */
			readonly rate: number | null;
			/** Went down since the previous scrape. */
			readonly reset: boolean;
			readonly allZero: boolean;
	  }
	| {
			readonly kind: 'gauge';
			readonly entry: CatalogEntry;
			readonly value: number;
			/** Several series: how they were combined into `value`, and whether they disagree. */
			readonly combined?: GaugeCombination;
	  }
	| {readonly kind: 'info'; readonly entry: CatalogEntry; readonly labels: Labels};

/** Per-scrape chart values. Missing values are NaN (a gap), never 0. */
export interface Series {
	readonly mean?: readonly number[];
	readonly p50?: readonly number[];
	readonly p90?: readonly number[];
	readonly p99?: readonly number[];
	/**
	 * p99 as a chart can honestly draw it: the estimate; the upper bound of its bucket when the
	 * bucket is coarse (all that is known); NaN under MIN_PERCENTILE_COUNT observations.
	 */
	readonly p99Shown?: readonly number[];
	/** Per point, what p99Shown is: 0 an estimate, 1 an upper bound (coarse bucket), 2 the top bucket (p99 is above it). */
	readonly p99Kind?: readonly number[];
	readonly rate?: readonly number[];
	readonly value?: readonly number[];
}

export interface SeriesLookup {
	get(key: string): Series | undefined;
}

export interface DerivedEvent {
	readonly t: number;
	readonly kind: 'reset';
	readonly keys: readonly string[];
}

/** A window whose figures stand for less than the time asked for, and why. */
export interface WindowPartial {
	/** `filling`: fdtop has watched for less than the window; `restart`: the server restarted inside it. */
	readonly reasons: readonly ('filling' | 'restart')[];
	/** Time the window's figures stand for, without the restart steps (= coveredMs). */
	readonly coveredMs: number;
}

export interface Derived {
	/** The last scrape's time: also the evaluation time of every windowed figure (PromQL's `time`). */
	readonly t: number;
	readonly windowMs: number;
	/**
	 * Time the window's figures stand for: the scrapes' span extrapolated to the window's edges as
	 * PromQL does (the whole window once the history fills it), less the steps a restart fell in.
	 */
	readonly coveredMs: number;
	/** Null when the window is whole; otherwise why it is not (shown on screen and in JSON). */
	readonly partial?: WindowPartial | null;
	/** The Prometheus whose range semantics the windowed figures follow (3: (t−w, t], 2: [t−w, t]). */
	readonly promql?: PromqlVersion;
	/** Scrapes inside the window. */
	readonly scrapes: number;
	readonly engine: Engine | null;
	readonly metrics: ReadonlyMap<string, DerivedMetric>;
	/** Chart span: each series point summarises the trailing `chartSpanMs` before its scrape. */
	readonly chartSpanMs: number;
	readonly times: readonly number[];
	/** Chart series by key, aligned with `times`; built on first use, once per scrape. */
	readonly series: SeriesLookup;
	readonly events: readonly DerivedEvent[];
}

type PointFields = Readonly<Record<string, number>>;

/** One entry's chart points, key by key as views ask for them. */
interface Point {
	readonly span: number;
	/** The entry the point's span starts from (null: none before it). */
	readonly from: HistoryEntry | null;
	readonly values: Map<string, PointFields | null>;
}

// Chart points depend only on an entry and its predecessors, so they are computed once per entry,
// and only for the keys a view draws (a few of the snapshot's dozens: each histogram's costs its
// statistics over the span).
const pointCache = new WeakMap<HistoryEntry, Point>();

function pointFor(history: History, index: number, spanMs: number, key: string): PointFields | null {
	const entry = history.at(index)!;
	let point = pointCache.get(entry);
	if (!point || point.span !== spanMs) {
		const fromIndex = Math.min(history.indexFrom(entry.snapshot.t - spanMs), index - 1);
		const from = fromIndex >= 0 ? history.at(fromIndex)! : null;
		// A copy of the entry's fields, never the entry: its own point would keep the entry before it
		// alive, and so on back to the first scrape (each entry's point is held as long as the entry).
		point = {span: spanMs, from: from && {snapshot: from.snapshot, resets: from.resets, corrections: from.corrections, resetBefore: from.resetBefore, seq: from.seq}, values: new Map()};
		pointCache.set(entry, point);
	}
	let fields = point.values.get(key);
	if (fields === undefined) {
		fields = pointFields(history, point.from, entry, key);
		point.values.set(key, fields);
	}
	return fields;
}

function pointFields(history: History, from: HistoryEntry | null, entry: HistoryEntry, key: string): PointFields | null {
	const data = entry.snapshot.metrics.get(key);
	if (data?.kind === 'gauge') return {value: data.value};
	if (data?.kind === 'counter') {
		const rate = from ? counterRate(history, from, entry, key) : null;
		return {rate: rate ?? Number.NaN};
	}
	if (data?.kind === 'histogram') {
		const s = from ? deltaStats(history, from, entry, key) : null;
		const p99 = s?.p99;
		const bound = p99 && p99.coarse && !p99.aboveTopBucket && p99.bounds ? p99.bounds[1] : null;
		return {
			mean: s?.mean ?? Number.NaN,
			p50: s?.p50.value ?? Number.NaN,
			p90: s?.p90.value ?? Number.NaN,
			p99: p99?.value ?? Number.NaN,
			p99Shown: !p99 || p99.value === null || p99.tooFew ? Number.NaN : (bound ?? p99.value),
			p99Kind: p99?.aboveTopBucket ? 2 : bound !== null ? 1 : 0,
		};
	}
	return null;
}

/** A key's built columns, with which of its points had the metric (seq-aligned from `firstSeq`). */
interface BuiltSeries {
	readonly series: Series | undefined;
	readonly columns: Readonly<Record<string, readonly number[]>>;
	readonly present: Uint8Array;
}

/**
 * Builds a key's chart series only when a view asks for it: a derive per scrape then costs the
 * figures, not every series of every metric (most are never drawn). A key the previous derive of
 * the same history built is extended, not rebuilt: the points both windows share are copied from
 * its columns (new arrays: an earlier state's series never change) and only the new scrapes'
 * points are looked up.
 */
class LazySeries implements SeriesLookup {
	readonly #built = new Map<string, BuiltSeries>();
	readonly firstSeq: number;
	readonly lastSeq: number;
	#previous: LazySeries | undefined;

	constructor(
		readonly history: History,
		private readonly first: number,
		private readonly last: number,
		readonly spanMs: number,
		previous: LazySeries | undefined,
	) {
		this.firstSeq = history.at(first)!.seq;
		this.lastSeq = history.at(last)!.seq;
		// Entries are numbered in push order; a gap (never expected) means no reuse.
		const contiguous = this.lastSeq - this.firstSeq === last - first;
		this.#previous = contiguous && previous && previous.history === history && previous.spanMs === spanMs ? previous : undefined;
	}

	get(key: string): Series | undefined {
		return (this.#built.get(key) ?? this.#build(key)).series;
	}

	#build(key: string): BuiltSeries {
		const length = this.last - this.first + 1;
		const columns: Record<string, number[]> = {};
		const present = new Uint8Array(length);
		const prev = this.#previous;
		const before = prev ? prev.#built.get(key) : undefined;
		// Offsets (in this series) of the points the previous series already holds.
		let lo = length;
		let hi = -1;
		if (before && prev) {
			lo = Math.max(0, prev.firstSeq - this.firstSeq);
			hi = Math.min(length - 1, prev.lastSeq - this.firstSeq);
			const shift = this.firstSeq - prev.firstSeq;
			for (const field in before.columns) {
				const column = (columns[field] = new Array<number>(length).fill(Number.NaN));
				const old = before.columns[field]!;
				for (let k = lo; k <= hi; k++) column[k] = old[k + shift]!;
			}
			for (let k = lo; k <= hi; k++) present[k] = before.present[k + shift]!;
		}
		for (let k = 0; k < length; k++) {
			if (k >= lo && k <= hi) continue;
			const fields = pointFor(this.history, this.first + k, this.spanMs, key);
			if (!fields) continue;
			present[k] = 1;
			for (const field in fields) {
				// A metric that appears mid-window has gaps (NaN) before it, never zeros.
				const column = (columns[field] ??= new Array<number>(length).fill(Number.NaN));
				column[k] = fields[field]!;
			}
		}
		const seen = present.includes(1);
		const built: BuiltSeries = {series: seen ? (columns as Series) : undefined, columns, present};
		this.#built.set(key, built);
		return built;
	}

	/** Let go of the previous derive's series (they are only read while building). */
	release(): void {
		this.#previous = undefined;
	}
}

/** The last series built per history, which the next derive of that history extends. */
const lastSeries = new WeakMap<History, LazySeries>();

export interface DeriveOptions {
	readonly windowMs: number;
	/** Range semantics to follow: Prometheus 3 ((t−w, t], the default) or 2 ([t−w, t]). */
	readonly promql?: PromqlVersion;
	/** Trailing span each chart point summarises; defaults to max(10 s, 2 scrapes). */
	readonly chartSpanMs?: number;
}

/** Derive everything for the newest entry of a history. Pure apart from the per-entry cache. */
export function derive(history: History, options: DeriveOptions): Derived | null {
	const last = history.last;
	if (!last) return null;
	const lastIndex = history.size - 1;
	const t = last.snapshot.t;
	const version = options.promql ?? DEFAULT_PROMQL;
	const range = rangeOf(history, options.windowMs, version);
	const firstIndex = lastIndex - range.samples + 1;
	const hasWindow = firstIndex < lastIndex;
	const previous = lastIndex > 0 ? history.at(lastIndex - 1) : undefined;
	const interval = previous ? t - previous.snapshot.t : 1000;
	const chartSpanMs = options.chartSpanMs ?? Math.max(10_000, 2 * interval);
	const resetKeys = new Set(last.resets);

	const metrics = new Map<string, DerivedMetric>();
	for (const [key, data] of last.snapshot.metrics) {
		const entry = catalogEntryForKey(key);
		if (!entry) continue;
		switch (data.kind) {
			case 'histogram': {
				const hist = data.hist;
				let lifetime: HistogramStats | undefined;
				const windowLater = hasWindow ? windowStatsLater(history, range, key) : null;
				let window: HistogramStats | null | undefined;
				metrics.set(key, {
					kind: 'histogram',
					entry,
					allZero: hist.count === 0,
					topBucket: topFinite(hist.les) ?? entry.topBucket ?? null,
					// Both worked out when first read (an idle Overview reads 7 of 11 windows and no
					// lifetime): the lifetime from this scrape's snapshot, which never changes; the window
					// from what windowStatsLater read of the history now, before it moves on.
					get lifetime() {
						return (lifetime ??= lifetimeStats(hist));
					},
					get window() {
						return (window ??= windowLater ? windowLater() : null);
					},
					reset: resetKeys.has(key),
				});
				break;
			}
			case 'counter':
				metrics.set(key, {
					kind: 'counter',
					entry,
					value: data.value,
					rate: hasWindow ? windowRate(history, range, key) : null,
					reset: resetKeys.has(key),
					allZero: data.value === 0,
				});
				break;
			case 'gauge': {
				const several = data.spread ? combineGauge(history, firstIndex, key, entry) : undefined;
				metrics.set(key, several ? {kind: 'gauge', entry, value: several.value, combined: several.combination} : {kind: 'gauge', entry, value: data.value});
				break;
			}
			case 'info':
				metrics.set(key, {kind: 'info', entry, labels: data.labels});
				break;
		}
	}

	const times: number[] = [];
	const events: DerivedEvent[] = [];
	for (let i = firstIndex; i <= lastIndex; i++) {
		const entry = history.at(i)!;
		times.push(entry.snapshot.t);
		if (entry.resets.length > 0 && i > 0) events.push({t: entry.snapshot.t, kind: 'reset', keys: entry.resets});
	}
	const cover = coverage(history, firstIndex, lastIndex, range, hasWindow);
	const before = lastSeries.get(history);
	const series = new LazySeries(history, firstIndex, lastIndex, chartSpanMs, before);
	// Each derive holds on to one predecessor at most: the chain never grows.
	before?.release();
	lastSeries.set(history, series);

	return {
		t,
		windowMs: options.windowMs,
		coveredMs: cover.coveredMs,
		partial: cover.partial,
		promql: version,
		scrapes: lastIndex - firstIndex + 1,
		engine: last.snapshot.engine,
		metrics,
		chartSpanMs,
		times,
		series,
		events,
	};
}

/**
 * The time a window's figures stand for: its scrapes' span stretched to the edges as PromQL
 * stretches it, less every step in which a counter restarted: what was counted between the last
 * scrape before the restart and the restart, and all the time the server was down, is lost, so
 * rates over the window read low. (A stretch without scrapes and without a restart loses nothing:
 * the counters kept counting.) Partial when that is less than the window.
 */
function coverage(history: History, firstIndex: number, lastIndex: number, r: Range, hasWindow: boolean): {coveredMs: number; partial: WindowPartial | null} {
	if (!hasWindow) return {coveredMs: 0, partial: {reasons: ['filling'], coveredMs: 0}};
	const span = r.filling ? {spanMs: r.to.snapshot.t - r.from.snapshot.t} : extrapolate({firstT: r.from.snapshot.t, lastT: r.to.snapshot.t, samples: r.samples, first: 0, increase: 0}, r.endMs, r.rangeMs, r.version, false);
	let covered = span ? Math.min(r.rangeMs, span.spanMs) : 0;
	const reasons = new Set<WindowPartial['reasons'][number]>();
	if (covered < r.rangeMs - 1) reasons.add('filling');
	for (let i = firstIndex + 1; i <= lastIndex; i++) {
		const entry = history.at(i)!;
		if (entry.resets.length === 0) continue;
		covered -= entry.snapshot.t - history.at(i - 1)!.snapshot.t;
		reasons.add('restart');
	}
	covered = Math.max(0, Math.round(covered));
	// Extrapolation may leave a rounding hair below the window: that is the whole window.
	if (reasons.size === 0) return {coveredMs: r.rangeMs, partial: null};
	return {coveredMs: covered, partial: {reasons: [...reasons], coveredMs: covered}};
}

function topFinite(les: readonly number[]): number | undefined {
	for (let i = les.length - 1; i >= 0; i--) if (Number.isFinite(les[i]!)) return les[i]!;
	return undefined;
}
