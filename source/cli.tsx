#!/bin/sh
/** flags → Config → sources → the live UI, or a report when asked for one or not in a terminal. */
import {createWriteStream} from 'node:fs';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {asciiText, unicodeTerminal} from './charset.js';
import {alertRules, HELP, parseCliWithConfig, UsageError, type Config} from './config.js';
import {liveControls, type Controls} from './controls.js';
import {demoFile, demoNames} from './demo.js';
import {exportOpenMetrics} from './export.js';
import {guardStdout, stdoutGone} from './output.js';
import {reportJson, reportText} from './report.js';
import {createSource} from './sources/index.js';
import {createDispatcher, HttpSource, type HttpOptions} from './sources/http.js';
import {limitSources} from './sources/limit.js';
import {fileErrorText, readRecording, recordingSource, RecordingError, RecordingWriter, RECORDING_FORMAT} from './sources/recording.js';
import {failureLines} from './failures.js';
import {Replay} from './sources/replay.js';
import {PrometheusClient, PrometheusError} from './sources/prometheus-api.js';
import {discover, PrometheusPoller, promqlVersionOf} from './sources/prometheus.js';
import {DEFAULT_TARGETS, parseTarget, targetLocation, type TargetSpec} from './sources/targets.js';
import type {Source} from './sources/types.js';
import {Store, type AppState, type Mode, type TargetStatus} from './store.js';
import {compareJson, compareLines} from './compare-report.js';
import type {Comparison} from './metrics/compare.js';
import {inert, safeJson} from './text.js';
import {VERSION} from './version.js';
import {maxOf} from './arrays.js';
import {langOf, localize, msgs, type Lang} from './i18n/index.js';
import {backfillWindows} from './slo-backfill.js';

/** ASCII out (source/charset.ts): the terminal's say until the flags are read, then the Config's. */
let ascii = !unicodeTerminal(process.env);
const shown = (text: string) => (ascii ? asciiText(text) : text);
/** The language of messages (docs/i18n.md): --lang or the locale until the flags are read, then the Config's. */
let lang: Lang = langOf(process.argv.slice(2), process.env);

/** Exit 2 with the message (each of its lines), then the usage text unless the message is `brief`. */
function usage(message: string, brief = false): never {
	for (const line of message.split('\n')) process.stderr.write(shown(`fdtop: ${localize(inert(line), lang)}\n`));
	if (!brief) process.stderr.write(shown(`${HELP}\n`));
	process.exit(2);
}

function fail(message: string): number {
	process.stderr.write(shown(`fdtop: ${localize(inert(message), lang)}\n`));
	return 1;
}

function httpOptions(config: Config): HttpOptions {
	return {timeoutMs: config.timeoutMs, maxBytes: config.maxBytes, headers: config.headers, token: config.token, insecure: config.insecure};
}

/** No target named: FastDeploy 2.0–2.2 serves metrics on 8001, 2.3+ on 8000. Take the first that answers. */
async function probeDefaults(config: Config): Promise<TargetSpec | undefined> {
	for (const url of DEFAULT_TARGETS) {
		const source = new HttpSource(url, {...httpOptions(config), timeoutMs: Math.min(config.timeoutMs, 2000)});
		const scrape = await source.scrape();
		await source.close();
		if (!scrape.error) return parseTarget(url);
	}
	return undefined;
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type BaselineCompare = (state: AppState, target: number) => Comparison | null;

/** --baseline, read once: its compare function; undefined without one; an exit status after saying why it cannot be read. */
async function baselineOf(config: Config, store: Store): Promise<BaselineCompare | undefined | number> {
	if (config.baseline === undefined) return undefined;
	const loaded = await (await import('./compare-command.js')).loadBaseline(config, store);
	return typeof loaded === 'string' ? fail(loaded) : loaded.compare;
}

function printReport(config: Config, store: Store, baseline?: BaselineCompare): number {
	const state = store.getSnapshot();
	// --baseline: the first target's window against it, as the Compare view shows it (key `compare`).
	const comparison = baseline?.(state, 0) ?? null;
	// Failures grouped by cause: ten thousand refused targets are one line, not ten thousand.
	// The text report leaves out the errors these lines state: each is said once.
	const stated = new Set<TargetStatus>();
	const failures = failureLines(state.targets, {stated});
	if (config.json) process.stdout.write(`${safeJson(comparison ? {...reportJson(state, VERSION, new Date(), config.families), compare: compareJson(comparison)} : reportJson(state, VERSION, new Date(), config.families), 2, config.ascii)}\n`);
	else {
		process.stdout.write(shown(reportText(state, VERSION, {errorsElsewhere: stated, lang: config.lang})));
		if (comparison) for (const line of ['', ...compareLines(comparison, {ascii: config.ascii, bars: false, lang: config.lang})]) process.stdout.write(shown(`${inert(line)}\n`));
	}
	for (const line of failures) process.stderr.write(shown(`fdtop: ${localize(inert(line), lang)}\n`));
	return state.targets.some(t => t.state !== 'up') ? 1 : 0;
}

/**
 * The live UI's module, and Ink, React and the App with it, loading from the call on: called as
 * soon as a run knows it will show the UI, so the loading overlaps what the run still waits for
 * (the first scrape, a replay's prefill, a Prometheus discovery and backfill). Reports (--once,
 * --json, not a terminal) never load any of it. A failure surfaces where runUi awaits it.
 */
let uiModule: Promise<typeof import('./ui/run.js')> | undefined;
function loadUi(): Promise<typeof import('./ui/run.js')> {
	if (!uiModule) {
		uiModule = import('./ui/run.js');
		uiModule.then(ui => ui.loadUi()).catch(() => undefined);
	}
	return uiModule;
}

async function runUi(config: Config, store: Store, controls: Controls, onExit: () => Promise<void>): Promise<number> {
	const {runTui} = await loadUi();
	const baseline = await baselineOf(config, store);
	if (typeof baseline === 'number') {
		await onExit();
		return baseline;
	}
	await runTui(store, controls, {color: config.color, ascii: config.ascii, lang: config.lang, insecure: config.insecure, onExit, baseline: baseline && {compare: baseline}});
	// A signal (SIGTERM 143, SIGHUP 129) sets the exit code while the UI shuts down: keep it.
	return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

/** A recording's reader, or exit status 1 after saying why it cannot be read. */
async function openRecording(file: string): Promise<Awaited<ReturnType<typeof readRecording>> | number> {
	try {
		return await readRecording(file);
	} catch (error) {
		if (error instanceof RecordingError) return fail(error.message);
		throw error;
	}
}

const interactive = (config: Config) => !config.once && process.stdout.isTTY === true && process.stdin.isTTY === true;

async function runReplay(config: Config, file: string, demo: string | null): Promise<number> {
	const recording = await openRecording(file);
	if (typeof recording === 'number') return recording;
	// Only the header is needed here: the replay reads the records itself.
	recording.close();
	const {header} = recording;
	if (interactive(config)) void loadUi();
	const mode: Mode = {kind: 'replay', demo, file, speed: config.speed, loop: config.loop, position: 0, total: null, finished: false};
	const store = new Store({targets: header.targets.map(t => ({name: t.name, location: t.target})), intervalMs: header.intervalMs || config.intervalMs, windowMs: config.windowMs, mode, maxSeries: config.maxSeries, era: config.era, objectives: config.objectives, alertRules: alertRules(config.alerts)});
	const replay = new Replay(store, {file, speed: config.speed, loop: config.loop && interactive(config), demo, prefillMs: demo === null ? 0 : config.windowMs});
	if (!interactive(config)) {
		await replay.runToEnd();
		if (replay.tornLines > 0) process.stderr.write(shown(`fdtop: ${inert(msgs(lang).files.replayTorn(file, replay.tornLines))}\n`));
		if (replay.outOfOrder > 0) process.stderr.write(shown(`fdtop: ${inert(msgs(lang).files.replayOutOfOrder(file, replay.outOfOrder))}\n`));
		const baseline = await baselineOf(config, store);
		return typeof baseline === 'number' ? baseline : printReport(config, store, baseline);
	}
	void replay.start();
	return runUi(config, store, replay, async () => replay.stop());
}

async function runLive(config: Config, specs: readonly TargetSpec[]): Promise<number> {
	const mode: Mode = specs.every(s => s.kind === 'file') ? {kind: 'file'} : {kind: 'live'};
	if (interactive(config)) void loadUi();
	const store = new Store({targets: specs.map(s => ({name: s.name, location: targetLocation(s)})), intervalMs: config.intervalMs, windowMs: config.windowMs, mode, maxSeries: config.maxSeries, era: config.era, objectives: config.objectives, alertRules: alertRules(config.alerts)});
	// One keep-alive agent for every target (a pool per origin inside it), and at most
	// --concurrency scrapes in flight: ten thousand targets are not ten thousand agents and sockets.
	const agent = specs.some(s => s.kind === 'http') ? createDispatcher(config) : undefined;
	const http: HttpOptions = {...httpOptions(config), dispatcher: agent};
	let sources: Source[] = limitSources(
		specs.map(spec => createSource(spec, http)),
		config.concurrency,
	);
	let writer: RecordingWriter | undefined;
	if (config.record !== undefined) {
		try {
			writer = await RecordingWriter.open(
				config.record,
				{
					fdtopRecording: RECORDING_FORMAT,
					createdAt: new Date().toISOString(),
					fdtop: VERSION,
					targets: specs.map(s => ({name: s.name, target: targetLocation(s)})),
					intervalMs: config.intervalMs,
				},
				// The writer reports into the store; the header shows `REC …` or `REC FAILED: …`.
				{overwrite: config.recordOverwrite, onStatus: status => store.setRecording(status, {quiet: true})},
			);
		} catch (error) {
			if (error instanceof RecordingError) return fail(error.message);
			throw error;
		}
		store.setRecording(writer.status);
		const w = writer;
		sources = sources.map((s, i) => recordingSource(s, i, w));
	}
	const closeAll = async () => {
		await store.stop();
		await Promise.all(sources.map(s => s.close()));
		await agent?.close().catch(() => undefined);
		await writer?.close();
		if (writer) store.setRecording(writer.status);
	};
	/** After the report or the UI: what was recorded, or why the recording failed (then exit 1). */
	const recordingOutcome = (): number => {
		if (!writer) return 0;
		const failure = writer.failureMessage;
		if (failure !== null) return fail(failure);
		const {scrapes, appended} = writer.status;
		process.stderr.write(shown(`fdtop: ${inert(msgs(lang).files.recorded(appended, scrapes, writer.path))}\n`));
		return 0;
	};
	if (!interactive(config)) {
		await store.scrapeAll(sources);
		// A live target needs a second scrape one interval later for windowed figures.
		if (specs.some(s => s.kind === 'http')) {
			await delay(config.intervalMs);
			await store.scrapeAll(sources);
		}
		await closeAll();
		const baseline = await baselineOf(config, store);
		const code = typeof baseline === 'number' ? baseline : printReport(config, store, baseline);
		const recorded = recordingOutcome();
		return code || recorded;
	}
	store.start(sources);
	const code = await runUi(config, store, liveControls(store), closeAll);
	// A signal's status (SIGTERM 143) wins; a failed recording makes a clean exit 1.
	const recorded = recordingOutcome();
	return code || recorded;
}

/** A Prometheus server that scrapes the fleet: discover the targets, backfill the window, then poll. */
async function runPrometheus(config: Config, url: string): Promise<number> {
	let client: PrometheusClient;
	try {
		client = new PrometheusClient(url, {timeoutMs: Math.max(config.timeoutMs, 10_000), headers: config.headers, token: config.token, insecure: config.insecure, maxBytes: config.maxApiBytes});
	} catch (error) {
		if (error instanceof PrometheusError) usage(`--prometheus: ${error.message}`);
		throw error;
	}
	if (interactive(config)) void loadUi();
	let targets;
	try {
		targets = await discover(client, {match: config.match});
	} catch (error) {
		await client.close();
		if (error instanceof PrometheusError) return fail(error.message);
		throw error;
	}
	// Polling faster than Prometheus scrapes only repeats its samples.
	const scrapeMs = maxOf(targets.map(t => (t.scrapeIntervalSec ?? 0) * 1000), 0);
	const intervalMs = Math.max(config.intervalMs, scrapeMs);
	// Windows follow the server's PromQL: 2.x ranges are [t−w, t], 3.x (t−w, t].
	const built = await client.buildVersion().catch(() => null);
	const promql = promqlVersionOf(built);
	if (promql === null && !interactive(config)) process.stderr.write(`fdtop: ${inert(msgs(lang).files.noPromVersion(client.url))}\n`);
	const store = new Store({targets: targets.map(t => ({name: t.name, location: t.location})), intervalMs, windowMs: config.windowMs, mode: {kind: 'live'}, maxSeries: config.maxSeries, era: config.era, promql: promql ?? undefined, objectives: config.objectives, alertRules: alertRules(config.alerts)});
	// One instant for the history and the last poll (--once): a scrape landing in between would
	// shift the window past the backfill's first samples.
	const endSec = Date.now() / 1000;
	try {
		// Every scrape of the window (the step is the scrape interval, not -i): PromQL sees them all.
		// With objectives the SLO view's long windows (up to 1 h) are filled from the server at start;
		// with alert rules too, so a rule's `for` is judged over the hour before fdtop started.
		const history = await backfillWindows(client, targets, {endSec, windowMs: config.windowMs, intervalMs: scrapeMs || intervalMs, match: config.match, long: config.objectives.length > 0 || config.alerts.length > 0});
		history.forEach((scrapes, i) => store.ingestMany(i, scrapes));
	} catch (error) {
		if (!(error instanceof PrometheusError)) throw error;
		if (!interactive(config)) process.stderr.write(shown(`fdtop: ${inert(msgs(lang).files.backfillSkipped(localize(error.message, lang)))}\n`));
	}
	const sources = new PrometheusPoller(client, targets, {match: config.match, atSec: interactive(config) ? undefined : endSec}).sources();
	if (!interactive(config)) {
		await store.scrapeAll(sources);
		await store.stop();
		await Promise.all(sources.map(s => s.close()));
		return printReport(config, store);
	}
	store.start(sources);
	return runUi(config, store, liveControls(store), async () => {
		await store.stop();
	});
}

async function runExport(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({args: argv, allowPositionals: true, options: {format: {type: 'string', default: 'openmetrics'}, output: {type: 'string', short: 'o'}}});
	} catch (error) {
		usage(`export: ${(error as Error).message}`);
	}
	const [file, ...rest] = parsed.positionals;
	if (!file || rest.length > 0) usage('export takes one recording: fdtop export FILE.jsonl[.gz] --format openmetrics [-o OUT]');
	if (parsed.values.format !== 'openmetrics') usage(`export --format ${parsed.values.format}: only openmetrics is supported`);
	const recording = await openRecording(file);
	if (typeof recording === 'number') return recording;
	const output = parsed.values.output;
	const out = output === undefined || output === '-' ? process.stdout : createWriteStream(output);
	const opened = out === process.stdout ? Promise.resolve(null) : new Promise<Error | null>(resolve => out.once('open', () => resolve(null)).once('error', resolve));
	const problem = await opened;
	if (problem) return fail(`export -o ${output}: ${(problem as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : problem.message}`);
	// A write error (disk full) must not end in "exported …" and status 0: keep the first one.
	let writeError: unknown;
	if (out !== process.stdout) out.on('error', error => (writeError ??= error));
	const stats = await exportOpenMetrics(recording.header, recording.records, chunk => {
		if (writeError === undefined) out.write(chunk);
	});
	if (out !== process.stdout) {
		await new Promise<void>(resolve => {
			if (out.closed) return resolve();
			out.once('close', () => resolve());
			out.end();
		});
	}
	if (writeError !== undefined) return fail(`export -o ${output}: writing failed: ${fileErrorText(writeError)}; the output is incomplete: free some space or write elsewhere`);
	// The reader went away (`| head`): the export stops quietly (source/output.ts), no summary.
	if (out === process.stdout && stdoutGone()) return 0;
	const f = msgs(lang).files;
	process.stderr.write(`fdtop: ${inert(`${f.exported(stats.scrapes, stats.families, stats.samples)}${stats.skippedScrapes ? f.failedSkipped(stats.skippedScrapes) : ''}${stats.outOfOrder ? f.outOfOrder(stats.outOfOrder) : ''}${recording.stats.tornLines ? f.torn(recording.stats.tornLines) : ''}`)}\n`);
	return 0;
}

async function main(): Promise<number> {
	guardStdout();
	const argv = process.argv.slice(2);
	if (argv[0] === 'export') return runExport(argv.slice(1));
	if (argv[0] === 'report') return (await import('./report-html-cli.js')).runHtmlReport(argv.slice(1), VERSION, usage, fail);
	if (argv[0] === 'check') return (await import('./check.js')).runCheck(argv.slice(1), VERSION);
	if (argv[0] === 'compare') return (await import('./compare-command.js')).runCompare(argv.slice(1), VERSION);
	if (argv[0] === 'config') return (await import('./config-command.js')).runConfigCommand(argv.slice(1), process.env);
	let parsed;
	try {
		parsed = await parseCliWithConfig(argv, process.env, VERSION);
	} catch (error) {
		if (error instanceof UsageError) usage(error.message, error.brief);
		throw error;
	}
	if (parsed.showHelp) {
		process.stdout.write(shown(`${parsed.help}\n`));
		return 0;
	}
	if (parsed.showVersion) {
		process.stdout.write(`${VERSION}\n`);
		return 0;
	}
	const {config} = parsed;
	ascii = config.ascii;
	lang = config.lang;
	if (config.demo !== undefined) {
		const demo = demoFile(config.demo);
		if (!demo) usage(`--demo ${config.demo}: no such demo; choose one of ${demoNames().join(', ') || '(none bundled)'}`);
		return runReplay({...config, loop: true}, demo.file, demo.name);
	}
	if (config.prometheus !== undefined) return runPrometheus(config, config.prometheus);
	const recording = config.targets.find(t => t.kind === 'recording');
	if (recording) return runReplay(config, targetLocation(recording), null);
	let specs = config.targets;
	if (config.defaultTargets) {
		const found = await probeDefaults(config);
		if (!found) {
			fail('no FastDeploy metrics at localhost:8001 (2.0–2.2) or localhost:8000 (2.3+).');
			process.stderr.write(shown('       Name a target (fdtop gpu-host:8001), or try the demo: fdtop --demo\n'));
			return 1;
		}
		specs = [found];
	}
	return runLive(config, specs);
}

main().then(
	code => {
		process.exitCode = code;
	},
	error => {
		process.stderr.write(`fdtop: internal error: ${inert((error as Error)?.stack ?? String(error)).replaceAll('\\n', '\n')}\n`);
		process.exitCode = 70;
	},
);
