/**
 * (a) Start-up: the built CLI in a 120x40 tmux session against a loopback simulator; the time
 * from spawning until the overview's full frame (its bottom panel, "Trends", and the status line)
 * is on the screen, polled with capture-pane every 10 ms. (b) Replay throughput: a recording of
 * one target's scrapes (simulator, FastDeploy 2.3 steady, gzip) replayed with Replay.runToEnd
 * through the real Store. Needs `npm run build` and tmux.
 *
 * Run: npm run bench:startup [-- --runs 5 --scrapes 3600]
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {startSimulator} from '../demo/sim/server.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';
import {Replay} from '../source/sources/replay.js';
import {Store} from '../source/store.js';
import {machine, markdownTable, median, sleep} from './common.js';
import {binCommand} from './terminal.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

export interface StartupOptions {
	/** A directory holding the build to run (`dist/cli.js`, `package.json`); default this repository. */
	readonly dir?: string;
	/** The bundled demo (`--demo`: a replay with its window prefilled) instead of the live simulator. */
	readonly demo?: boolean;
}

/**
 * Milliseconds from spawn to the first full overview frame, one per run. fdtop is started as its
 * bin is (`binCommand`: the file itself, so its shebang's node flags apply).
 */
export async function measureStartup(runs: number, options: StartupOptions = {}): Promise<number[]> {
	const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 1});
	const times: number[] = [];
	const command = `${binCommand(options.dir ?? root)} ${options.demo ? '--demo' : sim.url}`;
	try {
		for (let r = 0; r < runs; r++) {
			const session = `fdtop-start-${process.pid}-${r}`;
			const t0 = performance.now();
			tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-e', 'LANG=C.UTF-8', command);
			try {
				for (;;) {
					const screen = tmux('capture-pane', '-p', '-t', session);
					if (screen.includes('Trends') && screen.includes('space pause')) break;
					if (performance.now() - t0 > 15_000) throw new Error(`no full frame after 15 s:\n${screen}`);
					await sleep(10);
				}
				times.push(performance.now() - t0);
			} finally {
				tmux('kill-session', '-t', session);
			}
			await sleep(300);
		}
	} finally {
		await sim.close();
	}
	return times;
}

/** Scrapes per second through Replay.runToEnd for one target, one figure per run. */
export async function measureReplay(scrapes: number, runs: number): Promise<number[]> {
	const file = join(mkdtempSync(join(tmpdir(), 'fdtop-replay-')), 'rec.jsonl.gz');
	const target = 'http://sim:8000/metrics';
	const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'bench', targets: [{name: 'sim', target}], intervalMs: 1000}, {flushEach: false, level: 1});
	let i = 0;
	for (const s of generateScrapes({scenario: 'steady', era: '2.3', seed: 5, intervalSeconds: 1, count: scrapes, warmupSeconds: 300})) {
		writer.append(0, {target, t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
		if (++i % 500 === 0) await writer.drained();
	}
	await writer.close();
	const rates: number[] = [];
	for (let r = 0; r < runs; r++) {
		const store = new Store({targets: [{name: 'sim', location: target}], intervalMs: 1000, windowMs: 60_000});
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {runs: {type: 'string', default: '5'}, scrapes: {type: 'string', default: '3600'}, baseline: {type: 'string'}, 'startup-only': {type: 'boolean', default: false}}});
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
	for (let r = 0; r < runs; r++) for (const [i, [, options]] of variants.entries()) times[i]!.push(...(await measureStartup(1, options)));
	const startMs = times[0]!;
	const more = variants.slice(1).map(([what], i) => [what, times[i + 1]!] as const);
	const rates = values['startup-only'] ? [] : await measureReplay(Number(values.scrapes), 3);
	console.log(`${machine()}\nMethod: start-up = spawn of the built bin (\`dist/cli.js <simulator>\`, run as a user runs it: its shebang's node flags apply) in a fresh 120x40 tmux session until capture-pane shows the overview's "Trends" panel and status line (10 ms polling; includes tmux and node start); --demo the same with the bundled demo (its window prefilled before the first frame); with --baseline, one run of each build in turn; replay = Replay.runToEnd over a gzip recording, through the Store, 3 runs.\n`);
	console.log(startupTable(startMs, rates, Number(values.scrapes), more));
}
