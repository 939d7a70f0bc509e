/**
 * Histograms from a family's samples: which sample makes which bucket (planned from names and
 * labels alone, never values, so a plan is reused for every scrape of one shape), and the merge of
 * several series bucket by bucket (PromQL `sum by (le)`). Also the copies that keep history from
 * holding a whole scrape's text (detach). snapshot.ts reads every catalog entry with these.
 */
import type {Family, Labels, Sample} from '../prom/types.js';
import {parseGoFloat} from '../prom/float.js';
import {sampleLabel, sampleLabelCount} from '../prom/parse.js';
import type {Bucket} from './quantile.js';
import {maxOf} from '../arrays.js';

export interface HistogramData {
	/** Bucket bounds, ascending, shared between scrapes with the same layout. */
	readonly les: readonly number[];
	/** Cumulative counts per bound, merged over series by `le`. */
	readonly counts: Float64Array;
	readonly sum: number;
	readonly count: number;
	/** The same as {le, count} pairs (built on each access: for tests and one-off use). */
	readonly buckets: readonly Bucket[];
}

// Histories hold thousands of histograms: bounds are shared between scrapes of the same family
// (the last layout seen per family is reused when equal) and counts kept in typed arrays.
const layouts = new Map<string, readonly number[]>();

function internLayout(family: string, les: number[]): readonly number[] {
	const known = layouts.get(family);
	if (known && known.length === les.length) {
		let i = 0;
		while (i < les.length && known[i] === les[i]) i++;
		if (i === les.length) return known;
	}
	if (layouts.size > 10_000) layouts.clear();
	const shared = Object.freeze(les);
	layouts.set(detach(family), shared);
	return shared;
}

class Hist implements HistogramData {
	constructor(
		readonly les: readonly number[],
		readonly counts: Float64Array,
		readonly sum: number,
		readonly count: number,
	) {}

	get buckets(): Bucket[] {
		return this.les.map((le, i) => ({le, count: this.counts[i]!}));
	}
}

export function layoutKey(labels: Labels): string {
	let key = '';
	for (const name of Object.keys(labels).sort()) if (name !== 'le') key += `${name}=${labels[name]}\u0000`;
	return key;
}

// `le` texts repeat in every scrape: parse each once (NaN: not a bound).
const leValues = new Map<string, number>();

function parseLe(text: string): number | undefined {
	let le = leValues.get(text);
	if (le === undefined) {
		if (leValues.size > 10_000) leValues.clear();
		le = parseGoFloat(text) ?? Number.NaN;
		leValues.set(detach(text), le);
	}
	return Number.isNaN(le) ? undefined : le;
}

/**
 * Sums the values of the samples at `at`, in order, from 0 (as a running `+=` over the samples
 * would): sample `j`'s value is `values[index[j]]` (see SampleValues).
 */
export function sumAt(values: Float64Array, index: Int32Array, at: readonly number[]): number {
	let sum = 0;
	for (let i = 0; i < at.length; i++) sum += values[index[at[i]!]!]!;
	return sum;
}

/** A family's samples' values as SampleValues reads them: `values[index[j]]` is sample `j`'s. */
export function valuesOfSamples(samples: readonly Sample[]): {values: Float64Array; index: Int32Array} {
	const values = new Float64Array(samples.length);
	const index = new Int32Array(samples.length);
	for (let j = 0; j < samples.length; j++) {
		values[j] = samples[j]!.value;
		index[j] = j;
	}
	return {values, index};
}

export interface HistogramPlan {
	readonly les: readonly number[];
	/** One series: the bucket (sample index) of each bound, its value read as is (-0 stays -0). */
	readonly single?: readonly number[];
	/** Several series: per bound, the buckets (sample indices) summed from 0, in sample order. */
	readonly buckets?: readonly (readonly number[])[];
	readonly sums: readonly number[];
	readonly counts: readonly number[];
	readonly layoutsDiffer: boolean;
	/** A bound one series writes twice ("1" and "1.0"): the histogram cannot be read. */
	readonly duplicateBound?: number;
}

/** The histogram `plan` reads, sample `j`'s value being `values[index[j]]`, its counts written into `counts` (zeros, one per bound). */
export function readHistogram(plan: HistogramPlan, values: Float64Array, index: Int32Array, counts = new Float64Array(plan.les.length)): HistogramData {
	const {single, buckets} = plan;
	if (single) for (let i = 0; i < single.length; i++) counts[i] = values[index[single[i]!]!]!;
	else for (let i = 0; i < counts.length; i++) counts[i] = sumAt(values, index, buckets![i]!);
	return new Hist(plan.les, counts, sumAt(values, index, plan.sums), sumAt(values, index, plan.counts));
}

/** Merge every series of a histogram family bucket by bucket (PromQL `sum by (le)`). */
export function histogramFromFamily(family: Family): {hist: HistogramData; layoutsDiffer: boolean; duplicateBound?: number} | undefined {
	const plan = planHistogram(family);
	if (!plan) return undefined;
	const {values, index} = valuesOfSamples(family.samples);
	return {hist: readHistogram(plan, values, index), layoutsDiffer: plan.layoutsDiffer, ...(plan.duplicateBound === undefined ? {} : {duplicateBound: plan.duplicateBound})};
}

/** Which samples make which bucket, from names and labels alone (never values). */
export function planHistogram(family: Family): HistogramPlan | undefined {
	// The common case first: one series (buckets labelled by `le` alone), usually in ascending order.
	const les: number[] = [];
	const single: number[] = [];
	const sums: number[] = [];
	const counts: number[] = [];
	let ascending = true;
	const {samples} = family;
	for (let j = 0; j < samples.length; j++) {
		const sample = samples[j]!;
		const {name} = sample;
		if (name.endsWith('_bucket')) {
			if (sampleLabelCount(sample) > 1) return mergedHistogram(family);
			const le = parseLe(sampleLabel(sample, 'le') ?? '');
			if (le === undefined) continue;
			if (les.length > 0 && !(le > les[les.length - 1]!)) ascending = false;
			les.push(le);
			single.push(j);
		} else if (name.endsWith('_sum')) {
			sums.push(j);
		} else if (name.endsWith('_count')) {
			counts.push(j);
		}
	}
	if (les.length === 0) return undefined;
	// Out of order, or one bound written twice ("1" and "1.0"): merge by bound as the general case does.
	if (!ascending) return mergedHistogram(family);
	return {les: internLayout(family.name, les), single, sums, counts, layoutsDiffer: false};
}

/**
 * Several series (labels besides `le`), or buckets out of order: merged by bound.
 * Layouts differ when some bound is missing from some series: each bound must then occur in as
 * many buckets as there are series (`_count` samples; without any, the most frequent bound's).
 */
function mergedHistogram(family: Family): HistogramPlan | undefined {
	const byLe = new Map<number, number[]>();
	const sums: number[] = [];
	const counts: number[] = [];
	// Only a family with labels besides `le` (several series) can have differing layouts.
	let labelled = false;
	const {samples} = family;
	for (let j = 0; j < samples.length; j++) {
		const sample = samples[j]!;
		const {name} = sample;
		if (name.endsWith('_bucket')) {
			const le = parseLe(sampleLabel(sample, 'le') ?? '');
			if (le === undefined) continue;
			const at = byLe.get(le);
			if (at === undefined) byLe.set(le, [j]);
			else at.push(j);
			if (!labelled && sampleLabelCount(sample) > 1) labelled = true;
		} else if (name.endsWith('_sum')) {
			sums.push(j);
		} else if (name.endsWith('_count')) {
			counts.push(j);
		}
	}
	if (byLe.size === 0) return undefined;
	const les = [...byLe.keys()].sort((a, b) => a - b);
	const series = counts.length;
	const expected = series > 0 ? series : maxOf(Array.from(byLe.values(), at => at.length));
	let layoutsDiffer = false;
	if (labelled) for (const at of byLe.values()) if (at.length !== expected) layoutsDiffer = true;
	let duplicateBound: number | undefined;
	for (const [le, at] of byLe) {
		if (at.length < 2) continue;
		if (!labelled) {
			duplicateBound = le;
			break;
		}
		const seen = new Set<string>();
		for (const j of at) seen.add(layoutKey(samples[j]!.labels));
		if (seen.size < at.length) {
			duplicateBound = le;
			break;
		}
	}
	return {
		...(duplicateBound === undefined ? {} : {duplicateBound}),
		les: internLayout(family.name, les),
		buckets: les.map(le => byLe.get(le)!),
		sums,
		counts,
		layoutsDiffer,
	};
}

/**
 * The parser hands out slices of the scrape text; a slice kept in history would keep the whole
 * scrape alive with it. Strings that outlive the scrape are copied.
 */
export function detach(text: string): string {
	return Buffer.from(text, 'utf8').toString('utf8');
}

// A labelled counter's series keys and an info metric's labels repeat in every scrape: one
// detached copy of each is shared.
const seriesKeys = new Map<string, string>();

export function detachedKey(key: string): string {
	let kept = seriesKeys.get(key);
	if (kept === undefined) {
		if (seriesKeys.size > 100_000) seriesKeys.clear();
		kept = detach(key);
		seriesKeys.set(kept, kept);
	}
	return kept;
}
