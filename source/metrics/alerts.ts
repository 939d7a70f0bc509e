/**
 * Alert rules evaluated over a target's history, as Prometheus evaluates alerting rules: at every
 * scrape the condition is true, false or missing; a rule is pending from the first scrape where it
 * holds, firing once it has held for `for` (at the first scrape with t − activeSince ≥ for), and
 * inactive again at the first scrape where it does not hold or has no value (a missing value is not
 * true). Recomputed from the history every time, never carried from one call to the next, so a
 * replay of a recording gives the same alerts as the live run did.
 *
 * Choices beyond Prometheus (README "Alert rules"):
 * - A failed scrape leaves a metric's condition unknown: the rule keeps its state (it neither
 *   resolves nor moves from pending to firing) until a scrape answers. `up` is the exception: a
 *   failed scrape is its value (0).
 * - A metric the target does not export at all is `no-data` with the reason, never inactive.
 * - A percentile above the top finite bucket is known only as "> top": the condition is decided
 *   when that lower bound decides it, else it is missing.
 */
import type {AlertRule} from './alert-rule.js';
import {holds} from './alert-rule.js';
import type {History, HistoryEntry} from './history.js';
import {quantileEstimate} from './quantile.js';
import {windowRate, windowStats, type Range} from './window-stats.js';
import type {PromqlVersion} from './window.js';
import {enText} from '../i18n/en-text.js';

export type AlertState = 'firing' | 'pending' | 'inactive' | 'no-data';

/** Worst first: the order of the strip and of `check`'s table. */
export const ALERT_STATE_ORDER: readonly AlertState[] = ['firing', 'pending', 'no-data', 'inactive'];

/** The fixed reasons, in English (the catalog's report.alerts.reasons; alert-report.ts words them in the UI's language). */
export const ALERT_TEXT = enText.report.alerts.reasons;

export interface AlertStatus {
	readonly rule: AlertRule;
	readonly state: AlertState;
	/** When the current state began: firing, the scrape it fired at; pending, when the condition began to hold. Null otherwise. */
	readonly since: number | null;
	/** When the condition began to hold (pending and firing); null otherwise. */
	readonly activeSince: number | null;
	/** The compared value at the last scrape that gave one (the rule's unit: seconds, 0–1, per second…). */
	readonly value: number | null;
	/** The value is a lower bound (a percentile above the top finite bucket). */
	readonly lowerBound: boolean;
	/** Time of the last evaluation (the last scrape, failed or not); null before any. */
	readonly at: number | null;
	/** Why the value is missing or the state was kept; null when there is nothing to say. */
	readonly reason: string | null;
}

export interface AlertInput {
	readonly history: History;
	/** Times of failed scrapes, ascending (those older than the history's oldest entry are ignored). */
	readonly failures: readonly number[];
	/** Range of rules written without one (`rate(x)`): the view's window. */
	readonly windowMs: number;
	readonly version: PromqlVersion;
}

interface Point {
	readonly value: number | null;
	readonly lowerBound: boolean;
	/** The condition: true, false, or null (missing: not true). */
	readonly cond: boolean | null;
	readonly reason: string | null;
}

/** Each entry's evaluated points, by rule text and range: an entry is evaluated once per rule. */
const POINTS = new WeakMap<HistoryEntry, Map<string, Point>>();

/** A metric rule's run as of an entry (when its condition began to hold and when it fired), so the next scrape need not walk the whole run again. */
interface Run {
	readonly activeSince: number | null;
	readonly firedAt: number | null;
}
const RUNS = new WeakMap<HistoryEntry, Map<string, Run>>();

const pointId = (rule: AlertRule, input: AlertInput) => `${rule.text}\u0000${rule.rangeMs ?? input.windowMs}\u0000${input.version}`;

function rangeAt(history: History, index: number, rangeMs: number, version: PromqlVersion): Range | null {
	const to = history.at(index)!;
	const t = to.snapshot.t;
	let first = history.indexFrom(t - rangeMs, version === 3);
	if (first === -1 || first >= index) return null;
	first = Math.max(0, first);
	const from = history.at(first)!;
	return {from, to, samples: index - first + 1, endMs: t, rangeMs, version, filling: first === 0 && from.snapshot.t > t - rangeMs};
}

function decide(rule: AlertRule, value: number | null, lowerBound: boolean, reason: string | null): Point {
	if (value === null || !Number.isFinite(value)) return {value: null, lowerBound: false, cond: null, reason};
	if (!lowerBound) return {value, lowerBound, cond: holds(rule.op, value, rule.threshold), reason};
	// The true value is above `value`: `>`/`>=` hold when the bound already passes; `<`/`<=`/`==` fail when it does.
	const op = rule.op;
	if ((op === '>' || op === '>=') && value >= rule.threshold) return {value, lowerBound, cond: true, reason};
	if ((op === '<' || op === '<=' || op === '==') && value >= rule.threshold) return {value, lowerBound, cond: false, reason};
	if (op === '!=' && value >= rule.threshold) return {value, lowerBound, cond: true, reason};
	return {value, lowerBound, cond: null, reason: ALERT_TEXT.aboveTop};
}

/** The rule at history entry `index` (a successful scrape). */
function pointAt(rule: AlertRule, input: AlertInput, index: number): Point {
	const entry = input.history.at(index)!;
	const rangeMs = rule.rangeMs ?? input.windowMs;
	const id = pointId(rule, input);
	let cache = POINTS.get(entry);
	const cached = cache?.get(id);
	if (cached) return cached;
	const point = computePoint(rule, input, index, rangeMs);
	if (!cache) POINTS.set(entry, (cache = new Map()));
	cache.set(id, point);
	return point;
}

function computePoint(rule: AlertRule, input: AlertInput, index: number, rangeMs: number): Point {
	if (rule.fn === 'up') return decide(rule, 1, false, null);
	const {history} = input;
	const data = history.at(index)!.snapshot.metrics.get(rule.key);
	if (data === undefined) return decide(rule, null, false, ALERT_TEXT.notExported(rule.entry!.title));
	if (rule.fn === 'value') return decide(rule, data.kind === 'gauge' ? data.value : null, false, null);
	const range = rangeAt(history, index, rangeMs, input.version);
	if (!range) return decide(rule, null, false, ALERT_TEXT.oneScrape);
	if (data.kind === 'counter') {
		const rate = windowRate(history, range, rule.key);
		if (rate === null || rule.fn === 'rate') return decide(rule, rate, false, null);
		const seconds = (range.filling ? range.to.snapshot.t - range.from.snapshot.t : range.rangeMs) / 1000;
		return decide(rule, rate * seconds, false, null);
	}
	if (data.kind !== 'histogram') return decide(rule, null, false, null);
	const stats = windowStats(history, range, rule.key);
	if (!stats) return decide(rule, null, false, null);
	if (rule.fn === 'rate') return decide(rule, stats.rate, false, null);
	if (rule.fn === 'increase') return decide(rule, stats.increase, false, null);
	if (!(stats.count > 0)) return decide(rule, null, false, ALERT_TEXT.noObservations);
	if (rule.fn === 'mean') return decide(rule, stats.mean, false, null);
	const q = quantileEstimate(rule.q!, stats.buckets);
	return decide(rule, q.value, q.aboveTopBucket, null);
}

/**
 * One rule's state at the newest scrape. Walks back from the newest scrape to the last one where
 * the condition did not hold: the scrapes after it are the run that makes the rule pending or
 * firing (failed scrapes in between keep the state and are skipped, except for `up`).
 */
export function evaluateRule(rule: AlertRule, input: AlertInput): AlertStatus {
	const {history} = input;
	const oldest = history.size > 0 ? history.at(0)!.snapshot.t : Number.NEGATIVE_INFINITY;
	const failures = input.failures;
	let f = failures.length - 1;
	const lastFailure = f >= 0 && failures[f]! >= oldest ? failures[f]! : null;
	const lastOk = history.last?.snapshot.t ?? null;
	const at = lastFailure !== null && (lastOk === null || lastFailure > lastOk) ? lastFailure : lastOk;
	const empty = {rule, since: null, activeSince: null, value: null, lowerBound: false, at};
	if (at === null) return {...empty, state: 'no-data', reason: ALERT_TEXT.neverUp};
	const isUp = rule.fn === 'up';
	if (!isUp && history.size === 0) return {...empty, state: 'no-data', reason: ALERT_TEXT.neverUp};

	// The newest point's value and condition (for a metric rule, the newest successful scrape's).
	let i = history.size - 1;
	const points: {t: number; cond: boolean | null}[] = [];
	let newest: Point | null = null;
	const failurePoint: Point = decide(rule, 0, false, null);
	const id = pointId(rule, input);
	// A run already known as of an older scrape: the walk stops there and continues it.
	let known: Run | null = null;
	for (;;) {
		const okT = i >= 0 ? history.at(i)!.snapshot.t : Number.NEGATIVE_INFINITY;
		const failT = isUp && f >= 0 && failures[f]! >= oldest ? failures[f]! : Number.NEGATIVE_INFINITY;
		if (okT === Number.NEGATIVE_INFINITY && failT === Number.NEGATIVE_INFINITY) break;
		let point: Point;
		let t: number;
		if (failT > okT) {
			point = failurePoint;
			t = failT;
			f--;
		} else {
			const run = isUp || newest === null ? undefined : RUNS.get(history.at(i)!)?.get(id);
			if (run) {
				if (run.activeSince !== null) known = run;
				break;
			}
			point = pointAt(rule, input, i);
			t = okT;
			i--;
		}
		newest ??= point;
		if (point.cond !== true) break;
		points.push({t, cond: true});
	}
	const kept = !isUp && lastFailure !== null && lastOk !== null && lastFailure > lastOk;
	const reason = kept ? ALERT_TEXT.kept : (newest?.reason ?? null);
	const value = newest?.value ?? null;
	const lowerBound = newest?.lowerBound ?? false;
	if (!isUp && history.last) {
		const run = runOf(points, known, rule.forMs);
		let runs = RUNS.get(history.last);
		if (!runs) RUNS.set(history.last, (runs = new Map()));
		runs.set(id, run);
	}
	if (points.length === 0) {
		// Not exported now (and so not in the newest scrape): say so rather than inactive.
		const absent = !isUp && newest?.cond === null && history.last?.snapshot.metrics.get(rule.key) === undefined;
		const noRange = !isUp && newest?.reason === ALERT_TEXT.oneScrape;
		return {...empty, value, lowerBound, state: absent || noRange ? 'no-data' : 'inactive', reason};
	}
	const {activeSince, firedAt} = runOf(points, known, rule.forMs) as {activeSince: number; firedAt: number | null};
	const firing = firedAt !== null;
	return {rule, state: firing ? 'firing' : 'pending', since: firing ? firedAt : activeSince, activeSince, value, lowerBound, at, reason};
}

/** The run from the points where the condition held (newest first), continuing a run known as of the scrape before them. */
function runOf(points: readonly {t: number}[], known: Run | null, forMs: number): Run {
	if (points.length === 0) return known ?? {activeSince: null, firedAt: null};
	const activeSince = known?.activeSince ?? points[points.length - 1]!.t;
	if (known?.firedAt != null) return {activeSince, firedAt: known.firedAt};
	for (let k = points.length - 1; k >= 0; k--) if (points[k]!.t - activeSince >= forMs) return {activeSince, firedAt: points[k]!.t};
	return {activeSince, firedAt: null};
}

export function evaluateAlerts(rules: readonly AlertRule[], input: AlertInput): AlertStatus[] {
	return rules.map(rule => evaluateRule(rule, input));
}

/** One rule across the fleet: its worst state on any target (Prometheus gives one alert per target). */
export interface FleetAlert {
	readonly rule: AlertRule;
	readonly state: AlertState;
	/** The target whose status speaks for the fleet (worst state, earliest since), by index. */
	readonly target: number | null;
	readonly status: AlertStatus | null;
	readonly firing: number;
	readonly pending: number;
	readonly targets: number;
}

function rank(s: AlertStatus): number {
	return ALERT_STATE_ORDER.indexOf(s.state);
}

/** Per rule, the worst target: firing before pending before no data before inactive; then the earliest since. */
export function fleetAlerts(rules: readonly AlertRule[], perTarget: readonly (readonly AlertStatus[] | null | undefined)[]): FleetAlert[] {
	return rules.map((rule, r) => {
		let best: {status: AlertStatus; index: number} | null = null;
		let firing = 0;
		let pending = 0;
		perTarget.forEach((statuses, index) => {
			const status = statuses?.[r];
			if (!status) return;
			if (status.state === 'firing') firing++;
			if (status.state === 'pending') pending++;
			if (!best || rank(status) < rank(best.status) || (rank(status) === rank(best.status) && (status.since ?? Infinity) < (best.status.since ?? Infinity))) best = {status, index};
		});
		const chosen = best as {status: AlertStatus; index: number} | null;
		return {rule, state: chosen?.status.state ?? 'no-data', target: chosen?.index ?? null, status: chosen?.status ?? null, firing, pending, targets: perTarget.length};
	});
}
