/**
 * The snapshot builder as it was before buildSnapshot was compiled into plans (commit 334f890's
 * source/metrics/snapshot.ts, unchanged but for import paths and exports, its types imported from
 * the source): an independent oracle the plan-based buildSnapshot and the scrape cache are
 * compared against.
 */
/**
 * Parsed families → one value per semantic key, through the catalog. Several series of one family
 * (pid-labelled gauges, labelled histograms, DP ranks behind one endpoint) are combined here, once.
 */
import type {Family, Labels, ParseResult} from '../../source/prom/types.js';
import type {CatalogEntry, Combine, Engine} from '../../source/metrics/catalog-types.js';
import {catalogEntryForFamily} from '../../source/metrics/catalog.js';
import {formatGoFloat, parseGoFloat} from '../../source/prom/float.js';
import {bucketOrder, untrusted} from '../../source/metrics/trust.js';
import {sampleLabel, sampleLabelCount} from '../../source/prom/parse.js';
import type {Bucket} from '../../source/metrics/quantile.js';
import type {HistogramData, MetricData, Snapshot} from '../../source/metrics/snapshot.js';

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


function combine(values: number[], how: Combine): number {
	const finite = values.filter(v => Number.isFinite(v));
	if (finite.length === 0) return values[0] ?? Number.NaN;
	switch (how) {
		case 'sum':
			return finite.reduce((a, b) => a + b, 0);
		case 'max':
			return Math.max(...finite);
		case 'mean':
			return finite.reduce((a, b) => a + b, 0) / finite.length;
		case 'first':
			return finite[0]!;
		case 'live':
			// Added with the rule (issue 14): one scrape cannot tell the live series, so their mean.
			return finite.reduce((a, b) => a + b, 0) / finite.length;
	}
}

function layoutKey(labels: Labels): string {
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

/** Merge every series of a histogram family bucket by bucket (PromQL `sum by (le)`). */
export function histogramFromFamily(family: Family): {hist: HistogramData; layoutsDiffer: boolean; duplicateBound?: number} | undefined {
	// The common case first: one series (buckets labelled by `le` alone), usually in ascending order.
	const les: number[] = [];
	const values: number[] = [];
	let sum = 0;
	let count = 0;
	let ascending = true;
	for (const sample of family.samples) {
		const {name} = sample;
		if (name.endsWith('_bucket')) {
			if (sampleLabelCount(sample) > 1) return mergedHistogram(family);
			const le = parseLe(sampleLabel(sample, 'le') ?? '');
			if (le === undefined) continue;
			if (les.length > 0 && !(le > les[les.length - 1]!)) ascending = false;
			les.push(le);
			values.push(sample.value);
		} else if (name.endsWith('_sum')) {
			sum += sample.value;
		} else if (name.endsWith('_count')) {
			count += sample.value;
		}
	}
	if (les.length === 0) return undefined;
	// Out of order, or one bound written twice ("1" and "1.0"): merge by bound as the general case does.
	if (!ascending) return mergedHistogram(family);
	return {hist: new Hist(internLayout(family.name, les), Float64Array.from(values), sum, count), layoutsDiffer: false};
}

/**
 * Several series (labels besides `le`), or buckets out of order: merged through a map by bound.
 * Layouts differ when some bound is missing from some series: each bound must then occur in as
 * many buckets as there are series (`_count` samples; without any, the most frequent bound's).
 */
function mergedHistogram(family: Family): {hist: HistogramData; layoutsDiffer: boolean; duplicateBound?: number} | undefined {
	const byLe = new Map<number, number>();
	// Per bound, the series (labels but `le`) seen: a series seen twice writes the bound twice.
	const seriesAt = new Map<number, Set<string>>();
	let duplicateBound: number | undefined;
	const occurrences = new Map<number, number>();
	let sum = 0;
	let count = 0;
	let series = 0;
	// Only a family with labels besides `le` (several series) can have differing layouts.
	let labelled = false;
	for (const sample of family.samples) {
		const {name} = sample;
		if (name.endsWith('_bucket')) {
			const le = parseLe(sampleLabel(sample, 'le') ?? '');
			if (le === undefined) continue;
			byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
			occurrences.set(le, (occurrences.get(le) ?? 0) + 1);
			const id = Object.keys(sample.labels).filter(k => k !== 'le').sort().map(k => `${k}=${sample.labels[k]}`).join('\u0000');
			const seen = seriesAt.get(le) ?? new Set<string>();
			if (seen.has(id) && duplicateBound === undefined) duplicateBound = le;
			seen.add(id);
			seriesAt.set(le, seen);
			if (!labelled && sampleLabelCount(sample) > 1) labelled = true;
		} else if (name.endsWith('_sum')) {
			sum += sample.value;
		} else if (name.endsWith('_count')) {
			count += sample.value;
			series++;
		}
	}
	if (byLe.size === 0) return undefined;
	const les = [...byLe.keys()].sort((a, b) => a - b);
	const counts = Float64Array.from(les, le => byLe.get(le)!);
	const expected = series > 0 ? series : Math.max(...occurrences.values());
	let layoutsDiffer = false;
	if (labelled) for (const n of occurrences.values()) if (n !== expected) layoutsDiffer = true;
	return {hist: new Hist(internLayout(family.name, les), counts, sum, count), layoutsDiffer, ...(duplicateBound === undefined ? {} : {duplicateBound})};
}

/**
 * The parser hands out slices of the scrape text; a slice kept in history would keep the whole
 * scrape alive with it. Strings that outlive the scrape are copied.
 */
function detach(text: string): string {
	return Buffer.from(text, 'utf8').toString('utf8');
}

// A labelled counter's series keys and an info metric's labels repeat in every scrape: one
// detached copy of each is shared.
const seriesKeys = new Map<string, string>();

function detachedKey(key: string): string {
	let kept = seriesKeys.get(key);
	if (kept === undefined) {
		if (seriesKeys.size > 100_000) seriesKeys.clear();
		kept = detach(key);
		seriesKeys.set(kept, kept);
	}
	return kept;
}

function scalarFromFamily(family: Family, how: Combine): number | undefined {
	const {samples} = family;
	// One series (most gauges and counters): whatever the rule, its own value.
	if (samples.length === 1) return samples[0]!.value;
	const values: number[] = [];
	for (const sample of family.samples) values.push(sample.value);
	return values.length === 0 ? undefined : combine(values, how);
}

function read(entry: CatalogEntry, family: Family, warnings: string[]): MetricData | undefined {
	switch (entry.kind) {
		case 'histogram': {
			const result = histogramFromFamily(family);
			if (!result) return undefined;
			if (result.duplicateBound !== undefined) {
				warnings.push(`${detach(family.name)}: bucket le=${formatGoFloat(result.duplicateBound)} is written more than once in one series; not shown`);
				return undefined;
			}
			if (result.layoutsDiffer) warnings.push(`${detach(family.name)}: series have different bucket layouts; merged by bound`);
			return {kind: 'histogram', hist: result.hist};
		}
		case 'counter': {
			const value = scalarFromFamily(family, 'sum');
			if (value === undefined) return undefined;
			let series: Map<string, number> | undefined;
			for (const sample of family.samples) {
				if (sampleLabelCount(sample) === 0) continue;
				series ??= new Map();
				const key = detachedKey(layoutKey(sample.labels));
				series.set(key, (series.get(key) ?? 0) + sample.value);
			}
			return series ? {kind: 'counter', value, series} : {kind: 'counter', value};
		}
		case 'gauge': {
			const value = scalarFromFamily(family, entry.combine);
			return value === undefined ? undefined : {kind: 'gauge', value};
		}
		case 'info': {
			const first = family.samples[0];
			if (!first) return undefined;
			const labels: Record<string, string> = {};
			for (const [name, value] of Object.entries(first.labels)) labels[detachedKey(name)] = detachedKey(value);
			return {kind: 'info', labels};
		}
	}
}

/** Build the semantic snapshot of one scrape. Pure. */
export function referenceSnapshot(parsed: ParseResult, t: number): Snapshot {
	const metrics = new Map<string, MetricData>();
	const wireNames = new Map<string, string>();
	const rank = new Map<string, number>();
	const engineVotes = new Map<Engine, number>();
	const warnings: string[] = [];
	const duplicated = new Set(parsed.duplicateFamilies);
	const chosen = new Map<string, {entry: CatalogEntry; family: Family}>();
	for (const family of parsed.families) {
		const match = catalogEntryForFamily(family.name);
		if (duplicated.has(family.name)) {
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
		const data = read(entry, family, warnings);
		if (!data) continue;
		metrics.set(entry.key, data);
		wireNames.set(entry.key, found >= 0 ? names[found]! : detach(family.name));
		chosen.set(entry.key, {entry, family});
		rank.set(entry.key, position);
	}
	// Values are checked after the families are chosen: an untrusted one leaves its key absent.
	for (const [key, {entry, family}] of chosen) {
		const reason = entry.kind === 'info' ? null : untrusted(entry, family.samples);
		if (reason !== null) {
			warnings.push(`${wireNames.get(key)}: ${reason}; not shown`);
			metrics.delete(key);
			wireNames.delete(key);
			continue;
		}
		const order = bucketOrder(metrics.get(key)!);
		if (order !== null) warnings.push(`${wireNames.get(key)}: ${order}`);
	}
	let engine: Engine | null = null;
	let best = 0;
	for (const [name, votes] of engineVotes) {
		if (votes > best) {
			best = votes;
			engine = name;
		}
	}
	return {t, engine, metrics, wireNames, warnings};
}
