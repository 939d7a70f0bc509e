/**
 * (a) Start-up: the built CLI in a 120x40 tmux session against a loopback simulator; the time
 * from spawning until the overview's full frame (its bottom panel, "Trends", and the status line)
 * is on the screen, polled with capture-pane every 10 ms; and the CPU time fdtop's main thread had
 * used by then (/proc, in clock ticks), less swayed than the wall time by other load on the machine.
 * (b) Replay throughput: a recording of one target's scrapes (simulator, FastDeploy 2.3 steady,
 * gzip) replayed with Replay.runToEnd through the real Store, in a child node started with the
 * shipped bin's node flags (its small young generation makes a replay do more GC work: what is
 * measured is what ships). Needs `npm run build` and tmux.
 *
 * Run: npm run bench:startup [-- --runs 5 --scrapes 3600]
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {startSimulator} from '../demo/sim/server.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';
import {Replay} from '../source/sources/replay.js';
import {Store} from '../source/store.js';
import {machine, markdownTable, median, sleep} from './common.js';
import {shippedNodeFlags} from './memory.js';
import {binCommand} from './terminal.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = fileURLToPath(import.meta.url);

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

export interface StartupOptions {
	/** A directory holding the build to run (`dist/cli.js`, `package.json`); default this repository. */
	readonly dir?: string;
	/** The bundled demo (`--demo`: a replay with its window prefilled) instead of the live simulator. */
	readonly demo?: boolean;
	/** The command that starts fdtop (shell words; default the build's bin): a release artefact. */
	readonly command?: string;
	/** Also read the resident set this long after the first frame (idle RSS), in ms. */
	readonly rssAfterMs?: number;
}

/** CPU time (user + system) the main thread of process `pid` has used, in ms. */
function mainThreadCpuMs(pid: number, tickMs: number): number {
	// Fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th.
	const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) * tickMs;
}

export interface StartupRuns {
	/** Milliseconds from spawn to the first full overview frame, one per run. */
	readonly ms: number[];
	/** CPU milliseconds fdtop's main thread had used when that frame was seen (clock-tick resolution). */
	readonly cpuMs: number[];
	/** With `rssAfterMs`: the resident set then, in MiB (VmRSS). */
	readonly rssMiB: number[];
}

function rssMiB(pid: number): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))!;
	return Number(line.split(/\s+/)[1]) / 1024;
}

/**
 * Start-up runs: fdtop is started as its bin is (`binCommand`: the file itself, so its shebang's
 * node flags apply; sh execs node, so the pane's process is node).
 */
export async function measureStartupRuns(runs: number, options: StartupOptions = {}): Promise<StartupRuns> {
	const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 1});
	const tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
	const times: number[] = [];
	const cpu: number[] = [];
	const rss: number[] = [];
	const command = `${options.command ?? binCommand(options.dir ?? root)} ${options.demo ? '--demo' : sim.url}`;
	try {
		for (let r = 0; r < runs; r++) {
			const session = `fdtop-start-${process.pid}-${r}`;
			const t0 = performance.now();
			tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-e', 'LANG=C.UTF-8', command);
			try {
				const pid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
				for (;;) {
					const screen = tmux('capture-pane', '-p', '-t', session);
					if (screen.includes('Trends') && screen.includes('space pause')) {
						times.push(performance.now() - t0);
						cpu.push(mainThreadCpuMs(pid, tickMs));
						if (options.rssAfterMs !== undefined) {
							await sleep(options.rssAfterMs);
							rss.push(rssMiB(pid));
						}
						break;
					}
					if (performance.now() - t0 > 15_000) throw new Error(`no full frame after 15 s:\n${screen}`);
					await sleep(10);
				}
			} finally {
				tmux('kill-session', '-t', session);
			}
			await sleep(300);
		}
	} finally {
		await sim.close();
	}
	return {ms: times, cpuMs: cpu, rssMiB: rss};
}

/** Milliseconds from spawn to the first full overview frame, one per run (see measureStartupRuns). */
export async function measureStartup(runs: number, options: StartupOptions = {}): Promise<number[]> {
	return (await measureStartupRuns(runs, options)).ms;
}

/** Scrapes per second through Replay.runToEnd for one target, one figure per run. */
const REPLAY_TARGET = 'http://sim:8000/metrics';

/** Replay throughput (scrapes/s), one per run, in a child started with the shipped bin's node flags. */
export async function measureReplay(scrapes: number, runs: number): Promise<number[]> {
	const file = join(mkdtempSync(join(tmpdir(), 'fdtop-replay-')), 'rec.jsonl.gz');
	const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'bench', targets: [{name: 'sim', target: REPLAY_TARGET}], intervalMs: 1000}, {flushEach: false, level: 1});
	let i = 0;
	for (const s of generateScrapes({scenario: 'steady', era: '2.3', seed: 5, intervalSeconds: 1, count: scrapes, warmupSeconds: 300})) {
		writer.append(0, {target: REPLAY_TARGET, t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
		if (++i % 500 === 0) await writer.drained();
	}
	await writer.close();
	try {
		// The parent's own flags (tsx's loader) go too; the shipped ones come first, as in the bin.
		const {flags} = shippedNodeFlags();
		const child = spawnSync(process.execPath, [...flags, ...process.execArgv, here, '--replay-child', file, '--runs', String(runs)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
		if (child.status !== 0) throw new Error(`replay child failed (node ${flags.join(' ')}): exit ${child.status ?? child.signal}`);
		return JSON.parse(child.stdout) as number[];
	} finally {
		rmSync(dirname(file), {recursive: true, force: true});
	}
}

/** The replays themselves, in this process. */
async function replayRuns(file: string, runs: number): Promise<number[]> {
	const rates: number[] = [];
	for (let r = 0; r < runs; r++) {
		const store = new Store({targets: [{name: 'sim', location: REPLAY_TARGET}], intervalMs: 1000, windowMs: 60_000});
		const replay = new Replay(store, {file, speed: 1, loop: false, demo: null});
		const t0 = performance.now();
		await replay.runToEnd();
		rates.push(store.getSnapshot().targets[0]!.scrapes / ((performance.now() - t0) / 1000));
	}
	return rates;
}

export function startupTable(startMs: readonly number[], rates: readonly number[], scrapes: number, more: readonly (readonly [string, readonly number[]])[] = []): string {
	const range = (xs: readonly number[], d: number) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
	const frame = (what: string, xs: readonly number[]) => [what, median(xs).toFixed(0), range(xs, 0), String(xs.length)];
	return markdownTable(
		['measurement', 'median', 'range', 'runs'],
		[
			frame('first full frame, 120x40 (ms)', startMs),
			...more.map(([what, xs]) => frame(what, xs)),
			...(rates.length > 0 ? [[`replay of ${scrapes} scrapes, one target (scrapes/s)`, median(rates).toFixed(0), range(rates, 0), String(rates.length)]] : []),
		],
	);
}

if (process.argv[1] === here) {
	const {values} = parseArgs({options: {runs: {type: 'string', default: '5'}, scrapes: {type: 'string', default: '3600'}, baseline: {type: 'string'}, 'startup-only': {type: 'boolean', default: false}, 'replay-child': {type: 'string'}}});
	if (values['replay-child']) {
		process.stdout.write(JSON.stringify(await replayRuns(values['replay-child'], Number(values.runs))));
		process.exit(0);
	}
	const runs = Number(values.runs);
	// Another build (a directory with dist/, package.json and a node_modules link), for before/after.
	const variants: [string, StartupOptions][] = [
		['first full frame, 120x40 (ms)', {}],
		['first full frame, --demo, 120x40 (ms)', {demo: true}],
		...(values.baseline
			? ([
					['baseline: first full frame, 120x40 (ms)', {dir: values.baseline}],
					['baseline: first full frame, --demo (ms)', {dir: values.baseline, demo: true}],
				] as [string, StartupOptions][])
			: []),
	];
	// One run of each in turn, so a change in the machine's load falls on all of them alike.
	const times = variants.map((): number[] => []);
	const cpu = variants.map((): number[] => []);
	for (let r = 0; r < runs; r++) {
		for (const [i, [, options]] of variants.entries()) {
			const one = await measureStartupRuns(1, options);
			times[i]!.push(...one.ms);
			cpu[i]!.push(...one.cpuMs);
		}
	}
	const startMs = times[0]!;
	const more = [
		...variants.slice(1).map(([what], i) => [what, times[i + 1]!] as const),
		...variants.map(([what], i) => [`${what.replace(/ \(ms\)$/, '')}: main-thread CPU (ms)`, cpu[i]!] as const),
	];
	const rates = values['startup-only'] ? [] : await measureReplay(Number(values.scrapes), 3);
	console.log(`${machine()}\nMethod: start-up = spawn of the built bin (\`dist/cli.js <simulator>\`, run as a user runs it: its shebang's node flags apply) in a fresh 120x40 tmux session until capture-pane shows the overview's "Trends" panel and status line (10 ms polling; includes tmux and node start), and the CPU time node's main thread had used by then (/proc, clock ticks); --demo the same with the bundled demo (its window prefilled before the first frame); with --baseline, one run of each build in turn; replay = Replay.runToEnd over a gzip recording, through the Store, 3 runs in a child node started with the bin's node flags.\n`);
	console.log(startupTable(startMs, rates, Number(values.scrapes), more));
}
