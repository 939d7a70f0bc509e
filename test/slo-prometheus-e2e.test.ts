/**
 * Attainment at a bucket bound against a REAL Prometheus server: two FastDeploy simulators scraped
 * every second; fdtop fills its history from the server (backfill, as --prometheus does) and its
 * attainment at every TTFT bucket bound, per target and for the fleet, must equal
 * `sum(rate(X_bucket{le="T"}[w])) / sum(rate(X_count[w]))` evaluated on the same scrapes.
 *
 * Same scrapes: Prometheus is asked at T, the newest sample of one target, and the window w is
 * chosen between bounds so that no sample lies on a range edge for either target. fdtop follows the
 * server's range rule (buildinfo) and rate()'s extrapolation per bucket, zero clamp included, so
 * every bound agrees to floating-point rounding, also a bucket nearly empty at the window's start.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {parseObjective, type Objective} from '../source/metrics/slo.js';
import {PrometheusClient, type QueryResult} from '../source/sources/prometheus-api.js';
import {backfill, discover, promqlVersionOf} from '../source/sources/prometheus.js';
import {wholeSlo} from '../source/report.js';
import {Store} from '../source/store.js';
import {runCli} from './helpers/cli.js';
import {findPrometheus, startPrometheus, startSimulatorProcess, waitFor, type PrometheusServer, type SimulatorProcess} from './helpers/prometheus-server.js';

const JOB = 'slo_job';
const binary = findPrometheus();
/** FastDeploy's TTFT bounds, as exported (the `le` label text). */
const BOUNDS = ['0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1.0'];
const TTFT = 'fastdeploy:time_to_first_token_seconds';

function one(result: QueryResult): number | null {
	assert.equal(result.resultType, 'vector');
	return result.samples.length === 1 ? result.samples[0]!.value : null;
}

describe('SLO attainment against a real Prometheus server', {skip: binary ? false : 'no prometheus binary (apt-get install prometheus)', timeout: 150_000}, () => {
	const sims: SimulatorProcess[] = [];
	let server: PrometheusServer | undefined;
	let client: PrometheusClient;

	before(async () => {
		sims.push(...(await Promise.all([21, 22].map(seed => startSimulatorProcess({scenario: 'steady', era: '2.3', seed})))));
		server = await startPrometheus({binary: binary!, job: JOB, targets: sims.map(s => s.address), scrapeIntervalSec: 1});
		client = new PrometheusClient(server.url, {timeoutMs: 5000});
		await waitFor('45 scrapes of both targets', 100_000, async () => {
			const result = await client.query(`count_over_time(up{job="${JOB}"}[10m])`);
			const counts = result.resultType === 'vector' ? result.samples.map(s => s.value) : [];
			return counts.length === 2 && counts.every(c => c >= 45) ? true : undefined;
		}, 1000);
	});

	after(async () => {
		await client?.close();
		await server?.close();
		await Promise.all(sims.map(s => s.kill()));
	});

	test('at every bucket bound, per target and for the fleet, fdtop equals sum(rate(bucket)) / sum(rate(count))', async t => {
		const targets = await discover(client, {match: `{job="${JOB}"}`});
		assert.equal(targets.length, 2);
		// Each target's newest sample time; evaluate at the one that leaves the other's offset ≤ 0.5 s.
		const stamps = await client.query(`timestamp(up{job="${JOB}"})`);
		assert.equal(stamps.resultType, 'vector');
		const times = stamps.samples.map(s => s.value).sort((a, b) => a - b);
		const gap = times[1]! - times[0]!;
		assert.ok(gap < 1.2, `scrape phases ${gap} s apart`);
		const T = gap <= 0.5 ? times[1]! : times[0]!;
		const d = gap <= 0.5 ? gap : 1 - gap;
		// 29 samples back from the newest, never one on an edge: 29 + d < w < 30.
		const w = 29.5 + d / 2;
		const windowMs = Math.round(w * 1000);
		const objectives: Objective[] = BOUNDS.map(le => parseObjective(`ttft<=${le}s:50%`).objective!);
		const promql = promqlVersionOf(await client.buildVersion()) ?? undefined;
		const store = new Store({targets: targets.map(x => ({name: x.name, location: x.location})), intervalMs: 1000, windowMs, objectives, promql});
		const history = await backfill(client, targets, {endSec: T, windowSec: 40, stepSec: 1, match: `{job="${JOB}"}`});
		history.forEach((scrapes, i) => store.ingestMany(i, scrapes));
		const state = store.getSnapshot();
		const fleet = wholeSlo(state).report;
		const range = `${windowMs}ms`;
		let compared = 0;
		for (const [k, le] of BOUNDS.entries()) {
			const ours = fleet.objectives[k]!.verdict.attainment;
			assert.ok(ours, `le=${le}: fdtop answers`);
			assert.equal(ours.exact, true);
			for (const [i, target] of targets.entries()) {
				const mine = state.targets[i]!.slo!.report.objectives[k]!.verdict.attainment!;
				const sel = `job="${JOB}",instance="${target.instance}"`;
				const per = one(await client.query(`sum(rate(${TTFT}_bucket{${sel},le="${le}"}[${range}])) / sum(rate(${TTFT}_count{${sel}}[${range}]))`, T));
				assert.ok(per !== null && Math.abs(mine.value - per) <= 1e-12, `${target.name} at le=${le}: fdtop ${mine.value} vs PromQL ${per}`);
			}
			const theirs = one(await client.query(`sum(rate(${TTFT}_bucket{job="${JOB}",le="${le}"}[${range}])) / sum(rate(${TTFT}_count{job="${JOB}"}[${range}]))`, T));
			assert.ok(theirs !== null, `le=${le}: PromQL answers`);
			t.diagnostic(`fleet le=${le}: fdtop ${ours.value} PromQL ${theirs} (Δ ${Math.abs(ours.value - theirs)})`);
			assert.ok(Math.abs(ours.value - theirs) <= 1e-12, `fleet at le=${le}: fdtop ${ours.value} vs PromQL ${theirs}`);
			compared++;
		}
		assert.equal(compared, BOUNDS.length);
		// Not a vacuous agreement: the bounds span a real distribution.
		const values = fleet.objectives.map(o => o.verdict.attainment!.value);
		assert.ok(values[0]! < 0.5 && values.at(-1)! > 0.9, values.join(' '));
	});

	test('fdtop check --prometheus judges the window at once, without waiting', async () => {
		const r = await runCli(['check', '--prometheus', server!.url, '--match', `{job="${JOB}"}`, '--slo', 'ttft<=1s:50%', '--slo', 'ttft<=10ms:99%', '-w', '30s', '--json']);
		assert.equal(r.code, 1, r.stderr);
		assert.doesNotMatch(r.stderr, /waiting/);
		const report = JSON.parse(r.stdout);
		assert.equal(report.source, 'prometheus');
		assert.equal(report.targets.length, 2);
		assert.deepEqual(report.slo.objectives.map((o: {status: string}) => o.status), ['met', 'breached']);
		assert.ok(report.slo.objectives[0].coveredSeconds >= 25, `covered ${report.slo.objectives[0].coveredSeconds} s`);
	});

	test('fdtop check --prometheus: attainment at every bucket bound equals PromQL, per target and for the fleet', async () => {
		// 20.5 s: a range edge halfway between two 1 s scrapes, never on one.
		const bounds = BOUNDS.filter((_, i) => i % 2 === 1);
		const r = await runCli(['check', '--prometheus', server!.url, '--match', `{job="${JOB}"}`, ...bounds.flatMap(le => ['--slo', `ttft<=${le}s:50%`]), '-w', '20.5s', '--json']);
		assert.ok([0, 1].includes(r.code), r.stderr);
		const report = JSON.parse(r.stdout);
		const targets = await discover(client, {match: `{job="${JOB}"}`});
		for (const [k, le] of bounds.entries()) {
			// Each target's rates at its own newest scrape (where fdtop's window ends); the fleet adds them before dividing.
			let under = 0;
			let all = 0;
			for (const t of report.targets as {name: string; lastScrapeAt: string; slo: {objectives: {attainment: number}[]}}[]) {
				const instance = targets.find(x => x.name === t.name)!.instance;
				const at = Date.parse(t.lastScrapeAt) / 1000;
				const sel = `job="${JOB}",instance="${instance}"`;
				const b = one(await client.query(`sum(rate(${TTFT}_bucket{${sel},le="${le}"}[20500ms]))`, at))!;
				const c = one(await client.query(`sum(rate(${TTFT}_count{${sel}}[20500ms]))`, at))!;
				assert.ok(Math.abs(t.slo.objectives[k]!.attainment - b / c) <= 1e-12, `${t.name} at le=${le}: check ${t.slo.objectives[k]!.attainment} vs PromQL ${b / c}`);
				under += b;
				all += c;
			}
			const fleet = report.slo.objectives[k].attainment;
			assert.ok(Math.abs(fleet - under / all) <= 1e-12, `fleet at le=${le}: check ${fleet} vs PromQL ${under / all}`);
		}
	});
});
