/**
 * Families and samples: which family a sample joins, and histogram (and summary, counter)
 * assembly. Samples join by suffix, never by position: FastDeploy 2.3 prints `_sum` before the
 * buckets and spreads one histogram's series across the family (multiprocess collector); a sample
 * seen before its family's TYPE is adopted when the TYPE comes. Duplicate series keep the last
 * value in the place of the first; series past `maxSeries` are counted, not kept.
 */
import {sameText} from './lexer.js';
import {clip} from './parse-errors.js';
import {SeriesTable} from './series-table.js';
import type {MetricType, Sample} from './types.js';

/** OpenMetrics `unknown` is accepted as a spelling of `untyped`; anything else unknown is an error. */
export const METRIC_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
	['counter', 'counter'],
	['gauge', 'gauge'],
	['histogram', 'histogram'],
	['summary', 'summary'],
	['untyped', 'untyped'],
	['unknown', 'untyped'],
]);

/** Sample-name suffixes a declared family owns besides its own name (scrape.go isSeriesPartOfFamily). */
export const OWNED_SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
	counter: ['_total'],
	gauge: [],
	histogram: ['_bucket', '_sum', '_count'],
	summary: ['_sum', '_count'],
	untyped: [],
};

export const CREATED = '_created';

let nextFamilyId = 1;

export class FamilyBuilder {
	readonly samples: Sample[] = [];
	/** Distinct per family of one parse (mixed into series prints). */
	readonly id = nextFamilyId++;
	/** SeriesTable entry of each sample. */
	readonly entries: number[] = [];
	typed = false;
	help = '';
	unit = '';

	constructor(
		readonly name: string,
		public type: MetricType,
		/** Position in first-seen order. */
		public slot: number,
	) {}
}

/** A sample name with the family it resolved to; the name string is shared by all its samples. */
export interface ResolvedName {
	readonly name: string;
	readonly family: FamilyBuilder;
	/** First seen written without quotes (legacy charset): the fast path may match it in place. */
	readonly legacy: boolean;
	/** Sticky regex matching the name followed by `{` or a space; made once the name repeats. */
	matcher: RegExp | undefined;
}

/** The families of one parse, in first-seen order, and the samples in them; the line grammar builds on it. */
export class FamilyAssembler {
	protected createdSamples = 0;
	protected duplicateSamples = 0;
	protected readonly duplicated = new Set<FamilyBuilder>();
	protected readonly order: (FamilyBuilder | null)[] = [];
	protected readonly byName = new Map<string, FamilyBuilder>();
	protected readonly resolved = new Map<string, ResolvedName>();
	protected last: ResolvedName | null = null;
	protected readonly series: SeriesTable;
	/** Families not (yet) declared by a TYPE: only they can be adopted by a later TYPE. */
	protected untyped = 0;
	protected seriesCount = 0;
	protected droppedSamples = 0;

	constructor(
		protected readonly text: string,
		protected readonly maxSeries: number,
	) {
		this.series = new SeriesTable(text.length);
	}

	protected family(name: string): FamilyBuilder {
		let family = this.byName.get(name);
		if (family === undefined) {
			family = new FamilyBuilder(name, 'untyped', this.order.length);
			this.untyped++;
			this.order.push(family);
			this.byName.set(name, family);
		}
		return family;
	}

	protected declare(name: string, type: MetricType): string | null {
		const family = this.family(name);
		if (family.typed) {
			return family.type === type ? null : `TYPE ${type} for ${clip(name)} conflicts with the earlier TYPE ${family.type}`;
		}
		family.type = type;
		family.typed = true;
		this.untyped--;
		// Samples that arrived before their TYPE live in implicit untyped families: fold them in.
		if (this.untyped > 0) for (const suffix of OWNED_SUFFIXES[type]) this.adopt(family, name + suffix);
		this.resolved.clear();
		this.last = null;
		return null;
	}

	protected adopt(family: FamilyBuilder, name: string): void {
		const orphan = this.byName.get(name);
		if (orphan === undefined || orphan.typed || orphan === family) return;
		orphan.samples.forEach((sample, i) => {
			const [source, from, block, to] = this.series.key(orphan.entries[i]!);
			this.addSample(family, source, from, block, to, sample);
		});
		if (family.help === '') family.help = orphan.help;
		if (family.unit === '') family.unit = orphan.unit;
		this.byName.delete(name);
		this.untyped--;
		this.order[orphan.slot] = null;
		if (orphan.slot < family.slot) {
			this.order[family.slot] = null;
			this.order[orphan.slot] = family;
			family.slot = orphan.slot;
		}
	}

	/** Adds a sample whose series key is `source[from, to)` (labels from `block`), or replaces the sample of an equal key. */
	protected addSample(family: FamilyBuilder, source: string, from: number, block: number, to: number, sample: Sample): void {
		const found = this.series.find(family, source, from, block, to);
		if (found >= 0) {
			family.samples[this.series.index[found]!] = sample;
			this.duplicateSamples++;
			this.duplicated.add(family);
			return;
		}
		// A cardinality cap keeps memory bounded: series past it are counted, not kept.
		if (this.seriesCount >= this.maxSeries) {
			this.droppedSamples++;
			return;
		}
		this.seriesCount++;
		family.entries.push(this.series.add(found, family, source, from, block, to, family.samples.length));
		family.samples.push(sample);
	}

	/** Consecutive samples usually share a name (buckets): compare in place before slicing. */
	protected resolveRange(start: number, end: number): ResolvedName {
		const last = this.last;
		if (last !== null && sameText(this.text, start, end, last.name)) return last;
		return this.resolveName(this.text.slice(start, end), true);
	}

	protected resolveName(name: string, legacy: boolean): ResolvedName {
		let resolved = this.resolved.get(name);
		if (resolved === undefined) {
			resolved = {name, family: this.familyFor(name), legacy, matcher: undefined};
			this.resolved.set(name, resolved);
		}
		this.last = resolved;
		return resolved;
	}

	/** Declared exact name, then a declared family owning the suffix, then an untyped family. */
	protected familyFor(name: string): FamilyBuilder {
		const exact = this.byName.get(name);
		if (exact !== undefined && exact.typed) return exact;
		const owner = this.suffixOwner(name);
		return owner ?? exact ?? this.family(name);
	}

	protected suffixOwner(name: string): FamilyBuilder | undefined {
		let owner: FamilyBuilder | undefined;
		if (name.endsWith('_bucket')) {
			owner = this.byName.get(name.slice(0, -7));
			return owner?.typed && owner.type === 'histogram' ? owner : undefined;
		}
		const suffix = name.endsWith('_sum') ? 4 : name.endsWith('_count') ? 6 : 0;
		if (suffix !== 0) {
			owner = this.byName.get(name.slice(0, -suffix));
			return owner?.typed && (owner.type === 'histogram' || owner.type === 'summary') ? owner : undefined;
		}
		if (name.endsWith('_total')) {
			owner = this.byName.get(name.slice(0, -6));
			return owner?.typed && owner.type === 'counter' ? owner : undefined;
		}
		return undefined;
	}
}
