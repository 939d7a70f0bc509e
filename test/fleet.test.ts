import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {startSimulator, type SimulatorHandle} from '../demo/sim/server.js';
import {histogramQuantile} from '../source/metrics/quantile.js';
import {fleetRows, sortFleet} from '../source/metrics/fleet.js';
import {HttpSource} from '../source/sources/http.js';
import {Store} from '../source/store.js';
import {runCli} from './helpers/cli.js';

const TPOT = 'fastdeploy:time_per_output_token_seconds';

async function simulators(n: number): Promise<SimulatorHandle[]> {
	// Frozen simulated time (speed 0): the numbers move only when a test advances them.
	const sims = await Promise.all(Array.from({length: n}, (_, i) => startSimulator({scenario: i % 2 ? 'burst' : 'steady', era: '2.3', speed: 0, seed: 100 + i})));
	for (const s of sims) s.advance(90);
	return sims;
}

describe('several endpoints at once', () => {
	let sims: SimulatorHandle[] = [];
	before(async () => {
		sims = await simulators(8);
	});
	after(() => Promise.all(sims.map(s => s.close())));

	for (const n of [2, 8]) {
		test(`${n} endpoints: fleet totals are the sum of their parts, p99 from merged buckets`, async () => {
			const urls = sims.slice(0, n).map((s, i) => `gpu${i}=${s.url}`);
			const r = await runCli(['--once', '--json', '--families', '--interval', '300ms', ...urls]);
			assert.equal(r.code, 0, r.stderr);
			const report = JSON.parse(r.stdout);
			assert.equal(report.targets.length, n);
			assert.deepEqual(report.targets.map((t: {name: string}) => t.name), urls.map(u => u.split('=')[0]));
			const agg = report.aggregate;
			assert.equal(agg.members, n);
			assert.equal(agg.up, true);
			const sum = (f: (t: {metrics: Record<string, {value: number; rate: number}>}) => number) => report.targets.reduce((a: number, t: never) => a + f(t), 0);
			assert.equal(agg.metrics.running.value, sum(t => t.metrics.running!.value));
			assert.equal(agg.metrics.generationTokensTotal.value, sum(t => t.metrics.generationTokensTotal!.value));
			assert.ok(Math.abs(agg.metrics.generationTokensTotal.rate - sum(t => t.metrics.generationTokensTotal!.rate)) < 1e-9);
			// The lifetime p99 TPOT of the fleet is the quantile of the bucket sums across endpoints…
			const summed = new Map<number, number>();
			for (const t of report.targets) {
				const family = t.families.find((f: {name: string}) => f.name === TPOT);
				for (const s of family.samples) if (s.name.endsWith('_bucket')) summed.set(Number(s.labels.le === '+Inf' ? Infinity : s.labels.le), (summed.get(Number(s.labels.le === '+Inf' ? Infinity : s.labels.le)) ?? 0) + s.value);
			}
			const expected = histogramQuantile(0.99, [...summed].map(([le, count]) => ({le, count})));
			assert.deepEqual(agg.metrics.tpot.lifetime.p99, expected);
			// …and not the mean of the endpoints' p99s.
			const p99s = report.targets.map((t: {metrics: {tpot: {lifetime: {p99: {value: number}}}}}) => t.metrics.tpot.lifetime.p99.value);
			const mean = p99s.reduce((a: number, b: number) => a + b, 0) / n;
			assert.notEqual(agg.metrics.tpot.lifetime.p99.value, mean);
		});
	}

	test('the text report leads with a fleet table', async () => {
		const r = await runCli(['--once', '--interval', '300ms', ...sims.slice(0, 3).map((s, i) => `gpu${i}=${s.url}`)]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^Fleet \(window figures/m);
		assert.match(r.stdout, /^all 3 +up/m);
		for (const name of ['gpu0', 'gpu1', 'gpu2']) assert.match(r.stdout, new RegExp(`^${name} +up`, 'm'));
	});

	test('one endpoint killed mid-run goes STALE while the rest keep updating', async () => {
		const fleet = await simulators(3);
		const store = new Store({targets: fleet.map((s, i) => ({name: `gpu${i}`, location: s.url})), intervalMs: 1000, windowMs: 60_000});
		const sources = fleet.map(s => new HttpSource(s.url, {timeoutMs: 2000, maxBytes: 16 << 20}));
		try {
			await store.scrapeAll(sources);
			await fleet[1]!.close();
			for (const s of fleet) s.advance(1);
			await store.scrapeAll(sources);
			const targets = store.getSnapshot().targets;
			assert.deepEqual(targets.map(t => t.state), ['up', 'stale', 'up']);
			assert.match(targets[1]!.error!, /connection refused/);
			assert.deepEqual(targets.map(t => t.scrapes), [2, 1, 2]);
			assert.ok(targets[1]!.derived, 'the stale target keeps its last values');
			const {aggregate: all, rows} = fleetRows(targets);
			assert.equal(all.state, 'partial');
			assert.equal(all.error, '1 of 3 not up');
			// The whole is what is up now: the stale target's last values are left out.
			assert.equal(all.running, rows[0]!.running! + rows[2]!.running!);
			assert.equal(all.generationRate, rows[0]!.generationRate! + rows[2]!.generationRate!);
			assert.equal(sortFleet(rows, 'name').map(r => r.name).join(), 'gpu0,gpu1,gpu2');
		} finally {
			await Promise.all(sources.map(s => s.close()));
			await Promise.all([fleet[0]!, fleet[2]!].map(s => s.close()));
		}
	});

	test('a slow endpoint does not delay the others', async () => {
		const [fast, slow] = await simulators(2);
		await slow!.setFault('slow-body');
		const store = new Store({targets: [{name: 'fast', location: fast!.url}, {name: 'slow', location: slow!.url}], intervalMs: 1000, windowMs: 60_000});
		const sources = [new HttpSource(fast!.url, {timeoutMs: 10_000, maxBytes: 16 << 20}), new HttpSource(slow!.url, {timeoutMs: 10_000, maxBytes: 16 << 20})];
		try {
			const slowScrape = sources[1]!.scrape();
			const fastScrape = await sources[0]!.scrape();
			store.ingest(0, fastScrape);
			assert.equal(store.getSnapshot().targets[0]!.state, 'up');
			assert.equal(store.getSnapshot().targets[1]!.state, 'connecting', 'the slow one is still in flight');
			store.ingest(1, await slowScrape);
		} finally {
			await Promise.all(sources.map(s => s.close()));
			await Promise.all([fast!, slow!].map(s => s.close()));
		}
	});
});

describe('--once fleet table', () => {
	test('every cell keeps a space before it: a KV of 17 % beside a TTFT p99 of 100–250 ms', async () => {
		const {runCli, serve} = await import('./helpers/cli.js');
		const {gaugeText, histogramText, TTFT} = await import('./helpers/exposition.js');
		const handler = (n: number, _req: unknown, res: import('node:http').ServerResponse) => {
			const c = 20 * (n + 1);
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			res.end(`${histogramText(TTFT, [['0.1', 0], ['0.25', c], ['0.5', c], ['+Inf', c]], 0.2 * c)}\n${gaugeText('fastdeploy:gpu_cache_usage_perc', 0.17)}\n`);
		};
		const [a, b] = [await serve(handler), await serve(handler)];
		const r = await runCli(['--once', '--interval', '300ms', a.url, b.url]);
		await a.close();
		await b.close();
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.split('\n');
		const head = lines.find(l => l.startsWith('target '))!;
		const rows = lines.slice(lines.indexOf(head) + 1, lines.indexOf(head) + 4);
		assert.ok(rows.some(row => row.includes('100–250 ms') && row.includes('17 %')), rows.join('\n'));
		// Each right-aligned column (all but target) starts where the header's previous label ends: a space there.
		const starts = [...head.matchAll(/\S+(?: p99| tok\/s)?/g)].slice(1, -1).map(m => m.index! + m[0].length);
		for (const row of rows) for (const start of starts) assert.ok(row.length <= start || row[start] === ' ', `a cell runs into the previous one at ${start}:\n${head}\n${row}`);
	});
});
