/**
 * The --once report: the same derived figures the views show, as JSON (a public contract: extend
 * it, never rename or drop a key) or as an aligned text table for a terminal or a pipe.
 */
import {MIN_PERCENTILE_COUNT, type Derived, type DerivedMetric, type HistogramStats, type Percentile} from './metrics/derive.js';
import {CATALOG, GROUP_TITLES, SPEC_HEAD_KEY} from './metrics/catalog.js';
import type {Group} from './metrics/catalog-types.js';
import {diagnose} from './metrics/diagnose.js';
import {combinationTag} from './metrics/combine.js';
import {fleetRows, type FleetRow} from './metrics/fleet.js';
import {eraAssumption, eraLabel, ttftExcludesQueue} from './metrics/era.js';
import type {QuantileResult} from './metrics/quantile.js';
import {formatGoFloat} from './prom/float.js';
import type {Family} from './prom/types.js';
import type {AppState, TargetStatus} from './store.js';
import {MISSING, formatBucket, formatCount, formatDuration, formatQuantile, formatRate, formatValue, padLeft, padRight, displayWidth} from './format.js';
import {inert, inertClip} from './text.js';
import {DEFAULT_PROMQL, rangeNotation} from './metrics/window.js';
import {append} from './arrays.js';
import {fleetSlo, type Objective} from './metrics/slo.js';
import {goodputJson, sloJson, sloTableLines, type SloTableRow} from './slo-report.js';
import {alertsJson, alertTableLines, fleetAlertsJson} from './alert-report.js';
import type {TimelineEvent} from './metrics/events.js';
import {eventWords} from './event-words.js';
import {localize, msgs, type Lang, type Messages} from './i18n/index.js';

type Words = Messages['report'];

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

/** JSON numbers where finite; "NaN", "+Inf", "-Inf" as strings, like prom2json. */
function num(n: number): number | string {
	return Number.isFinite(n) ? n : formatGoFloat(n);
}

function quantileJson(q: QuantileResult): Json {
	return {value: q.value, aboveTopBucket: q.aboveTopBucket};
}

/** A bound as JSON: ±Infinity (above the top bucket, below a first bucket at or under 0) is null. */
function boundsJson(p: Percentile): Json {
	return {bounds: p.bounds ? p.bounds.map(b => (Number.isFinite(b) ? b : null)) : null, coarse: p.coarse};
}

function statsJson(s: HistogramStats): Json {
	return {
		count: num(s.count),
		sum: num(s.sum),
		mean: s.mean,
		p50: quantileJson(s.p50),
		p90: quantileJson(s.p90),
		p99: quantileJson(s.p99),
		rate: s.rate,
		increase: s.increase,
		aboveTopShare: s.aboveTopShare,
		quantileBuckets: {p50: boundsJson(s.p50), p90: boundsJson(s.p90), p99: boundsJson(s.p99)},
		tooFewObservations: s.tooFew,
	};
}

function metricJson(m: DerivedMetric): Json {
	switch (m.kind) {
		case 'histogram':
			return {
				type: 'histogram',
				unit: m.entry.unit,
				topBucket: m.topBucket,
				allZero: m.allZero,
				reset: m.reset,
				lifetime: statsJson(m.lifetime),
				window: m.window ? statsJson(m.window) : null,
			};
		case 'counter':
			return {type: 'counter', unit: m.entry.unit, value: num(m.value), rate: m.rate, reset: m.reset, allZero: m.allZero};
		case 'gauge': {
			const out: {[key: string]: Json} = {type: 'gauge', unit: m.entry.unit, value: num(m.value)};
			const c = m.combined;
			if (c) out.combined = {how: c.how, series: c.series, used: c.used, from: [...c.from], min: num(c.min), max: num(c.max), disagree: c.disagree};
			return out;
		}
		case 'info':
			return {type: 'info', labels: {...m.labels}};
	}
}

function familiesJson(families: readonly Family[]): Json {
	return families.map(f => ({
		name: f.name,
		type: f.type,
		help: f.help,
		samples: f.samples.map(s => ({name: s.name, labels: {...s.labels}, value: num(s.value)})),
	}));
}

/** How a window's figures were evaluated, and whether it is whole (additive keys). */
function windowJson(d: Derived | null | undefined): {[key: string]: Json} {
	const version = d?.promql ?? DEFAULT_PROMQL;
	return {
		evaluatedAt: d ? new Date(d.t).toISOString() : null,
		windowRange: `${rangeNotation(version)} (Prometheus ${version})`,
		windowPartial: d?.partial ? {reasons: [...d.partial.reasons], coveredSeconds: d.partial.coveredMs / 1000} : null,
	};
}

export function targetJson(t: TargetStatus, withFamilies: boolean): {[key: string]: Json} {
	const metrics: {[key: string]: Json} = {};
	for (const [key, m] of t.derived?.metrics ?? []) metrics[key] = metricJson(m);
	const out: {[key: string]: Json} = {
		target: t.location,
		name: t.name,
		up: t.state === 'up',
		state: t.state,
		error: t.error,
		engine: t.derived?.engine ?? null,
		era: t.era,
		eraConfidence: t.eraConfidence,
		eraEvidence: [...t.eraEvidence],
		scrapes: t.scrapes,
		skippedLines: t.skippedLines,
		parseError: t.parseError ? {line: t.parseError.line, message: t.parseError.message} : null,
		lastScrapeAt: t.lastOkAt === null ? null : new Date(t.lastOkAt).toISOString(),
		scrapeDurationMs: t.durationMs,
		bytes: t.bytes,
		windowCoveredSeconds: t.derived ? t.derived.coveredMs / 1000 : null,
		...windowJson(t.derived),
		warnings: [...t.warnings],
		diagnoses: t.derived ? diagnose(t.derived, t.era, t.eraConfidence).map(d => ({id: d.id, level: d.level, message: d.en})) : [],
		metrics,
	};
	if (t.slo) {
		out.slo = sloJson(t.slo.report);
		out.goodput = goodputJson(t.slo.report);
	}
	if (withFamilies) out.families = familiesJson(t.families);
	return out;
}

/** The fleet as one entry shaped like a target's (same `metrics` keys), for more than one target. */
function aggregateJson(state: AppState): {[key: string]: Json} {
	// The whole is what is up now (fleetRows leaves stale targets out of it).
	const {fleet, aggregate: whole} = fleetRows(state.targets);
	const metrics: {[key: string]: Json} = {};
	for (const [key, m] of fleet?.derived.metrics ?? []) metrics[key] = metricJson(m);
	return {
		target: 'aggregate',
		name: 'fleet',
		up: whole.state === 'up',
		state: whole.state,
		error: whole.error,
		engine: fleet?.derived.engine ?? null,
		members: fleet?.members ?? 0,
		targetsUp: state.targets.filter(t => t.state === 'up').length,
		kvWeightedByCapacity: fleet?.kvWeighted ?? false,
		notMerged: [...(fleet?.layoutMismatch ?? [])],
		windowCoveredSeconds: fleet ? fleet.derived.coveredMs / 1000 : null,
		...windowJson(fleet?.derived),
		metrics,
	};
}

/** The fleet's (or the single target's) verdicts. */
export function wholeSlo(state: AppState): ReturnType<typeof fleetSlo> {
	return fleetSlo(
		state.targets.filter(t => t.state === 'up').map(t => t.slo?.measure),
		state.objectives ?? [],
		state.windowMs,
	);
}

/** Table rows: each target, then the fleet when there are several. */
export function sloRows(state: AppState): SloTableRow[] {
	const rows: SloTableRow[] = state.targets.map(t => ({name: t.name, report: t.state === 'up' ? (t.slo?.report ?? null) : null, measure: t.slo?.measure ?? null, error: t.error}));
	if (state.targets.length > 1) {
		const whole = wholeSlo(state);
		rows.push({name: 'fleet', report: whole.report, measure: whole.measure});
	}
	return rows;
}

export function reportJson(state: AppState, version: string, generatedAt: Date, withFamilies = false): {[key: string]: Json} {
	const out: {[key: string]: Json} = {
		fdtop: version,
		generatedAt: generatedAt.toISOString(),
		windowSeconds: state.windowMs / 1000,
		targets: state.targets.map(t => targetJson(t, withFamilies)),
	};
	if (state.targets.length > 1) out.aggregate = aggregateJson(state);
	if (state.objectives && state.objectives.length > 0) {
		// The whole: the fleet's verdicts (rates merged across the targets that are up), or the one target's.
		const whole = wholeSlo(state);
		out.slo = sloJson(whole.report);
		out.goodput = goodputJson(whole.report);
		if (state.targets.length > 1) {
			(out.aggregate as {[key: string]: Json}).slo = out.slo;
			(out.aggregate as {[key: string]: Json}).goodput = out.goodput;
		}
	}
	if (state.alertRules && state.alertRules.length > 0) {
		out.alerts = alertsJson(state);
		if (state.targets.length > 1) (out.aggregate as {[key: string]: Json}).alerts = fleetAlertsJson(state);
	}
	out.events = eventsJson(state);
	if (state.recording) out.recording = {file: state.recording.file, scrapes: state.recording.scrapes, error: state.recording.error};
	return out;
}

/** The target's events (the newest 10, oldest first), or without an event log the window's counter resets. */
function eventTextLines(t: TargetStatus, d: Derived, w: Words, lang: Lang, objectives: readonly Objective[]): string[] {
	if (!t.events) return d.events.map(event => w.resetEvent(new Date(event.t).toISOString(), event.keys.length));
	const shown = t.events.slice(-10);
	const lines = t.events.length > shown.length ? [w.eventsMore(t.events.length, shown.length)] : [];
	for (const e of shown.map(x => ({t: x.t, ...eventWords(x, msgs(lang), lang, objectives)}))) lines.push(w.event(new Date(e.t).toISOString(), e.title, inert(e.detail)));
	return lines;
}

/** Every target's events, oldest first (source/metrics/events.ts): recomputed from the scrapes, never stored. */
export function eventsJson(state: AppState): Json {
	const all: {target: string; event: TimelineEvent}[] = [];
	for (const t of state.targets) for (const event of t.events ?? []) all.push({target: t.name, event});
	all.sort((a, b) => a.event.t - b.event.t);
	return all.map(({target, event: e}) => ({
		time: new Date(e.t).toISOString(),
		target,
		kind: e.kind,
		level: e.level,
		title: e.title,
		detail: e.detail,
		subject: e.subject ?? null,
		phase: e.phase ?? null,
	}));
}

// ---------------------------------------------------------------- text

const NAME = 18;
const COL = 9;

/** Right-aligned in COL columns; a longer figure (`87.5 tok/s`) still keeps a space before it. */
function cells(values: readonly string[]): string {
	return values.map(v => padLeft(v, Math.max(COL, displayWidth(v) + 1))).join('');
}

/** p50, p90 and p99 in three cells, or one `n too small` across them. */
function percentileCells(s: HistogramStats, unit: Extract<DerivedMetric, {kind: 'histogram'}>['entry']['unit'], tooFew: string): string {
	if (s.tooFew) return padLeft(tooFew, COL * 3);
	return cells([s.p50, s.p90, s.p99].map(p => formatQuantile(p, unit, {width: COL - 1})));
}

function histogramRow(m: Extract<DerivedMetric, {kind: 'histogram'}>, words: Words): string {
	const unit = m.entry.unit;
	const w = m.window;
	const l = m.lifetime;
	const windowCells = w ? `${cells([formatRate(w.rate, ''), formatValue(w.mean, unit)])}${percentileCells(w, unit, words.tooFew)}` : cells([MISSING, MISSING, MISSING, MISSING, MISSING]);
	const lifetimeCells = `${cells([formatCount(l.count), formatValue(l.mean, unit)])}${percentileCells(l, unit, words.tooFew)}`;
	const flags = [m.allZero ? words.allZero : '', m.reset ? words.reset : ''].filter(Boolean).join(',');
	return `${padRight(m.entry.title, NAME)}${windowCells}  │${lifetimeCells}  ${flags}`.trimEnd();
}

/** What the buckets could not say for one histogram: percentiles shown as their bucket, or none. */
function bucketNotes(m: Extract<DerivedMetric, {kind: 'histogram'}>, w: Words): {few: string[]; coarse: string[]} {
	const title = m.entry.title;
	const unit = m.entry.unit;
	const counts = [m.window?.tooFew ? w.inWindow(formatCount(m.window.count)) : '', m.lifetime.tooFew ? w.sinceStart(formatCount(m.lifetime.count)) : ''].filter(Boolean);
	const few = counts.length > 0 ? [w.fewNote(title, counts.join(', '), MIN_PERCENTILE_COUNT, w.tooFew)] : [];
	// Per bucket, which percentiles fell there on each basis: a line names a basis only for the
	// percentiles that fell there on it (the window's p90 and the lifetime p50 are two claims).
	const buckets = new Map<string, Map<string, string[]>>();
	for (const [basis, s] of [['window', m.window], ['lifetime', m.lifetime]] as const) {
		if (!s || s.tooFew) continue;
		for (const name of ['p50', 'p90', 'p99'] as const) {
			const p = s[name];
			if (!p.coarse || p.aboveTopBucket || !p.bounds) continue;
			const bucket = formatBucket(p.bounds, unit, {width: 40});
			const bases = buckets.get(bucket) ?? new Map<string, string[]>();
			bases.set(basis, [...(bases.get(basis) ?? []), name]);
			buckets.set(bucket, bases);
		}
	}
	const coarse: string[] = [];
	for (const [bucket, bases] of buckets) {
		const byNames = new Map<string, string[]>();
		for (const [basis, names] of bases) byNames.set(names.join(', '), [...(byNames.get(names.join(', ')) ?? []), basis]);
		for (const [names, basisList] of byNames) coarse.push(w.inBucket(title, names, bucket.startsWith('≤') ? w.firstBucket(bucket) : bucket, basisList.map(b => (b === 'window' ? w.window : w.lifetime)).join(w.and)));
	}
	return {few, coarse};
}

function scalarRow(m: Exclude<DerivedMetric, {kind: 'histogram'} | {kind: 'info'}>, w: Words, lang: Lang): string {
	if (m.kind === 'gauge') {
		const c = m.combined;
		const how = c ? `  ${inert(combinationTag(c, msgs(lang).combination))}${c.disagree ? `, ${w.seriesDisagree}: ${formatValue(c.min, m.entry.unit)}–${formatValue(c.max, m.entry.unit)}` : ''}` : '';
		return `${padRight(m.entry.title, NAME)}${padLeft(formatValue(m.value, m.entry.unit), COL)}${how}`;
	}
	const flags = [m.allZero ? w.allZero : '', m.reset ? w.reset : ''].filter(Boolean).join(',');
	return `${padRight(m.entry.title, NAME)}${padLeft(formatCount(m.value), COL)}${padLeft(formatRate(m.rate), COL + 2)}  ${flags}`.trimEnd();
}

function targetText(t: TargetStatus, state: AppState, errorElsewhere: boolean, lang: Lang): string[] {
	const w = msgs(lang).report;
	const lines: string[] = [];
	const d = t.derived;
	const era = eraLabel({era: t.era, confidence: t.eraConfidence});
	// Nothing read, nothing to say about the engine; read but not recognised is said as such.
	const engine = d?.engine ? `${d.engine}${era ? ` ${era}` : ''}` : d ? w.unknownEngine : w.noData;
	const status = w.states[t.state];
	const label = t.name === t.location || t.location.includes(t.name) ? inert(t.location) : `${inert(t.name)}  ${inert(t.location)}`;
	lines.push(`${label}  ${status}  ${engine}`);
	if (t.error && !errorElsewhere) lines.push(w.error(localize(inertClip(t.error, 300), lang)));
	if (!d) return lines;
	const version = d.promql ?? DEFAULT_PROMQL;
	const windowText =
		d.scrapes > 1
			? w.windowText(formatDuration(d.coveredMs), formatDuration(state.windowMs), d.partial ? ` (${d.partial.reasons.map(r => msgs(lang).header.cover.reasons[r]).join(', ')})` : '', d.scrapes, new Date(d.t).toISOString(), version, rangeNotation(version))
			: w.oneScrape;
	if (d.engine === 'fastdeploy') {
		const eraWords = msgs(lang).era;
		lines.push(w.version(era || w.unknown, t.era === null ? '' : ` (${eraWords.confidence[t.eraConfidence]})`));
		for (const line of t.eraSays?.map(say => say(eraWords)) ?? t.eraEvidence) lines.push(`    ${line}`);
	}
	lines.push(w.skipped(windowText, t.skippedLines, t.parseError ? w.firstSkipped(t.parseError.line, localize(inert(t.parseError.message), lang)) : ''));
	const notes: string[] = [];
	const coarseNotes: string[] = [];
	const byGroup = new Map<Group, DerivedMetric[]>();
	for (const entry of CATALOG) {
		const m = d.metrics.get(entry.key);
		if (!m || m.kind === 'info') continue;
		const list = byGroup.get(entry.group) ?? [];
		list.push(m);
		byGroup.set(entry.group, list);
		// Every family present but never observed says why (its catalog note, or what all zero means).
		if ((m.kind === 'histogram' || m.kind === 'counter') && m.allZero) notes.push(w.allZeroNote(entry.title, entry.zeroNote?.[lang] ?? w.neverObserved));
		if (m.kind === 'histogram' && !m.allZero) {
			const {few, coarse} = bucketNotes(m, w);
			append(notes, few);
			append(coarseNotes, coarse);
		}
		if (m.kind === 'histogram' && !m.allZero && (m.window ?? m.lifetime).p99.aboveTopBucket) {
			const share = (m.window ?? m.lifetime).aboveTopShare;
			notes.push(w.aboveTop(entry.title, share === null ? w.some : `${Math.round(share * 100)} %`, formatValue(m.topBucket, entry.unit)));
		}
	}
	// MTP's per-head acceptance gauges (one family per head) after the other speculative figures.
	for (let head = 0, m = d.metrics.get(`${SPEC_HEAD_KEY}0`); m !== undefined; m = d.metrics.get(`${SPEC_HEAD_KEY}${++head}`)) {
		if (m.kind !== 'gauge') continue;
		const list = byGroup.get('specDecode') ?? [];
		list.push(m);
		byGroup.set('specDecode', list);
	}
	if (d.engine === 'fastdeploy' && ttftExcludesQueue(t.era) && d.metrics.has('ttft')) notes.push(`${eraAssumption({era: t.era, confidence: t.eraConfidence}, msgs(lang).era)}${w.ttftQueue}`);
	for (const [group, list] of byGroup) {
		lines.push('');
		const histograms = list.filter(m => m.kind === 'histogram');
		const scalars = list.filter(m => m.kind !== 'histogram');
		if (histograms.length > 0) {
			lines.push(`${padRight(GROUP_TITLES[group][lang], NAME)}${padRight(w.window, COL * 5)}  │${padRight(` ${w.lifetime}`, COL * 5)}`.trimEnd());
			lines.push(`${padRight('', NAME)}${cells(w.histogramHead)}  │${cells(w.lifetimeHead)}`);
			for (const m of histograms) lines.push(histogramRow(m as Extract<DerivedMetric, {kind: 'histogram'}>, w));
		}
		if (scalars.length > 0) {
			lines.push(`${padRight(histograms.length === 0 ? GROUP_TITLES[group][lang] : '', NAME)}${padLeft(w.value, COL)}${padLeft(w.rate, COL + 2)}`);
			for (const m of scalars) lines.push(scalarRow(m as Exclude<DerivedMetric, {kind: 'histogram'} | {kind: 'info'}>, w, lang));
		}
	}
	append(lines, eventTextLines(t, d, w, lang, state.objectives ?? []));
	for (const warning of t.warnings) lines.push(w.warning(localize(inert(warning), lang)));
	for (const diagnosis of diagnose(d, t.era, t.eraConfidence)) if (diagnosis.level !== 'info') lines.push((diagnosis.level === 'crit' ? w.problem : w.warning)(diagnosis[lang]));
	if (coarseNotes.length > 0) append(notes, [w.coarseNote], coarseNotes);
	if (notes.length > 0) {
		lines.push('');
		for (const note of notes) lines.push(w.note(note));
	}
	return lines;
}

function fleetText(state: AppState, w: Words): string[] {
	const {aggregate: all, rows} = fleetRows(state.targets);
	const head = w.fleetHead;
	// The p99 columns hold a bucket as wide as `100–250 ms` and a space.
	const widths = [22, 8, 8, 10, 8, 8, 7, 11, 11, 9];
	// A cell wider than its column still keeps a space before it (`17 %100–250 ms` read as one).
	const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? padRight(c, widths[i]!) : padLeft(c, Math.max(widths[i]!, displayWidth(c) + 1)))).join('').trimEnd();
	const row = (r: FleetRow) =>
		line([
			inertClip(r.name, 21),
			r.state,
			// `*`: first tokens per second (a server without an arrivals counter), as in the Fleet view.
			`${formatRate(r.requestRate, '')}${r.requestBasis === 'firstTokens' || r.requestBasis === 'mixed' ? '*' : ''}`,
			formatRate(r.generationRate, ''),
			formatCount(r.running),
			formatCount(r.waiting),
			formatValue(r.kvUsage, 'ratio'),
			formatQuantile(r.ttftP99, 'seconds'),
			formatQuantile(r.tpotP99, 'seconds'),
			formatValue(r.queueMean, 'seconds'),
		]);
	const started = rows.some(r => r.requestBasis === 'firstTokens') ? [w.startedNote] : [];
	return [w.fleetTitle, line(head), row(all), ...rows.map(row), ...started];
}

export interface ReportTextOptions {
	/** Targets whose error is printed elsewhere (stderr): the report does not repeat it. */
	readonly errorsElsewhere?: ReadonlySet<TargetStatus>;
	/** The language of the words (never of metric names, units or figures). */
	readonly lang?: Lang;
}

export function reportText(state: AppState, version: string, options: ReportTextOptions = {}): string {
	const lang = options.lang ?? 'en';
	const out: string[] = [`fdtop ${version}`];
	if (state.targets.length > 1) append(out, [''], fleetText(state, msgs(lang).report));
	if (state.objectives && state.objectives.length > 0) append(out, [''], sloTableLines(sloRows(state), state.windowMs, lang));
	if (state.alertRules && state.alertRules.length > 0) append(out, [''], alertTableLines(state, lang));
	for (const t of state.targets) {
		out.push('');
		append(out, targetText(t, state, options.errorsElsewhere?.has(t) === true, lang));
	}
	return `${out.join('\n')}\n`;
}
