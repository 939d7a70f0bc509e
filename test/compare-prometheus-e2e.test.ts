/**
 * `fdtop compare` between two time ranges of a REAL Prometheus server (Debian's binary): one
 * FastDeploy simulator scraped every second; after about 30 s of data, the first 12 s against the
 * last 12 s of the same steady run. Both sides must come from the server (their ranges as asked),
 * hold the same engine and version, and show figures on both sides; the side's ranges are the
 * `,START/DURATION` syntax, relative (before now) and absolute (an ISO date).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {PrometheusClient} from '../source/sources/prometheus-api.js';
import {runCli} from './helpers/cli.js';
import {findPrometheus, startPrometheus, startSimulatorProcess, waitFor, type PrometheusServer, type SimulatorProcess} from './helpers/prometheus-server.js';

const JOB = 'compare_job';
const binary = findPrometheus();

describe('fdtop compare: two ranges of a Prometheus server (end to end)', {skip: binary ? false : 'no prometheus binary (apt-get install prometheus)', timeout: 120_000}, () => {
	let sim: SimulatorProcess | undefined;
	let server: PrometheusServer | undefined;
	let startedAt = 0;

	before(async () => {
		sim = await startSimulatorProcess({scenario: 'steady', era: '2.3', seed: 21});
		server = await startPrometheus({binary: binary!, job: JOB, targets: [sim.address], scrapeIntervalSec: 1});
		startedAt = Date.now();
		const client = new PrometheusClient(server.url, {timeoutMs: 5000});
		try {
			await waitFor('30 scrapes of the simulator', 90_000, async () => {
				const result = await client.query(`count_over_time(up{job="${JOB}"}[10m])`);
				const counts = result.resultType === 'vector' ? result.samples.map(s => s.value) : [];
				return counts.length === 1 && counts[0]! >= 30 ? true : undefined;
			}, 1000);
		} finally {
			await client.close();
		}
	});

	after(async () => {
		await server?.close();
		await sim?.kill();
	});

	test('first 12 s against the last 12 s: both read from the server, figures on both sides', async () => {
		const url = `prom+${server!.url}`;
		const from = new Date(Math.floor((startedAt + 2000) / 1000) * 1000);
		const r = await runCli(['compare', `${url},${from.toISOString()}/12s`, `${url},-12s`, '--json', '--windows', '3', '--match', `{job="${JOB}"}`]);
		assert.equal(r.code, 0, r.stderr + server!.log());
		assert.doesNotMatch(r.stdout, /redacted/, 'a range is no credential');
		const c = JSON.parse(r.stdout).compare;
		for (const side of [c.a, c.b]) {
			assert.equal(side.engine, 'fastdeploy');
			assert.equal(side.era, '2.3');
			assert.ok(side.scrapes >= 8 && side.scrapes <= 14, `about 12 scrapes at 1 s: ${side.scrapes}`);
			assert.equal(side.windows, 3);
		}
		assert.ok(Date.parse(c.a.from) >= from.getTime() && Date.parse(c.a.to) <= from.getTime() + 12_000, `A within its range: ${c.a.from} .. ${c.a.to}`);
		assert.ok(Date.parse(c.b.from) > Date.parse(c.a.to), 'B after A');
		assert.match(c.a.label, /,20\d\d-/);
		const gen = c.figures.find((f: {id: string}) => f.id === 'rate.generationTokens');
		assert.ok(gen.a > 0 && gen.b > 0, `generation rate on both sides: ${gen.a}, ${gen.b}`);
		assert.equal(gen.test, 'welch-t');
		const ttft = c.figures.find((f: {id: string}) => f.id === 'ttft.mean');
		assert.ok(ttft.a > 0 && ttft.b > 0);
		assert.equal(ttft.significant, false, `a steady run against itself: ${JSON.stringify(ttft)}`);
	});

	test('a Prometheus side without a range, or whose --match finds nothing, is refused with what to do', async () => {
		const bare = await runCli(['compare', `prom+${server!.url}`, 'demo:steady-2.3']);
		assert.equal(bare.code, 2);
		assert.match(bare.stderr, /needs a time range after a comma/);
		const none = await runCli(['compare', `prom+${server!.url},-10s`, 'demo:steady-2.3', '--match', '{job="nothing_here"}']);
		assert.equal(none.code, 3, none.stderr);
		assert.match(none.stderr, /no FastDeploy series .* match --match '\{job="nothing_here"\}' \(jobs it scrapes: compare_job\); check the job name/);
	});
});
