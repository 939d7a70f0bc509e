/**
 * History → the figures every view and report shows: windowed and lifetime histogram statistics,
 * counter rates, gauge values, per-scrape chart series and events. Computed once per scrape.
 */
import type {CatalogEntry, Engine} from './catalog-types.js';
import {CATALOG_BY_KEY} from './catalog.js';
import {sameBounds, type History, type HistoryEntry} from './history.js';
import {bucketQuantile, normaliseBuckets, shareAboveTop, type Bucket, type QuantileResult} from './quantile.js';
import type {HistogramData} from './snapshot.js';
import type {Labels} from '../prom/types.js';

export interface HistogramStats {
	/** Observations (Δcount over a window, the cumulative count for lifetime). */
	readonly count: number;
	readonly sum: number;
	/** sum / count, null without observations. */
	readonly mean: number | null;
	/** Observations per second (window only; null for lifetime). */
	readonly rate: number | null;
	readonly p50: QuantileResult;
	readonly p90: QuantileResult;
	readonly p99: QuantileResult;
	/** Share of observations above the top finite bucket (0–1), null without observations. */
	readonly aboveTopShare: number | null;
	/** Normalised cumulative buckets the figures were computed from (for bucket bars). */
	readonly buckets: readonly Bucket[];
}

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
	| {readonly kind: 'gauge'; readonly entry: CatalogEntry; readonly value: number}
	| {readonly kind: 'info'; readonly entry: CatalogEntry; readonly labels: Labels};

/** Per-scrape chart values. Missing values are NaN (a gap), never 0. */
export interface Series {
	readonly mean?: readonly number[];
	readonly p50?: readonly number[];
	readonly p90?: readonly number[];
	readonly p99?: readonly number[];
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

export interface Derived {
	readonly t: number;
	readonly windowMs: number;
	/** Time actually covered by the window's scrapes (shorter while the history fills). */
	readonly coveredMs: number;
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

const NONE_Q: QuantileResult = Object.freeze({value: null, aboveTopBucket: false});

/** Mean, rate and percentiles of cumulative buckets; `seconds` is the time they span (null: lifetime). */
export function histogramStats(buckets: readonly Bucket[], sum: number, count: number, seconds: number | null): HistogramStats {
	const normalised = normaliseBuckets(buckets);
	const hasObservations = count > 0;
	return {
		count,
		sum,
		mean: hasObservations ? sum / count : null,
		rate: seconds !== null && seconds > 0 ? count / seconds : null,
		p50: hasObservations ? bucketQuantile(0.5, normalised) : NONE_Q,
		p90: hasObservations ? bucketQuantile(0.9, normalised) : NONE_Q,
		p99: hasObservations ? bucketQuantile(0.99, normalised) : NONE_Q,
		aboveTopShare: hasObservations ? shareAboveTop(normalised) : null,
		buckets: normalised,
	};
}

function lifetimeStats(hist: HistogramData): HistogramStats {
	return histogramStats(hist.buckets, hist.sum, hist.count, null);
}

/**
 * Statistics of the observations made between two entries: the raw difference, plus the buckets
 * just before each restart in between (Prometheus' reset rule). Null when the bucket layout
 * changed in between, which would make a bucket-by-bucket difference meaningless.
 */
export function deltaStats(history: History, from: HistoryEntry, to: HistoryEntry, key: string): HistogramStats | null {
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
	return histogramStats(
		les.map((le, i) => ({le, count: counts[i]!})),
		sum,
		count,
		seconds,
	);
}

export function counterRate(history: History, from: HistoryEntry, to: HistoryEntry, key: string): number | null {
	const a = from.snapshot.metrics.get(key);
	const b = to.snapshot.metrics.get(key);
	const seconds = (to.snapshot.t - from.snapshot.t) / 1000;
	if (a?.kind !== 'counter' || b?.kind !== 'counter' || !(seconds > 0)) return null;
	return (b.value - a.value + history.correctionOf(key, from, to)) / seconds;
}

interface Point {
	readonly values: ReadonlyMap<string, Record<string, number>>;
}

// Chart points depend only on an entry and its predecessors, so they are computed once per entry.
const pointCache = new WeakMap<HistoryEntry, {span: number; point: Point}>();

function pointFor(history: History, index: number, spanMs: number): Point {
	const entry = history.at(index)!;
	const cached = pointCache.get(entry);
	if (cached && cached.span === spanMs) return cached.point;
	const fromIndex = Math.min(history.indexFrom(entry.snapshot.t - spanMs), index - 1);
	const from = fromIndex >= 0 ? history.at(fromIndex) : undefined;
	const values = new Map<string, Record<string, number>>();
	for (const [key, data] of entry.snapshot.metrics) {
		if (data.kind === 'gauge') {
			values.set(key, {value: data.value});
		} else if (data.kind === 'counter') {
			const rate = from ? counterRate(history, from, entry, key) : null;
			values.set(key, {rate: rate ?? Number.NaN});
		} else if (data.kind === 'histogram') {
			const s = from ? deltaStats(history, from, entry, key) : null;
			values.set(key, {
				mean: s?.mean ?? Number.NaN,
				p50: s?.p50.value ?? Number.NaN,
				p90: s?.p90.value ?? Number.NaN,
				p99: s?.p99.value ?? Number.NaN,
			});
		}
	}
	const point = {values};
	pointCache.set(entry, {span: spanMs, point});
	return point;
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
			const fields = pointFor(this.history, this.first + k, this.spanMs).values.get(key);
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
	/** Trailing span each chart point summarises; defaults to max(10 s, 2 scrapes). */
	readonly chartSpanMs?: number;
}

/** Derive everything for the newest entry of a history. Pure apart from the per-entry cache. */
export function derive(history: History, options: DeriveOptions): Derived | null {
	const last = history.last;
	if (!last) return null;
	const lastIndex = history.size - 1;
	const t = last.snapshot.t;
	const firstIndex = Math.max(0, history.indexFrom(t - options.windowMs));
	const first = history.at(firstIndex)!;
	const hasWindow = firstIndex < lastIndex;
	const previous = lastIndex > 0 ? history.at(lastIndex - 1) : undefined;
	const interval = previous ? t - previous.snapshot.t : 1000;
	const chartSpanMs = options.chartSpanMs ?? Math.max(10_000, 2 * interval);
	const resetKeys = new Set(last.resets);

	const metrics = new Map<string, DerivedMetric>();
	for (const [key, data] of last.snapshot.metrics) {
		const entry = CATALOG_BY_KEY.get(key);
		if (!entry) continue;
		switch (data.kind) {
			case 'histogram': {
				const lifetime = lifetimeStats(data.hist);
				metrics.set(key, {
					kind: 'histogram',
					entry,
					allZero: data.hist.count === 0,
					topBucket: topFinite(data.hist.les) ?? entry.topBucket ?? null,
					lifetime,
					window: hasWindow ? deltaStats(history, first, last, key) : null,
					reset: resetKeys.has(key),
				});
				break;
			}
			case 'counter':
				metrics.set(key, {
					kind: 'counter',
					entry,
					value: data.value,
					rate: hasWindow ? counterRate(history, first, last, key) : null,
					reset: resetKeys.has(key),
					allZero: data.value === 0,
				});
				break;
			case 'gauge':
				metrics.set(key, {kind: 'gauge', entry, value: data.value});
				break;
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
	const before = lastSeries.get(history);
	const series = new LazySeries(history, firstIndex, lastIndex, chartSpanMs, before);
	// Each derive holds on to one predecessor at most: the chain never grows.
	before?.release();
	lastSeries.set(history, series);

	return {
		t,
		windowMs: options.windowMs,
		coveredMs: t - first.snapshot.t,
		scrapes: lastIndex - firstIndex + 1,
		engine: last.snapshot.engine,
		metrics,
		chartSpanMs,
		times,
		series,
		events,
	};
}

function topFinite(les: readonly number[]): number | undefined {
	for (let i = les.length - 1; i >= 0; i--) if (Number.isFinite(les[i]!)) return les[i]!;
	return undefined;
}
