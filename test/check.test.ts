/**
 * `fdtop check` as a process: exit 0 all met, 1 one breached, 3 cannot judge, 2 bad usage, against
 * small live servers (two scrapes one window apart) and the bundled recordings.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {ROOT, deadPort, runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, histogramText, TTFT} from './helpers/exposition.js';

const rec = (name: string) => `${ROOT}demo/recordings/${name}.jsonl.gz`;

/** 100 observations before the first scrape, all ≤ 0.5 s; then 100 more per scrape, `good` of them ≤ 0.5 s and the rest in (0.5, 1]. */
function ttftServer(good: number): Promise<TestServer> {
	return serve((n, _req, res) => {
		const text = [
			histogramText(
				TTFT,
				[
					['0.5', 100 + n * good],
					['1.0', 100 + n * 100],
					['+Inf', 100 + n * 100],
				],
				50,
			),
			counterText('fastdeploy:request_success_total', 100 + n * 100),
		].join('\n');
		res.end(`${text}\n`);
	});
}

describe('fdtop check', () => {
	let good: TestServer;
	let bad: TestServer;
	before(async () => {
		good = await ttftServer(90);
		bad = await ttftServer(50);
	});
	after(async () => {
		await good.close();
		await bad.close();
	});

	test('live: exactly at a bucket bound, met at 90 % and breached at 95 %, after two scrapes one window apart', async () => {
		const met = await runCli(['check', good.url, '--slo', 'ttft<=500ms:90%', '-w', '2s']);
		assert.equal(met.code, 0, met.stderr + met.stdout);
		assert.match(met.stdout, /TTFT ≤ 500 ms for 90 %\s+90 %\s+exact\s+met/);
		assert.match(met.stdout, /verdict: all met \(exit 0\)/);
		assert.match(met.stderr, /waiting 2 s for the second scrape/);
		assert.equal(good.requests.length >= 2, true);
		const breached = await runCli(['check', good.url, '--slo', 'ttft<=500ms:95%', '--slo', 'ttft<=750ms:95%', '-w', '2s']);
		assert.equal(breached.code, 1, breached.stderr);
		assert.match(breached.stdout, /TTFT ≤ 500 ms for 95 %\s+90 %\s+exact\s+breached/);
		// Halfway into (0.5, 1]: 90 % + 10 % · 0.5, decided by the estimate, with its bounds.
		assert.match(breached.stdout, /TTFT ≤ 750 ms for 95 %\s+≈95 %\s+90 %–100 %\s+met \(estimate\)/);
	});

	test('live fleet: a breach on one target is exit 1; the fleet merges rates before dividing', async () => {
		const r = await runCli(['check', `a=${good.url}`, `b=${bad.url}`, '--slo', 'ttft<=500ms:80%', '-w', '2s', '--json']);
		assert.equal(r.code, 1, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.exitCode, 1);
		assert.deepEqual(report.targets.map((t: {slo: {objectives: {status: string}[]}}) => t.slo.objectives[0]!.status), ['met', 'breached']);
		// (90 + 50) / (100 + 100) as rates: the two windows differ by milliseconds.
		assert.ok(Math.abs(report.slo.objectives[0].attainment - 0.7) < 0.01, String(report.slo.objectives[0].attainment));
		assert.equal(report.slo.objectives[0].status, 'breached');
	});

	test('cannot judge: an unreadable target, or only unknown above the top bucket, is exit 3', async () => {
		const port = await deadPort();
		const dead = await runCli(['check', `127.0.0.1:${port}`, '--slo', 'ttft<=2s:99%', '-w', '2s']);
		assert.equal(dead.code, 3, dead.stderr);
		assert.match(dead.stderr, /1 target could not be read/);
		assert.doesNotMatch(dead.stderr, /waiting/, 'nothing answered: no wait');
		const unknown = await runCli(['check', rec('overload-2.3'), '--slo', 'ttft<=2s:99%']);
		assert.equal(unknown.code, 3, unknown.stderr);
		assert.match(unknown.stdout, /TTFT buckets stop at 1 s: 2 s cannot be judged; \d+(\.\d)? % are under 1 s/);
		assert.match(unknown.stdout, /verdict: cannot judge \(exit 3\)/);
		// A file is one scrape: no window, no data.
		const once = await runCli(['check', `${ROOT}test/fixtures/fastdeploy-2.3.txt`, '--slo', 'ttft<=1s:50%']);
		assert.equal(once.code, 3, once.stderr);
		assert.match(once.stdout, /no data/);
	});

	test('recordings: the last window, or the whole run; JSON carries attainment, bounds, status, burn', async () => {
		const steady = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%', '--slo', 'e2e<=30s:95%']);
		assert.equal(steady.code, 0, steady.stderr + steady.stdout);
		// FastDeploy 2.0's shape: the same objectives, judged the same way.
		const old = await runCli(['check', rec('steady-2.0'), '--slo', 'tpot<=100ms:90%', '--slo', 'e2e<=30s:95%']);
		assert.equal(old.code, 0, old.stderr + old.stdout);
		assert.match(old.stdout, /demo steady-2\.0 +TPOT ≤ 100 ms for 90 % +\d+(\.\d)? % +exact +met/);
		const old2 = await runCli(['check', rec('overload-2.0'), '--slo', 'e2e<=30s:95%']);
		assert.equal(old2.code, 1, old2.stderr + old2.stdout);
		const overload = await runCli(['check', rec('overload-2.3'), '--slo', 'e2e <= 30s for 95%', '--json']);
		assert.equal(overload.code, 1, overload.stderr);
		const o = JSON.parse(overload.stdout).slo.objectives[0];
		assert.equal(o.status, 'breached');
		assert.equal(o.estimate, false);
		assert.equal(typeof o.attainment, 'number');
		assert.deepEqual(Object.keys(o.bounds), ['lower', 'upper']);
		assert.deepEqual(Object.keys(o.burn), ['short', 'long', 'fast', 'slow']);
		const whole = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%', '--whole', '--json']);
		assert.equal(whole.code, 0, whole.stderr);
		const w = JSON.parse(whole.stdout);
		assert.ok(w.windowSeconds > 200, `the whole recording: ${w.windowSeconds} s`);
		assert.ok(w.slo.objectives[0].coveredSeconds > 200);
	});

	test('vLLM through the same mapping: vllm:e2e_request_latency_seconds judged as e2e', async () => {
		const vllm = await serve((n, _req, res) => {
			const name = 'vllm:e2e_request_latency_seconds';
			res.end(`${histogramText(name, [['1.0', 10 + n * 95], ['2.5', 10 + n * 100], ['+Inf', 10 + n * 100]], 5)}\n`);
		});
		try {
			const r = await runCli(['check', vllm.url, '--slo', 'e2e<=1s:95%', '--slo', 'vllm:e2e_request_latency_seconds<=2.5s:99%', '-w', '2s', '--json']);
			assert.equal(r.code, 0, r.stderr + r.stdout);
			const o = JSON.parse(r.stdout).slo.objectives;
			// Ratios of extrapolated rates, as PromQL divides them: equal to the last few bits.
			assert.deepEqual(o.map((x: {metric: string}) => x.metric), ['e2eLatency', 'e2eLatency']);
			o.forEach((x: {attainment: number}, i: number) => assert.ok(Math.abs(x.attainment - [0.95, 1][i]!) < 1e-12, `${x.attainment}`));
		} finally {
			await vllm.close();
		}
	});

	test('bad usage is exit 2, with what to do', async () => {
		const none = await runCli(['check', good.url]);
		assert.equal(none.code, 2);
		assert.match(none.stderr, /check needs at least one objective or alert rule: --slo 'ttft<=2s:99%' or --alert/);
		const typo = await runCli(['check', good.url, '--slo', 'ttft<=2:99%']);
		assert.equal(typo.code, 2);
		assert.match(typo.stderr, /TTFT is in seconds: give a unit/);
		const whole = await runCli(['check', good.url, '--slo', 'ttft<=2s:99%', '--whole']);
		assert.equal(whole.code, 2);
		assert.match(whole.stderr, /--whole goes with a recording/);
		const noTarget = await runCli(['check', '--slo', 'ttft<=2s:99%']);
		assert.equal(noTarget.code, 2);
		const help = await runCli(['check', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /exit 0 all met, 1 one breached, 3 cannot judge, 2 bad usage/);
	});
});

describe('--slo in --once', () => {
	test('--json gains slo and goodput; without --slo the report is unchanged', async () => {
		const plain = await runCli(['--once', '--json', rec('steady-2.3')]);
		const withSlo = await runCli(['--once', '--json', rec('steady-2.3'), '--slo', 'ttft<=500ms:99%']);
		assert.equal(withSlo.code, 0, withSlo.stderr);
		const a = JSON.parse(plain.stdout);
		const b = JSON.parse(withSlo.stdout);
		assert.equal(a.slo, undefined);
		assert.equal(a.targets[0].slo, undefined);
		assert.deepEqual(Object.keys(b).filter(k => !(k in a)), ['slo', 'goodput']);
		assert.deepEqual(b.targets[0].metrics, a.targets[0].metrics);
		assert.equal(b.slo.objectives[0].objective, 'ttft<=500ms:99%');
		assert.equal(b.slo.objectives[0].exact, true);
		const g = b.goodput.requestsPerSecond;
		assert.ok(g.min <= g.max && g.max > 0);
	});
});
