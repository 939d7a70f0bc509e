/**
 * Alert rules out of AppState: a rule's label, its value in its unit, the `alerts` JSON key, the
 * Alerts section of the text report and of `fdtop check`, the one-line strip the views show, and
 * the exit status a firing rule gives `check`. Formatting only: states come from metrics/alerts.ts.
 */
import type {AlertRule} from './metrics/alert-rule.js';
import {ALERT_STATE_ORDER, ALERT_TEXT, fleetAlerts, type AlertState, type AlertStatus} from './metrics/alerts.js';
import {formatCount, formatRate, formatRatio, formatSeconds, MISSING, padRight, displayWidth} from './format.js';
import type {AppState} from './store.js';
import {inert, inertClip} from './text.js';
import {maxOf} from './arrays.js';
import {localize, msgs, type Lang} from './i18n/index.js';

type Json = string | number | boolean | null | Json[] | {[key: string]: Json};

/** Every user-visible string of the alert report and strip, in one place. */
export const ALERT_REPORT_TEXT = {
	title: 'Alerts',
	head: ['rule', 'target', 'state', 'lasting', 'value', 'why'],
	strip: 'ALERT',
	noData: 'alert rule',
	notExported: 'not exported by this target',
	on: 'on',
	now: 'now',
	of: 'of',
	more: (n: number) => `+${n} more`,
	state: {firing: 'firing', pending: 'pending', inactive: 'inactive', 'no-data': 'no data'} as Record<AlertState, string>,
	fleet: 'fleet',
	onTargets: (firing: number, pending: number, targets: number) => `firing on ${firing}, pending on ${pending} of ${targets} targets`,
	checkFiring: (n: number) => `${n} alert rule${n === 1 ? '' : 's'} firing (exit 1)`,
	checkPending: 'pending is not firing: a "for" longer than the scrapes observed stays pending (exit 0)',
} as const;

/** `kv_cache ≥ 90 % for 30 s` (`>=` with --ascii), in `lang` (the catalog's alertStrip.hold). */
export function ruleLabel(rule: AlertRule, ascii = false, lang: Lang = 'en'): string {
	const op = ascii ? rule.op : ({'>=': '≥', '<=': '≤', '!=': '≠'} as Record<string, string>)[rule.op] ?? rule.op;
	const text = `${rule.subject} ${op} ${thresholdText(rule)}`;
	return rule.forMs > 0 ? msgs(lang).alertStrip.hold(text, compactDuration(rule.forMs)) : text;
}

/**
 * Why a rule has no value or kept its state, in `lang`: the fixed reasons of metrics/alerts.ts
 * (ALERT_TEXT) each have their words in the catalog (report.alerts.reasons); a reason from
 * elsewhere (a scrape's error) goes through localize().
 */
export function alertReasonText(s: AlertStatus, lang: Lang = 'en'): string {
	if (s.reason === null) return '';
	const reason = inert(s.reason);
	if (lang === 'en') return reason;
	const r = msgs(lang).report.alerts.reasons;
	if (s.rule.entry !== null && s.reason === ALERT_TEXT.notExported(s.rule.entry.title)) return r.notExported(s.rule.entry.title);
	const fixed = (Object.keys(r) as (keyof typeof r)[]).find(k => k !== 'notExported' && ALERT_TEXT[k] === s.reason);
	return fixed === undefined || fixed === 'notExported' ? localize(reason, lang) : r[fixed];
}

type ValueUnit = 'seconds' | 'milliseconds' | 'ratio' | 'perSecond' | 'plain';

function valueUnit(rule: AlertRule): ValueUnit {
	if (rule.fn === 'rate') return 'perSecond';
	if (rule.fn === 'up' || rule.fn === 'increase' || !rule.entry) return 'plain';
	const unit = rule.entry.unit;
	return unit === 'seconds' || unit === 'milliseconds' || unit === 'ratio' ? unit : 'plain';
}

const exact = (n: number) => String(+n.toPrecision(6));

/** The threshold as written, in the rule's unit: `90 %`, `2 s`, `500 ms`, `0/s`, `50`. */
export function thresholdText(rule: AlertRule): string {
	const t = rule.threshold;
	switch (valueUnit(rule)) {
		case 'ratio':
			return `${exact(t * 100)} %`;
		case 'seconds':
			return Math.abs(t) < 1 && t !== 0 ? `${exact(t * 1000)} ms` : `${exact(t)} s`;
		case 'milliseconds':
			return Math.abs(t) < 1000 ? `${exact(t)} ms` : `${exact(t / 1000)} s`;
		case 'perSecond':
			return `${exact(t)}/s`;
		default:
			return exact(t);
	}
}

/** The compared value in the rule's unit; `> 1 s` when it is only a lower bound. */
export function alertValueText(rule: AlertRule, value: number | null, lowerBound = false): string {
	if (value === null) return MISSING;
	const unit = valueUnit(rule);
	const text =
		unit === 'ratio' ? formatRatio(value) : unit === 'seconds' ? formatSeconds(value) : unit === 'milliseconds' ? formatSeconds(value / 1000) : unit === 'perSecond' ? formatRate(value) : formatCount(value);
	return lowerBound ? `> ${text}` : text;
}

/** `45s`, `1m12s`, `2h05m`: how long a state has lasted. */
export function compactDuration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 === 0 ? '' : `${String(s % 60).padStart(2, '0')}s`}`;
	const m = Math.floor(s / 60);
	return `${Math.floor(m / 60)}h${m % 60 === 0 ? '' : `${String(m % 60).padStart(2, '0')}m`}`;
}

/** Every (rule, target) pair, with the target's index. */
export interface AlertRow {
	readonly status: AlertStatus;
	readonly target: number;
}

export function alertRows(state: AppState): AlertRow[] {
	const rows: AlertRow[] = [];
	state.targets.forEach((t, target) => {
		for (const status of t.alerts ?? []) rows.push({status, target});
	});
	return rows;
}

/** Worst first: firing, pending, no data, inactive; then the longest in its state. */
export function worstFirst(rows: readonly AlertRow[]): AlertRow[] {
	const rank = (r: AlertRow) => ALERT_STATE_ORDER.indexOf(r.status.state);
	return [...rows].sort((a, b) => rank(a) - rank(b) || (a.status.since ?? Infinity) - (b.status.since ?? Infinity) || a.target - b.target);
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** `alerts`: one entry per rule and target, rules in the order given, then targets in order. */
export function alertsJson(state: AppState): Json[] {
	const rules = state.alertRules ?? [];
	const out: Json[] = [];
	rules.forEach((rule, r) => {
		state.targets.forEach(t => {
			const s = t.alerts?.[r];
			out.push({
				rule: rule.text,
				label: ruleLabel(rule, true),
				metric: rule.key,
				target: t.location,
				name: t.name,
				state: s?.state ?? 'no-data',
				since: iso(s?.since ?? null),
				activeSince: iso(s?.activeSince ?? null),
				forSeconds: rule.forMs / 1000,
				value: s?.value ?? null,
				lowerBound: s?.lowerBound ?? false,
				threshold: rule.threshold,
				evaluatedAt: iso(s?.at ?? null),
				reason: s?.reason ?? null,
			});
		});
	});
	return out;
}

/** `aggregate.alerts`: per rule, the fleet's worst target (firing before pending), and how many fire. */
export function fleetAlertsJson(state: AppState): Json[] {
	return fleetAlerts(state.alertRules ?? [], state.targets.map(t => t.alerts)).map(f => ({
		rule: f.rule.text,
		label: ruleLabel(f.rule, true),
		metric: f.rule.key,
		state: f.state,
		target: f.target === null ? null : state.targets[f.target]!.location,
		name: f.target === null ? null : state.targets[f.target]!.name,
		since: iso(f.status?.since ?? null),
		activeSince: iso(f.status?.activeSince ?? null),
		value: f.status?.value ?? null,
		lowerBound: f.status?.lowerBound ?? false,
		firing: f.firing,
		pending: f.pending,
		targets: f.targets,
	}));
}

/** How long the status has been in its state, as of its last evaluation. */
function heldText(s: AlertStatus): string {
	if (s.since === null || s.at === null) return '';
	return compactDuration(s.at - s.since);
}

/** The Alerts section: one row per rule and target, worst first. */
export function alertTableLines(state: AppState, lang: Lang = 'en'): string[] {
	const w = msgs(lang).report.alerts;
	const rules = state.alertRules ?? [];
	if (rules.length === 0) return [];
	const rows = worstFirst(alertRows(state));
	const several = state.targets.length > 1;
	const cells = rows.map(({status: s, target}) => [
		ruleLabel(s.rule, true, lang),
		several ? inertClip(state.targets[target]!.name, 21) : '',
		w.state[s.state],
		heldText(s),
		alertValueText(s.rule, s.value, s.lowerBound),
		alertReasonText(s, lang),
	]);
	// With several targets, each rule's fleet row: its worst target's state, and how many fire.
	if (several) {
		for (const f of fleetAlerts(rules, state.targets.map(t => t.alerts))) {
			cells.push([ruleLabel(f.rule, true, lang), lang === 'en' ? ALERT_REPORT_TEXT.fleet : msgs(lang).sloView.fleet, w.state[f.state], f.status ? heldText(f.status) : '', f.status ? alertValueText(f.rule, f.status.value, f.status.lowerBound) : MISSING, w.onTargets(f.firing, f.pending, f.targets)]);
		}
	}
	const head = [...w.head];
	const widths = head.map((h, i) => maxOf(cells.map(c => displayWidth(c[i]!)), displayWidth(h)) + 2);
	const line = (c: readonly string[]) => c.map((cell, i) => (i === 1 && !several ? '' : padRight(cell, widths[i]!))).join('').trimEnd();
	return [w.title, line(head), ...cells.map(line)];
}

/** A rule on a metric the target does not export (not one waiting for its first scrapes). */
function notExported(s: AlertStatus): boolean {
	return s.state === 'no-data' && s.rule.entry !== null && s.reason === ALERT_TEXT.notExported(s.rule.entry.title);
}

/**
 * The strip: the worst pending or firing rule, `+N more`; else, so that no rule is silently
 * inactive, one on a metric a target does not export; null when there is neither.
 */
export function alertStrip(state: AppState, ascii = false): {readonly text: string; readonly state: 'firing' | 'pending' | 'no-data'} | null {
	const f = alertStripFacts(state);
	if (!f) return null;
	const where = f.target === null ? '' : ` ${ALERT_REPORT_TEXT.on} ${inert(f.target)}`;
	const more = f.more > 0 ? ` ${ALERT_REPORT_TEXT.more(f.more)}` : '';
	const s = f.status;
	if (f.state === 'no-data') return {text: `${ALERT_REPORT_TEXT.noData} ${ruleLabel(s.rule, ascii)}${where}: ${ALERT_REPORT_TEXT.state['no-data']} (${ALERT_REPORT_TEXT.notExported})${more}`, state: 'no-data'};
	const progress = f.forMs > 0 ? `${f.held} ${ALERT_REPORT_TEXT.of} ${compactDuration(f.forMs)}` : f.held;
	return {text: `${ALERT_REPORT_TEXT.strip} ${ruleLabel(s.rule, ascii)}${where}: ${ALERT_REPORT_TEXT.state[s.state]} ${progress} (${ALERT_REPORT_TEXT.now} ${alertValueText(s.rule, s.value, s.lowerBound)})${more}`, state: f.state};
}

/**
 * What the strip shows, as data (the UI words it in its language): the worst pending or firing
 * rule, or else the first on a metric a target does not export; its target's name with several
 * targets; how long it has held (and of what `for`, while pending); how many more.
 */
export function alertStripFacts(state: AppState): {readonly state: 'firing' | 'pending' | 'no-data'; readonly status: AlertStatus; readonly target: string | null; readonly held: string; readonly forMs: number; readonly more: number} | null {
	const rows = alertRows(state);
	const active = worstFirst(rows.filter(r => r.status.state === 'firing' || r.status.state === 'pending'));
	const name = (i: number) => (state.targets.length > 1 ? state.targets[i]!.name : null);
	const worst = active[0];
	if (!worst) {
		const absent = rows.filter(r => notExported(r.status));
		const first = absent[0];
		return first ? {state: 'no-data', status: first.status, target: name(first.target), held: '', forMs: 0, more: absent.length - 1} : null;
	}
	const s = worst.status;
	return {state: s.state === 'firing' ? 'firing' : 'pending', status: s, target: name(worst.target), held: heldText(s), forMs: s.state === 'pending' ? s.rule.forMs : 0, more: active.length - 1};
}

/** `check`: 1 when a rule fires on any target; 3 when one has no data; else 0. */
export function alertsExit(state: AppState): 0 | 1 | 3 {
	const rows = alertRows(state);
	if (rows.some(r => r.status.state === 'firing')) return 1;
	if (rows.some(r => r.status.state === 'no-data')) return 3;
	return 0;
}

export function countIn(state: AppState, which: AlertState): number {
	return alertRows(state).filter(r => r.status.state === which).length;
}
