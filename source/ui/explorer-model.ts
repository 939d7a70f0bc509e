/**
 * The Explorer's model: every family of the last scrape as a row (known to the catalog or not),
 * the filter, and one family's series and buckets. Pure; text from the server passes inert().
 */
import type {Derived} from '../metrics/derive.js';
import {CATALOG_BY_KEY} from '../metrics/catalog.js';
import type {Family, MetricType} from '../prom/types.js';
import type {TargetStatus} from '../store.js';
import {inert} from '../text.js';
import {maxOf, minOf} from '../arrays.js';

export type FamilySummary =
	| {readonly kind: 'rate'; readonly rate: number | null; readonly value: number}
	| {readonly kind: 'value'; readonly value: number}
	| {readonly kind: 'range'; readonly min: number; readonly max: number}
	| {readonly kind: 'histogram'; readonly count: number; readonly sum: number}
	| {readonly kind: 'none'};

export interface FamilyRow {
	/** Position in the target's families. */
	readonly index: number;
	/** Inert (escaped) family name. */
	readonly name: string;
	readonly type: MetricType;
	/** Inert HELP text. */
	readonly help: string;
	readonly series: number;
	readonly summary: FamilySummary;
	/** Catalog key when fdtop understands this family. */
	readonly key: string | null;
}

function labelKey(labels: Readonly<Record<string, string>>, skip: string | null): string {
	return Object.keys(labels)
		.filter(k => k !== skip)
		.sort()
		.map(k => `${k}=${labels[k]}`)
		.join('\u0000');
}

function familySummary(family: Family, d: Derived | null, key: string | null): FamilySummary {
	if (family.type === 'histogram' || family.type === 'summary') {
		let count = 0;
		let sum = 0;
		for (const s of family.samples) {
			if (s.name.endsWith('_count')) count += s.value;
			else if (s.name.endsWith('_sum')) sum += s.value;
		}
		return {kind: 'histogram', count, sum};
	}
	const values = family.samples.map(s => s.value);
	if (values.length === 0) return {kind: 'none'};
	const known = key ? d?.metrics.get(key) : undefined;
	if (known?.kind === 'counter') return {kind: 'rate', rate: known.rate, value: known.value};
	if (family.type === 'counter') return {kind: 'value', value: values.reduce((a, b) => a + b, 0)};
	if (values.length === 1) return {kind: 'value', value: values[0]!};
	return {kind: 'range', min: minOf(values), max: maxOf(values)};
}

export function familyRows(target: TargetStatus, catalogKey: (name: string) => string | null): FamilyRow[] {
	return target.families.map((family, index) => {
		const key = catalogKey(family.name);
		const skip = family.type === 'histogram' ? 'le' : family.type === 'summary' ? 'quantile' : null;
		const series = new Set(family.samples.map(s => labelKey(s.labels, skip))).size;
		return {
			index,
			name: inert(family.name),
			type: family.type,
			help: inert(family.help),
			series,
			summary: familySummary(family, target.derived, key),
			key,
		};
	});
}

/**
 * The rows a filter keeps: it matches the family's name, and for a family fdtop understands the
 * catalog's key and title too (`ttft`, `tpot`, `kv` find the families whatever their wire name).
 */
export function filterRows(rows: readonly FamilyRow[], filter: string): readonly FamilyRow[] {
	const needle = filter.trim().toLowerCase();
	if (needle === '') return rows;
	const entryMatches = (key: string | null) => {
		const entry = key ? CATALOG_BY_KEY.get(key) : undefined;
		return entry !== undefined && (entry.key.toLowerCase().includes(needle) || entry.title.toLowerCase().includes(needle));
	};
	return rows.filter(r => r.name.toLowerCase().includes(needle) || entryMatches(r.key));
}

export interface SeriesDetail {
	/** Inert label text, `{a="b"}`, '' without labels. */
	readonly labels: string;
	readonly samples: readonly {readonly name: string; readonly value: number}[];
	/** Histogram buckets of this series: bound text, cumulative count and count in the bucket. */
	readonly buckets: readonly {readonly le: string; readonly cumulative: number; readonly delta: number}[];
}

function labelText(labels: Readonly<Record<string, string>>, skip: string | null): string {
	const parts = Object.keys(labels)
		.filter(k => k !== skip)
		.map(k => `${k}="${labels[k]}"`);
	return parts.length === 0 ? '' : inert(`{${parts.join(',')}}`);
}

/** A family's series, with histogram buckets grouped per series. */
export function familyDetail(family: Family): SeriesDetail[] {
	const skip = family.type === 'histogram' ? 'le' : null;
	const bySeries = new Map<string, {labels: string; samples: {name: string; value: number}[]; buckets: {le: string; cumulative: number; delta: number}[]}>();
	for (const sample of family.samples) {
		const id = labelKey(sample.labels, skip);
		let entry = bySeries.get(id);
		if (!entry) {
			entry = {labels: labelText(sample.labels, skip), samples: [], buckets: []};
			bySeries.set(id, entry);
		}
		if (skip && sample.name.endsWith('_bucket') && sample.labels.le !== undefined) {
			const previous = entry.buckets.at(-1)?.cumulative ?? 0;
			entry.buckets.push({le: inert(sample.labels.le), cumulative: sample.value, delta: Math.max(0, sample.value - previous)});
		} else {
			entry.samples.push({name: inert(sample.name), value: sample.value});
		}
	}
	return [...bySeries.values()];
}
