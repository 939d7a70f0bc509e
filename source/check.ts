/**
 * `fdtop check`: judge every objective once and exit with a verdict, for cron, CI and post-deploy
 * smoke tests. Exit 0 all met, 1 one breached (anywhere: a target or the fleet) or an alert rule
 * firing on any target (a pending one is not), 3 cannot judge
 * (a target unreadable, no data, unknown), 2 bad usage. Sources: live endpoints (two scrapes one
 * window apart), a Prometheus server (the window is read at once), or a recording (its last
 * window, or all of it with --whole).
 */
import process from 'node:process';
import {alertRules, HELP, parseCliWithConfig, UsageError, type Config} from './config.js';
import {demoFile} from './demo.js';
import {formatDuration} from './format.js';
import {reportJson, sloRows} from './report.js';
import {sloTableLines, type SloTableRow} from './slo-report.js';
import {alertsExit, alertsJson, alertTableLines, countIn} from './alert-report.js';
import {createSource} from './sources/index.js';
import {createDispatcher} from './sources/http.js';
import {limitSources} from './sources/limit.js';
import {PrometheusClient, PrometheusError} from './sources/prometheus-api.js';
import {discover, promqlVersionOf} from './sources/prometheus.js';
import {backfillWindows} from './slo-backfill.js';
import {readAllRecords, RecordingError} from './sources/recording.js';
import {targetLocation} from './sources/targets.js';
import type {Scrape} from './sources/types.js';
import {Store, type AppState} from './store.js';
import {inert, safeJson} from './text.js';
import {maxOf, minOf} from './arrays.js';
import {langOf, localize, msgs, type Lang, type Messages} from './i18n/index.js';

/** Every user-visible string of `fdtop check`: the catalogs' `check` section (source/i18n/en-text.ts). */
type CheckText = Messages['check'];

export type CheckExit = 0 | 1 | 3;

/** 1 when any objective is breached anywhere; else 3 when anything cannot be judged; else 0. */
export function checkExit(rows: readonly SloTableRow[]): CheckExit {
	const verdicts = rows.flatMap(r => r.report?.objectives.map(o => o.verdict.status) ?? []);
	if (verdicts.includes('breached')) return 1;
	if (rows.some(r => r.report === null) || verdicts.length === 0 || verdicts.some(s => s !== 'met')) return 3;
	return 0;
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function liveState(config: Config, text: CheckText): Promise<AppState> {
	const specs = config.targets;
	const store = new Store({targets: specs.map(s => ({name: s.name, location: targetLocation(s)})), intervalMs: Math.min(config.intervalMs, config.windowMs / 2), windowMs: config.windowMs, objectives: config.objectives, alertRules: alertRules(config.alerts)});
	const agent = specs.some(s => s.kind === 'http') ? createDispatcher(config) : undefined;
	const sources = limitSources(
		specs.map(spec => createSource(spec, {timeoutMs: config.timeoutMs, maxBytes: config.maxBytes, headers: config.headers, token: config.token, insecure: config.insecure, dispatcher: agent})),
		config.concurrency,
	);
	try {
		await store.scrapeAll(sources);
		const first = store.getSnapshot();
		// Nothing to wait for when no target answered, or none is live.
		if (first.targets.every(t => t.state !== 'up') || !specs.some(s => s.kind === 'http')) return first;
		const t1 = minOf(first.targets.filter(t => t.lastOkAt !== null).map(t => t.lastOkAt!));
		// The second scrape finishes about one window after the first: a little early, so that its
		// window [t2 − w, t2] still holds the first scrape whatever the second one's latency.
		const due = t1 + config.windowMs - Math.min(config.windowMs / 10, 2000);
		const window = formatDuration(config.windowMs);
		if (process.stderr.isTTY) {
			for (let left = due - Date.now(); left > 0; left = due - Date.now()) {
				process.stderr.write('\r\u001b[2K');
				process.stderr.write(inert(text.waiting(formatDuration(Math.ceil(left / 1000) * 1000), window)));
				await delay(Math.min(1000, left));
			}
			process.stderr.write('\r\u001b[2K');
		} else {
			process.stderr.write(inert(text.waitingPlain(window)));
			process.stderr.write('\n');
			// Never before `due` (a timer may fire a millisecond early): the window then spans ≥ 90 % of -w, covered.
			while (Date.now() < due) await delay(due - Date.now());
		}
		await store.scrapeAll(sources);
		return store.getSnapshot();
	} finally {
		await store.stop();
		await Promise.all(sources.map(s => s.close()));
		await agent?.close().catch(() => undefined);
	}
}

async function prometheusState(config: Config, url: string, text: CheckText): Promise<AppState | string> {
	let client: PrometheusClient;
	try {
		client = new PrometheusClient(url, {timeoutMs: Math.max(config.timeoutMs, 10_000), headers: config.headers, token: config.token, insecure: config.insecure, maxBytes: config.maxApiBytes});
	} catch (error) {
		if (error instanceof PrometheusError) throw new UsageError(`--prometheus: ${error.message}`);
		throw error;
	}
	try {
		const targets = await discover(client, {match: config.match});
		if (targets.length === 0) return text.noTargets(url);
		const scrapeMs = maxOf(targets.map(t => (t.scrapeIntervalSec ?? 0) * 1000), 0);
		const intervalMs = Math.max(config.intervalMs, scrapeMs);
		// Windows follow the server's PromQL (2.x [t−w, t], 3.x (t−w, t]), so attainment is its ratio.
		const promql = promqlVersionOf(await client.buildVersion().catch(() => null)) ?? undefined;
		const store = new Store({targets: targets.map(t => ({name: t.name, location: t.location})), intervalMs: Math.min(intervalMs, config.windowMs / 2), windowMs: config.windowMs, objectives: config.objectives, era: config.era, promql, alertRules: alertRules(config.alerts)});
		// The burn windows (up to 1 h) come from the server too, as in the live view, every scrape of the window at its own step.
		const history = await backfillWindows(client, targets, {endSec: Date.now() / 1000, windowMs: config.windowMs, intervalMs: scrapeMs || intervalMs, match: config.match, long: true});
		history.forEach((scrapes, i) => store.ingestMany(i, scrapes));
		return store.getSnapshot();
	} catch (error) {
		if (error instanceof PrometheusError) return `fdtop check: ${error.message}`;
		throw error;
	} finally {
		await client.close();
	}
}

async function recordingState(config: Config, file: string, whole: boolean, text: CheckText): Promise<AppState | string> {
	let recording;
	try {
		recording = await readAllRecords(file);
	} catch (error) {
		if (error instanceof RecordingError) return `fdtop check: ${error.message}`;
		throw error;
	}
	const {header, records} = recording;
	if (records.length === 0) return text.emptyRecording(file);
	const times = records.filter(r => r.text !== undefined).map(r => r.t);
	// --whole: one window from the first scrape to the last, 1 ms longer so that PromQL's left-open
	// range (t − w, t] still holds the first scrape (at least two intervals, as a window must be).
	const intervalMs = header.intervalMs > 0 ? header.intervalMs : config.intervalMs;
	const windowMs = whole ? Math.max(maxOf(times) - minOf(times) + 1, 2 * intervalMs) : config.windowMs;
	const store = new Store({targets: header.targets.map(t => ({name: t.name, location: t.target})), intervalMs: Math.min(intervalMs, windowMs / 2), windowMs, objectives: config.objectives, alertRules: alertRules(config.alerts)});
	const byTarget: Scrape[][] = header.targets.map(() => []);
	for (const r of records) byTarget[r.i]?.push({target: r.target, t: r.t, text: r.text, error: r.error, durationMs: r.durationMs, bytes: r.bytes});
	byTarget.forEach((scrapes, i) => store.ingestMany(i, scrapes));
	return store.getSnapshot();
}

/** Objectives and alert rules together: 1 on a breach or a firing rule, else 3 when anything cannot be judged, else 0. */
function combinedExit(config: Config, state: AppState, rows: readonly SloTableRow[]): {code: CheckExit; breached: boolean; firing: number} {
	const slo = config.objectives.length > 0 ? checkExit(rows) : state.targets.some(t => t.state !== 'up') ? 3 : 0;
	const alerts = config.alerts.length > 0 ? alertsExit(state) : 0;
	const code: CheckExit = slo === 1 || alerts === 1 ? 1 : slo === 3 || alerts === 3 ? 3 : 0;
	return {code, breached: slo === 1, firing: countIn(state, 'firing')};
}

function printResult(config: Config, state: AppState, source: string): CheckExit {
	const text = msgs(config.lang).check;
	const rows = sloRows(state);
	const {code, breached, firing} = combinedExit(config, state, rows);
	if (config.json) {
		const report = reportJson(state, '', new Date());
		const targets = (report.targets as {[key: string]: unknown}[]).map(t => ({target: t.target, name: t.name, up: t.up, state: t.state, error: t.error, lastScrapeAt: t.lastScrapeAt, windowCoveredSeconds: t.windowCoveredSeconds, slo: t.slo ?? null, goodput: t.goodput ?? null}));
		process.stdout.write(`${safeJson({generatedAt: report.generatedAt, source, windowSeconds: state.windowMs / 1000, exitCode: code, verdict: ['met', 'breached', '', 'cannot judge'][code], targets, slo: report.slo, goodput: report.goodput, ...(config.alerts.length > 0 && {alerts: alertsJson(state)})}, 2)}\n`);
	} else {
		// Names and errors in the table are escaped already; inert() again changes nothing in them.
		const slo = config.objectives.length > 0 ? [...sloTableLines(rows, state.windowMs, config.lang), ''] : [];
		const notes = [...(firing > 0 ? [text.rulesFiring(firing)] : []), ...(countIn(state, 'pending') > 0 ? [text.pendingNote] : [])];
		const alerts = config.alerts.length > 0 ? [...alertTableLines(state, config.lang), ...notes, ''] : [];
		const verdict = firing > 0 ? (breached ? text.breachedFiring : text.firing) : code === 0 && config.objectives.length === 0 ? text.noneFiring : [text.met, text.breached, '', text.cannotJudge][code]!;
		for (const line of [...slo, ...alerts, verdict]) process.stdout.write(`${inert(line)}\n`);
	}
	const down = state.targets.filter(t => t.state !== 'up');
	if (down.length > 0) {
		process.stderr.write(`${inert(text.unreadable(down.length))}\n`);
		for (const t of down.slice(0, 10)) process.stderr.write(`  ${localize(inert(t.error ?? t.location), config.lang)}\n`);
	}
	return code;
}

/** `fdtop check …` (argv after `check`): the exit status. */
export async function runCheck(argv: readonly string[], version: string): Promise<number> {
	const whole = argv.includes('--whole');
	const rest = argv.filter(a => a !== '--whole');
	let lang: Lang = langOf(rest, process.env);
	let text = msgs(lang).check;
	let config: Config;
	try {
		const parsed = await parseCliWithConfig(['--once', ...rest], process.env, version, {commandFlags: ['whole']});
		if (parsed.showHelp) {
			process.stdout.write(`${HELP}\n`);
			return 0;
		}
		config = parsed.config;
		lang = config.lang;
		text = msgs(lang).check;
		if (config.objectives.length === 0 && config.alerts.length === 0) throw new UsageError(text.noObjective);
		const recordings = config.targets.filter(t => t.kind === 'recording');
		if (recordings.length > 0 && config.targets.length > 1) throw new UsageError(text.oneRecording);
		if (whole && recordings.length === 0 && config.demo === undefined) throw new UsageError(text.wholeNeedsRecording);
		if (config.targets.length === 0 && config.prometheus === undefined && config.demo === undefined) throw new UsageError(text.noTarget);
	} catch (error) {
		if (error instanceof UsageError) {
			for (const line of error.message.split('\n')) process.stderr.write(`fdtop check: ${localize(inert(line), lang)}\n`);
			if (!error.brief) process.stderr.write(`${inert(text.usageHint)}\n`);
			return 2;
		}
		throw error;
	}
	let state: AppState | string;
	let source: string;
	if (config.prometheus !== undefined) {
		source = 'prometheus';
		state = await prometheusState(config, config.prometheus, text);
	} else if (config.demo !== undefined || config.targets.some(t => t.kind === 'recording')) {
		const file = config.demo !== undefined ? demoFile(config.demo)?.file : targetLocation(config.targets[0]!);
		if (file === undefined) {
			process.stderr.write(`${inert(text.noDemo(config.demo ?? ''))}\n${inert(text.usageHint)}\n`);
			return 2;
		}
		source = whole ? 'recording (whole)' : 'recording';
		state = await recordingState(config, file, whole, text);
	} else {
		source = 'live';
		state = await liveState(config, text);
	}
	if (typeof state === 'string') {
		process.stderr.write(`${localize(inert(state), lang)}\n`);
		return 3;
	}
	return printResult(config, state, source);
}
