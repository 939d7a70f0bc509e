/**
 * A Prometheus server as the source. fdtop stays one pipeline: for every FastDeploy (or vLLM,
 * SGLang) instance that Prometheus scrapes, the raw series it holds (cumulative counters, `_bucket`
 * series, gauges) are rendered back into exposition text, which the store parses exactly as a live
 * scrape. Windows, reset handling and quantiles from bucket increases are therefore the live-mode
 * code, and a scrape's time is Prometheus's sample time, not fdtop's.
 *
 * Each query also asks for `up` and `timestamp(up)` of the instances (marked with a `fdtop_meta`
 * label so PromQL's `or` keeps them apart): `up` says whether Prometheus's last scrape worked, and the
 * timestamp is when it happened, which all series of that scrape share.
 */
import type {Engine} from '../metrics/catalog-types.js';
import {CATALOG} from '../metrics/catalog.js';
import {formatGoFloat} from '../prom/float.js';
import {inertClip} from '../text.js';
import {PrometheusError, type Labels, type PrometheusClient, type TargetInfo} from './prometheus-api.js';
import {canonicalMatch, MatcherError, matchUsageMessage} from './promql-matchers.js';
import type {Clock, PromqlVersion, Scrape, Source} from './types.js';
import {systemClock} from './types.js';
import {append, maxOf} from '../arrays.js';

const ENGINES = '(fastdeploy|vllm|sglang)';
const ENGINE_NAMES = `${ENGINES}:.+`;
const META = 'fdtop_meta';

/** Catalog wire names without an engine prefix (FastDeploy's `http_*`), as regex alternatives. */
const UNPREFIXED = [
	...new Set(
		CATALOG.flatMap(entry =>
			Object.values(entry.wire)
				.flat()
				.filter(name => !/^(fastdeploy|vllm|sglang):/.test(name))
				.map(name => (entry.kind === 'histogram' ? `${name}_(bucket|sum|count)` : name)),
		),
	),
];
/** Every series fdtop reads from an instance. */
export const NAME_REGEX = [ENGINE_NAMES, ...UNPREFIXED].join('|');

export interface DiscoveredTarget {
	/** Short display name: the instance label, or job/instance when instances repeat across jobs. */
	readonly name: string;
	/** The scrape URL when the targets API knows it, else `prometheus:<job>/<instance>`. */
	readonly location: string;
	readonly job: string;
	readonly instance: string;
	readonly engine: Engine;
	/** Series of that engine the instance has now. */
	readonly series: number;
	readonly health: 'up' | 'down' | 'unknown';
	readonly lastError: string | null;
	readonly scrapeIntervalSec: number | null;
	readonly scrapeUrl: string | null;
}

/**
 * `{job="x"}`, `job="x"` or `{}` → the matcher list inside the braces, canonical ('' for none).
 * Anything but a matcher list (other PromQL, a metric name) is refused: see promql-matchers.ts.
 */
export function parseMatch(match: string | undefined): string {
	try {
		return canonicalMatch(match ?? '');
	} catch (error) {
		if (error instanceof MatcherError) throw new PrometheusError(matchUsageMessage(match ?? '', error), 'config');
		throw error;
	}
}

/** At most `max` distinct items of a list from a server, for a message: `a, b, c and 1,234 more`. */
export function listSome(items: Iterable<string>, max = 10, width = 40): string {
	const distinct = [...new Set(items)].sort();
	const shown = distinct.slice(0, max).map(item => inertClip(item, width));
	const more = distinct.length - shown.length;
	return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

/** Text a server gave (a target's last error) in a message: escaped and clipped. */
const MAX_SERVER_TEXT = 300;

/** A PromQL string literal (JSON's escapes are a subset of Go's). */
const str = (s: string): string => JSON.stringify(s);
const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
const anyOf = (values: readonly string[]): string => str([...new Set(values)].map(escapeRegex).join('|'));

function selector(name: string, ...matchers: string[]): string {
	return `{${[`__name__=~${str(name)}`, ...matchers.filter(m => m !== '')].join(', ')}}`;
}

/** The instances' series plus their `up` and `timestamp(up)`, in one expression. */
function dataExpr(match: string, instances: readonly {job: string; instance: string}[]): string {
	const pin =
		instances.length === 1
			? `job=${str(instances[0]!.job)}, instance=${str(instances[0]!.instance)}`
			: `job=~${anyOf(instances.map(i => i.job))}, instance=~${anyOf(instances.map(i => i.instance))}`;
	const up = `up{${pin}}`;
	return `${selector(NAME_REGEX, match, pin)} or label_replace(${up}, "${META}", "up", "", "") or label_replace(timestamp(${up}), "${META}", "time", "", "")`;
}

const keyOf = (job: string, instance: string): string => `${job}\u0000${instance}`;

/** The series of one instance at one time, with Prometheus's view of its last scrape. */
interface Frame {
	readonly samples: {metric: Labels; value: number}[];
	up: number | null;
	timeSec: number | null;
}

function addTo(frames: Map<string, Frame>, key: string, metric: Labels, value: number): void {
	let frame = frames.get(key);
	if (!frame) {
		frame = {samples: [], up: null, timeSec: null};
		frames.set(key, frame);
	}
	if (metric[META] === 'up') frame.up = value;
	else if (metric[META] === 'time') frame.timeSec = value;
	else frame.samples.push({metric, value});
}

function escapeLabel(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * Series → text format 0.0.4: a histogram family for names with `_bucket` series carrying `le`
 * (with their `_sum`/`_count`), a counter for names ending `_total`, a gauge otherwise. `job` and
 * `instance` are dropped; every other label (le, pid, model…) is kept.
 */
export function renderExposition(samples: readonly {readonly metric: Labels; readonly value: number}[]): string {
	const byName = new Map<string, string[]>();
	for (const {metric, value} of samples) {
		const name = metric.__name__;
		if (name === undefined) continue;
		const labels = Object.keys(metric)
			.filter(k => k !== '__name__' && k !== 'job' && k !== 'instance')
			.sort()
			.map(k => `${k}="${escapeLabel(metric[k]!)}"`);
		const line = `${name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatGoFloat(value)}`;
		const lines = byName.get(name);
		if (lines) lines.push(line);
		else byName.set(name, [line]);
	}
	const histograms = new Set<string>();
	for (const {metric} of samples) {
		const name = metric.__name__;
		if (name?.endsWith('_bucket') && metric.le !== undefined) histograms.add(name.slice(0, -'_bucket'.length));
	}
	const out: string[] = [];
	for (const base of [...histograms].sort()) {
		out.push(`# TYPE ${base} histogram`);
		for (const suffix of ['_bucket', '_sum', '_count']) {
			append(out, byName.get(base + suffix) ?? []);
			byName.delete(base + suffix);
		}
	}
	for (const name of [...byName.keys()].sort()) append(out, [`# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}`], byName.get(name)!);
	return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/**
 * Whose range semantics a server's PromQL follows, from its build version: 2.x selects [t−w, t],
 * 3.0 and later (t−w, t]. Null when the version says nothing (a server without buildinfo).
 */
export function promqlVersionOf(version: string | null): PromqlVersion | null {
	const major = /^v?(\d+)\./.exec(version ?? '')?.[1];
	if (major === undefined) return null;
	return Number(major) >= 3 ? 3 : 2;
}

export interface DiscoverOptions {
	/** Label matchers limiting the search, e.g. `{job="llm_job"}`; default: everything. */
	readonly match?: string;
	readonly signal?: AbortSignal;
}

/** Find the instances with FastDeploy (or vLLM/SGLang) series, enriched by `/api/v1/targets`. */
export async function discover(client: PrometheusClient, options: DiscoverOptions = {}): Promise<DiscoveredTarget[]> {
	const match = parseMatch(options.match);
	const shown = `{${match}}`;
	const counted = `count by (job, instance, fdtop_engine) (label_replace(${selector(ENGINE_NAMES, match)}, "fdtop_engine", "$1", "__name__", "${ENGINES}:.*"))`;
	let samples;
	try {
		samples = await client.queryVector(counted, undefined, options.signal);
	} catch (error) {
		if (error instanceof PrometheusError && error.kind === 'bad-query') {
			// Only a --match the user gave can be blamed; otherwise the server does not take fdtop's PromQL.
			if (match !== '') throw new PrometheusError(`--match '${shown}' was rejected: Prometheus ${client.url} says: ${error.detail}`, 'bad-query', error.detail);
			throw new PrometheusError(`Prometheus ${client.url} rejected fdtop's discovery query: ${error.detail} (fdtop needs PromQL with count by and label_replace, as Prometheus, Thanos and VictoriaMetrics speak it)`, 'bad-query', error.detail);
		}
		throw error;
	}
	const best = new Map<string, {job: string; instance: string; engine: Engine; series: number}>();
	for (const s of samples) {
		const {job = '', instance = '', fdtop_engine: engine} = s.metric;
		const key = keyOf(job, instance);
		if ((engine === 'fastdeploy' || engine === 'vllm' || engine === 'sglang') && s.value > (best.get(key)?.series ?? 0)) best.set(key, {job, instance, engine, series: s.value});
	}
	if (best.size === 0) {
		const jobs = await client.queryVector('count by (job) (up)', undefined, options.signal).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
		const names = jobs instanceof Error ? [] : jobs.map(s => s.metric.job ?? '').filter(Boolean);
		const known = jobs instanceof Error ? 'its jobs could not be listed' : names.length > 0 ? `jobs it scrapes: ${listSome(names)}` : 'it scrapes no jobs that answer';
		throw new PrometheusError(
			`Prometheus ${client.url}: no FastDeploy series (fastdeploy:*, vllm:*, sglang:*)${match ? ` match --match '${shown}'` : ''} (${known}); check the job name, and that Prometheus scrapes FastDeploy's /metrics`,
			'no-series',
		);
	}
	// Health and scrape interval; servers without a targets API (Thanos Query, Mimir) just lack them.
	// A malformed answer is not an absent API: that one is said.
	const infos = await client.targets('active', options.signal).catch((error: unknown): TargetInfo[] => {
		if (error instanceof PrometheusError && (error.kind === 'bad-answer' || error.kind === 'too-large')) throw error;
		return [];
	});
	const byKey = new Map(infos.map(t => [keyOf(t.job, t.instance), t]));
	const found = [...best.values()].sort((a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
	// Instances named by more than one job (counted, not searched: the list is as long as the server makes it).
	const perInstance = new Map<string, number>();
	for (const f of found) perInstance.set(f.instance, (perInstance.get(f.instance) ?? 0) + 1);
	const repeated = new Set([...perInstance].filter(([, n]) => n > 1).map(([instance]) => instance));
	return found.map(f => {
		const info = byKey.get(keyOf(f.job, f.instance));
		return {
			...f,
			name: repeated.has(f.instance) ? `${f.job}/${f.instance}` : f.instance,
			location: info?.scrapeUrl || `prometheus:${f.job}/${f.instance}`,
			health: info?.health ?? 'unknown',
			lastError: info?.lastError || null,
			scrapeIntervalSec: info?.scrapeIntervalSec ?? null,
			scrapeUrl: info?.scrapeUrl || null,
		};
	});
}

/**
 * The backfill step: fdtop's interval, never finer than the slowest target's scrape interval (a
 * finer step only repeats samples), and coarse enough that a long window is at most `maxSteps`
 * scrapes per target (charts are a terminal wide; only the window's first and last scrape enter
 * its rates and quantiles).
 */
export function prometheusStepSec(intervalMs: number, targets: readonly DiscoveredTarget[], windowSec = 0, maxSteps = 600): number {
	return maxOf(targets.map(t => t.scrapeIntervalSec ?? 0), Math.max(intervalMs / 1000, windowSec / maxSteps));
}

export interface PrometheusSourceOptions {
	/** The same matchers as given to discover(). */
	readonly match?: string;
	readonly clock?: Clock;
	/** Scrapes of different targets starting within this many ms share one query (default 500). */
	readonly shareMs?: number;
	/** Close the client when the last source closes (default true). */
	readonly closeClient?: boolean;
	/**
	 * Evaluate every poll at this instant (Unix seconds) instead of the server's present: --once polls
	 * at the backfill's end, so no scrape lands between the history and the last figures.
	 */
	readonly atSec?: number;
}

/** One shared answer: every instance's frame, or the error of the whole query. */
export type PollTick = {readonly frames: Map<string, Frame>; readonly error?: undefined; readonly durationMs: number} | {readonly error: string; readonly durationMs: number};

/**
 * One instant query per tick for the whole fleet: the sources of all targets ask the poller, and
 * asks that arrive within `shareMs` of each other get the same answer.
 */
export class PrometheusPoller {
	readonly #expr: string;
	readonly #clock: Clock;
	readonly #shareMs: number;
	#tick: {at: number; promise: Promise<PollTick>} | undefined;
	#targets: {at: number; promise: Promise<TargetInfo[]>} | undefined;
	#open = 0;

	constructor(
		readonly client: PrometheusClient,
		readonly targets: readonly DiscoveredTarget[],
		readonly options: PrometheusSourceOptions = {},
	) {
		this.#expr = dataExpr(parseMatch(options.match), targets);
		this.#clock = options.clock ?? systemClock;
		this.#shareMs = options.shareMs ?? 500;
	}

	/** One source per target, in the targets' order. */
	sources(): PrometheusSource[] {
		this.#open += this.targets.length;
		return this.targets.map(t => new PrometheusSource(this, t));
	}

	/** The newest frames of every instance (shared between sources within `shareMs`). */
	fetch(signal?: AbortSignal): Promise<PollTick> {
		const now = this.#clock.now();
		if (this.#tick && now - this.#tick.at < this.#shareMs) return this.#tick.promise;
		const promise = (async (): Promise<PollTick> => {
			try {
				const samples = await this.client.queryVector(this.#expr, this.options.atSec, signal);
				const frames = new Map<string, Frame>();
				for (const s of samples) addTo(frames, keyOf(s.metric.job ?? '', s.metric.instance ?? ''), s.metric, s.value);
				return {frames, durationMs: this.#clock.now() - now};
			} catch (error) {
				return {error: error instanceof Error ? error.message : String(error), durationMs: this.#clock.now() - now};
			}
		})();
		this.#tick = {at: now, promise};
		return promise;
	}

	/** Prometheus's last scrape error for a target (targets API, cached for 5 s). */
	async lastError(target: DiscoveredTarget): Promise<string | null> {
		const now = this.#clock.now();
		if (!this.#targets || now - this.#targets.at >= 5000) this.#targets = {at: now, promise: this.client.targets().catch((): TargetInfo[] => [])};
		const info = (await this.#targets.promise).find(t => t.job === target.job && t.instance === target.instance);
		return info?.lastError || null;
	}

	async release(): Promise<void> {
		if (--this.#open === 0 && this.options.closeClient !== false) await this.client.close();
	}
}

/** One discovered instance as a Source: its series at Prometheus's newest scrape, as exposition text. */
export class PrometheusSource implements Source {
	readonly target: string;
	readonly #clock: Clock;
	readonly #staleMs: number;
	#lastT: number | null = null;
	#lastAdvancedAt = 0;

	constructor(
		readonly poller: PrometheusPoller,
		readonly info: DiscoveredTarget,
	) {
		this.target = info.location;
		this.#clock = poller.options.clock ?? systemClock;
		this.#staleMs = Math.max(15_000, 3 * (info.scrapeIntervalSec ?? 0) * 1000);
	}

	async scrape(signal?: AbortSignal): Promise<Scrape> {
		const started = this.#clock.now();
		const tick = await this.poller.fetch(signal);
		const fail = (error: string): Scrape => ({target: this.target, t: this.#clock.now(), error: `${this.target}: ${error}`, durationMs: tick.durationMs, bytes: 0});
		if (tick.error !== undefined) return fail(tick.error);
		const frame = tick.frames.get(keyOf(this.info.job, this.info.instance));
		const via = `Prometheus ${this.poller.client.url}`;
		if (frame?.up === 0) {
			const lastError = await this.poller.lastError(this.info);
			return fail(`down: ${via} cannot scrape it${lastError ? ` (${inertClip(lastError, MAX_SERVER_TEXT)})` : ''}`);
		}
		if (!frame || frame.samples.length === 0) return fail(`no current samples in ${via} (the target is stale or gone)`);
		const t = frame.timeSec === null ? started : Math.round(frame.timeSec * 1000);
		if (t !== this.#lastT) {
			this.#lastT = t;
			this.#lastAdvancedAt = this.#clock.now();
		} else if (this.#clock.now() - this.#lastAdvancedAt > this.#staleMs) {
			return fail(`no new samples in ${via} for ${Math.round((this.#clock.now() - this.#lastAdvancedAt) / 1000)} s`);
		}
		const text = renderExposition(frame.samples);
		return {target: this.target, t, text, durationMs: tick.durationMs, bytes: Buffer.byteLength(text)};
	}

	async close(): Promise<void> {
		await this.poller.release();
	}
}

export interface BackfillOptions {
	/** End of the window, Unix seconds (usually now). */
	readonly endSec: number;
	readonly windowSec: number;
	/** See prometheusStepSec(): at least the scrape interval (at it, every scrape is read: see backfill()). */
	readonly stepSec: number;
	readonly match?: string;
	/** Targets queried at once (default 4). */
	readonly concurrency?: number;
	readonly signal?: AbortSignal;
}

/**
 * History for the window, per target and in time order, from `query_range` of the same raw series.
 * Each step carries the time of the scrape it saw (`timestamp(up)`), so steps that saw the same
 * scrape collapse into one and a scrape's time is exact. Steps where the target was down are left
 * out (a gap). Throws a PrometheusError when a query fails.
 */
export async function backfill(client: PrometheusClient, targets: readonly DiscoveredTarget[], options: BackfillOptions): Promise<Scrape[][]> {
	const match = parseMatch(options.match);
	const results: Scrape[][] = targets.map(() => []);
	let next = 0;
	const worker = async (): Promise<void> => {
		for (let i = next++; i < targets.length; i = next++) {
			const target = targets[i]!;
			// A step of the scrape interval is meant to see every scrape, but scrapes drift (a loaded
			// server scrapes late, then early): two that land within one step would leave one unseen.
			// So such a step is halved; the steps that saw the same scrape collapse below.
			const every = options.stepSec <= (target.scrapeIntervalSec ?? options.stepSec);
			const series = await client.queryRange(dataExpr(match, [target]), options.endSec - options.windowSec, options.endSec, every ? options.stepSec / 2 : options.stepSec, options.signal);
			const steps = new Map<number, Map<string, Frame>>();
			for (const s of series) {
				for (const p of s.points) {
					let frames = steps.get(p.t);
					if (!frames) steps.set(p.t, (frames = new Map()));
					addTo(frames, '', s.metric, p.value);
				}
			}
			let lastT = -Infinity;
			for (const step of [...steps.keys()].sort((a, b) => a - b)) {
				const frame = steps.get(step)!.get('');
				if (!frame || frame.samples.length === 0 || frame.up === 0) continue;
				const t = Math.round((frame.timeSec ?? step) * 1000);
				if (t <= lastT) continue;
				lastT = t;
				const text = renderExposition(frame.samples);
				results[i]!.push({target: target.location, t, text, durationMs: 0, bytes: Buffer.byteLength(text)});
			}
		}
	};
	await Promise.all(Array.from({length: Math.min(targets.length, options.concurrency ?? 4)}, worker));
	return results;
}
