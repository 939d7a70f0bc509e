/**
 * What the store holds and how it changes: per target, the history and the scrape cache; one
 * immutable AppState, published to subscribers. A scrape goes in through ingest (parse, snapshot,
 * history, derive once); a window or interval change resizes the histories. No timers here: the
 * poll loop is in store.ts, which builds on this class.
 */
import type {Family, ParseError, ParseResult} from '../prom/types.js';
import {maxOf} from '../arrays.js';
import {derive, type Derived} from '../metrics/derive.js';
import {eraShape, givenEra, guessEra, type Era, type EraConfidence, type EraSay} from '../metrics/era.js';
import {History} from '../metrics/history.js';
import {LONG_BURN_MS, SLO_WINDOWS_MS, sloReport, type Objective, type SloMeasure, type SloReport} from '../metrics/slo.js';
import {measureSlo} from '../metrics/slo-measure.js';
import {evaluateAlerts, type AlertStatus} from '../metrics/alerts.js';
import type {AlertRule} from '../metrics/alert-rule.js';
import {INITIAL_EVENT_STATE, stepEvents, type Condition, type EventState, type Observation, type TimelineEvent} from '../metrics/events.js';
import {observe, type ObserveOptions} from '../metrics/events-observe.js';
import {DEFAULT_PROMQL, type PromqlVersion} from '../metrics/window.js';
import type {Snapshot} from '../metrics/snapshot.js';
import {ScrapeCache} from '../metrics/snapshot-plan-cache.js';
import type {RecordingStatus} from '../sources/recording.js';
import type {Clock, Mode, Scrape, TargetState} from '../sources/types.js';

export interface TargetStatus {
	readonly name: string;
	/** URL or file path. */
	readonly location: string;
	readonly state: TargetState;
	/** The last failure, while the target is failing; null when up. */
	readonly error: string | null;
	readonly lastOkAt: number | null;
	readonly lastAttemptAt: number | null;
	readonly durationMs: number | null;
	readonly bytes: number | null;
	/** Successful scrapes so far. */
	readonly scrapes: number;
	readonly failures: number;
	readonly skippedLines: number;
	readonly parseError: ParseError | null;
	/** Families of the last good scrape (the explorer's data). */
	readonly families: readonly Family[];
	readonly derived: Derived | null;
	/** The FastDeploy version: guessed from the metrics (see metrics/era.ts) or given with --era. */
	readonly era: Era | null;
	readonly eraConfidence: EraConfidence;
	/** What the guess rests on, one signal a line (English: --json); eraSays words the same in a language (`say(msgs(lang).era)`). */
	readonly eraEvidence: readonly string[];
	readonly eraSays?: readonly EraSay[];
	readonly warnings: readonly string[];
	/** Objectives' figures and verdicts (only with objectives, once the target has data). */
	readonly slo?: {readonly measure: SloMeasure; readonly report: SloReport} | null;
	/** Alert rules' states at the last scrape (only with rules), in the order of AppState.alertRules. */
	readonly alerts?: readonly AlertStatus[];
	/** Restarts, down/up, config changes, SLO and diagnosis changes, oldest first (the newest MAX_EVENTS). */
	readonly events?: readonly TimelineEvent[];
}

export interface AppState {
	readonly mode: Mode;
	readonly targets: readonly TargetStatus[];
	readonly intervalMs: number;
	readonly windowMs: number;
	readonly paused: boolean;
	/** What --record has written and whether it failed (the writer reports it); null when not recording. */
	readonly recording: RecordingStatus | null;
	/** Increases on every change; handy for memoisation and tests. */
	readonly version: number;
	/** Service-level objectives (--slo), judged per target and for the fleet. */
	readonly objectives?: readonly Objective[];
	/** Alert rules (--alert, the config file), evaluated per target at every scrape. */
	readonly alertRules?: readonly AlertRule[];
}

export const DEFAULT_MAX_SERIES = 200_000;
const MIN_HISTORY_MS = 300_000;
/** Events kept per target: the log is bounded like the history, but reaches much further back. */
export const MAX_EVENTS = 500;
export const INTERVALS_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000] as const;
export const WINDOWS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] as const;

export interface StoreOptions {
	readonly targets: readonly {readonly name: string; readonly location: string}[];
	readonly intervalMs: number;
	readonly windowMs: number;
	readonly clock?: Clock;
	readonly mode?: Mode;
	/** Cardinality cap per scrape (--max-series). */
	readonly maxSeries?: number;
	/** The FastDeploy version given with --era: it replaces the guess for FastDeploy targets. */
	readonly era?: Era;
	/** Whose range semantics windowed figures follow: Prometheus 3 (default) or 2 (a 2.x server's). */
	readonly promql?: PromqlVersion;
	/** Objectives to judge: the history then reaches the longest burn window (1 h). */
	readonly objectives?: readonly Objective[];
	readonly alertRules?: readonly AlertRule[];
}

function historyCapacity(intervalMs: number, windowMs: number): number {
	// Bounded by the window (never by run time), and at least five minutes so that widening the
	// window up to that is instant. Memory follows the user's choice: ~300 snapshots (~3 MB) by
	// default, ~3600 (~40 MB) for a one-hour window at 1 s.
	return Math.ceil(Math.max(windowMs, MIN_HISTORY_MS) / intervalMs) + 2;
}

export type Listener = () => void;
type Patch = {-readonly [K in keyof TargetStatus]?: TargetStatus[K]};

export class StoreState {
	#state: AppState;
	readonly #histories: History[];
	/** Per target: the last scrape's shape, so a scrape like it is parsed and snapshotted cheaply. */
	readonly #caches: ScrapeCache[];
	readonly #listeners = new Set<Listener>();
	readonly #maxSeries: number;
	readonly #givenEra: Era | undefined;
	readonly #promql: PromqlVersion;
	/** Per target: changes taken in by ingestMany(…, {publish: false}) and not yet in the state. */
	readonly #unpublished = new Map<number, {patch: Patch; pushed: boolean}>();
	readonly #objectives: readonly Objective[];
	/** History each target keeps beyond the window, for the objectives' long windows. */
	readonly #keepMs: number;
	readonly #rules: readonly AlertRule[];
	/** Per target: times of failed scrapes still inside its history's span (for alert rules). */
	readonly #failures: number[][];
	/** Per target: what the scrapes so far said (events.ts folds each new scrape into it). */
	readonly #eventStates: EventState[];

	constructor(options: StoreOptions) {
		this.#maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
		this.#givenEra = options.era;
		this.#promql = options.promql ?? DEFAULT_PROMQL;
		this.#objectives = options.objectives ?? [];
		this.#rules = options.alertRules ?? [];
		// A rule's own range and `for` are kept too (up to 1 h of range plus the hold), so its state is the same however long fdtop ran.
		const ruleMs = maxOf(this.#rules.map(r => (r.rangeMs ?? 0) + r.forMs), 0);
		this.#keepMs = Math.max(this.#objectives.length > 0 ? LONG_BURN_MS : 0, Math.min(ruleMs, 2 * LONG_BURN_MS));
		this.#failures = options.targets.map(() => []);
		const capacity = historyCapacity(options.intervalMs, Math.max(options.windowMs, this.#keepMs));
		this.#histories = options.targets.map(() => new History(capacity));
		this.#caches = options.targets.map(() => new ScrapeCache(this.#maxSeries));
		this.#eventStates = options.targets.map(() => INITIAL_EVENT_STATE);
		this.#state = {
			targets: options.targets.map(t => ({
				name: t.name,
				location: t.location,
				state: 'connecting',
				error: null,
				lastOkAt: null,
				lastAttemptAt: null,
				durationMs: null,
				bytes: null,
				scrapes: 0,
				failures: 0,
				skippedLines: 0,
				parseError: null,
				families: [],
				derived: null,
				era: null,
				eraConfidence: 'unknown',
				eraEvidence: [],
				warnings: [],
				events: [],
			})),
			mode: options.mode ?? {kind: 'live'},
			intervalMs: options.intervalMs,
			windowMs: options.windowMs,
			paused: false,
			recording: null,
			version: 0,
			...(this.#objectives.length > 0 && {objectives: this.#objectives}),
			...(this.#rules.length > 0 && {alertRules: this.#rules}),
		};
	}

	readonly getSnapshot = (): AppState => this.#state;

	/** Target `index`'s scrape cache counters (hits: scrapes parsed against the last one's shape). */
	cacheStats(index: number): ScrapeCache['stats'] {
		const cache = this.#caches[index];
		if (!cache) throw new RangeError(`no target ${index}`);
		return cache.stats;
	}

	readonly subscribe = (listener: Listener): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	/** A new state with `patch`, told to every subscriber. */
	protected setState(patch: Partial<AppState>): void {
		const recording = this.#pendingRecording;
		this.#pendingRecording = undefined;
		this.#state = {...this.#state, ...(recording && {recording}), ...patch, version: this.#state.version + 1};
		for (const listener of this.#listeners) listener();
	}

	#setTarget(index: number, patch: Partial<TargetStatus>): void {
		const targets = this.#state.targets.slice();
		targets[index] = {...targets[index]!, ...patch};
		this.setState({targets});
	}

	/** Feed one scrape for target `index`: the single entry point of data, live or replayed. */
	/** One target's history (compare reads stretches of it); undefined for an unknown index. */
	historyOf(index: number): History | undefined {
		return this.#histories[index];
	}

	ingest(index: number, scrape: Scrape): void {
		this.ingestMany(index, [scrape]);
	}

	/**
	 * Feed several scrapes of one target in time order (a backfill, a prefill): every one goes into
	 * the history, figures are derived once at the end, subscribers are told once. With
	 * `publish: false` (a replay run to its end) nothing is derived or told yet: the state seen by
	 * getSnapshot() stays as it was until publish(), which derives each such target once.
	 */
	ingestMany(index: number, scrapes: readonly Scrape[], options: {readonly publish?: boolean} = {}): void {
		const published = this.#state.targets[index];
		if (!published) throw new RangeError(`no target ${index}`);
		const history = this.#histories[index]!;
		const cache = this.#caches[index]!;
		const held = this.#unpublished.get(index);
		let patch: Patch = held?.patch ?? {};
		let status: TargetStatus = held ? {...published, ...patch} : published;
		let pushed = held?.pushed ?? false;
		for (const scrape of scrapes) {
			const base = {lastAttemptAt: scrape.t, durationMs: scrape.durationMs, bytes: scrape.bytes};
			let error = scrape.error;
			if (error === undefined) {
				const parsed = cache.parse(scrape.text ?? '');
				if (parsed.sampleCount === 0) {
					error = parsed.firstError
						? `${scrape.target}: no metric samples (line ${parsed.firstError.line}: ${parsed.firstError.message})`
						: `${scrape.target}: the response holds no metric samples`;
				} else {
					const snapshot = cache.snapshot(parsed, scrape.t);
					// A source may hand back a sample it already gave (a Prometheus server scraping more
					// slowly than fdtop polls): the target is up, but there is nothing new to keep.
					const fresh = history.last === undefined || scrape.t > history.last.snapshot.t;
					if (fresh) {
						history.push(snapshot);
						pushed = true;
					}
					patch = {
						...patch,
						...base,
						state: 'up',
						error: null,
						lastOkAt: scrape.t,
						scrapes: status.scrapes + (fresh ? 1 : 0),
						skippedLines: parsed.skippedLines,
						parseError: parsed.firstError,
						families: parsed.families,
						...this.#era(cache, parsed, snapshot),
						warnings: parsed.droppedSamples > 0 ? [...snapshot.warnings, `${parsed.droppedSamples} series beyond the --max-series cap of ${this.#maxSeries} were dropped`] : snapshot.warnings,
					};
					status = {...status, ...patch};
					if (fresh) {
						const observation = observe(history, parsed.families, this.#observeOptions(status));
						const next = this.#event(index, status, this.#rules.length > 0 && observation.ok ? {...observation, alerts: this.#firing(index)} : observation, patch);
						if (next !== patch) status = {...status, ...(patch = next)};
					}
					continue;
				}
			}
			patch = {...patch, ...base, state: status.lastOkAt === null ? 'down' : 'stale', error, failures: status.failures + 1};
			patch = this.#event(index, status, {t: scrape.t, ok: false, error}, patch);
			status = {...status, ...patch};
			if (this.#rules.length > 0) this.#failed(index, scrape.t);
		}
		if (options.publish === false) {
			this.#unpublished.set(index, {patch, pushed});
			return;
		}
		this.#unpublished.delete(index);
		if (pushed) this.#derive(index, patch);
		else if (this.#rules.length > 0 && scrapes.length > 0) patch.alerts = this.#alerts(index);
		this.#setTarget(index, patch);
	}

	#observeOptions(status: TargetStatus): ObserveOptions {
		return {windowMs: this.#state.windowMs, promql: this.#promql, intervalMs: this.#state.intervalMs, objectives: this.#objectives, era: status.era, eraConfidence: status.eraConfidence};
	}

	/** Fold one scrape into the target's events: a new list in the patch only when there are new events. */
	#event(index: number, status: TargetStatus, observation: Observation, patch: Patch): Patch {
		const step = stepEvents(this.#eventStates[index]!, observation);
		this.#eventStates[index] = step.state;
		if (step.events.length === 0) return patch;
		const before = status.events ?? [];
		const events = before.length + step.events.length > MAX_EVENTS ? before.slice(before.length + step.events.length - MAX_EVENTS) : before.slice();
		for (const e of step.events) events.push(e);
		return {...patch, events};
	}

	/** The version of one scrape's server: --era for FastDeploy targets, else the guess. */
	#era(cache: ScrapeCache, parsed: ParseResult, snapshot: Snapshot): Pick<TargetStatus, 'era' | 'eraConfidence' | 'eraEvidence' | 'eraSays'> {
		const guess = guessEra(parsed, snapshot, cache.perShape(parsed, () => eraShape(parsed)));
		const chosen = this.#givenEra !== undefined && snapshot.engine === 'fastdeploy' ? givenEra(this.#givenEra, guess) : guess;
		return {era: chosen.era, eraConfidence: chosen.confidence, eraEvidence: chosen.evidence, eraSays: chosen.says};
	}

	/** Derive and publish what ingestMany(…, {publish: false}) took in: one new state, subscribers told once. */
	publish(): void {
		if (this.#unpublished.size === 0) return;
		const targets = this.#state.targets.slice();
		for (const [index, {patch, pushed}] of this.#unpublished) {
			if (pushed) this.#derive(index, patch);
			else if (this.#rules.length > 0) patch.alerts = this.#alerts(index);
			targets[index] = {...targets[index]!, ...patch};
		}
		this.#unpublished.clear();
		this.setState({targets});
	}

	/** Re-derive every target (after the window changed). */
	#rederive(): AppState['targets'] {
		return this.#state.targets.map((t, i) => {
			if (!t.derived) return t;
			const patch: Patch = {};
			this.#derive(i, patch);
			return {...t, ...patch};
		});
	}

	#derive(index: number, patch: Patch): void {
		const history = this.#histories[index]!;
		patch.derived = derive(history, {windowMs: this.#state.windowMs, promql: this.#promql});
		if (this.#objectives.length > 0) patch.slo = this.#judge(history);
		if (this.#rules.length > 0) patch.alerts = this.#alerts(index);
	}

	/** The rules firing at the scrape just taken in, as conditions for the event log (an alert starting and ending). */
	#firing(index: number): Condition[] {
		const firing: Condition[] = [];
		for (const a of this.#alerts(index)) if (a.state === 'firing') firing.push({id: a.rule.text, level: 'crit', text: a.rule.text});
		return firing;
	}

	#alerts(index: number): readonly AlertStatus[] {
		return evaluateAlerts(this.#rules, {history: this.#histories[index]!, failures: this.#failures[index]!, windowMs: this.#state.windowMs, version: this.#promql});
	}

	/** Note a failed scrape for the alert rules; failures older than the history's oldest entry are dropped. */
	#failed(index: number, t: number): void {
		const failures = this.#failures[index]!;
		const last = failures.at(-1);
		if (last === undefined || t > last) failures.push(t);
		const oldest = this.#histories[index]!.at(0)?.snapshot.t;
		const capacity = this.#histories[index]!.capacity;
		let drop = 0;
		while (drop < failures.length && ((oldest !== undefined && failures[drop]! < oldest) || failures.length - drop > capacity)) drop++;
		if (drop > 0) failures.splice(0, drop);
	}

	#judge(history: History): TargetStatus['slo'] {
		const windowMs = this.#state.windowMs;
		const measure = measureSlo(history, this.#objectives.map(o => o.key), [windowMs, ...SLO_WINDOWS_MS], this.#state.intervalMs, this.#promql);
		return measure ? {measure, report: sloReport(this.#objectives, measure, windowMs)} : null;
	}

	#pendingRecording: RecordingStatus | undefined;

	/**
	 * The recording's status, from its writer. With `quiet`, a count that only went up rides along
	 * with the next publish (the scrape it counts is ingested right after), so recording costs no
	 * render of its own; a failure, or the first status, is published at once all the same.
	 */
	setRecording(status: RecordingStatus, options: {readonly quiet?: boolean} = {}): void {
		const shown = this.#state.recording;
		if (options.quiet && shown !== null && shown.error === status.error && shown.file === status.file) this.#pendingRecording = status;
		else this.setState({recording: status});
	}

	setMode(mode: Mode): void {
		this.setState({mode});
	}

	/** Forget all history (a replay that loops starts over). */
	resetHistory(): void {
		for (let i = 0; i < this.#histories.length; i++) this.#histories[i] = new History(this.#histories[i]!.capacity);
		for (const failures of this.#failures) failures.length = 0;
		// The log stays; what it compares with starts afresh (a loop is not a restart or a change).
		this.#eventStates.fill(INITIAL_EVENT_STATE);
	}

	setWindow(windowMs: number): void {
		if (windowMs === this.#state.windowMs) return;
		// A wider window keeps more history from now on (it fills as scrapes arrive, and the
		// figures say how much of it is covered); a narrower one keeps what is there.
		const capacity = historyCapacity(this.#state.intervalMs, Math.max(windowMs, this.#keepMs));
		for (let i = 0; i < this.#histories.length; i++) if (capacity > this.#histories[i]!.capacity) this.#histories[i] = this.#histories[i]!.resized(capacity);
		this.#state = {...this.#state, windowMs};
		this.setState({targets: this.#rederive()});
	}

	/** Step through WINDOWS_MS: +1 widens, −1 narrows. */
	stepWindow(direction: 1 | -1): void {
		this.setWindow(step(WINDOWS_MS, this.#state.windowMs, direction));
	}

	setIntervalMs(intervalMs: number): void {
		if (intervalMs === this.#state.intervalMs) return;
		const capacity = historyCapacity(intervalMs, Math.max(this.#state.windowMs, this.#keepMs));
		for (let i = 0; i < this.#histories.length; i++) if (capacity !== this.#histories[i]!.capacity) this.#histories[i] = this.#histories[i]!.resized(capacity);
		this.setState({intervalMs});
	}

	stepInterval(direction: 1 | -1): void {
		this.setIntervalMs(step(INTERVALS_MS, this.#state.intervalMs, direction));
	}
}

function step(values: readonly number[], current: number, direction: 1 | -1): number {
	if (direction > 0) return values.find(v => v > current) ?? values.at(-1)!;
	return [...values].reverse().find(v => v < current) ?? values[0]!;
}
