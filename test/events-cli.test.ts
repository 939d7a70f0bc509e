/**
 * The event log as a user gets it: `--once --json` prints `events`, recomputed from a recording's
 * scrapes; a simulator run with a restart and a configuration change (its --restart-at and
 * --reconfigure-at flags), recorded and replayed, shows both.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {Store} from '../source/store.js';
import {RECORDING_FORMAT, RecordingWriter} from '../source/sources/recording.js';
import type {Scrape} from '../source/sources/types.js';
import {ROOT, runCli} from './helpers/cli.js';
import {counterText, GEN, gaugeText, RUNNING} from './helpers/exposition.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-events-'));

interface JsonEvent {
	time: string;
	target: string;
	kind: string;
	level: string;
	title: string;
	detail: string;
	subject: string | null;
	phase: string | null;
}

async function eventsOf(args: string[]): Promise<JsonEvent[]> {
	const run = await runCli(['--once', '--json', ...args]);
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(run.stdout) as {events?: JsonEvent[]};
	assert.ok(Array.isArray(json.events), 'the report has an `events` list');
	return json.events;
}

/** The simulator as `npm run simulate` runs it, on a free port; resolves with its /metrics URL. */
async function simulator(args: string[]): Promise<{child: ChildProcess; url: string; base: string}> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'demo/simulator.ts', '--port', '0', ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (d: Buffer) => {
			out += String(d);
			const m = /on (http:\/\/\S+\/metrics)/.exec(out);
			if (m) resolve(m[1]!);
		});
		child.once('exit', code => reject(new Error(`simulator exited (${code}): ${out}`)));
	});
	return {child, url, base: url.replace(/\/metrics$/, '')};
}

const children: ChildProcess[] = [];
after(async () => {
	for (const child of children) {
		if (child.exitCode !== null) continue;
		child.kill('SIGTERM');
		await once(child, 'exit');
	}
});

describe('events in --once --json', () => {
	test('the bundled restart recording: one restart, where its counters reset', async () => {
		const events = await eventsOf([join(ROOT, 'demo/recordings/restart-2.3.jsonl.gz')]);
		assert.deepEqual(
			events.map(e => [e.time, e.kind, e.title]),
			[['2025-12-01T00:04:30.000Z', 'restart', 'restart']],
		);
		assert.match(events[0]!.detail, /^counters reset \(\d+ metrics\)$/);
	});

	test('the text report lists the events too', async () => {
		const run = await runCli(['--once', join(ROOT, 'demo/recordings/restart-2.3.jsonl.gz')]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^ {2}event: 2025-12-01T00:04:30\.000Z restart: counters reset \(\d+ metrics\)$/m);
		assert.equal(run.stdout.match(/^ {2}event: /gm)?.length, 1, run.stdout);
	});

	test('a simulator run with --restart-at and --reconfigure-at, recorded and replayed: the restart and the config change', async () => {
		// Speed 0: simulated time moves only when the test says so, 5 s between scrapes.
		const sim = await simulator(['--speed', '0', '--restart-at', '60', '--reconfigure-at', '120']);
		children.push(sim.child);
		const file = join(dir, 'sim.jsonl.gz');
		const t0 = Date.UTC(2026, 0, 1);
		const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(t0).toISOString(), fdtop: 'test', targets: [{name: 'sim', target: sim.url}], intervalMs: 5000});
		for (let n = 0; n < 36; n++) {
			if (n > 0) {
				const step = await fetch(`${sim.base}/control`, {method: 'POST', body: JSON.stringify({advance: 5})});
				assert.equal(step.status, 200);
			}
			const text = await (await fetch(sim.url)).text();
			writer.append(0, {target: sim.url, t: t0 + n * 5000, text, durationMs: 2, bytes: text.length});
		}
		await writer.close();
		const state = (await (await fetch(`${sim.base}/control`)).json()) as {restarts: number; maxNumSeqs: number};
		assert.deepEqual([state.restarts, state.maxNumSeqs], [2, 128], 'the simulator restarted twice, the second time with max_num_seqs 128');

		const events = await eventsOf([file]);
		const at = (kind: string) => events.filter(e => e.kind === kind).map(e => (Date.parse(e.time) - t0) / 1000);
		// The scrape after each planned time sees it: 60 s and 120 s are scrapes 12 and 24.
		assert.deepEqual(at('restart'), [60, 120]);
		assert.deepEqual(at('config'), [120]);
		const config = events.find(e => e.kind === 'config')!;
		assert.match(config.detail, /^max_batch_size 64 → 128, max_gpu_block_num 2000 → 2500, total_block_num 2000 → 2500 \(\+1 more\)$/);
		assert.equal(config.level, 'warn');
	});
});

describe('diagnosis events with hysteresis', () => {
	test('over each bundled overload and KV-pressure demo, a diagnosis starts once or twice, not at every crossing of its threshold', async () => {
		// Before hysteresis: 10, 20 and 37 diagnosis events (the condition on its threshold toggled at each scrape).
		for (const demo of ['overload', 'overload-2.3', 'kv-pressure']) {
			const events = (await eventsOf(['--demo', demo])).filter(e => e.kind === 'diagnosis');
			const starts = events.filter(e => e.phase === 'start');
			assert.ok(starts.length >= 1, `${demo}: the diagnosis is still reported`);
			assert.ok(events.length <= 4, `${demo}: ${events.length} diagnosis events: ${events.map(e => `${e.time} ${e.phase}`).join(', ')}`);
			for (const subject of new Set(starts.map(e => e.subject))) assert.ok(starts.filter(e => e.subject === subject).length <= 2, `${demo}: ${subject} starts at most twice`);
		}
	});

	test('a recording of a flapping condition, replayed, gives the events the live run gave', async () => {
		// KV usage 96 % and 94 % in turn with requests waiting (the 95 % saturation threshold), then 50 %.
		const t0 = Date.UTC(2026, 0, 1);
		const scrapes: Scrape[] = [];
		for (let s = 0; s <= 120; s++) {
			const kv = s < 60 ? (s % 2 === 0 ? 0.96 : 0.94) : 0.5;
			const text = [counterText(GEN, 100 * (s + 1)), gaugeText(RUNNING, 4), gaugeText('fastdeploy:num_requests_waiting', 5), gaugeText('fastdeploy:gpu_cache_usage_perc', kv)].join('\n');
			scrapes.push({target: 'flap', t: t0 + s * 1000, text, durationMs: 1, bytes: text.length});
		}
		const store = new Store({targets: [{name: 'flap', location: 'flap'}], intervalMs: 1000, windowMs: 60_000});
		for (const scrape of scrapes) store.ingest(0, scrape);
		const live = (store.getSnapshot().targets[0]!.events ?? []).map(e => [new Date(e.t).toISOString(), e.kind, e.subject ?? null, e.phase ?? null, e.detail]);
		assert.deepEqual(live.map(e => e[3]), ['start', 'end']);

		const file = join(dir, 'flap.jsonl.gz');
		const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(t0).toISOString(), fdtop: 'test', targets: [{name: 'flap', target: 'flap'}], intervalMs: 1000});
		for (const scrape of scrapes) writer.append(0, scrape);
		await writer.close();
		const replayed = (await eventsOf([file])).map(e => [e.time, e.kind, e.subject, e.phase, e.detail]);
		assert.deepEqual(replayed, live);
	});
});
