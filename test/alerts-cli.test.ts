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
});
