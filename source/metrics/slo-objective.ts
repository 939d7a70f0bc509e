/**
 * Objectives: what one is (a catalog histogram, a threshold, a share), how it is written
 * (`ttft<=2s:99%`, `ttft <= 2s for 99%`, aliases, catalog keys, vLLM/SGLang wire names), and the
 * SLO strings in one place (for a message catalog). Pure.
 */
import type {CatalogEntry} from './catalog-types.js';
import {CATALOG, CATALOG_BY_KEY, catalogEntryForFamily} from './catalog.js';
import {msgs, type Lang} from '../i18n/index.js';

/** `too-few`: fewer than 5 requests in the window, shown `n too small` (as the percentiles); check cannot judge it. */
export type SloStatus = 'met' | 'breached' | 'unknown' | 'too-few' | 'no-data';

/** Every user-visible string of this module, in one place (for a message catalog later). */
export const SLO_TEXT = {
	absent: (title: string) => `${title} is not exported by this target`,
	noWindow: 'one scrape so far: no window yet',
	noRequests: 'no requests in the window',
	tooFew: (n: number, min: number) => `${n} request${n === 1 ? '' : 's'} in the window: too few to judge (${min} or more)`,
	aboveTop: (title: string, top: string, threshold: string, under: string) => `${title} buckets stop at ${top}: ${threshold} cannot be judged; ${under} are under ${top}`,
	status: {met: 'met', breached: 'breached', unknown: 'unknown', 'too-few': 'n too small', 'no-data': 'no data'} as Record<SloStatus, string>,
	estimate: 'estimate',
	allMet: (met: number, total: number) => `SLO ${met}/${total} met`,
} as const;

export interface Objective {
	/** Catalog key of the histogram, e.g. `ttft`, `e2eLatency`. */
	readonly key: string;
	readonly entry: CatalogEntry;
	/** In the catalog unit (seconds for latencies). */
	readonly threshold: number;
	/** Share of requests that must be at most the threshold, 0 < share < 1. */
	readonly share: number;
	/** The text as given. */
	readonly text: string;
}

/** Short names, besides every catalog histogram key and wire name. */
export const SLO_ALIASES: Readonly<Record<string, string>> = {
	ttft: 'ttft',
	tpot: 'tpot',
	itl: 'tpot',
	e2e: 'e2eLatency',
	queue: 'queueTime',
	prefill: 'prefillTime',
	decode: 'decodeTime',
	inference: 'inferenceTime',
};

const HISTOGRAMS = CATALOG.filter(e => e.kind === 'histogram');

function histogramEntry(name: string): CatalogEntry | undefined {
	const lower = name.toLowerCase();
	const alias = SLO_ALIASES[lower];
	if (alias) return CATALOG_BY_KEY.get(alias);
	const byKey = HISTOGRAMS.find(e => e.key.toLowerCase() === lower);
	if (byKey) return byKey;
	const wire = catalogEntryForFamily(name.replace(/_(bucket|count|sum)$/, ''))?.entry;
	return wire?.kind === 'histogram' ? wire : undefined;
}

const TIME_UNITS: Readonly<Record<string, number>> = {us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600};
const OBJECTIVE = /^\s*([A-Za-z_:][\w:.-]*)\s*(<=|≤|=<)\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(us|µs|ms|s|m|h)?\s*(?::|\s+for\s+)\s*(\d+(?:\.\d*)?|\.\d+)\s*%?\s*$/i;

export type ParsedObjective = {readonly objective: Objective; readonly error?: undefined} | {readonly objective?: undefined; readonly error: string};

/** `ttft<=2s:99%` or `ttft <= 2s for 99%` → an objective, or a message naming what is wrong. */
export function parseObjective(text: string, lang: Lang = 'en'): ParsedObjective {
	const words = msgs(lang).objectiveParse;
	const m = OBJECTIVE.exec(text);
	if (!m) return {error: words.syntax(text)};
	const [, name, , digits, exp, unitText, shareText] = m;
	const entry = histogramEntry(name!);
	if (!entry) return {error: words.unknownMetric(name!, Object.keys(SLO_ALIASES).join(', '), HISTOGRAMS.map(e => e.key).join(', '))};
	const unit = unitText?.toLowerCase();
	const isTime = entry.unit === 'seconds' || entry.unit === 'milliseconds';
	if (isTime && unit === undefined) return {error: words.needsUnit(text, entry.title)};
	if (!isTime && unit !== undefined) return {error: words.noUnit(text, entry.title, entry.unit)};
	let threshold = Number(digits) * 10 ** Number(exp ?? 0);
	if (isTime) threshold *= TIME_UNITS[unit!]! * (entry.unit === 'milliseconds' ? 1000 : 1);
	if (!(threshold > 0) || !Number.isFinite(threshold)) return {error: words.threshold(text)};
	const percent = Number(shareText);
	if (!(percent > 0 && percent < 100)) return {error: words.share(text)};
	return {objective: {key: entry.key, entry, threshold, share: percent / 100, text}};
}

// ---------------------------------------------------------------- attainment
