/**
 * The few figures the views need that Derived does not hold directly (shares of a request's time,
 * block usage, batch occupancy, bucket shares, explorer summaries). Pure, computed once per state
 * version; components only format what is here.
 */
import {en, type Messages} from '../i18n/en.js';
import type {Derived, DerivedMetric, HistogramStats, Percentile, Series} from '../metrics/derive.js';
import {CATALOG_BY_KEY, SPEC_HEAD_KEY} from '../metrics/catalog.js';
import {ttftExcludesQueue} from '../metrics/era.js';
import {markerTrack} from '../metrics/events.js';
import type {MarkerTrack} from './components/event-markers.js';
import type {Bucket} from '../metrics/quantile.js';
import type {AppState, TargetStatus} from '../store.js';
import type {Level} from './theme.js';
import {maxOf} from '../arrays.js';

export type HistogramMetric = Extract<DerivedMetric, {kind: 'histogram'}>;
export type CounterMetric = Extract<DerivedMetric, {kind: 'counter'}>;

export function histogram(d: Derived | null, key: string): HistogramMetric | undefined {
	const m = d?.metrics.get(key);
	return m?.kind === 'histogram' ? m : undefined;
}

export function counter(d: Derived | null, key: string): CounterMetric | undefined {
	const m = d?.metrics.get(key);
	return m?.kind === 'counter' ? m : undefined;
}

export function gauge(d: Derived | null, key: string): number | null {
	const m = d?.metrics.get(key);
	return m?.kind === 'gauge' && Number.isFinite(m.value) ? m.value : null;
}

export function series(d: Derived | null, key: string): Series | undefined {
	return d?.series.get(key);
}

/** Health band of a value by the catalog's thresholds; 'none' without thresholds or value. */
export function levelOf(key: string, value: number | null | undefined): Level {
	const thresholds = CATALOG_BY_KEY.get(key)?.thresholds;
	if (!thresholds || value === null || value === undefined || !Number.isFinite(value)) return 'none';
	if (value >= thresholds.crit) return 'crit';
	if (value >= thresholds.warn) return 'warn';
	return 'ok';
}

/**
 * The tone of a percentile as shown: a coarse one is muted (it is a bucket, not a figure) unless
 * its lower bound alone already reaches a warning; too few observations are muted too.
 */
export function percentileTone(key: string, q: Percentile): Level | 'muted' {
	if (q.tooFew) return 'muted';
	if (q.coarse && !q.aboveTopBucket && q.bounds) {
		const lower = levelOf(key, q.bounds[0]);
		return lower === 'warn' || lower === 'crit' ? lower : 'muted';
	}
	return levelOf(key, q.value);
}

/** True when some percentile of these stats would be shown as its bucket. */
export function showsBucket(s: HistogramStats | null | undefined): boolean {
	return !!s && !s.tooFew && [s.p50, s.p90, s.p99].some(q => q.coarse && !q.aboveTopBucket && q.bounds !== null);
}

export type Basis = 'window' | 'lifetime';

/** The window's statistics when it saw observations, else the lifetime ones (labelled so). */
export function preferredStats(h: HistogramMetric | undefined): {stats: HistogramStats; basis: Basis} | null {
	if (!h) return null;
	if (h.window && h.window.count > 0) return {stats: h.window, basis: 'window'};
	if (h.lifetime.count > 0) return {stats: h.lifetime, basis: 'lifetime'};
	return null;
}

export const LATENCY_KEYS = ['ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'inferenceTime', 'e2eLatency'] as const;
export const PHASE_KEYS = ['queueTime', 'prefillTime', 'decodeTime'] as const;

export interface PhaseSegment {
	readonly key: (typeof PHASE_KEYS)[number];
	readonly title: string;
	/** Mean seconds per request, null when absent or never observed. */
	readonly seconds: number | null;
	/** Share of queue + prefill + decode, null when seconds is null. */
	readonly share: number | null;
	readonly present: boolean;
	readonly allZero: boolean;
}

export interface Phases {
	readonly basis: Basis;
	/** Observations behind the figures (the decode histogram's, else the largest). */
	readonly requests: number;
	readonly segments: readonly PhaseSegment[];
	readonly inference: number | null;
	readonly e2e: number | null;
}

/** Where a request's time goes: mean queue, prefill and decode seconds over the window. */
export function phases(d: Derived | null): Phases | null {
	if (!d) return null;
	const metrics = PHASE_KEYS.map(key => histogram(d, key));
	const windowed = metrics.some(h => (h?.window?.count ?? 0) > 0);
	const basis: Basis | null = windowed ? 'window' : metrics.some(h => (h?.lifetime.count ?? 0) > 0) ? 'lifetime' : null;
	if (!basis) return null;
	const pick = (h: HistogramMetric | undefined): HistogramStats | null => (h ? (basis === 'window' ? h.window : h.lifetime) : null);
	const means = metrics.map(h => pick(h)?.mean ?? null);
	const total = means.reduce<number>((sum, m) => sum + (m ?? 0), 0);
	const segments = PHASE_KEYS.map((key, i) => {
		const seconds = means[i] ?? null;
		return {
			key,
			title: CATALOG_BY_KEY.get(key)?.title ?? key,
			seconds,
			share: seconds !== null && total > 0 ? seconds / total : null,
			present: metrics[i] !== undefined,
			allZero: metrics[i]?.allZero ?? false,
		};
	});
	const requests = pick(metrics[2]!)?.count ?? maxOf(metrics.map(h => pick(h)?.count ?? 0), 0);
	return {
		basis,
		requests,
		segments,
		inference: pick(histogram(d, 'inferenceTime'))?.mean ?? null,
		e2e: pick(histogram(d, 'e2eLatency'))?.mean ?? null,
	};
}

/**
 * Why Time per request has no bar: the phase histograms are not reported, or they are empty while
 * requests complete (the reason is read for the server's FastDeploy version, when fdtop knows it),
 * or no request has been seen at all.
 */
export function emptyPhasesText(d: Derived | null, era: string | null, m: Messages['overview'] = en.overview): string {
	const metrics = PHASE_KEYS.map(key => histogram(d, key));
	if (metrics.every(h => h === undefined)) return m.phasesMissing;
	const done = counter(d, 'requestSuccessTotal')?.rate ?? null;
	const firstTokens = histogram(d, 'ttft')?.window?.rate ?? null;
	const rate = done !== null && done > 0 ? done : firstTokens !== null && firstTokens > 0 ? firstTokens : null;
	if (rate === null) return m.noRequests;
	const names = PHASE_KEYS.filter((_, i) => metrics[i] !== undefined).map(key => m.phases[key]);
	return m.phasesEmpty(names, era, String(+rate.toFixed(2)));
}

export interface Kv {
	readonly usage: number | null;
	readonly level: Level;
	readonly used: number | null;
	readonly free: number | null;
	readonly available: number | null;
	readonly max: number | null;
	readonly cpuMax: number | null;
	/** CPU (swap / hierarchical cache) blocks: free, and used = max − free (newest FastDeploy). */
	readonly cpuFree: number | null;
	readonly cpuUsed: number | null;
}

export function kv(d: Derived | null): Kv {
	const usage = gauge(d, 'kvCacheUsage');
	const free = gauge(d, 'freeGpuBlocks');
	const max = gauge(d, 'maxGpuBlocks');
	const cpuMax = gauge(d, 'maxCpuBlocks');
	const cpuFree = gauge(d, 'freeCpuBlocks');
	return {
		usage,
		level: levelOf('kvCacheUsage', usage),
		used: free !== null && max !== null ? Math.max(0, max - free) : null,
		free,
		available: gauge(d, 'availableGpuBlocks'),
		max,
		cpuMax,
		cpuFree,
		cpuUsed: cpuFree !== null && cpuMax !== null ? Math.max(0, cpuMax - cpuFree) : null,
	};
}

export interface Batch {
	readonly size: number | null;
	readonly max: number | null;
	readonly occupancy: number | null;
	readonly freeSlots: number | null;
}

export function batch(d: Derived | null): Batch {
	const size = gauge(d, 'batchSize');
	const max = gauge(d, 'maxBatchSize');
	return {size, max, occupancy: size !== null && max !== null && max > 0 ? size / max : null, freeSlots: gauge(d, 'availableBatchSize')};
}

export interface Kpi {
	readonly key: string;
	readonly label: string;
	readonly value: number | null;
	readonly kind: 'rate' | 'count';
	readonly level: Level;
	/** A counter that never moved since start (shown as "all zero", not a healthy 0). */
	readonly allZero: boolean;
}

function rateKpi(d: Derived | null, key: string, label: string): Kpi {
	const c = counter(d, key);
	return {key, label, value: c?.rate ?? null, kind: 'rate', level: 'none', allZero: c?.allZero === true && CATALOG_BY_KEY.get(key)?.zeroNote !== undefined};
}

export function kpis(d: Derived | null): Kpi[] {
	// Arrivals need requests_number (2.2+); before that, requests that got a first token per second.
	let requests = rateKpi(d, 'requestsReceivedTotal', 'req/s');
	if (!counter(d, 'requestsReceivedTotal')) {
		const ttft = histogram(d, 'ttft');
		requests = {key: 'ttft', label: 'started/s', value: ttft?.window?.rate ?? null, kind: 'rate', level: 'none', allZero: false};
	}
	const running = gauge(d, 'running');
	const waiting = gauge(d, 'waiting');
	return [
		requests,
		rateKpi(d, 'promptTokensTotal', 'prompt tok/s'),
		rateKpi(d, 'generationTokensTotal', 'gen tok/s'),
		{key: 'running', label: 'running', value: running === null ? null : Math.max(0, running), kind: 'count', level: 'none', allZero: false},
		{key: 'waiting', label: 'waiting', value: waiting === null ? null : Math.max(0, waiting), kind: 'count', level: levelOf('waiting', waiting), allZero: false},
		rateKpi(d, 'requestSuccessTotal', 'done/s'),
	];
}

export interface BucketShare {
	/** Lower and upper bound of the bucket (the lowest starts at 0). */
	readonly lo: number;
	readonly hi: number;
	readonly count: number;
	readonly share: number;
}

/** Cumulative buckets → per-bucket counts and shares, trimmed of empty buckets at both ends. */
export function bucketShares(buckets: readonly Bucket[]): BucketShare[] {
	const total = buckets.at(-1)?.count ?? 0;
	if (!(total > 0)) return [];
	const out: BucketShare[] = [];
	let previous = 0;
	let lo = 0;
	for (const b of buckets) {
		const count = Math.max(0, b.count - previous);
		out.push({lo, hi: b.le, count, share: count / total});
		previous = b.count;
		lo = b.le;
	}
	let first = out.findIndex(b => b.count > 0);
	let last = out.length - 1;
	while (last > first && out[last]!.count === 0) last--;
	if (first < 0) first = 0;
	return out.slice(first, last + 1);
}

/** Generated tokens over max_tokens in the same basis (window when it saw requests). */
export function tokenUtilisation(d: Derived | null): {ratio: number; basis: Basis} | null {
	const gen = preferredStats(histogram(d, 'generationTokens'));
	const max = histogram(d, 'maxTokens');
	if (!gen || !max) return null;
	const maxStats = gen.basis === 'window' ? max.window : max.lifetime;
	if (!maxStats || !(maxStats.sum > 0) || gen.stats.mean === null || maxStats.mean === null) return null;
	return {ratio: gen.stats.mean / maxStats.mean, basis: gen.basis};
}

/** Share of prompt tokens served from the prefix cache over the window (counters, not gauges). */
export function windowCacheShare(d: Derived | null): number | null {
	const cached = counter(d, 'prefixCacheTokensTotal')?.rate;
	const prompt = counter(d, 'promptTokensTotal')?.rate;
	if (cached === null || cached === undefined || prompt === null || prompt === undefined || !(prompt > 0)) return null;
	return cached / prompt;
}

export type GaugeMetric = Extract<DerivedMetric, {kind: 'gauge'}>;

export function gaugeMetric(d: Derived | null, key: string): GaugeMetric | undefined {
	const m = d?.metrics.get(key);
	return m?.kind === 'gauge' && Number.isFinite(m.value) ? m : undefined;
}

/**
 * What operators look for first on the newest FastDeploy (reference §4.5), each present only when
 * its families are: preemptions, the scheduler's queue, the prefix-cache token hit rate,
 * speculative acceptance (per MTP head), PD cache-send failures, and requests received but not
 * finished over the window (FastDeploy has no failure counter).
 */
export type Signal =
	| {readonly key: 'preemptions'; readonly rate: number | null; readonly now: number | null}
	| {readonly key: 'enqueued'; readonly value: number}
	| {readonly key: 'prefixHit'; readonly value: number; readonly basis: 'server' | 'window'; readonly gauge?: GaugeMetric}
	| {readonly key: 'spec'; readonly gauge: GaugeMetric | undefined; readonly heads: readonly GaugeMetric[]}
	| {readonly key: 'pdSendFailures'; readonly rate: number | null}
	| {readonly key: 'unfinished'; readonly value: number | null; readonly received: number | null; readonly seconds: number};

/** A counter's increase over the window (its rate times the time the window covers). */
function windowIncrease(d: Derived, key: string): number | null {
	const rate = counter(d, key)?.rate;
	return rate === null || rate === undefined ? null : Math.round(rate * (d.coveredMs / 1000));
}

export function signals(d: Derived | null): Signal[] {
	if (!d) return [];
	const out: Signal[] = [];
	const preempted = counter(d, 'requestPreemptedTotal');
	const now = gauge(d, 'preempted');
	if (preempted || now !== null) out.push({key: 'preemptions', rate: preempted?.rate ?? null, now: now === null ? null : Math.max(0, now)});
	const enqueued = gauge(d, 'enqueued');
	if (enqueued !== null) out.push({key: 'enqueued', value: Math.max(0, enqueued)});
	const hit = gaugeMetric(d, 'hitTokenRate');
	const share = windowCacheShare(d);
	if (hit) out.push({key: 'prefixHit', value: hit.value, basis: 'server', gauge: hit});
	else if (share !== null) out.push({key: 'prefixHit', value: share, basis: 'window'});
	const sendFailed = counter(d, 'sendCacheFailedTotal');
	if (sendFailed) out.push({key: 'pdSendFailures', rate: sendFailed.rate});
	if (counter(d, 'requestsReceivedTotal') && counter(d, 'requestSuccessTotal')) {
		const received = windowIncrease(d, 'requestsReceivedTotal');
		const done = windowIncrease(d, 'requestSuccessTotal');
		out.push({key: 'unfinished', value: received === null || done === null ? null : received - done, received, seconds: d.coveredMs / 1000});
	}
	const heads: GaugeMetric[] = [];
	for (let i = 0, m = gaugeMetric(d, `${SPEC_HEAD_KEY}0`); m !== undefined; m = gaugeMetric(d, `${SPEC_HEAD_KEY}${++i}`)) heads.push(m);
	const spec = gaugeMetric(d, 'specAcceptanceRate');
	if (spec || heads.length > 0) out.push({key: 'spec', gauge: spec, heads});
	return out;
}

export interface TargetView {
	readonly index: number;
	readonly count: number;
	readonly target: TargetStatus;
	readonly derived: Derived | null;
	/** Last values kept while the target fails. */
	readonly stale: boolean;
	/** How long the target has failed (last attempt − last good scrape). */
	readonly staleForMs: number | null;
	/** The latest counter reset inside the window. */
	readonly restartAt: number | null;
	readonly kpis: readonly Kpi[];
	readonly phases: Phases | null;
	readonly kv: Kv;
	readonly batch: Batch;
	readonly ttftExcludesQueue: boolean;
	readonly signals: readonly Signal[];
	/** Per chart column (aligned with `derived.times`), the marker of the events in it. */
	readonly markers: MarkerTrack;
}

// Built once per scrape: the track changes only with the derived figures or the events.
const tracks = new WeakMap<Derived, {events: TargetStatus['events']; track: MarkerTrack}>();
function markersOf(d: Derived | null, events: TargetStatus['events']): MarkerTrack {
	if (!d || !events || events.length === 0) return [];
	const kept = tracks.get(d);
	if (kept && kept.events === events) return kept.track;
	const track = markerTrack(d.times, events);
	tracks.set(d, {events, track});
	return track;
}

/** The newest restart inside the window: the event log's (a restart seen late is not a second one), else the derive's. */
function lastRestart(target: TargetStatus, d: Derived | null): {t: number} | undefined {
	if (!d || !target.events) return d?.events.at(-1);
	const from = d.times[0] ?? d.t;
	for (let i = target.events.length - 1; i >= 0 && target.events[i]!.t >= from; i--) if (target.events[i]!.kind === 'restart') return target.events[i];
	return undefined;
}

export function targetView(state: AppState, index: number): TargetView | null {
	const count = state.targets.length;
	if (count === 0) return null;
	const i = Math.min(Math.max(0, index), count - 1);
	const target = state.targets[i]!;
	const d = target.derived;
	const lastEvent = lastRestart(target, d);
	return {
		index: i,
		count,
		target,
		derived: d,
		stale: target.state !== 'up' && d !== null,
		staleForMs: target.state !== 'up' && target.lastOkAt !== null && target.lastAttemptAt !== null ? target.lastAttemptAt - target.lastOkAt : null,
		restartAt: lastEvent ? lastEvent.t : null,
		kpis: kpis(d),
		phases: phases(d),
		kv: kv(d),
		batch: batch(d),
		ttftExcludesQueue: d?.engine === 'fastdeploy' && ttftExcludesQueue(target.era) && d.metrics.has('ttft'),
		signals: signals(d),
		markers: markersOf(d, target.events),
	};
}

// ------------------------------------------------------------------------------- explorer
