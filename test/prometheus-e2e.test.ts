/**
 * End to end with a REAL Prometheus server: two FastDeploy simulators on loopback, scraped every
 * second by Prometheus as job "llm_job"; fdtop discovers them through the HTTP API, fills a 60 s
 * window with query_range, polls once, and its fleet figures must agree with PromQL's own.
 *
 * It takes a little over a minute: PromQL's `rate(…[1m])` only means "per second over the last
 * minute" once a minute of samples exists (with less, Prometheus extrapolates the partial data by
 * at most half a scrape interval and divides by 60 s, while fdtop divides by the time covered), so
 * the test waits until the data spans the window before comparing.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {aggregate} from '../source/metrics/aggregate.js';
import {PrometheusClient, type QueryResult} from '../source/sources/prometheus-api.js';
import {backfill, discover, PrometheusPoller, prometheusStepSec, type DiscoveredTarget, type PrometheusSource} from '../source/sources/prometheus.js';
import {Store} from '../source/store.js';
import {runCli} from './helpers/cli.js';
import {promIncrease} from './helpers/promql-oracle.js';
import {findPrometheus, startPrometheus, startSimulatorProcess, waitFor, type PrometheusServer, type SimulatorProcess} from './helpers/prometheus-server.js';

const JOB = 'llm_job';
const WINDOW_SEC = 60;
const binary = findPrometheus();

function scalar(result: QueryResult): number {
	assert.equal(result.resultType, 'vector');
	assert.equal(result.samples.length, 1, 'PromQL answered with exactly one series');
	return result.samples[0]!.value;
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('a Prometheus server as the source (end to end)', {skip: binary ? false : 'no prometheus binary (apt-get install prometheus)', timeout: 150_000}, () => {
	const sims: SimulatorProcess[] = [];
	let server: PrometheusServer | undefined;
	let client: PrometheusClient;
	let targets: DiscoveredTarget[] = [];
	let store: Store;
	let sources: PrometheusSource[] = [];

	before(async () => {
		sims.push(...(await Promise.all([11, 12].map(seed => startSimulatorProcess({scenario: 'steady', era: '2.3', seed})))));
		server = await startPrometheus({binary: binary!, job: JOB, targets: sims.map(s => s.address), scrapeIntervalSec: 1});
		client = new PrometheusClient(server.url, {timeoutMs: 5000});
		// Until both targets have a full window of scrapes (and at least 20), as counted by Prometheus.
		const needed = Math.max(20, WINDOW_SEC + 2);
		await waitFor(`${needed} scrapes of both targets`, 100_000, async () => {
			const result = await client.query(`count_over_time(up{job="${JOB}"}[10m])`);
			const counts = result.resultType === 'vector' ? result.samples.map(s => s.value) : [];
			return counts.length === 2 && counts.every(c => c >= needed) ? true : undefined;
		}, 1000);
	});

	after(async () => {
		await Promise.all(sources.map(s => s.close()));
		await client?.close();
		await server?.close();
		await Promise.all(sims.map(s => s.kill()));
	});

	test('discover finds both simulators under the job, with health and scrape interval', async () => {
		targets = await discover(client, {match: `{job="${JOB}"}`});
		assert.deepEqual(targets.map(t => t.instance).sort(), sims.map(s => s.address).sort());
		for (const t of targets) {
			assert.equal(t.job, JOB);
			assert.equal(t.engine, 'fastdeploy');
			assert.equal(t.health, 'up');
			assert.equal(t.scrapeIntervalSec, 1);
			assert.equal(t.location, `http://${t.instance}/metrics`);
			assert.ok(t.series > 50, `${t.series} series`);
		}
	});

	test('backfill + one poll: windowed p99 TTFT and generation tokens/s agree with PromQL', async t => {
		assert.equal(targets.length, 2, 'discovery ran');
		store = new Store({targets: targets.map(d => ({name: d.name, location: d.location})), intervalMs: 1000, windowMs: WINDOW_SEC * 1000});
		const history = await backfill(client, targets, {endSec: Date.now() / 1000, windowSec: WINDOW_SEC, stepSec: prometheusStepSec(1000, targets), match: `{job="${JOB}"}`});
		for (const [i, scrapes] of history.entries()) {
			assert.ok(scrapes.length >= WINDOW_SEC, `${targets[i]!.name}: ${scrapes.length} backfilled scrapes`);
			for (const s of scrapes) store.ingest(i, s);
		}
		sources = new PrometheusPoller(client, targets, {match: `{job="${JOB}"}`, closeClient: false}).sources();
		await store.scrapeAll(sources);
		const state = store.getSnapshot();
		for (const target of state.targets) assert.equal(target.state, 'up', `${target.name}: ${target.error}`);
		const derived = state.targets.map(target => target.derived!);
		for (const d of derived) assert.ok(d.coveredMs >= (WINDOW_SEC - 1) * 1000, `window covered: ${d.coveredMs} ms`);

		// Per target, evaluated at that target's newest sample: Prometheus (2.x: closed range
		// [t−60 s, t]) sees the very samples fdtop's window holds, and with samples at both ends rate()
		// does not extrapolate at all, so the figures match to rounding. (Prometheus 3 opened the
		// range on the left: one sample fewer, hence the 3 % allowance.)
		for (const [i, target] of targets.entries()) {
			const at = derived[i]!.t / 1000;
			const sel = `{job="${JOB}", instance="${target.instance}"}`;
			const promRate = scalar(await client.query(`rate(fastdeploy:generation_tokens_total${sel}[1m])`, at));
			const promP99 = scalar(await client.query(`histogram_quantile(0.99, sum by (le) (rate(fastdeploy:time_to_first_token_seconds_bucket${sel}[1m])))`, at));
			const m = derived[i]!.metrics;
			const ours = m.get('generationTokensTotal');
			const ttft = m.get('ttft');
			assert.ok(ours?.kind === 'counter' && ours.rate !== null && ttft?.kind === 'histogram' && ttft.window?.p99.value != null);
			t.diagnostic(`${target.name}: gen tok/s fdtop ${ours.rate.toFixed(4)} vs PromQL ${promRate.toFixed(4)} (Δ ${(100 * relative(ours.rate, promRate)).toFixed(3)} %); p99 TTFT fdtop ${ttft.window.p99.value.toFixed(5)} s vs PromQL ${promP99.toFixed(5)} s (Δ ${(100 * relative(ttft.window.p99.value, promP99)).toFixed(3)} %)`);
			assert.ok(relative(ours.rate, promRate) < 0.03, 'per-target rate');
			assert.ok(relative(ttft.window.p99.value, promP99) < 0.03, 'per-target p99');
		}

		// The fleet, at the newest sample of either target. The two targets are scraped at different
		// offsets within the second, so for the one scraped earlier PromQL's range starts up to 1 s
		// after fdtop's window does (one 1 s sample of 60 differs), and rate() extrapolates that
		// target's first sample back to the range start by < 1 s. Tokens/s is a sum of two 60 s
		// averages, so that shifts it by about 1/60 of one target's rate at most: a few percent with
		// the simulator's bursty traffic. Quantiles are ratios of bucket increases, so extrapolation
		// cancels out and only that one-second sample alignment remains. Allowed: 5 % for tokens/s,
		// 8 % for p99 (a p99 interpolated inside a wide bucket moves with the rank).
		const fleet = aggregate(derived);
		assert.ok(fleet);
		const at = Math.max(...derived.map(d => d.t)) / 1000;
		const promRate = scalar(await client.query(`sum(rate(fastdeploy:generation_tokens_total{job="${JOB}"}[1m]))`, at));
		const promP99 = scalar(await client.query(`histogram_quantile(0.99, sum by (le) (rate(fastdeploy:time_to_first_token_seconds_bucket{job="${JOB}"}[1m])))`, at));
		const ours = fleet.derived.metrics.get('generationTokensTotal');
		const ttft = fleet.derived.metrics.get('ttft');
		assert.ok(ours?.kind === 'counter' && ours.rate !== null && ttft?.kind === 'histogram' && ttft.window?.p99.value != null);
		t.diagnostic(`fleet: gen tok/s fdtop ${ours.rate.toFixed(4)} vs PromQL ${promRate.toFixed(4)} (Δ ${(100 * relative(ours.rate, promRate)).toFixed(3)} %); p99 TTFT fdtop ${ttft.window.p99.value.toFixed(5)} s vs PromQL ${promP99.toFixed(5)} s (Δ ${(100 * relative(ttft.window.p99.value, promP99)).toFixed(3)} %)`);
		assert.ok(ours.rate > 0 && promRate > 0);
		assert.ok(relative(ours.rate, promRate) < 0.05, 'fleet generation tokens/s within 5 %');
		assert.ok(relative(ttft.window.p99.value, promP99) < 0.08, 'fleet p99 TTFT within 8 %');
	});

	test('fdtop --prometheus --once --json finds both targets with windowed figures', async () => {
		const r = await runCli(['--prometheus', server!.url, '--match', `{job="${JOB}"}`, '--once', '--json']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.targets.length, 2);
		for (const target of report.targets) {
			assert.equal(target.up, true);
			assert.equal(target.engine, 'fastdeploy');
			assert.ok(target.scrapes >= 30, `backfilled: ${target.scrapes} scrapes`);
			assert.ok(target.metrics.ttft.window.count > 0);
			assert.ok(target.metrics.generationTokensTotal.rate > 0);
		}
		const bad = await runCli(['--prometheus', server!.url, '--match', '{job=}', '--once']);
		assert.equal(bad.code, 2, 'not a matcher list: a usage error, nothing asked');
		assert.match(bad.stderr, /^fdtop: --match '\{job=\}': unexpected "\}" at character 6, expected a quoted string/);
		const rejected = await runCli(['--prometheus', server!.url, '--match', '{job=~"("}', '--once']);
		assert.equal(rejected.code, 1);
		assert.match(rejected.stderr, /^fdtop: --match '\{job=~"\("\}' was rejected: Prometheus .* says: .*regexp/);
	});

	test('--once --json -i 5s -w 30s: every windowed figure equals PromQL at evaluatedAt, on the server\'s range rule (5 runs)', async t => {
		const version = ((await (await fetch(`${server!.url}/api/v1/status/buildinfo`)).json()) as {data: {version: string}}).data.version;
		t.diagnostic(`Prometheus ${version}`);
		const major = Number(/^(\d+)\./.exec(version ?? '')?.[1]);
		const range = major >= 3 ? '(t−w, t] (Prometheus 3)' : '[t−w, t] (Prometheus 2)';
		// Five runs: a scrape landing between the backfill and the last poll used to shrink the window
		// (3 of 34 runs covered 25–26 s of 30, off by up to 42 %).
		for (let run = 0; run < 5; run++) {
			const r = await runCli(['--prometheus', server!.url, '--match', `{job="${JOB}"}`, '--once', '--json', '-i', '5s', '-w', '30s']);
			assert.equal(r.code, 0, r.stderr);
			const report = JSON.parse(r.stdout);
			for (const target of report.targets) {
				// fdtop evaluates at the target's last scrape (before evaluatedAt existed, lastScrapeAt said when).
				const at = Date.parse(target.evaluatedAt ?? target.lastScrapeAt) / 1000;
				const sel = `{job="${JOB}", instance="${target.name}"}`;
				const q = async (expr: string) => scalar(await client.query(expr, at));
				const tokens = await q(`rate(fastdeploy:generation_tokens_total${sel}[30s])`);
				const p99 = await q(`histogram_quantile(0.99, sum by (le) (rate(fastdeploy:time_to_first_token_seconds_bucket${sel}[30s])))`);
				const p50 = await q(`histogram_quantile(0.5, sum by (le) (rate(fastdeploy:time_to_first_token_seconds_bucket${sel}[30s])))`);
				const mean = await q(`rate(fastdeploy:time_to_first_token_seconds_sum${sel}[30s]) / rate(fastdeploy:time_to_first_token_seconds_count${sel}[30s])`);
				const obs = await q(`rate(fastdeploy:time_to_first_token_seconds_count${sel}[30s])`);
				const m = target.metrics;
				const pairs: [string, number, number][] = [
					['gen tok/s', m.generationTokensTotal.rate, tokens],
					['TTFT p99', m.ttft.window.p99.value, p99],
					['TTFT p50', m.ttft.window.p50.value, p50],
					['TTFT mean', m.ttft.window.mean, mean],
					['TTFT obs/s', m.ttft.window.rate, obs],
				];
				if (run === 0) t.diagnostic(`${target.name} at ${target.evaluatedAt}: ${pairs.map(([name, ours, prom]) => `${name} ${ours} vs ${prom}`).join('; ')}`);
				for (const [name, ours, prom] of pairs) assert.ok(ours === prom || relative(ours, prom) < 1e-9, `run ${run}: ${target.name} ${name}: fdtop ${ours} vs PromQL ${prom} at ${new Date(at * 1000).toISOString()}`);
				assert.equal(target.windowCoveredSeconds, 30, `run ${run}: ${target.name}`);
				assert.equal(target.windowPartial, null, `run ${run}: ${target.name}`);
				assert.equal(target.windowRange, range);
			}
		}
	});

	test('Prometheus 3 semantics on the same real scrapes: fdtop equals the 3.5 formula over the raw samples', async t => {
		// The server here may be 2.x; its raw samples (`x[31s]`) feed Prometheus 3's extrapolatedRate, transcribed in the oracle.
		const WINDOW_MS = 30_000;
		const endSec = Date.now() / 1000;
		const three = new Store({targets: targets.map(d => ({name: d.name, location: d.location})), intervalMs: 1000, windowMs: WINDOW_MS, promql: 3});
		const history = await backfill(client, targets, {endSec, windowSec: 32, stepSec: 1, match: `{job="${JOB}"}`});
		history.forEach((scrapes, i) => three.ingestMany(i, scrapes));
		for (const [i, target] of targets.entries()) {
			const d = three.getSnapshot().targets[i]!.derived!;
			assert.equal(d.promql, 3);
			const raw = await client.query(`fastdeploy:generation_tokens_total{job="${JOB}", instance="${target.instance}"}[31s]`, d.t / 1000);
			assert.equal(raw.resultType, 'matrix');
			const points = raw.resultType === 'matrix' ? raw.series[0]!.points.map(p => ({t: Math.round(p.t * 1000), v: p.value})) : [];
			const expected = promIncrease(points, d.t, WINDOW_MS, 3)! / (WINDOW_MS / 1000);
			const closed = promIncrease(points, d.t, WINDOW_MS, 2)! / (WINDOW_MS / 1000);
			const ours = d.metrics.get('generationTokensTotal');
			assert.ok(ours?.kind === 'counter' && ours.rate !== null);
			t.diagnostic(`${target.name}: fdtop (Prometheus 3) ${ours.rate} vs the 3.5 formula ${expected}; 2.x's [t−w, t] gives ${closed} (Δ ${(100 * relative(expected, closed)).toFixed(2)} %)`);
			assert.ok(relative(ours.rate, expected) < 1e-9, `fdtop ${ours.rate} vs Prometheus 3 ${expected}`);
		}
	});

	test('a killed simulator goes stale while the other keeps updating', async () => {
		assert.ok(sources.length === 2, 'the previous test polled');
		const before = store.getSnapshot().targets.map(target => target.lastOkAt!);
		const dead = targets.findIndex(target => target.instance === sims[1]!.address);
		await sims[1]!.kill();
		await waitFor('Prometheus to see the target down', 10_000, async () => {
			const result = await client.query(`up{instance="${targets[dead]!.instance}"}`);
			return result.resultType === 'vector' && result.samples[0]?.value === 0 ? true : undefined;
		});
		const live = 1 - dead;
		// Poll (as the store would, every second) until the live target has a newer sample.
		await waitFor('a newer sample of the live target', 5000, async () => {
			await store.scrapeAll(sources);
			return store.getSnapshot().targets[live]!.lastOkAt! > before[live]! ? true : undefined;
		}, 1000);
		const after = store.getSnapshot().targets;
		assert.equal(after[dead]!.state, 'stale');
		// Prometheus's own words for the failed scrape: refused, or reset when the kill cut a scrape in flight.
		assert.match(after[dead]!.error ?? '', /down: Prometheus http:\/\/127\.0\.0\.1:\d+ cannot scrape it \(.*(refused|reset by peer)/);
		assert.equal(after[live]!.state, 'up', after[live]!.error ?? '');
		assert.ok(after[live]!.lastOkAt! > before[live]!, 'the live target has a newer sample');
	});
});
