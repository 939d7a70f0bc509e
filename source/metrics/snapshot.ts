/**
 * Parsed families → one value per semantic key, through the catalog. Several series of one family
 * (pid-labelled gauges, labelled histograms, DP ranks behind one endpoint) are combined here, once.
 */
import type {Family, Labels, ParseResult} from '../prom/types.js';
import type {CatalogEntry, Combine, Engine} from './catalog-types.js';
import {catalogEntryForFamily} from './catalog.js';
import {formatGoFloat} from '../prom/float.js';
import {sampleValues} from '../prom/parse-template-cache.js';
import {sampleLabelCount} from '../prom/parse.js';
import {bucketOrder, untrustedValues} from './trust.js';
import {detach, detachedKey, layoutKey, planHistogram, readHistogram, sumAt, type HistogramData} from './histogram-plan.js';
import {disagree} from './combine.js';

// Histogram planning and merging are in histogram-plan.ts; its public names are exported here too.
export {histogramFromFamily, type HistogramData} from './histogram-plan.js';

export type MetricData =
	| {readonly kind: 'histogram'; readonly hist: HistogramData}
	| {
			readonly kind: 'counter';
			/** Sum over the family's series. */
			readonly value: number;
			/** Each series' value by label set, for labelled families (resets are judged per series). */
			readonly series?: ReadonlyMap<string, number>;
	  }
	| {
			readonly kind: 'gauge';
			/** The series combined by the catalog's rule (`live`: their mean; derive picks the live ones). */
			readonly value: number;
			/** Several series: how many (and how many finite), their lowest and highest value. */
			readonly spread?: GaugeSpread;
			/** Each series' value by label set, for `live` gauges only (derive looks for the ones that move). */
			readonly series?: ReadonlyMap<string, number>;
	  }
	| {readonly kind: 'info'; readonly labels: Labels};

export interface GaugeSpread {
	readonly series: number;
	readonly finite: number;
	readonly min: number;
	readonly max: number;
}

export interface Snapshot {
	/** Scrape time, milliseconds since the epoch (fdtop's clock, never the exposed timestamps). */
	readonly t: number;
	/** The engine whose names matched most, or null when nothing known matched. */
	readonly engine: Engine | null;
	readonly metrics: ReadonlyMap<string, MetricData>;
	/** The wire family each key was read from. */
	readonly wireNames: ReadonlyMap<string, string>;
	/** Notes about data that could not be combined cleanly. */
	readonly warnings: readonly string[];
}

/**
 * How to read a family's data from its samples' values (sample `j`'s is `values[index[j]]`, see
 * SampleValues): everything else is decided once.
 */
type Reader = (values: Float64Array, index: Int32Array, pool: CountPool) => MetricData;

/**
 * Where one snapshot's histograms keep their bucket counts: views of one buffer sized by the plan,
 * instead of one buffer each (a snapshot is kept for the whole history).
 */
class CountPool {
	#at = 0;
	constructor(readonly buffer: Float64Array<ArrayBuffer>) {}

	take(n: number): Float64Array<ArrayBuffer> {
		const at = this.#at;
		if (at + n > this.buffer.length) return new Float64Array(n);
		this.#at = at + n;
		return this.buffer.subarray(at, at + n);
	}
}

/**
 * One value from a family's samples under `how` (one series: its own value, whatever the rule):
 * combine() over their values, without an array (the same additions in the same order).
 */
function readScalar(values: Float64Array, index: Int32Array, how: Combine): number {
	if (index.length === 1) return values[index[0]!]!;
	let finite = 0;
	let sum = 0;
	let max = Number.NEGATIVE_INFINITY;
	let first = Number.NaN;
	for (let j = 0; j < index.length; j++) {
		const v = values[index[j]!]!;
		if (!Number.isFinite(v)) continue;
		if (finite === 0) first = v;
		finite++;
		sum += v;
		// As maxOf: -0 gives way to 0.
		if (v > max || (v === 0 && max === 0 && Object.is(max, -0))) max = v;
	}
	if (finite === 0) return index.length > 0 ? values[index[0]!]! : Number.NaN;
	switch (how) {
		case 'sum':
			return sum;
		case 'max':
			return max;
		case 'first':
			return first;
		case 'mean':
		case 'live':
			// Without history every series counts (live): derive narrows it to the ones that move.
			return sum / finite;
	}
}

/** How to read `family` for `entry`, or undefined when it holds nothing to read (never looks at values). */
/** `sizes.buckets`: grown by the bounds of each histogram read (the size of a snapshot's CountPool). */
function plan(entry: CatalogEntry, family: Family, warnings: string[], sizes: {buckets: number}): Reader | undefined {
	const {samples} = family;
	switch (entry.kind) {
		case 'histogram': {
			const histogram = planHistogram(family);
			if (!histogram) return undefined;
			if (histogram.duplicateBound !== undefined) {
				warnings.push(`${detach(family.name)}: bucket le=${formatGoFloat(histogram.duplicateBound)} is written more than once in one series; not shown`);
				return undefined;
			}
			if (histogram.layoutsDiffer) warnings.push(`${detach(family.name)}: series have different bucket layouts; merged by bound`);
			sizes.buckets += histogram.les.length;
			const bounds = histogram.les.length;
			return (values, index, pool) => ({kind: 'histogram', hist: readHistogram(histogram, values, index, pool.take(bounds))});
		}
		case 'counter': {
			if (samples.length === 0) return undefined;
			// Each labelled series' key, once: the samples summed into it, in order.
			let series: Map<string, number[]> | undefined;
			for (let j = 0; j < samples.length; j++) {
				const sample = samples[j]!;
				if (sampleLabelCount(sample) === 0) continue;
				series ??= new Map();
				const key = detachedKey(layoutKey(sample.labels));
				const at = series.get(key);
				if (at === undefined) series.set(key, [j]);
				else at.push(j);
			}
			if (series === undefined) return (values, index) => ({kind: 'counter', value: readScalar(values, index, 'sum')});
			const keys = [...series.keys()];
			const at = [...series.values()];
			return (values, index) => {
				const bySeries = new Map<string, number>();
				for (let i = 0; i < keys.length; i++) bySeries.set(keys[i]!, sumAt(values, index, at[i]!));
				return {kind: 'counter', value: readScalar(values, index, 'sum'), series: bySeries};
			};
		}
		case 'gauge': {
			if (samples.length === 0) return undefined;
			const how = entry.combine;
			if (samples.length === 1) return (values, index) => ({kind: 'gauge', value: readScalar(values, index, how)});
			const keys = how === 'live' ? samples.map(sample => detachedKey(layoutKey(sample.labels))) : undefined;
			return (values, index) => {
				let finite = 0;
				let min = Number.POSITIVE_INFINITY;
				let max = Number.NEGATIVE_INFINITY;
				for (let i = 0; i < index.length; i++) {
					const v = values[index[i]!]!;
					if (!Number.isFinite(v)) continue;
					finite++;
					if (v < min) min = v;
					if (v > max) max = v;
				}
				const spread = {series: index.length, finite, min, max};
				if (!keys) return {kind: 'gauge', value: readScalar(values, index, how), spread};
				const series = new Map<string, number>();
				for (let i = 0; i < keys.length; i++) series.set(keys[i]!, values[index[i]!]!);
				return {kind: 'gauge', value: readScalar(values, index, how), spread, series};
			};
		}
		case 'info': {
			const first = samples[0];
			if (!first) return undefined;
			const kept: Record<string, string> = {};
			for (const [name, value] of Object.entries(first.labels)) kept[detachedKey(name)] = detachedKey(value);
			// Labels only, the same in every scrape of this shape: one object for all of them (read-only).
			const data: MetricData = {kind: 'info', labels: kept};
			return () => data;
		}
	}
}

interface Step {
	readonly key: string;
	readonly entry: CatalogEntry;
	readonly wireName: string;
	readonly family: number;
	/** The family's sample names (for untrusted's notes). */
	readonly names: readonly string[];
	readonly read: Reader;
}

/**
 * What a scrape's snapshot is made of, decided from its families' names, types and labels alone:
 * which family feeds which key, which samples feed which bucket, the engine and the warnings.
 * `build` reads the values. A scrape of the same shape (same families and samples in the same
 * order, with the same names and labels: what the scrape cache's hits guarantee) gives, with this
 * plan, exactly the snapshot its own plan gives.
 */
export class SnapshotPlan {
	readonly #steps: readonly Step[];
	readonly #engine: Engine | null;
	readonly #warnings: readonly string[];
	/** Every step's wire name: the snapshot's own when no step is skipped (shared, read-only). */
	readonly #wireNames: ReadonlyMap<string, string>;
	/** Bounds over every histogram step (a key read again may count twice: only a few spare slots). */
	readonly #buckets: number;

	constructor(parsed: ParseResult) {
		const sizes = {buckets: 0};
		const steps = new Map<string, Step>();
		const rank = new Map<string, number>();
		const engineVotes = new Map<Engine, number>();
		const warnings: string[] = [];
		const {families} = parsed;
		const duplicated = new Set(parsed.duplicateFamilies);
		for (let f = 0; f < families.length; f++) {
			const family = families[f]!;
			const match = catalogEntryForFamily(family.name);
			if (duplicated.has(family.name)) {
				// Which of two values of one series is right cannot be known: a figure from the family is not shown.
				warnings.push(`${detach(family.name)}: a series is written more than once (the last value is kept in the list)${match ? '; its figures are not shown' : ''}`);
				if (match) continue;
			}
			if (!match) continue;
			const {entry, engine} = match;
			engineVotes.set(engine, (engineVotes.get(engine) ?? 0) + 1);
			// Several wire names may serve one key (old and new vLLM names): the earlier-listed wins.
			const names = entry.wire[engine] ?? [];
			const found = names.indexOf(family.name);
			const position = Math.max(0, found);
			const previous = rank.get(entry.key);
			if (previous !== undefined && previous <= position) continue;
			const read = plan(entry, family, warnings, sizes);
			if (!read) continue;
			// A key read again keeps its first place in the maps (as Map.set does), with the new reader.
			steps.set(entry.key, {key: entry.key, entry, wireName: found >= 0 ? names[found]! : detach(family.name), family: f, names: family.samples.map(s => s.name), read});
			rank.set(entry.key, position);
		}
		let engine: Engine | null = null;
		let best = 0;
		for (const [name, votes] of engineVotes) {
			if (votes > best) {
				best = votes;
				engine = name;
			}
		}
		this.#steps = [...steps.values()];
		this.#engine = engine;
		this.#warnings = warnings;
		this.#wireNames = new Map(this.#steps.map(step => [step.key, step.wireName]));
		this.#buckets = sizes.buckets;
	}

	/** The snapshot of `parsed`, a scrape of the shape this plan was made from. */
	build(parsed: ParseResult, t: number): Snapshot {
		// The values alone: a scrape cache hit's Sample objects are never made for a snapshot.
		const {values, lines} = sampleValues(parsed);
		const metrics = new Map<string, MetricData>();
		const pool = new CountPool(new Float64Array(this.#buckets));
		// The plan's wire names and warnings are the snapshot's unless a value adds a warning or
		// skips a step: only then are they copied (a snapshot's maps and lists are read-only).
		let wireNames: Map<string, string> | undefined;
		let warnings: string[] | undefined;
		const steps = this.#steps;
		for (let s = 0; s < steps.length; s++) {
			const step = steps[s]!;
			const index = lines[step.family]!;
			const reason = step.entry.kind === 'info' ? null : untrustedValues(step.entry, values, index, step.names);
			if (reason !== null) {
				(warnings ??= this.#warnings.slice()).push(`${step.wireName}: ${reason}; not shown`);
				if (wireNames === undefined) {
					wireNames = new Map();
					for (let k = 0; k < s; k++) if (metrics.has(steps[k]!.key)) wireNames.set(steps[k]!.key, steps[k]!.wireName);
				}
				continue;
			}
			const data = step.read(values, index, pool);
			const order = bucketOrder(data);
			if (order !== null) (warnings ??= this.#warnings.slice()).push(`${step.wireName}: ${order}`);
			if (data.kind === 'gauge' && data.spread && disagree(step.entry, data.spread.min, data.spread.max)) {
				const {series, min, max} = data.spread;
				(warnings ??= this.#warnings.slice()).push(`${step.wireName}: its ${series} series disagree (${short(min)} to ${short(max)}); shown: ${SHOWN[step.entry.combine]}`);
			}
			metrics.set(step.key, data);
			wireNames?.set(step.key, step.wireName);
		}
		return {t, engine: this.#engine, metrics, wireNames: wireNames ?? this.#wireNames, warnings: warnings ?? this.#warnings};
	}
}

/** What a gauge's figure is when its series disagree (the warning's last words). */
const SHOWN: Record<Combine, string> = {
	sum: 'their sum',
	max: 'the highest',
	mean: 'their average',
	first: 'the first series',
	live: 'the series that moved in the window (a dead worker\'s stays at its last value), else their average',
};

function short(v: number): string {
	return String(Number(v.toPrecision(3)));
}

/** Build the semantic snapshot of one scrape. Pure. */
export function buildSnapshot(parsed: ParseResult, t: number): Snapshot {
	return new SnapshotPlan(parsed).build(parsed, t);
}
