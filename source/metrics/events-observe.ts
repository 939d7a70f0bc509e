/**
 * What one scrape says about events (an Observation for events.ts), from the history it was just
 * pushed into: counter resets, the process start time, the engine's fixed settings, the diagnoses
 * and the objectives' statuses over the window. Computed for every scrape, also those a replay or a
 * backfill takes in without deriving the figures, so live and replay see the same events: only the
 * few figures the diagnoses read are computed here, not a whole derive.
 */
import {catalogEntryForKey} from './catalog.js';
import type {Derived, DerivedMetric} from './derive.js';
import {diagnose} from './diagnose.js';
import type {Era, EraConfidence} from './era.js';
import type {Condition, Observation} from './events.js';
import type {History} from './history.js';
import {judge, objectiveLabel, type Objective} from './slo.js';
import {measureSlo} from './slo-measure.js';
import {histogramStats, rangeOf, windowMean, windowRate} from './window-stats.js';
import type {PromqlVersion} from './window.js';
import type {Family} from '../prom/types.js';
import type {MetricData} from './snapshot.js';

/** Gauges fixed when the engine starts: a new value is a new configuration. 0 means not set yet. */
const CONFIG_GAUGES: readonly (readonly [string, string])[] = [
	['maxBatchSize', 'max_batch_size'],
	['maxGpuBlocks', 'max_gpu_block_num'],
	['maxCpuBlocks', 'max_cpu_block_num'],
];
const CONFIG_INFO = 'cacheConfigInfo';

const NO_STATS = histogramStats([], 0, 0, null);

/** The keys diagnose() reads (source/metrics/diagnose.ts). */
const DIAGNOSIS_GAUGES = ['running', 'waiting', 'kvCacheUsage'];
const DIAGNOSIS_RATES = ['generationTokensTotal', 'sendCacheFailedTotal'];
const DIAGNOSIS_MEANS = ['queueTime'];
const DIAGNOSIS_KEYS = [...DIAGNOSIS_GAUGES, ...DIAGNOSIS_RATES, ...DIAGNOSIS_MEANS];

export interface ObserveOptions {
	readonly windowMs: number;
	readonly promql: PromqlVersion;
	readonly intervalMs: number;
	readonly era: Era | null;
	readonly eraConfidence: EraConfidence;
	readonly objectives: readonly Objective[];
}

/** configOf's last answer per history, with what it was made from. */
const configs = new WeakMap<History, {readonly info: MetricData | undefined; readonly gauges: readonly (MetricData | undefined)[]; readonly config: ReadonlyMap<string, string> | null}>();

/**
 * The engine's settings in the newest entry: cache_config_info's labels and the fixed gauges. The
 * same object as for the entry before while they are the same objects (a scrape of one shape shares
 * its info labels; gauges are compared by value), so a scrape with the same settings costs nothing.
 */
export function configOf(history: History): ReadonlyMap<string, string> | null {
	const metrics = history.last?.snapshot.metrics;
	if (!metrics) return null;
	const info = metrics.get(CONFIG_INFO);
	const known = configs.get(history);
	if (known !== undefined && known.info === info) {
		let same = true;
		for (let i = 0; i < CONFIG_GAUGES.length && same; i++) same = sameGauge(metrics.get(CONFIG_GAUGES[i]![0]), known.gauges[i]);
		if (same) return known.config;
	}
	const out = new Map<string, string>();
	if (info?.kind === 'info') for (const [name, value] of Object.entries(info.labels)) out.set(name, value);
	const gauges: (MetricData | undefined)[] = [];
	for (const [key, name] of CONFIG_GAUGES) {
		const m = metrics.get(key);
		gauges.push(m);
		if (m?.kind === 'gauge' && Number.isFinite(m.value) && m.value > 0) out.set(name, String(m.value));
	}
	const config = out.size > 0 ? out : null;
	configs.set(history, {info, gauges, config});
	return config;
}

/** Two readings of a fixed gauge that give the same setting (both absent, or gauges of one value). */
function sameGauge(a: MetricData | undefined, b: MetricData | undefined): boolean {
	if (a === b) return true;
	return a?.kind === 'gauge' && b?.kind === 'gauge' && Object.is(a.value, b.value);
}

function startTimeOf(families: readonly Family[]): number | null {
	for (const f of families) {
		if (f.name !== 'process_start_time_seconds') continue;
		const v = f.samples[0]?.value;
		return v !== undefined && Number.isFinite(v) ? v : null;
	}
	return null;
}

/**
 * The keys whose reset in the newest entry tells of a restart. A labelled series that was gone for
 * a while (the http counters of a server that has served no request since it restarted) comes
 * back lower than it left: that is the restart seen before, not a new one, unless none was seen
 * since the key was last there.
 */
function restartKeys(history: History): string[] {
	const last = history.last!;
	const previous = history.at(history.size - 2);
	if (!previous || last.resets.length === 0) return [];
	const out: string[] = [];
	for (const key of last.resets) if (previous.snapshot.metrics.has(key) || !restartSince(history, key)) out.push(key);
	return out;
}

/** Whether a restart was seen after `key` was last in a scrape (assumed when that is beyond the history). */
function restartSince(history: History, key: string): boolean {
	for (let i = history.size - 2; i >= 1; i--) {
		const entry = history.at(i)!;
		if (entry.snapshot.metrics.has(key)) return false;
		const before = history.at(i - 1)!.snapshot.metrics;
		if (entry.resets.some(k => before.has(k))) return true;
	}
	return true;
}

/** The part of a derive that diagnose() reads, for the newest entry. */
function diagnosisInput(history: History, windowMs: number, promql: PromqlVersion): Pick<Derived, 'engine' | 'metrics' | 'events'> {
	const last = history.last!;
	const range = rangeOf(history, windowMs, promql);
	const hasWindow = range.samples > 1;
	const metrics = new Map<string, DerivedMetric>();
	for (const key of DIAGNOSIS_KEYS) {
		const data = last.snapshot.metrics.get(key);
		const entry = catalogEntryForKey(key);
		if (!data || !entry) continue;
		if (data.kind === 'gauge') metrics.set(key, {kind: 'gauge', entry, value: data.value});
		else if (data.kind === 'counter') metrics.set(key, {kind: 'counter', entry, value: data.value, rate: hasWindow ? windowRate(history, range, key) : null, reset: false, allZero: data.value === 0});
		else if (data.kind === 'histogram') {
			// diagnose() reads the window's mean only: the percentiles (most of the cost) are left empty.
			const mean = hasWindow ? windowMean(history, range, key) : null;
			if (mean !== null) {
				const window = {...NO_STATS, mean};
				metrics.set(key, {kind: 'histogram', entry, allZero: data.hist.count === 0, topBucket: null, lifetime: window, window, reset: false});
			}
		}
	}
	return {engine: last.snapshot.engine, metrics, events: []};
}

const labels = new WeakMap<Objective, string>();
function labelOf(o: Objective): string {
	let label = labels.get(o);
	if (label === undefined) labels.set(o, (label = objectiveLabel(o)));
	return label;
}

/** The Observation of the newest entry of `history` (just pushed), with the scrape's families. */
export function observe(history: History, families: readonly Family[], o: ObserveOptions): Observation {
	const last = history.last!;
	const resets = restartKeys(history);
	const diagnoses: Condition[] = [];
	for (const d of diagnose(diagnosisInput(history, o.windowMs, o.promql), o.era, o.eraConfidence)) diagnoses.push({id: d.id, level: d.level, text: d.en, zh: d.zh});
	let slo: Map<string, string> | null = null;
	if (o.objectives.length > 0) {
		// Statuses only: no spark points (they cost more than the verdicts).
		const measure = measureSlo(history, o.objectives.map(x => x.key), [o.windowMs], o.intervalMs, o.promql, 0);
		// The main window's verdicts, as sloReport judges them (without its burn rates and goodput).
		const main = measure?.windows.find(w => w.windowMs === o.windowMs);
		slo = new Map(o.objectives.map(x => [labelOf(x), judge(x, main).status]));
	}
	return {t: last.snapshot.t, ok: true, resets, startTime: startTimeOf(families), config: configOf(history), diagnoses, slo};
}
