/** Alert rules as a process: bad rules are bad usage, `--once --json` carries `alerts`, `check` exits 1 on a firing rule. */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {runCli, serve, type TestServer} from './helpers/cli.js';

const gauge = (name: string, v: number) => `# TYPE ${name} gauge\n${name} ${v}\n`;

describe('alert rules from the command line', () => {
	let server: TestServer;
	before(async () => {
		// KV cache 95 %, 3 waiting; send failures rise by 2 a scrape.
		server = await serve((n, _req, res) => {
			res.end(`${gauge('fastdeploy:gpu_cache_usage_perc', 0.95)}${gauge('fastdeploy:num_requests_waiting', 3)}# TYPE fastdeploy:send_cache_failed_num_total counter\nfastdeploy:send_cache_failed_num_total ${10 + 2 * n}\n`);
		});
	});
	after(() => server.close());

	test('a bad rule exits 2 with what is wrong and how to write it, before any scrape', async () => {
		const cases: [string, RegExp][] = [
			['kv_cahce >= 90%', /--alert "kv_cahce >= 90%": no metric "kv_cahce".*did you mean kv_cache/],
			['send_cache_failed > 0', /is a counter .*write rate\(send_cache_failed\) > X/],
			['kv_cache > 90', /is a share: write a percentage \(90%\)/],
			['waiting > 5 \u001b[31mfor 1m', /write a rule as/],
		];
		for (const [rule, message] of cases) {
			const r = await runCli(['--once', server.url, '--alert', rule]);
			assert.equal(r.code, 2, `${rule}: ${r.stderr}`);
			assert.match(r.stderr, message);
			assert.doesNotMatch(r.stderr, /\u001b\[31m/);
		}
		assert.equal(server.requests.length, 0);
	});

	test('--once --json: an alerts entry per rule and target with state, since, value and why; the text report has an Alerts section', async () => {
		const rules = ['kv_cache >= 90%', 'kv_cache >= 90% for 1h', 'rate(send_cache_failed) > 0', 'p99(ttft) > 1s', 'waiting > 50', 'up == 0'];
		const args = ['--once', server.url, ...rules.flatMap(r => ['--alert', r])];
		const r = await runCli([...args, '--json']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.ok(Array.isArray(report.targets) && report.targets[0].metrics.kvCacheUsage, 'existing keys unchanged');
		const alerts = report.alerts as {rule: string; state: string; since: string | null; activeSince: string | null; value: number | null; target: string; reason: string | null; evaluatedAt: string}[];
		assert.deepEqual(alerts.map(a => [a.rule, a.state]), [
			['kv_cache >= 90%', 'firing'],
			['kv_cache >= 90% for 1h', 'pending'],
			['rate(send_cache_failed) > 0', 'firing'],
			['p99(ttft) > 1s', 'no-data'],
			['waiting > 50', 'inactive'],
			['up == 0', 'inactive'],
		]);
		assert.equal(alerts[0]!.value, 0.95);
		assert.equal(alerts[0]!.target, server.url);
		// Two scrapes: firing since the first (for 0), the 1 h rule pending since the first too.
		assert.ok(alerts[0]!.since !== null && alerts[1]!.since === alerts[1]!.activeSince && Date.parse(alerts[0]!.since) < Date.parse(alerts[0]!.evaluatedAt));
		assert.ok(alerts[2]!.value! > 0, String(alerts[2]!.value));
		assert.match(alerts[3]!.reason!, /TTFT is not exported by this target/);
		assert.deepEqual([alerts[4]!.value, alerts[4]!.since, alerts[5]!.value], [3, null, 1]);
		const text = await runCli(args);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, /^Alerts\nrule +state +lasting +value +why\nkv_cache >= 90 % +firing +\d+(ms|s) +95 %\n/m);
		assert.match(text.stdout, /p99\(ttft\) > 1 s +no data +-- +TTFT is not exported by this target/);
	});

	test('check: a firing rule exits 1 and the table shows it; a "for" longer than the span observed stays pending (exit 0)', async () => {
		const firing = await runCli(['check', server.url, '--alert', 'kv_cache >= 90%', '--alert', 'waiting > 50', '-w', '2s']);
		assert.equal(firing.code, 1, firing.stderr + firing.stdout);
		assert.match(firing.stdout, /^kv_cache >= 90 % +firing /m);
		assert.match(firing.stdout, /^waiting > 50 +inactive +3$/m);
		assert.match(firing.stdout, /1 alert rule firing \(exit 1\)\n\nverdict: alert firing \(exit 1\)/);
		const pending = await runCli(['check', server.url, '--alert', 'kv_cache >= 90% for 10m', '-w', '2s', '--json']);
		assert.equal(pending.code, 0, pending.stderr + pending.stdout);
		const report = JSON.parse(pending.stdout);
		assert.deepEqual([report.exitCode, report.alerts[0].state, report.alerts[0].forSeconds], [0, 'pending', 600]);
		// A rule with objectives: a firing rule is exit 1 even when every objective is met.
		const both = await runCli(['check', server.url, '--slo', 'ttft<=2s:99%', '--alert', 'rate(send_cache_failed) > 0', '-w', '2s']);
		assert.equal(both.code, 1, both.stderr + both.stdout);
		assert.match(both.stdout, /rate\(send_cache_failed\) > 0\/s +firing/);
	});

	test('check a recording with --whole: rules over all of its scrapes; a metric it lacks cannot be judged (exit 3)', async () => {
		const rec = new URL('../demo/recordings/kv-pressure-2.3.jsonl.gz', import.meta.url).pathname;
		const r = await runCli(['check', rec, '--whole', '--alert', 'kv_cache >= 90% for 30s', '--alert', 'waiting > 1000']);
		assert.equal(r.code, 1, r.stderr + r.stdout);
		assert.match(r.stdout, /kv_cache >= 90 % for 30s +firing +\d+m\d+s +9\d %/);
		// SGLang's own throughput gauge: not on FastDeploy.
		const none = await runCli(['check', rec, '--whole', '--alert', 'gen_throughput < 10']);
		assert.equal(none.code, 3, none.stderr + none.stdout);
		assert.match(none.stdout, /no data .*Gen throughput is not exported by this target/);
		assert.match(none.stdout, /verdict: cannot judge \(exit 3\)/);
	});

	test('a rule starting to fire is an event: in the event log at the scrape it fired, replayed from a recording as it was live', async () => {
		const rec = new URL('../demo/recordings/kv-pressure-2.3.jsonl.gz', import.meta.url).pathname;
		const rule = 'kv_cache >= 90% for 30s';
		const r = await runCli([rec, '--once', '--json', '--alert', rule]);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout) as {alerts: {state: string; since: string | null}[]; events: {time: string; kind: string; phase?: string; detail: string}[]};
		const starts = report.events.filter(e => e.kind === 'alert' && e.phase === 'start');
		assert.ok(starts.length > 0, JSON.stringify(report.events.map(e => e.kind)));
		assert.ok(starts.every(e => e.detail === rule));
		// Still firing at the end: the last start event is when the rule's current firing began.
		if (report.alerts[0]!.state === 'firing') assert.equal(Date.parse(starts.at(-1)!.time), Date.parse(report.alerts[0]!.since!));
		// Without the rule there are no alert events.
		const without = JSON.parse((await runCli([rec, '--once', '--json'])).stdout) as {events: {kind: string}[]};
		assert.equal(without.events.filter(e => e.kind === 'alert').length, 0);
	});

	test('a fleet: one entry per rule and target, and aggregate.alerts with the worst target and how many fire', async () => {
		const calm = await serve((_n, _req, res) => res.end(`${gauge('fastdeploy:gpu_cache_usage_perc', 0.2)}${gauge('fastdeploy:num_requests_waiting', 0)}`));
		try {
			const args = ['--once', `calm=${calm.url}`, `hot=${server.url}`, '--alert', 'kv_cache >= 90%'];
			const r = await runCli([...args, '--json']);
			assert.equal(r.code, 0, r.stderr);
			const report = JSON.parse(r.stdout);
			assert.deepEqual(report.alerts.map((a: {name: string; state: string}) => [a.name, a.state]), [['calm', 'inactive'], ['hot', 'firing']]);
			const [fleet] = report.aggregate.alerts;
			assert.deepEqual([fleet.state, fleet.name, fleet.value, fleet.firing, fleet.pending, fleet.targets], ['firing', 'hot', 0.95, 1, 0, 2]);
			const text = await runCli(args);
			assert.match(text.stdout, /^kv_cache >= 90 % +hot +firing .*\nkv_cache >= 90 % +calm +inactive +20 %\nkv_cache >= 90 % +fleet +firing +\S+ +95 % +firing on 1, pending on 0 of 2 targets$/m);
		} finally {
			await calm.close();
		}
	});
});
