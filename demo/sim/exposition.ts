/**
 * The FastDeploy /metrics text, written the way Python's prometheus_client writes it, from the
 * metrics held in a prom-client Registry (the shape of `registry.getMetricsAsJSON()`).
 *
 * - 2.0 (in-memory registry): per family HELP, TYPE, samples; histograms `_bucket…`, `_count`,
 *   `_sum`; after every counter and histogram a separate `<base>_created` gauge family.
 * - 2.3 (multiprocess collector): no `_created`; histograms `_sum` first, then `_bucket…`, `_count`;
 *   families without samples (labelled, never used) are absent.
 */
import type {Registry} from 'prom-client';
import type {Era} from './catalog.js';
import {escapeHelp, floatToGoString, labelString} from './format.js';

export type LabelMap = Readonly<Record<string, string | number | undefined>>;

export interface MetricValueJson {
	readonly value: number;
	readonly labels: LabelMap;
	readonly metricName?: string;
}

/** One entry of `registry.getMetricsAsJSON()`. */
export interface MetricJson {
	readonly name: string;
	readonly help: string;
	/** 'counter' | 'gauge' | 'histogram' at run time (prom-client's typings declare a numeric enum). */
	readonly type: string | number;
	readonly values: readonly MetricValueJson[];
}

export interface RenderOptions {
	readonly era: Era;
	/** `_created` unix timestamps by family name (2.0). */
	readonly created?: ReadonlyMap<string, number>;
}

/** Label text by label content (building the key is much cheaper than sorting and escaping). */
const labelTextCache = new Map<string, string>();
const helpCache = new Map<string, string>();

function labelsOf(labels: LabelMap): string {
	let key = '';
	for (const k in labels) key += `${k}\u0001${String(labels[k])}\u0002`;
	if (key === '') return '';
	let s = labelTextCache.get(key);
	if (s === undefined) {
		s = labelString(labels);
		if (labelTextCache.size > 50_000) labelTextCache.clear();
		labelTextCache.set(key, s);
	}
	return s;
}

function sampleLine(name: string, labels: LabelMap, value: number): string {
	return `${name}${labelsOf(labels)} ${floatToGoString(value)}\n`;
}

function helpOf(help: string): string {
	let s = helpCache.get(help);
	if (s === undefined) {
		s = escapeHelp(help);
		helpCache.set(help, s);
	}
	return s;
}

function histogramLines(m: MetricJson, multiprocess: boolean): string {
	let sums = '';
	let body = '';
	let pendingSum = '';
	for (const v of m.values) {
		const name = v.metricName ?? m.name;
		const line = sampleLine(name, v.labels, v.value);
		if (name.endsWith('_sum')) {
			if (multiprocess) sums += line;
			else pendingSum = line;
		} else if (name.endsWith('_count')) {
			body += line;
			if (!multiprocess) body += pendingSum;
		} else body += line;
	}
	return sums + body;
}

function createdFamily(m: MetricJson, help: string, created: number): string {
	const type = String(m.type);
	const base = type === 'counter' ? m.name.replace(/_total$/, '') : m.name;
	let out = `# HELP ${base}_created ${help}\n# TYPE ${base}_created gauge\n`;
	for (const v of m.values) {
		const name = v.metricName ?? m.name;
		if (type === 'histogram' && !name.endsWith('_count')) continue;
		out += sampleLine(`${base}_created`, v.labels, created);
	}
	return out;
}

export function renderExposition(metrics: readonly MetricJson[], options: RenderOptions): string {
	const multiprocess = options.era !== '2.0';
	let out = '';
	for (const m of metrics) {
		if (multiprocess && m.values.length === 0) continue;
		const help = helpOf(m.help);
		const type = String(m.type);
		out += `# HELP ${m.name} ${help}\n# TYPE ${m.name} ${type}\n`;
		if (type === 'histogram') out += histogramLines(m, multiprocess);
		else for (const v of m.values) out += sampleLine(m.name, v.labels, v.value);
		if (!multiprocess && (type === 'counter' || type === 'histogram') && m.values.length > 0) {
			out += createdFamily(m, help, options.created?.get(m.name) ?? 0);
		}
	}
	return out;
}

interface ValueEntry {
	value: number;
	labels: Record<string, string | number>;
}
interface HistogramEntry {
	labels: Record<string, string | number>;
	bucketValues: Record<number, number>;
	sum: number;
	count: number;
}
interface MetricInternals {
	hashMap?: Record<string, ValueEntry | HistogramEntry>;
	upperBounds?: readonly number[];
}

/**
 * The same data as `await registry.getMetricsAsJSON()`, read synchronously (for the generator,
 * which renders tens of thousands of scrapes in a loop). Tested equal to the async original.
 */
export function snapshotMetrics(registry: Registry): MetricJson[] {
	return registry.getMetricsAsArray().map((metric) => {
		const internals = metric as unknown as MetricInternals;
		const entries = Object.values(internals.hashMap ?? {});
		const values: MetricValueJson[] = [];
		if (String(metric.type) === 'histogram') {
			const bounds = internals.upperBounds ?? [];
			for (const e of entries as HistogramEntry[]) {
				let acc = 0;
				for (const le of bounds) {
					acc += e.bucketValues[le] ?? 0;
					values.push({value: acc, labels: {le, ...e.labels}, metricName: `${metric.name}_bucket`});
				}
				values.push({value: e.count, labels: {le: '+Inf', ...e.labels}, metricName: `${metric.name}_bucket`});
				values.push({value: e.sum, labels: {...e.labels}, metricName: `${metric.name}_sum`});
				values.push({value: e.count, labels: {...e.labels}, metricName: `${metric.name}_count`});
			}
		} else {
			for (const e of entries as ValueEntry[]) values.push({value: e.value, labels: e.labels});
		}
		return {name: metric.name, help: metric.help, type: String(metric.type), values};
	});
}
