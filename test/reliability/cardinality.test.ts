/**
 * High cardinality: a 100,000-series scrape goes through the Store (parse, snapshot, derive) and
 * memory stays bounded; `--max-series 50000` keeps half and says so.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {Store} from '../../source/store.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {fixtureText, requireBuild, runCli, serve} from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A FastDeploy exposition plus `n` extra series, counters growing with `step`. */
function scrape(n: number, step: number): string {
	const lines = [fixtureText('fastdeploy-2.3.txt'), '# HELP wide_requests_total Requests by user.', '# TYPE wide_requests_total counter'];
	for (let i = 0; i < n; i++) lines.push(`wide_requests_total{user="u${i}",route="/v1/chat/completions"} ${i + step * 10}`);
	return `${lines.join('\n')}\n`;
}

test('100,000 series through the Store: parsed, derived, memory bounded', t => {
	const clock = new FakeClock();
	const store = new Store({targets: [{name: 'wide', location: 'wide'}], intervalMs: 1000, windowMs: 60_000, clock});
	gc();
	const before = process.memoryUsage().heapUsed;
	const start = performance.now();
	for (let step = 0; step < 5; step++) {
		const text = scrape(100_000, step);
		store.ingest(0, {target: 'wide', t: clock.now() + step * 1000, text, durationMs: 1, bytes: text.length});
	}
	const elapsed = performance.now() - start;
	const target = store.getSnapshot().targets[0]!;
	assert.equal(target.state, 'up');
	const wide = target.families.find(f => f.name === 'wide_requests_total');
	assert.equal(wide?.samples.length, 100_000);
	assert.ok(target.derived && target.derived.scrapes === 5);
	assert.deepEqual(target.warnings.filter(w => /max-series/.test(w)), []);
	gc();
	const heap = process.memoryUsage().heapUsed;
	t.diagnostic(`5 scrapes of 100,000 series: ${elapsed.toFixed(0)} ms; heap ${(before / 2 ** 20).toFixed(0)} → ${(heap / 2 ** 20).toFixed(0)} MiB after GC`);
	// The last scrape's families are kept for the explorer (~100k samples); the history holds
	// snapshots of the catalog's keys only, not every series. 400 MiB is generous.
	assert.ok(heap - before < 400 * 2 ** 20, `heap grew by ${((heap - before) / 2 ** 20).toFixed(0)} MiB`);
});

test('--max-series 50000 on a 100,000-series endpoint: half kept, a warning naming the flag', async () => {
	requireBuild();
	const body = scrape(100_000, 1);
	const server = await serve((_n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		res.end(body);
	});
	try {
		const result = await runCli(['--once', '--json', '--families', '--interval', '100ms', '--max-series', '50000', server.url]);
		assert.equal(result.code, 0, result.stderr);
		const target = JSON.parse(result.stdout).targets[0];
		assert.ok(target.warnings.some((w: string) => /series beyond the --max-series cap of 50000 were dropped/.test(w)), target.warnings.join('; '));
		const kept = target.families.reduce((n: number, f: {samples: unknown[]}) => n + f.samples.length, 0);
		assert.ok(kept <= 50_000, `${kept} series kept`);
	} finally {
		await server.close();
	}
});
