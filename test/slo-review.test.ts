/**
 * The review of issue 15 §1–3, as processes: a burn rate over a window the history does not cover
 * is withheld and says how much is covered (`3m of 1h`), in the table and in --json; fewer than 5
 * requests in a window is `n too small` (check: cannot judge, exit 3), as the percentiles are.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {ROOT, runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, histogramText, TTFT} from './helpers/exposition.js';

const rec = (name: string) => `${ROOT}demo/recordings/${name}.jsonl.gz`;

interface BurnJson {
	windowSeconds: number;
	value: number | null;
	coveredSeconds: number | null;
}

/** `per` requests between scrapes, all at or under 0.5 s. */
function server(per: number): Promise<TestServer> {
	return serve((n, _req, res) => {
		const done = 100 + n * per;
		res.end(`${histogramText(TTFT, [['0.5', done], ['1.0', done], ['+Inf', done]], done / 10)}\n${counterText('fastdeploy:request_success_total', done)}\n`);
	});
}

describe('burn over a window the history does not cover', () => {
	test('a 5-minute recording: the 1 h burn is withheld in --json and check, with how much of the hour is covered', async () => {
		const once = await runCli(['--once', '--json', rec('overload-2.3'), '--slo', 'e2e<=30s:95%']);
		assert.equal(once.code, 0, once.stderr);
		const o = JSON.parse(once.stdout).slo.objectives[0];
		const long = o.burn.long as BurnJson;
		const short = o.burn.short as BurnJson;
		assert.equal(long.windowSeconds, 3600);
		assert.equal(long.value, null, 'a 1 h burn from 5 minutes of history');
		assert.ok(long.coveredSeconds! > 290 && long.coveredSeconds! < 300, `covered ${long.coveredSeconds}`);
		// The 5 m window is covered (299 s of 300 s): its burn is there.
		assert.equal(typeof short.value, 'number');
		assert.ok(short.coveredSeconds! >= 0.9 * 300);
		assert.equal(o.burn.fast, false);
		const check = await runCli(['check', rec('overload-2.3'), '--slo', 'e2e<=30s:95%']);
		assert.equal(check.code, 1, check.stderr);
		assert.match(check.stdout, /breached +\d+x\/5m of 1h/, check.stdout);
	});

	test('a steady recording of 4 minutes: neither burn window is covered', async () => {
		const check = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%', '--json']);
		const o = JSON.parse(check.stdout).slo.objectives[0];
		assert.equal(o.burn.short.value, null);
		assert.equal(o.burn.long.value, null);
		assert.ok(o.burn.short.coveredSeconds > 230 && o.burn.short.coveredSeconds < 240, String(o.burn.short.coveredSeconds));
		const text = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%']);
		assert.match(text.stdout, /met +4m of 5m\/4m of 1h/, text.stdout);
	});
});

describe('fewer than 5 requests in the window', () => {
	let few: TestServer;
	let enough: TestServer;
	before(async () => {
		few = await server(3);
		enough = await server(5);
	});
	after(async () => {
		await few.close();
		await enough.close();
	});

	test('check: 3 requests all under the threshold are n too small, not met: cannot judge, exit 3', async () => {
		const r = await runCli(['check', few.url, '--slo', 'ttft<=500ms:90%', '-w', '2s', '--json']);
		assert.equal(r.code, 3, r.stderr + r.stdout);
		const o = JSON.parse(r.stdout).slo.objectives[0];
		assert.equal(o.status, 'too-few');
		assert.equal(o.observations, 3);
		assert.equal(o.burn.short.value, null);
		const text = await runCli(['check', few.url, '--slo', 'ttft<=500ms:90%', '-w', '2s']);
		assert.equal(text.code, 3);
		assert.match(text.stdout, /TTFT ≤ 500 ms for 90 % +-- +n too small/, text.stdout);
		assert.match(text.stdout, /3 requests in the window: too few to judge \(5 or more\)/);
		assert.match(text.stdout, /verdict: cannot judge \(exit 3\)/);
	});

	test('check: 5 requests are enough (the percentiles\' threshold)', async () => {
		const r = await runCli(['check', enough.url, '--slo', 'ttft<=500ms:90%', '-w', '2s', '--json']);
		assert.equal(r.code, 0, r.stderr + r.stdout);
		const o = JSON.parse(r.stdout).slo.objectives[0];
		assert.equal(o.status, 'met');
		assert.equal(o.observations, 5);
	});

	test('--once --json: the same status per target', async () => {
		const r = await runCli(['--once', '--json', few.url, '--slo', 'ttft<=500ms:90%']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.targets[0].slo.objectives[0].status, 'too-few');
		assert.equal(report.slo.objectives[0].status, 'too-few');
		assert.equal(report.slo.met, 0);
	});
});
