/**
 * The --once report: the same derived figures the views show, as JSON (a public contract: extend
 * it, never rename or drop a key) or as an aligned text table for a terminal or a pipe.
 */
import type {DerivedMetric, HistogramStats} from './metrics/derive.js';
import {CATALOG, GROUP_TITLES} from './metrics/catalog.js';
import type {Group} from './metrics/catalog-types.js';
import {diagnose} from './metrics/diagnose.js';
import {fleetRows, type FleetRow} from './metrics/fleet.js';
import {ttftExcludesQueue} from './metrics/era.js';
import type {QuantileResult} from './metrics/quantile.js';
import {formatGoFloat} from './prom/float.js';
import type {Family} from './prom/types.js';
import type {AppState, TargetStatus} from './store.js';
import {MISSING, formatCount, formatDuration, formatQuantile, formatRate, formatValue, padLeft, padRight} from './format.js';
import {inert, inertClip} from './text.js';
import {append} from './arrays.js';

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

/** JSON numbers where finite; "NaN", "+Inf", "-Inf" as strings, like prom2json. */
function num(n: number): number | string {
	return Number.isFinite(n) ? n : formatGoFloat(n);
}

function quantileJson(q: QuantileResult): Json {
	return {value: q.value, aboveTopBucket: q.aboveTopBucket};
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
		aboveTopShare: s.aboveTopShare,
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
		case 'gauge':
			return {type: 'gauge', unit: m.entry.unit, value: num(m.value)};
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
		scrapes: t.scrapes,
		skippedLines: t.skippedLines,
		parseError: t.parseError ? {line: t.parseError.line, message: t.parseError.message} : null,
		lastScrapeAt: t.lastOkAt === null ? null : new Date(t.lastOkAt).toISOString(),
		scrapeDurationMs: t.durationMs,
		bytes: t.bytes,
		windowCoveredSeconds: t.derived ? t.derived.coveredMs / 1000 : null,
		warnings: [...t.warnings],
		diagnoses: t.derived ? diagnose(t.derived, t.era).map(d => ({id: d.id, level: d.level, message: d.en})) : [],
		metrics,
	};
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
		metrics,
	};
}

export function reportJson(state: AppState, version: string, generatedAt: Date, withFamilies = false): {[key: string]: Json} {
	const out: {[key: string]: Json} = {
		fdtop: version,
		generatedAt: generatedAt.toISOString(),
		windowSeconds: state.windowMs / 1000,
		targets: state.targets.map(t => targetJson(t, withFamilies)),
	};
	if (state.targets.length > 1) out.aggregate = aggregateJson(state);
	if (state.recording) out.recording = {file: state.recording.file, scrapes: state.recording.scrapes, error: state.recording.error};
	return out;
}

// ---------------------------------------------------------------- text

const NAME = 18;
const COL = 9;

function cells(values: string[]): string {
	return values.map(v => padLeft(v, COL)).join('');
}

function histogramRow(m: Extract<DerivedMetric, {kind: 'histogram'}>): string {
	const unit = m.entry.unit;
	const w = m.window;
	const l = m.lifetime;
	const windowCells = w ? [formatRate(w.rate, ''), formatValue(w.mean, unit), formatQuantile(w.p50, unit), formatQuantile(w.p90, unit), formatQuantile(w.p99, unit)] : [MISSING, MISSING, MISSING, MISSING, MISSING];
	const lifetimeCells = [formatCount(l.count), formatValue(l.mean, unit), formatQuantile(l.p50, unit), formatQuantile(l.p90, unit), formatQuantile(l.p99, unit)];
	const flags = [m.allZero ? 'all-zero' : '', m.reset ? 'reset' : ''].filter(Boolean).join(',');
	return `${padRight(m.entry.title, NAME)}${cells(windowCells)}  │${cells(lifetimeCells)}  ${flags}`.trimEnd();
}

function scalarRow(m: Exclude<DerivedMetric, {kind: 'histogram'} | {kind: 'info'}>): string {
	if (m.kind === 'gauge') return `${padRight(m.entry.title, NAME)}${padLeft(formatValue(m.value, m.entry.unit), COL)}`;
	const flags = [m.allZero ? 'all-zero' : '', m.reset ? 'reset' : ''].filter(Boolean).join(',');
	return `${padRight(m.entry.title, NAME)}${padLeft(formatCount(m.value), COL)}${padLeft(formatRate(m.rate), COL + 2)}  ${flags}`.trimEnd();
}

function targetText(t: TargetStatus, state: AppState): string[] {
	const lines: string[] = [];
	const d = t.derived;
	const engine = d?.engine ? `${d.engine}${t.era ? ` ${t.era}` : ''}` : 'unknown engine';
	const status = t.state === 'up' ? 'up' : t.state.toUpperCase();
	const label = t.name === t.location || t.location.includes(t.name) ? inert(t.location) : `${inert(t.name)}  ${inert(t.location)}`;
	lines.push(`${label}  ${status}  ${engine}`);
	if (t.error) lines.push(`  error: ${inertClip(t.error, 300)}`);
	if (!d) return lines;
	const windowText = d.scrapes > 1 ? `window ${formatDuration(d.coveredMs)} of ${formatDuration(state.windowMs)} (${d.scrapes} scrapes)` : 'one scrape: lifetime figures only';
	lines.push(`  ${windowText}; skipped lines: ${t.skippedLines}${t.parseError ? ` (first: line ${t.parseError.line}: ${inert(t.parseError.message)})` : ''}`);
	const notes: string[] = [];
	const byGroup = new Map<Group, DerivedMetric[]>();
	for (const entry of CATALOG) {
		const m = d.metrics.get(entry.key);
		if (!m || m.kind === 'info') continue;
		const list = byGroup.get(entry.group) ?? [];
		list.push(m);
		byGroup.set(entry.group, list);
		// Every family present but never observed says why (its catalog note, or what all zero means).
		if ((m.kind === 'histogram' || m.kind === 'counter') && m.allZero) notes.push(`${entry.title}: all zero since start. ${entry.zeroNote?.en ?? 'Present but never observed since this server started: it has not yet done what this metric counts.'}`);
		if (m.kind === 'histogram' && !m.allZero && (m.window ?? m.lifetime).p99.aboveTopBucket) {
			const share = (m.window ?? m.lifetime).aboveTopShare;
			notes.push(`${entry.title}: ${share === null ? 'some' : `${Math.round(share * 100)} %`} of observations are above the top bucket (${formatValue(m.topBucket, entry.unit)}); quantiles there are only known to be higher.`);
		}
	}
	if (d.engine === 'fastdeploy' && ttftExcludesQueue(t.era) && d.metrics.has('ttft')) notes.push(`TTFT: FastDeploy ${t.era} measures it from inference start, so it leaves out queue time.`);
	for (const [group, list] of byGroup) {
		lines.push('');
		const histograms = list.filter(m => m.kind === 'histogram');
		const scalars = list.filter(m => m.kind !== 'histogram');
		if (histograms.length > 0) {
			lines.push(`${padRight(GROUP_TITLES[group].en, NAME)}${padRight('window', COL * 5)}  │${padRight(' lifetime', COL * 5)}`.trimEnd());
			lines.push(`${padRight('', NAME)}${cells(['obs/s', 'mean', 'p50', 'p90', 'p99'])}  │${cells(['count', 'mean', 'p50', 'p90', 'p99'])}`);
			for (const m of histograms) lines.push(histogramRow(m as Extract<DerivedMetric, {kind: 'histogram'}>));
		}
		if (scalars.length > 0) {
			lines.push(`${padRight(histograms.length === 0 ? GROUP_TITLES[group].en : '', NAME)}${padLeft('value', COL)}${padLeft('rate', COL + 2)}`);
			for (const m of scalars) lines.push(scalarRow(m as Exclude<DerivedMetric, {kind: 'histogram'} | {kind: 'info'}>));
		}
	}
	for (const event of d.events) lines.push(`  event: counter reset at ${new Date(event.t).toISOString()} (${event.keys.length} metrics): the server restarted`);
	for (const warning of t.warnings) lines.push(`  warning: ${inert(warning)}`);
	for (const diagnosis of diagnose(d, t.era)) if (diagnosis.level !== 'info') lines.push(`  ${diagnosis.level === 'crit' ? 'PROBLEM' : 'warning'}: ${diagnosis.en}`);
	if (notes.length > 0) {
		lines.push('');
		for (const note of notes) lines.push(`note: ${note}`);
	}
	return lines;
}

function fleetText(state: AppState): string[] {
	const {aggregate: all, rows} = fleetRows(state.targets);
	const head = ['target', 'state', 'req/s', 'gen tok/s', 'running', 'waiting', 'KV', 'TTFT p99', 'TPOT p99', 'queue'];
	const widths = [22, 8, 8, 10, 8, 8, 7, 10, 10, 9];
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? padRight(c, widths[i]!) : padLeft(c, widths[i]!))).join('').trimEnd();
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
	const started = rows.some(r => r.requestBasis === 'firstTokens') ? ['* req/s here is started/s: first tokens per second (no arrivals counter before FastDeploy 2.2)'] : [];
	return ['Fleet (window figures; histograms merged bucket by bucket before percentiles)', line(head), row(all), ...rows.map(row), ...started];
}

export function reportText(state: AppState, version: string): string {
	const out: string[] = [`fdtop ${version}`];
	if (state.targets.length > 1) append(out, [''], fleetText(state));
	for (const t of state.targets) {
		out.push('');
		append(out, targetText(t, state));
	}
	return `${out.join('\n')}\n`;
}
