/**
 * `fdtop report RUN.jsonl[.gz] [--compare OTHER.jsonl[.gz]] [--slo …] -o report.html`: replays each
 * recording to its end through the same store as the live views, with one window as long as the
 * recording, and writes the page (html-report.ts) with uPlot inside it. The entry: it reads the
 * recordings and uPlot's files, and writes the page.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {basename} from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {alertRules, parseCli, UsageError} from './config.js';
import {loadSide, SideError} from './compare-sides.js';
import {reportModel, type RunInput} from './html-report-model.js';
import {reportHtml, type ChartLibrary} from './html-report.js';
import type {AlertRule} from './metrics/alert-rule.js';
import {compareRuns, DEFAULT_ALPHA, DEFAULT_WINDOWS, type Comparison} from './metrics/compare.js';
import {parseObjective, type Objective} from './metrics/slo.js';
import {fileErrorText, readRecording, RecordingError} from './sources/recording.js';
import {Store} from './store.js';
import {inert} from './text.js';
import {langFromEnv, langOf, msgs} from './i18n/index.js';

export const REPORT_USAGE = 'fdtop report RUN.jsonl[.gz] [--compare OTHER.jsonl[.gz]] [--slo OBJECTIVE]... [--alert RULE]... [--lang en|zh] -o OUT.html|-';

/** Set by the bundler (scripts/build.mjs, scripts/dist.mjs): uPlot's files, for builds with no node_modules beside them. */
declare const FDTOP_UPLOT: ChartLibrary | undefined;

/** uPlot's minified script, its CSS and its licence (from the bundle, else from node_modules). */
export function chartLibrary(): ChartLibrary {
	if (typeof FDTOP_UPLOT === 'object' && FDTOP_UPLOT !== null) return FDTOP_UPLOT;
	const require = createRequire(import.meta.url);
	const dir = require.resolve('uplot/package.json').replace(/package\.json$/, '');
	const read = (file: string) => readFileSync(`${dir}${file}`, 'utf8');
	return {js: read('dist/uPlot.iife.min.js'), css: read('dist/uPlot.min.css'), license: read('LICENSE'), version: (JSON.parse(read('package.json')) as {version: string}).version};
}

class ReportError extends Error {}

/**
 * Scrapes of one target the figures are made from, at most: the history holds every one of them
 * (~80 KB each), so a day at 1 s is thinned to every 36th scrape (~200 MB, not 7 GB). Counters
 * and histograms are cumulative: no request is lost but what a restart cut short after the last
 * scrape used (as with a longer scrape interval), a chart point spans more time, and a gauge is
 * sampled (the page says so).
 */
export const MAX_SCRAPES_PER_TARGET = 2400;

/** First pass: the time range, and per target its scrapes and its last time. */
async function scan(file: string): Promise<{firstT: number; lastT: number; records: number; perTarget: Map<number, {scrapes: number; lastT: number}>}> {
	const {records} = await readRecording(file);
	let firstT = Infinity;
	let lastT = -Infinity;
	let count = 0;
	const perTarget = new Map<number, {scrapes: number; lastT: number}>();
	for await (const r of records) {
		count++;
		if (r.t < firstT) firstT = r.t;
		if (r.t > lastT) lastT = r.t;
		if (r.text === undefined) continue;
		const seen = perTarget.get(r.i) ?? {scrapes: 0, lastT: -Infinity};
		perTarget.set(r.i, {scrapes: seen.scrapes + 1, lastT: Math.max(seen.lastT, r.t)});
	}
	return {firstT, lastT, records: count, perTarget};
}

/** One recording replayed to its end, its window the whole recording. */
async function replayWhole(file: string, label: string, objectives: readonly Objective[], rules: readonly AlertRule[]): Promise<RunInput> {
	const range = await scan(file);
	if (range.records === 0) throw new ReportError(`${file}: the recording holds no scrapes; record some with fdtop TARGET --record FILE`);
	let most = 0;
	for (const t of range.perTarget.values()) most = Math.max(most, t.scrapes);
	const stride = Math.max(1, Math.ceil(most / MAX_SCRAPES_PER_TARGET));
	const recording = await readRecording(file);
	const {header} = recording;
	const nominal = header.intervalMs > 0 ? header.intervalMs : 1000;
	// (t − w, t] must take in the first scrape: one interval more than the recording's span.
	const windowMs = range.lastT - range.firstT + nominal * stride;
	// The history keeps window ÷ interval entries (at least 5 minutes' worth): every scrape kept must fit.
	const kept = Math.ceil(most / stride) + 2;
	const intervalMs = Math.max(1, Math.min(nominal * stride, Math.floor(Math.max(windowMs, 300_000) / kept)));
	const store = new Store({targets: header.targets.map(t => ({name: t.name, location: t.target})), intervalMs, windowMs, mode: {kind: 'replay', demo: null, file, speed: 1, loop: false, position: 0, total: null, finished: false}, objectives, alertRules: rules});
	// As a replay takes them (sources/replay.ts): a record not after its target's previous one is skipped.
	const lastByTarget = new Map<number, number>();
	const nth = new Map<number, number>();
	let outOfOrder = 0;
	for await (const r of recording.records) {
		const last = lastByTarget.get(r.i);
		if (last !== undefined && r.t <= last) {
			outOfOrder++;
			continue;
		}
		lastByTarget.set(r.i, r.t);
		if (r.text !== undefined) {
			const n = nth.get(r.i) ?? 0;
			nth.set(r.i, n + 1);
			if (n % stride !== 0 && r.t !== range.perTarget.get(r.i)?.lastT) continue;
		}
		store.ingestMany(r.i, [{target: r.target, t: r.t, durationMs: r.durationMs, bytes: r.bytes, ...(r.error === undefined ? {text: r.text ?? ''} : {error: r.error})}], {publish: false});
	}
	store.publish();
	return {
		label,
		file: basename(file),
		createdAt: header.createdAt,
		fdtop: header.fdtop,
		intervalMs: nominal,
		firstT: range.firstT,
		lastT: range.lastT,
		records: range.records,
		stride,
		tornLines: recording.stats.tornLines,
		outOfOrder,
		state: store.getSnapshot(),
	};
}

/**
 * The Comparison of `fdtop compare A B` (default windows and significance level), each side read
 * as compare reads a recording: the page's figures, tests and bins are the command's.
 */
async function compareFiles(a: string, b: string, version: string, objectives: readonly Objective[], alerts: readonly string[]): Promise<Comparison> {
	const config = {...parseCli(['--once'], process.env, version).config, objectives, alerts};
	const side = (file: string) => loadSide({kind: 'recording', text: file, file, range: null}, config, {windows: DEFAULT_WINDOWS, now: Date.now(), progress: () => undefined});
	const [A, B] = await Promise.all([side(a), side(b)]);
	return compareRuns(A, B, {windows: DEFAULT_WINDOWS, alpha: DEFAULT_ALPHA, objectives});
}

export async function runHtmlReport(argv: readonly string[], version: string, usage: (message: string) => never, fail: (message: string) => number): Promise<number> {
	let parsed;
	const said = msgs(langOf(argv, process.env)).html;
	try {
		parsed = parseArgs({args: [...argv], allowPositionals: true, options: {compare: {type: 'string'}, output: {type: 'string', short: 'o'}, slo: {type: 'string', multiple: true}, alert: {type: 'string', multiple: true}, lang: {type: 'string'}}});
	} catch (error) {
		// Node's own words, but for the common case: a flag report does not take.
		const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
		usage(`${unknown === undefined ? `report: ${(error as Error).message}` : said.unknownFlag(unknown)}; ${REPORT_USAGE}`);
	}
	const lang = parsed.values.lang ?? langFromEnv(process.env);
	if (lang !== 'en' && lang !== 'zh') usage(`--lang ${lang}: choose en or zh`);
	const words = msgs(lang).html;
	const [file, ...rest] = parsed.positionals;
	if (!file || rest.length > 0) usage(`${words.oneRecording}: ${REPORT_USAGE}`);
	const output = parsed.values.output;
	if (output === undefined || output === '') usage(`${words.needsOutput}: ${REPORT_USAGE}`);
	const objectives: Objective[] = [];
	for (const text of parsed.values.slo ?? []) {
		const p = parseObjective(text, lang);
		if (p.error !== undefined) usage(p.error);
		objectives.push(p.objective);
	}
	const alerts = parsed.values.alert ?? [];
	let rules: AlertRule[];
	try {
		rules = alertRules(alerts, '--alert', lang);
	} catch (error) {
		if (error instanceof UsageError) usage(error.message);
		throw error;
	}
	const compare = parsed.values.compare;
	const runs: RunInput[] = [];
	let comparison: Comparison | undefined;
	try {
		runs.push(await replayWhole(file, compare === undefined ? '' : 'A', objectives, rules));
		if (compare !== undefined) {
			runs.push(await replayWhole(compare, 'B', objectives, rules));
			comparison = await compareFiles(file, compare, version, objectives, alerts);
		}
	} catch (error) {
		if (error instanceof RecordingError || error instanceof ReportError || error instanceof SideError) return fail(error.message);
		if (error instanceof UsageError) usage(error.message);
		throw error;
	}
	const model = reportModel(runs, version, new Date(), comparison, lang);
	const html = reportHtml(model, chartLibrary(), lang);
	if (output === '-') {
		const out = process.stdout;
		out.write(html);
		return 0;
	}
	try {
		writeFileSync(output, html);
	} catch (error) {
		return fail(`report -o ${output}: ${fileErrorText(error)}; write the report elsewhere`);
	}
	process.stderr.write(`${inert(words.wrote(output, Math.round(html.length / 1024), model.charts.length, model.distributions.length, runs.map(r => words.runScrapes(r.file, r.records)).join('; ')))}\n`);
	return 0;
}
