/**
 * The two sides of `fdtop compare A B`: what each argument names (a recording, a demo, a live
 * target, a Prometheus server) with an optional `,START/DURATION` range, and reading it into a
 * history. The range syntax uses only `,`, `/`, `+`, `-`, `:` and `.`, which no common shell
 * (sh, bash, zsh, fish) expands or splits outside braces, so it needs no quoting:
 *
 *   run.jsonl.gz,5m/5m                   5 minutes from 5 minutes after the first scrape
 *   run.jsonl.gz,-10m                    the last 10 minutes of the recording
 *   run.jsonl.gz,2026-12-01T10:00Z/1h    an absolute start (ISO 8601; no zone = local time)
 *   prom+http://host:9090,-2h/1h         a Prometheus server: from 2 h ago, 1 h long
 *   prom+http://host:9090,2026-12-01T10:00Z/30m
 *
 * Not `@`: after `host:9090` it reads as `user:password@host`, and fdtop's redaction rightly treats
 * it as a credential. The last `,` starts the range when what follows is one, so a path may hold a
 * comma itself. `prom+` marks a Prometheus server, which a plain URL (a live /metrics endpoint) is not.
 */
import {alertRules, parseDuration, UsageError, type Config} from './config.js';
import {demoFile} from './demo.js';
import {formatDuration} from './format.js';
import type {History} from './metrics/history.js';
import type {Era} from './metrics/era.js';
import type {TimelineEvent} from './metrics/events.js';
import {createSource} from './sources/index.js';
import {createDispatcher} from './sources/http.js';
import {PrometheusClient, PrometheusError} from './sources/prometheus-api.js';
import {backfill, discover, listSome, prometheusStepSec} from './sources/prometheus.js';
import {readAllRecords, RecordingError} from './sources/recording.js';
import {parseTarget, TargetError, targetLocation, type TargetSpec} from './sources/targets.js';
import type {Scrape} from './sources/types.js';
import {Store} from './store.js';

/** Where a range starts: absolute (ms), or an offset from the side's first scrape (+) or its end (−: last scrape, or now). */
export type RangeStart = {readonly kind: 'absolute'; readonly t: number} | {readonly kind: 'offset'; readonly ms: number; readonly fromEnd: boolean};

export interface SideRange {
	readonly start: RangeStart;
	/** Null: to the end. */
	readonly durationMs: number | null;
}

export type SideSpec =
	| {readonly kind: 'recording'; readonly text: string; readonly file: string; readonly range: SideRange | null}
	| {readonly kind: 'live'; readonly text: string; readonly target: TargetSpec}
	| {readonly kind: 'prometheus'; readonly text: string; readonly url: string; readonly range: SideRange};

const ISO = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function parseRange(text: string, side: string): SideRange {
	const slash = text.indexOf('/');
	const startText = slash < 0 ? text : text.slice(0, slash);
	const durationText = slash < 0 ? null : text.slice(slash + 1);
	let start: RangeStart;
	if (ISO.test(startText)) {
		const t = Date.parse(startText);
		if (!Number.isFinite(t)) throw new UsageError(`${side}: "${startText}" is not a date: write e.g. 2026-12-01T10:00Z`);
		start = {kind: 'absolute', t};
	} else {
		const fromEnd = startText.startsWith('-');
		const ms = parseDuration(startText.replace(/^[+-]/, ''), `${side} range start`);
		start = {kind: 'offset', ms, fromEnd};
	}
	const durationMs = durationText === null ? null : parseDuration(durationText, `${side} range duration`);
	if (durationMs !== null && !(durationMs > 0)) throw new UsageError(`${side}: a range needs a positive duration, e.g. ,5m/5m`);
	return {start, durationMs};
}

/** One side's argument → what it names. Throws UsageError with what to write instead. */
const RANGE = /^(?:[+-]?\d+(?:\.\d+)?(?:ms|s|m|h)?|\d{4}-\d{2}-\d{2}[^,/]*)(?:\/[^,/]+)?$/i;

export function parseSide(text: string, side: 'A' | 'B'): SideSpec {
	const comma = text.lastIndexOf(',');
	const ranged = comma > 0 && RANGE.test(text.slice(comma + 1));
	const base = ranged ? text.slice(0, comma) : text;
	const rangeText = ranged ? text.slice(comma + 1) : null;
	const prom = /^prom\+(https?:\/\/.+)$/i.exec(base);
	if (prom) {
		if (rangeText === null) throw new UsageError(`${side}: a Prometheus side needs a time range after a comma: prom+URL,-1h/30m (from an hour ago, 30 minutes) or prom+URL,2026-12-01T10:00Z/1h`);
		const range = parseRange(rangeText, side);
		if (range.start.kind === 'offset' && !range.start.fromEnd) throw new UsageError(`${side}: a Prometheus range starts at a date or before now (,-2h/1h), not after a first scrape`);
		return {kind: 'prometheus', text, url: prom[1]!, range};
	}
	const demo = /^demo:(.+)$/.exec(base);
	if (demo) {
		const found = demoFile(demo[1]!);
		if (!found) throw new UsageError(`${side}: no demo "${demo[1]}": see fdtop --help (Demo) for the names`);
		return {kind: 'recording', text, file: found.file, range: rangeText === null ? null : parseRange(rangeText, side)};
	}
	let target: TargetSpec;
	try {
		target = parseTarget(base);
	} catch (error) {
		if (error instanceof TargetError) throw new UsageError(`${side}: ${error.message}`);
		throw error;
	}
	if (target.kind === 'recording') return {kind: 'recording', text, file: target.path, range: rangeText === null ? null : parseRange(rangeText, side)};
	if (target.kind === 'file') throw new UsageError(`${side}: ${base} is one scrape, not a run: compare a recording (.jsonl or .jsonl.gz, made with --record)`);
	if (rangeText !== null) throw new UsageError(`${side}: a live target has no past to select: drop the range "${rangeText}" (it is watched for --window), or compare a recording or prom+URL,START/DURATION`);
	return {kind: 'live', text, target};
}

/** One side read: a history and the stretch of it to compare. */
export interface LoadedSide {
	readonly label: string;
	readonly history: History;
	readonly fromT?: number;
	readonly toT?: number;
	readonly era: Era | null;
	/** The side's event log, derived by its store as the live views derive it (with --slo and --alert). */
	readonly events: readonly TimelineEvent[];
}

/** What a side's store judges besides the figures: its objectives and alert rules make SLO and alert events. */
function judged(config: Config): {era: Config['era']; objectives: Config['objectives']; alertRules: ReturnType<typeof alertRules>} {
	return {era: config.era, objectives: config.objectives, alertRules: alertRules(config.alerts)};
}

/** [fromT, toT] of a range against a side's first and last scrape (or now). */
export function rangeTimes(range: SideRange | null, firstT: number, endT: number): {fromT: number; toT: number} {
	if (!range) return {fromT: firstT, toT: endT};
	const s = range.start;
	const fromT = s.kind === 'absolute' ? s.t : s.fromEnd ? endT - s.ms : firstT + s.ms;
	return {fromT, toT: range.durationMs === null ? endT : fromT + range.durationMs};
}

function storeOf(name: string, location: string, scrapes: readonly Scrape[], config: Config): {history: History; era: Era | null; events: readonly TimelineEvent[]} {
	const times = scrapes.map(s => s.t);
	const span = times.length > 1 ? times.at(-1)! - times[0]! : 1000;
	// Capacity follows interval and window: one slot per scrape, whatever the recording's spacing.
	const intervalMs = Math.max(1, span / (scrapes.length + 2));
	const store = new Store({targets: [{name, location}], intervalMs, windowMs: span + intervalMs * 4, ...judged(config)});
	store.ingestMany(0, scrapes);
	const state = store.getSnapshot();
	return {history: store.historyOf(0)!, era: state.targets[0]?.era ?? null, events: state.targets[0]?.events ?? []};
}

async function loadRecording(spec: Extract<SideSpec, {kind: 'recording'}>, config: Config): Promise<LoadedSide> {
	let recording;
	try {
		recording = await readAllRecords(spec.file);
	} catch (error) {
		if (error instanceof RecordingError) throw new SideError(`${spec.text}: ${error.message}`);
		throw error;
	}
	const {header, records} = recording;
	const scrapes: Scrape[] = records.filter(r => r.i === 0).map(r => ({target: r.target, t: r.t, text: r.text, error: r.error, durationMs: r.durationMs, bytes: r.bytes}));
	if (scrapes.filter(s => s.text !== undefined).length < 2) throw new SideError(`${spec.text}: fewer than two good scrapes: nothing to compare; record longer (fdtop TARGET --record run.jsonl.gz)`);
	const target = header.targets[0]!;
	const {history, era, events} = storeOf(target.name, target.target, scrapes, config);
	const {fromT, toT} = rangeTimes(spec.range, history.at(0)!.snapshot.t, history.last!.snapshot.t);
	const others = header.targets.length > 1 ? ` (target ${target.name}, 1 of ${header.targets.length})` : '';
	return {label: `${spec.text}${others}`, history, fromT, toT, era, events};
}

/** A side that cannot be read (not a usage error): exit 3. */
export class SideError extends Error {}

async function loadPrometheus(spec: Extract<SideSpec, {kind: 'prometheus'}>, config: Config, now: number): Promise<LoadedSide> {
	let client: PrometheusClient;
	try {
		client = new PrometheusClient(spec.url, {timeoutMs: Math.max(config.timeoutMs, 10_000), headers: config.headers, token: config.token, insecure: config.insecure, maxBytes: config.maxApiBytes});
	} catch (error) {
		if (error instanceof PrometheusError) throw new UsageError(`${spec.text}: ${error.message}`);
		throw error;
	}
	try {
		const targets = await discover(client, {match: config.match});
		if (targets.length === 0) throw new SideError(`${spec.text}: Prometheus scrapes no FastDeploy, vLLM or SGLang target; check --match`);
		if (targets.length > 1) throw new SideError(`${spec.text}: Prometheus scrapes ${targets.length} targets (${listSome(targets.map(t => t.name))}): compare one, narrowed with --match '{instance="…"}'`);
		const {fromT, toT} = rangeTimes(spec.range, now, now);
		if (!(toT > fromT)) throw new SideError(`${spec.text}: the range is empty`);
		const windowSec = (Math.min(toT, now) - fromT) / 1000;
		if (!(windowSec > 0)) throw new SideError(`${spec.text}: the range starts in the future`);
		const stepSec = prometheusStepSec(config.intervalMs, targets, windowSec);
		const [scrapes] = await backfill(client, targets, {endSec: Math.min(toT, now) / 1000, windowSec, stepSec, match: config.match});
		if ((scrapes?.length ?? 0) < 2) throw new SideError(`${spec.text}: fewer than two samples of ${targets[0]!.name} in that range: widen it or check the time`);
		const {history, era, events} = storeOf(targets[0]!.name, targets[0]!.location, scrapes!, config);
		return {label: `${spec.text} (${targets[0]!.name}, step ${formatDuration(stepSec * 1000)})`, history, fromT, toT, era, events};
	} catch (error) {
		if (error instanceof PrometheusError) throw new SideError(`${spec.text}: ${error.message}`);
		throw error;
	} finally {
		await client.close();
	}
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A live target: `windows + 1` scrapes spread over --window, so that its rates have a noise of their own. */
async function loadLive(spec: Extract<SideSpec, {kind: 'live'}>, config: Config, windows: number, progress: (text: string) => void): Promise<LoadedSide> {
	const agent = spec.target.kind === 'http' ? createDispatcher(config) : undefined;
	const source = createSource(spec.target, {timeoutMs: config.timeoutMs, maxBytes: config.maxBytes, headers: config.headers, token: config.token, insecure: config.insecure, dispatcher: agent});
	const stepMs = config.windowMs / windows;
	const store = new Store({targets: [{name: spec.target.name, location: targetLocation(spec.target)}], intervalMs: stepMs, windowMs: config.windowMs, ...judged(config)});
	try {
		for (let i = 0; i <= windows; i++) {
			const started = Date.now();
			const scrape = await source.scrape();
			store.ingest(0, scrape);
			if (scrape.error !== undefined) throw new SideError(`${spec.text}: ${scrape.error}`);
			if (i < windows) {
				progress(`${spec.text}: scrape ${i + 1} of ${windows + 1}, next in ${formatDuration(stepMs)} (window ${formatDuration(config.windowMs)})`);
				await delay(Math.max(0, stepMs - (Date.now() - started)));
			}
		}
	} finally {
		await source.close();
		await agent?.close().catch(() => undefined);
	}
	const state = store.getSnapshot();
	return {label: spec.text, history: store.historyOf(0)!, era: state.targets[0]?.era ?? null, events: state.targets[0]?.events ?? []};
}

export async function loadSide(spec: SideSpec, config: Config, options: {readonly windows: number; readonly now: number; readonly progress: (text: string) => void}): Promise<LoadedSide> {
	if (spec.kind === 'recording') return loadRecording(spec, config);
	if (spec.kind === 'prometheus') return loadPrometheus(spec, config, options.now);
	return loadLive(spec, config, options.windows, options.progress);
}
