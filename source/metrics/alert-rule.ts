/**
 * Alert rules: what one is (a catalog metric, or a function of one over a range, compared with a
 * threshold, held for a duration) and how it is written:
 *
 *   kv_cache >= 90% for 30s       waiting > 50 for 1m        rate(send_cache_failed) > 0
 *   p99(ttft) > 2s for 1m         mean(queue[5m]) > 500ms    increase(preempted_total[5m]) > 10
 *   up == 0 for 30s
 *
 * Names resolve as objectives' do (aliases, catalog keys, wire names) and also without the engine
 * prefix, `_total` or `_num` (`send_cache_failed`, `kv_cache`). Pure; every error names the problem
 * and the fix.
 */
import type {CatalogEntry} from './catalog-types.js';
import {CATALOG, CATALOG_BY_KEY, catalogEntryForFamily} from './catalog.js';
import {SLO_ALIASES} from './slo-objective.js';
import {enText} from '../i18n/en-text.js';
import {msgs, type Lang} from '../i18n/index.js';

export type AlertOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** What is compared: a gauge's value, a counter's rate or increase, a histogram's mean, quantile or rate, or `up`. */
export type AlertFn = 'value' | 'rate' | 'increase' | 'mean' | 'quantile' | 'up';

export interface AlertRule {
	/** The text as given (trimmed). */
	readonly text: string;
	/** What is compared, as written and tidied: `kv_cache`, `p99(ttft)`, `rate(send_cache_failed[5m])`. */
	readonly subject: string;
	/** Catalog key (`kvCacheUsage`), or `up` for the scrape's success. */
	readonly key: string;
	readonly entry: CatalogEntry | null;
	readonly fn: AlertFn;
	/** For `quantile`: 0 < q < 1 (p99 → 0.99). */
	readonly q?: number;
	/** Range of rate/increase/mean/quantile, ms; null = the view's window (-w). */
	readonly rangeMs: number | null;
	readonly op: AlertOp;
	/** In the unit of the compared value: the catalog's unit (seconds, a 0–1 ratio, …), per second for rates. */
	readonly threshold: number;
	/** How long the condition must hold before the rule fires, ms (0: at once). */
	readonly forMs: number;
}

/** The English of the parse errors (the catalog's alertRule section; parseAlertRule words them in the language asked for). */
export const ALERT_RULE_TEXT = enText.alertRule;

/** Extra short names, besides objectives' aliases, catalog keys, titles and wire names. */
export const ALERT_ALIASES: Readonly<Record<string, string>> = {
	...SLO_ALIASES,
	kv: 'kvCacheUsage',
	kv_cache: 'kvCacheUsage',
	queued: 'waiting',
	batch: 'batchSize',
	preemptions: 'requestPreemptedTotal',
	requests: 'requestsReceivedTotal',
	success: 'requestSuccessTotal',
	completions: 'requestSuccessTotal',
	generation_tokens: 'generationTokensTotal',
	prompt_tokens: 'promptTokensTotal',
};

/** A name reduced to what tells it apart: lower case, letters and digits only. */
function squash(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Every spelling a catalog entry answers to, squashed; the first is the one shown in hints. */
function spellings(entry: CatalogEntry): string[] {
	const out = [entry.key, entry.title];
	if (entry.kind === 'counter' && entry.key.endsWith('Total')) out.push(entry.key.slice(0, -'Total'.length));
	for (const names of Object.values(entry.wire)) {
		for (const wire of names ?? []) {
			const bare = wire.replace(/^[a-z]+:/, '');
			out.push(wire, bare, bare.replace(/_total$/, ''), bare.replace(/_total$/, '').replace(/_num$/, ''), bare.replace(/_perc$/, ''));
		}
	}
	return out;
}

const BY_SPELLING: ReadonlyMap<string, CatalogEntry> = (() => {
	const index = new Map<string, CatalogEntry>();
	for (const [alias, key] of Object.entries(ALERT_ALIASES)) index.set(squash(alias), CATALOG_BY_KEY.get(key)!);
	for (const entry of CATALOG) for (const s of spellings(entry)) if (!index.has(squash(s))) index.set(squash(s), entry);
	return index;
})();

/** The catalog entry a rule's metric name means, or undefined. */
export function alertEntry(name: string): CatalogEntry | undefined {
	const lower = name.toLowerCase();
	const alias = ALERT_ALIASES[lower];
	if (alias) return CATALOG_BY_KEY.get(alias);
	return catalogEntryForFamily(name)?.entry ?? catalogEntryForFamily(name.replace(/_(bucket|count|sum)$/, ''))?.entry ?? BY_SPELLING.get(squash(name));
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		previous = row;
	}
	return previous[b.length]!;
}

/** Up to three names close to `name` (catalog keys and short aliases), closest first. */
export function closeNames(name: string): string[] {
	const target = squash(name);
	const candidates = new Set<string>(['up', ...Object.keys(ALERT_ALIASES), ...CATALOG.map(e => e.key)]);
	const scored: {name: string; d: number}[] = [];
	const seen = new Set<string>();
	for (const candidate of candidates) {
		const s = squash(candidate);
		if (seen.has(s)) continue;
		seen.add(s);
		const d = s.includes(target) && target.length >= 3 ? 1 : editDistance(target, s);
		if (d <= Math.max(2, Math.floor(target.length / 3))) scored.push({name: candidate, d});
	}
	return scored.sort((a, b) => a.d - b.d || a.name.length - b.name.length).slice(0, 3).map(s => s.name);
}

const TIME_UNITS: Readonly<Record<string, number>> = {us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600};
const PER: Readonly<Record<string, number>> = {s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600};

/** `30s`, `1m`, `1m30s`, `500ms`, `2h` → ms, or null. */
export function parseRuleDuration(text: string): number | null {
	const t = text.trim().toLowerCase();
	if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(t)) return /^0+$/.test(t) ? 0 : null;
	let ms = 0;
	for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
	return Math.round(ms);
}

const OPS: Readonly<Record<string, AlertOp>> = {'>': '>', '>=': '>=', '≥': '>=', '=>': '>=', '<': '<', '<=': '<=', '≤': '<=', '=<': '<=', '==': '==', '=': '==', '!=': '!=', '≠': '!=', '<>': '!='};

// [fn(] name [\[range\]] [)] op number [unit] [for duration]
const RULE =
	/^([A-Za-z_][\w.]*\s*\(\s*)?([A-Za-z_:][\w:.-]*?)\s*(?:\[\s*([^\]]*)\s*\])?\s*(\))?\s*(>=|<=|==|!=|=>|=<|<>|≥|≤|≠|>|<|=)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(%|[a-zµ]+(?:\/[a-z]+)?|\/[a-z]+)?(?:\s+for\s+(\S+))?$/i;

export type ParsedAlertRule = {readonly rule: AlertRule; readonly error?: undefined} | {readonly rule?: undefined; readonly error: string};

const fail = (error: string): ParsedAlertRule => ({error});

/** `kv_cache >= 90% for 30s` → a rule, or a message naming what is wrong and how to write it. */
export function parseAlertRule(input: string, lang: Lang = 'en'): ParsedAlertRule {
	const ALERT_RULE_TEXT = msgs(lang).alertRule;
	const text = input.trim().replace(/\s+/g, ' ');
	if (text === '') return fail(ALERT_RULE_TEXT.empty);
	if (text.length > 200) return fail(ALERT_RULE_TEXT.tooLong(text.length));
	const m = RULE.exec(text);
	if (!m) return fail(ALERT_RULE_TEXT.syntax(text));
	const [, open, name, rangeText, close, opText, numberText, unitText, forText] = m;
	const fnName = open?.replace(/[\s(]/g, '').toLowerCase();
	if ((fnName === undefined) !== (close === undefined)) return fail(ALERT_RULE_TEXT.syntax(text));
	const forMs = forText === undefined ? 0 : parseRuleDuration(forText);
	if (forMs === null) return fail(ALERT_RULE_TEXT.duration(text, `for ${forText}`));
	if (forMs > 86_400_000) return fail(ALERT_RULE_TEXT.forSize(text));
	let rangeMs: number | null = null;
	if (rangeText !== undefined) {
		rangeMs = parseRuleDuration(rangeText);
		if (rangeMs === null) return fail(ALERT_RULE_TEXT.duration(text, `[${rangeText}]`));
		if (rangeMs < 1000 || rangeMs > 3_600_000) return fail(ALERT_RULE_TEXT.rangeSize(text));
		if (fnName === undefined) return fail(ALERT_RULE_TEXT.range(text));
	}
	const op = OPS[opText!]!;
	const number = Number(numberText);
	if (!Number.isFinite(number)) return fail(ALERT_RULE_TEXT.threshold(text));
	const unit = unitText?.toLowerCase();
	const range = rangeText === undefined ? '' : `[${rangeText.trim()}]`;
	const subject = fnName === undefined ? `${name}${range}` : `${fnName}(${name}${range})`;
	const base = {text, subject, op, forMs, rangeMs};

	if (name!.toLowerCase() === 'up') {
		if (fnName !== undefined || rangeText !== undefined) return fail(ALERT_RULE_TEXT.upFn(text));
		if (unit !== undefined) return fail(ALERT_RULE_TEXT.upFn(text));
		return {rule: {...base, key: 'up', entry: null, fn: 'up', threshold: number}};
	}
	const entry = alertEntry(name!);
	if (!entry) {
		const close = closeNames(name!);
		return fail(ALERT_RULE_TEXT.unknownMetric(text, name!, close.length > 0 ? ALERT_RULE_TEXT.didYouMean(close) : ''));
	}
	let fn: AlertFn;
	let q: number | undefined;
	if (entry.kind === 'info') return fail(ALERT_RULE_TEXT.info(text, name!));
	if (fnName === undefined) {
		if (entry.kind === 'counter') return fail(ALERT_RULE_TEXT.counterNeedsRate(text, name!));
		if (entry.kind === 'histogram') return fail(ALERT_RULE_TEXT.histogramNeedsFn(text, name!));
		fn = 'value';
	} else if (fnName === 'rate' || fnName === 'increase') {
		if (entry.kind === 'gauge') return fail(ALERT_RULE_TEXT.gaugeNoFn(text, name!, fnName));
		fn = fnName;
	} else if (fnName === 'mean' || fnName === 'avg' || /^(p\d|quantile)/.test(fnName)) {
		if (entry.kind === 'gauge') return fail(ALERT_RULE_TEXT.gaugeNoFn(text, name!, fnName));
		if (entry.kind === 'counter') return fail(ALERT_RULE_TEXT.counterFn(text, name!, fnName));
		if (fnName === 'mean' || fnName === 'avg') fn = 'mean';
		else {
			const pm = /^p(\d+(?:\.\d+)?)$/.exec(fnName);
			const percent = pm ? Number(pm[1]) : Number.NaN;
			if (!(percent > 0 && percent < 100)) return fail(ALERT_RULE_TEXT.quantile(text, fnName));
			fn = 'quantile';
			q = Number((percent / 100).toPrecision(12));
		}
	} else {
		return fail(ALERT_RULE_TEXT.unknownFn(text, fnName));
	}

	// The compared value's unit: rates are per second, increases plain counts, the rest the catalog's.
	const what = fn === 'value' ? name! : `${fnName}(${name})`;
	let threshold = number;
	if (fn === 'rate') {
		const per = unit === undefined ? 1 : unit.startsWith('/') ? PER[unit.slice(1)] : undefined;
		if (per === undefined) return fail(unit !== undefined && unit in TIME_UNITS ? ALERT_RULE_TEXT.noTime(text, what, ALERT_RULE_TEXT.eventsPerSecond) : ALERT_RULE_TEXT.perSecond(text));
		threshold = number * per;
	} else if (unit !== undefined && unit.includes('/')) {
		return fail(ALERT_RULE_TEXT.perSecond(text));
	} else {
		const valueUnit = fn === 'increase' ? 'count' : entry.unit;
		const isTime = valueUnit === 'seconds' || valueUnit === 'milliseconds';
		if (isTime) {
			if (unit === undefined || unit === '%') return fail(ALERT_RULE_TEXT.needsTime(text, what));
			const factor = TIME_UNITS[unit];
			if (factor === undefined) return fail(ALERT_RULE_TEXT.needsTime(text, what));
			threshold = number * factor * (valueUnit === 'milliseconds' ? 1000 : 1);
		} else if (valueUnit === 'ratio') {
			if (unit === '%') threshold = number / 100;
			else if (unit !== undefined) return fail(ALERT_RULE_TEXT.ratio(text, what));
			else if (Math.abs(number) > 1) return fail(ALERT_RULE_TEXT.ratio(text, what));
		} else if (unit === '%') {
			return fail(ALERT_RULE_TEXT.noPercent(text, what, valueUnit));
		} else if (unit !== undefined) {
			return fail(unit in TIME_UNITS ? ALERT_RULE_TEXT.noTime(text, what, valueUnit) : ALERT_RULE_TEXT.syntax(text));
		}
	}
	if (!Number.isFinite(threshold)) return fail(ALERT_RULE_TEXT.threshold(text));
	return {rule: {...base, key: entry.key, entry, fn, ...(q !== undefined && {q}), threshold}};
}

/** The condition on a value. NaN compares false, as in PromQL. */
export function holds(op: AlertOp, value: number, threshold: number): boolean {
	switch (op) {
		case '>':
			return value > threshold;
		case '>=':
			return value >= threshold;
		case '<':
			return value < threshold;
		case '<=':
			return value <= threshold;
		case '==':
			return value === threshold;
		case '!=':
			return value !== threshold;
	}
}
