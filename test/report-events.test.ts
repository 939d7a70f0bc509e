/**
 * `fdtop report`'s Event log and chart markers (issue 17 §2 and §3): the store's events of every
 * kind, from a simulator run with a restart and a configuration change (its --restart-at and
 * --reconfigure-at), recorded as test/events-cli.test.ts records one; alert events with --alert.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {RECORDING_FORMAT, RecordingWriter} from '../source/sources/recording.js';
import {ROOT, runCli} from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-report-events-'));
const file = join(dir, 'sim.jsonl.gz');
const t0 = Date.UTC(2026, 0, 1);
let child: ChildProcess | undefined;

interface PageEvent {
	seconds: number;
	at: string;
	kind: string;
	marker: string;
	what: string;
}

async function page(args: string[]): Promise<{html: string; events: PageEvent[]}> {
	const out = join(dir, `r-${Math.random().toString(36).slice(2)}.html`);
	const r = await runCli(['report', file, ...args, '-o', out]);
	assert.equal(r.code, 0, r.stderr);
	const html = readFileSync(out, 'utf8');
	const m = /<script type="application\/json" id="fdtop-data">([^<]*)<\/script>/.exec(html);
	assert.ok(m);
	return {html, events: (JSON.parse(m[1]!) as {events: PageEvent[]}).events};
}

before(async () => {
	// Speed 0: simulated time moves only when the test says so, 5 s between scrapes.
	const sim = spawn(process.execPath, ['--import', 'tsx', 'demo/simulator.ts', '--port', '0', '--speed', '0', '--restart-at', '60', '--reconfigure-at', '120'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	child = sim;
	let out = '';
	const url = await new Promise<string>((resolve, reject) => {
		sim.stdout.on('data', (d: Buffer) => {
			out += String(d);
			const m = /on (http:\/\/\S+\/metrics)/.exec(out);
			if (m) resolve(m[1]!);
		});
		sim.once('exit', code => reject(new Error(`simulator exited (${code}): ${out}`)));
	});
	const base = url.replace(/\/metrics$/, '');
	const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(t0).toISOString(), fdtop: 'test', targets: [{name: 'sim', target: url}], intervalMs: 5000});
	for (let n = 0; n < 36; n++) {
		if (n > 0) assert.equal((await fetch(`${base}/control`, {method: 'POST', body: JSON.stringify({advance: 5})})).status, 200);
		const text = await (await fetch(url)).text();
		writer.append(0, {target: url, t: t0 + n * 5000, text, durationMs: 2, bytes: text.length});
	}
	await writer.close();
});

after(async () => {
	if (child && child.exitCode === null) {
		child.kill('SIGTERM');
		await once(child, 'exit');
	}
});

describe('fdtop report: the event log of the store', () => {
	test('a simulator run with a restart and a configuration change: the page lists both with their times, the markers by kind', async () => {
		const {html, events} = await page([]);
		const at = (kind: string) => events.filter(e => e.kind === kind).map(e => e.seconds);
		// The scrape after each planned time sees it: 60 s and 120 s.
		assert.deepEqual(at('restart'), [60, 120]);
		assert.deepEqual(at('config'), [120]);
		assert.deepEqual([...new Set(events.map(e => `${e.kind}:${e.marker}`))].sort(), ['config:config', 'restart:restart']);
		const config = events.find(e => e.kind === 'config')!;
		assert.equal(config.at, new Date(t0 + 120_000).toISOString());
		assert.match(config.what, /^config changed: max_batch_size 64 → 128, /);
		assert.match(html, /<section id="events">.*<td>2 m 0 s<\/td><td>config changed: max_batch_size 64 → 128, /s);
		assert.match(html, /<section id="events">.*<td>60 s<\/td><td>restart: counters reset \(\d+ metrics\)/s);
	});

	test('--alert: a rule firing and resolving is in the log, marked !; a bad rule is bad usage', async () => {
		const {events} = await page(['--alert', 'rate(requests) > 0']);
		const alerts = events.filter(e => e.kind === 'alert');
		assert.ok(alerts.length > 0, JSON.stringify(events.map(e => e.what)));
		assert.ok(alerts.every(e => e.marker === 'alert'));
		assert.match(alerts[0]!.what, /^alert firing: rate\(requests\) > 0/);
		const bad = await runCli(['report', file, '--alert', 'rate(nonsense_metric) > 1', '-o', join(dir, 'x.html')]);
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /--alert /);
	});
});
