/**
 * Events on the time axis: restarts, a target going down and coming back, a change of the engine's
 * configuration, SLO status changes, diagnoses appearing and clearing (and alert transitions, once
 * alert rules feed them). They are derived from the scrapes in order, never stored: a replay of a
 * recording folds the same scrapes and so yields the same events as the live run did.
 *
 * The fold is `deriveEvents(observations)` (or `stepEvents` one scrape at a time, as the store
 * does). An Observation is what one scrape says, built by `observe()` in events-observe.ts from the
 * history. Pure: no clock, no I/O. Diagnoses go through a hysteresis (DIAGNOSIS_HOLD) carried in
 * the state, so a condition sitting on its threshold is one diagnosis, not one per scrape.
 */
import {enViews} from '../i18n/en-views.js';

/**
 * `alert` is the place for alert-rule transitions (firing, resolved): give an Observation its
 * `alerts` and they become events like diagnoses do.
 */
export type EventKind = 'restart' | 'down' | 'up' | 'config' | 'slo' | 'diagnosis' | 'alert';

/** The glyph an event puts in the chart's marker row: `↺` restart, `⚙` config, `!` the rest. */
export type EventMarker = 'restart' | 'config' | 'alert';

export type EventLevel = 'info' | 'warn' | 'crit';

export interface TimelineEvent {
	/**
	 * The scrape that saw it (unix ms): the event happened after the previous scrape and by this one.
	 * A diagnosis's start and end are at the scrape that confirmed them (DIAGNOSIS_HOLD).
	 */
	readonly t: number;
	readonly kind: EventKind;
	readonly level: EventLevel;
	/** Short and fixed per kind and phase: `restart`, `target down`, `config changed`, `SLO breached`, … */
	readonly title: string;
	/** One line of what changed. May hold label values from the server: show it through inert(). */
	readonly detail: string;
	/** What it is about, where there is a thing: a diagnosis id, an objective, an alert rule. */
	readonly subject?: string;
	/** For things that come and go (down/up, diagnoses, alerts): whether it started or ended. */
	readonly phase?: 'start' | 'end';
	/** What title and detail say, as data: the UI words it in its language (title and detail are the English). */
	readonly data?: EventData;
}

/** An event's facts, for a view to word: title and detail are English (the --once report and --json). */
export type EventData =
	| {readonly kind: 'restart'; readonly resets: number; readonly startTime: boolean}
	| {readonly kind: 'up'; readonly downMs: number | null}
	| {readonly kind: 'config'; readonly changes: readonly string[]}
	| {readonly kind: 'slo'; readonly label: string; readonly from: string | undefined; readonly to: string}
	| {readonly kind: 'condition'; readonly zh?: string};

export const MARKER_OF: Readonly<Record<EventKind, EventMarker>> = {
	restart: 'restart',
	config: 'config',
	down: 'alert',
	up: 'alert',
	slo: 'alert',
	diagnosis: 'alert',
	alert: 'alert',
};

/** Which marker wins a chart column with several events: a config change (it comes with a restart) first. */
export const MARKER_RANK: Readonly<Record<EventMarker, number>> = {config: 3, restart: 2, alert: 1};

/** Something that is on or off from scrape to scrape: a diagnosis, an alert. */
export interface Condition {
	readonly id: string;
	readonly level: EventLevel;
	readonly text: string;
	/** The text in Chinese, where the source has it (diagnoses). */
	readonly zh?: string;
}

export type Observation =
	| {readonly t: number; readonly ok: false; readonly error: string}
	| {
			readonly t: number;
			readonly ok: true;
			/** Metric keys whose counters or histograms went down since the previous scrape. */
			readonly resets: readonly string[];
			/** `process_start_time_seconds` when exported (a new value is a new process). */
			readonly startTime: number | null;
			/** The engine's fixed settings (`max_batch_size`, `total_block_num`, …) by name; null when none is exported. */
			readonly config: ReadonlyMap<string, string> | null;
			readonly diagnoses: readonly Condition[];
			/** Each objective's status, by its label; null without objectives. */
			readonly slo: ReadonlyMap<string, string> | null;
			/** Firing alert rules (wired by the alert rules; absent until then). */
			readonly alerts?: readonly Condition[];
	  };

/**
 * When a diagnosis starts and clears, as Prometheus' `for` and `keep_firing_for` (README "Events on
 * the time axis"). It is pending from the first scrape where it holds; it starts at the first scrape
 * where it holds `forMs` or more after that (the event is stamped there, the time it was confirmed).
 * It ends, and a pending one lapses without an event, at the first scrape where it has not held
 * for `clearMs` since it last held AND on `clearScrapes` scrapes in a row (so a slow interval does
 * not clear it on one scrape). A lull shorter than that does not reset the pending time. Scrapes
 * that evaluate no diagnosis (failed, or a restart's) neither confirm nor clear one.
 */
export const DIAGNOSIS_HOLD = {forMs: 10_000, clearMs: 30_000, clearScrapes: 3} as const;

/** A diagnosis seen lately: pending (not yet started) or active (its start event given). */
export interface DiagnosisRun {
	/** As it read at the last scrape where it held (the end event's detail). */
	readonly condition: Condition;
	/** The first scrape of this run where it held. */
	readonly since: number;
	/** The last scrape where it held. */
	readonly last: number;
	/** Scrapes in a row since `last` that evaluated the diagnoses without it. */
	readonly misses: number;
	readonly active: boolean;
}

export interface EventState {
	/** null before the first scrape. */
	readonly up: boolean | null;
	readonly downSince: number | null;
	readonly startTime: number | null;
	readonly config: ReadonlyMap<string, string> | null;
	/** Diagnoses pending or active, by id. */
	readonly diagnoses: ReadonlyMap<string, DiagnosisRun>;
	readonly slo: ReadonlyMap<string, string> | null;
	readonly alerts: ReadonlyMap<string, Condition>;
}

export const INITIAL_EVENT_STATE: EventState = {up: null, downSince: null, startTime: null, config: null, diagnoses: new Map(), slo: null, alerts: new Map()};

/** The events' English titles and details (--once, --json, recordings): the catalog's eventsView words, which the Events view shows in the chosen language. */
export const EVENT_TEXT = {
	...enViews.eventsView,
	downFor: (ms: number) => enViews.eventsView.downFor(formatSpan(ms)),
	sloChange: (label: string, from: string | undefined, to: string) => enViews.eventsView.sloChange(label, from ?? null, to),
} as const;

export function formatSpan(ms: number): string {
	const s = Math.round(ms / 1000);
	if (s < 120) return `${s} s`;
	if (s < 7200) return `${Math.round(s / 60)} min`;
	return `${(s / 3600).toFixed(1)} h`;
}

/** A config value as the log shows it: long ones (model_cfg) cut. */
function short(value: string | undefined): string {
	if (value === undefined) return '--';
	return value.length > 24 ? `${value.slice(0, 23)}…` : value;
}

/** `max_batch_size 64 → 128, total_block_num 2000 → 2500 (+1 more)`. */
export function configChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
	// The same settings (nearly every scrape): nothing to sort or say.
	if (before === after) return [];
	if (before.size === after.size) {
		let same = true;
		for (const [name, value] of after) if (before.get(name) !== value) same = false;
		if (same) return [];
	}
	const names = new Set([...before.keys(), ...after.keys()]);
	const out: string[] = [];
	for (const name of [...names].sort(configOrder)) {
		const a = before.get(name);
		const b = after.get(name);
		if (a !== b) out.push(`${name} ${short(a)} → ${short(b)}`);
	}
	return out;
}

// The headline settings first, then the rest by name.
const FIRST = ['max_batch_size', 'max_gpu_block_num', 'total_block_num'];
function configOrder(a: string, b: string): number {
	const ia = FIRST.indexOf(a);
	const ib = FIRST.indexOf(b);
	if (ia !== ib) return (ia < 0 ? FIRST.length : ia) - (ib < 0 ? FIRST.length : ib);
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Alert rules at each scrape: the rule's own `for` already held them (alerts.ts), so each change is an event. */
function alertEvents(t: number, before: ReadonlyMap<string, Condition>, now: readonly Condition[], out: TimelineEvent[]): ReadonlyMap<string, Condition> {
	// Most scrapes change nothing: the same set (usually empty) is kept without a new map.
	if (now.length === before.size && now.every(c => before.has(c.id))) return before;
	const next = new Map<string, Condition>();
	for (const c of now) next.set(c.id, c);
	for (const [id, c] of next) if (!before.has(id)) out.push(conditionEvent(t, 'alert', 'start', c));
	for (const [id, c] of before) if (!next.has(id)) out.push(conditionEvent(t, 'alert', 'end', c));
	return next;
}

function conditionEvent(t: number, kind: 'diagnosis' | 'alert', phase: 'start' | 'end', c: Condition): TimelineEvent {
	const title = kind === 'diagnosis' ? (phase === 'start' ? EVENT_TEXT.diagnosisStart : EVENT_TEXT.diagnosisEnd) : phase === 'start' ? EVENT_TEXT.alertStart : EVENT_TEXT.alertEnd;
	return {t, kind, level: phase === 'start' ? c.level : 'info', title, detail: c.text, subject: c.id, phase, data: {kind: 'condition', zh: c.zh}};
}

/** The diagnoses through DIAGNOSIS_HOLD: starts are pushed in `now`'s order, then ends. */
function diagnosisEvents(t: number, before: ReadonlyMap<string, DiagnosisRun>, now: readonly Condition[], out: TimelineEvent[]): ReadonlyMap<string, DiagnosisRun> {
	// Most scrapes have no diagnosis, seen or pending: nothing to carry.
	if (before.size === 0 && now.length === 0) return before;
	const next = new Map<string, DiagnosisRun>();
	for (const c of now) {
		const run = before.get(c.id);
		const since = run ? run.since : t;
		const active = run?.active === true || t - since >= DIAGNOSIS_HOLD.forMs;
		if (active && run?.active !== true) out.push(conditionEvent(t, 'diagnosis', 'start', c));
		next.set(c.id, {condition: c, since, last: t, misses: 0, active});
	}
	for (const [id, run] of before) {
		if (next.has(id)) continue;
		const misses = run.misses + 1;
		if (misses >= DIAGNOSIS_HOLD.clearScrapes && t - run.last >= DIAGNOSIS_HOLD.clearMs) {
			if (run.active) out.push(conditionEvent(t, 'diagnosis', 'end', run.condition));
		} else next.set(id, {...run, misses});
	}
	return next;
}

/** One scrape's events, and the state after it. The same observations always give the same events. */
export function stepEvents(state: EventState, o: Observation): {state: EventState; events: TimelineEvent[]} {
	const events: TimelineEvent[] = [];
	if (!o.ok) {
		// Once per outage: repeated failures are the same event.
		if (state.up !== false) events.push({t: o.t, kind: 'down', level: 'crit', title: EVENT_TEXT.down, detail: o.error, phase: 'start'});
		return {state: state.up === false ? state : {...state, up: false, downSince: o.t}, events};
	}
	if (state.up === false) events.push({t: o.t, kind: 'up', level: 'info', title: EVENT_TEXT.up, detail: state.downSince === null ? '' : EVENT_TEXT.downFor(o.t - state.downSince), phase: 'end', data: {kind: 'up', downMs: state.downSince === null ? null : o.t - state.downSince}});
	const why: string[] = [];
	const newStart = o.startTime !== null && state.startTime !== null && o.startTime !== state.startTime;
	if (o.resets.length > 0) why.push(EVENT_TEXT.resets(o.resets.length));
	if (newStart) why.push(EVENT_TEXT.startTime);
	if (why.length > 0) events.push({t: o.t, kind: 'restart', level: 'warn', title: EVENT_TEXT.restart, detail: why.join('; '), data: {kind: 'restart', resets: o.resets.length, startTime: newStart}});
	// A target that stops exporting its settings has not changed them: the last known ones stay.
	let config = state.config;
	if (o.config) {
		const changes = config ? configChanges(config, o.config) : [];
		if (changes.length > 0) {
			const detail = changes.length > 3 ? `${changes.slice(0, 3).join(', ')} (+${changes.length - 3} more)` : changes.join(', ');
			events.push({t: o.t, kind: 'config', level: 'warn', title: EVENT_TEXT.config, detail, data: {kind: 'config', changes}});
		}
		config = o.config;
	}
	let slo = state.slo;
	if (o.slo) {
		for (const [label, status] of o.slo) {
			const before = slo?.get(label);
			// A breach beginning or ending is news; met, no data and unknown trading places is not.
			const changed = before !== status && (status === 'breached' || before === 'breached');
			if (changed) events.push({t: o.t, kind: 'slo', level: status === 'breached' ? 'crit' : 'info', title: EVENT_TEXT.slo(status), detail: EVENT_TEXT.sloChange(label, before, status), subject: label, data: {kind: 'slo', label, from: before, to: status}});
		}
		slo = o.slo;
	}
	// Across a restart the window's rates straddle two processes and the engine's gauges start at 0:
	// a diagnosis there is the restart's shadow, so the diagnoses are judged again at the next scrape.
	const diagnoses = why.length > 0 ? state.diagnoses : diagnosisEvents(o.t, state.diagnoses, o.diagnoses, events);
	const alerts = o.alerts ? alertEvents(o.t, state.alerts, o.alerts, events) : state.alerts;
	return {
		state: {up: true, downSince: null, startTime: o.startTime ?? state.startTime, config, diagnoses, slo, alerts},
		events,
	};
}

/** The events of a run of scrapes, oldest first: the fold of stepEvents. */
export function deriveEvents(observations: Iterable<Observation>, state: EventState = INITIAL_EVENT_STATE): TimelineEvent[] {
	const out: TimelineEvent[] = [];
	let s = state;
	for (const o of observations) {
		const step = stepEvents(s, o);
		s = step.state;
		for (const e of step.events) out.push(e);
	}
	return out;
}

/**
 * Per chart column, the marker of the events in it: column i (the scrape at times[i]) takes the
 * events after times[i − 1] and up to times[i]; '' where there is none. Computed once per scrape.
 */
export function markerTrack(times: readonly number[], events: readonly TimelineEvent[]): (EventMarker | '')[] {
	const track: (EventMarker | '')[] = new Array<EventMarker | ''>(times.length).fill('');
	if (times.length === 0 || events.length === 0) return track;
	let i = 0;
	for (const e of events) {
		if (e.t < times[0]!) continue;
		while (i < times.length && times[i]! < e.t) i++;
		if (i >= times.length) break;
		const m = MARKER_OF[e.kind];
		const held = track[i]!;
		if (held === '' || MARKER_RANK[m] > MARKER_RANK[held]) track[i] = m;
	}
	return track;
}
