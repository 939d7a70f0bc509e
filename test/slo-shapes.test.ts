/**
 * Objectives on every shape, as processes (`--once --json --slo`, `check`): FastDeploy 2.0 and 2.3
 * (the simulator, live), vLLM (a live server with vLLM's names and its longer TTFT layout), a fleet
 * of all three, and recordings (the bundled ones, and one fdtop records of the fleet). Each
 * attainment is checked against one computed HERE from the raw bucket counts of the very scrapes
 * fdtop read (a proxy keeps every body it passes on; a recording is read line by line).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {ROOT, runCli, serve, type TestServer} from './helpers/cli.js';

/** One histogram of one scrape: cumulative count per `le` (summed over label sets) and `_count`. */
interface Hist {
	readonly le: Map<number, number>;
	readonly count: number;
}

const FAMILIES: Record<string, readonly string[]> = {
	ttft: ['fastdeploy:time_to_first_token_seconds', 'vllm:time_to_first_token_seconds'],
	e2e: ['fastdeploy:e2e_request_latency_seconds', 'vllm:e2e_request_latency_seconds'],
};

/** Read a histogram out of exposition text with a regular expression: no fdtop code involved. */
function hist(text: string, metric: string): Hist | null {
	for (const family of FAMILIES[metric]!) {
		const le = new Map<number, number>();
		let count = 0;
		let seen = false;
		for (const line of text.split('\n')) {
			const bucket = new RegExp(`^${family}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)`).exec(line);
			if (bucket) {
				const bound = bucket[1] === '+Inf' ? Infinity : Number(bucket[1]);
				le.set(bound, (le.get(bound) ?? 0) + Number(bucket[2]));
				seen = true;
			}
			const c = new RegExp(`^${family}_count(?:\\{[^}]*\\})? (\\S+)`).exec(line);
			if (c) count += Number(c[1]);
		}
		if (seen) return {le, count};
	}
	return null;
}

/** Requests ≤ `le` and all requests between two scrapes. */
function delta(first: string, last: string, metric: string, le: number): {under: number; all: number} {
	const a = hist(first, metric)!;
	const b = hist(last, metric)!;
	assert.ok(a.le.has(le) && b.le.has(le), `${metric}: no bucket le=${le}`);
	return {under: b.le.get(le)! - a.le.get(le)!, all: b.count - a.count};
}

const OBJECTIVES = [
	{text: 'ttft<=100ms:90%', metric: 'ttft', le: 0.1, share: 0.9},
	{text: 'e2e<=5s:95%', metric: 'e2e', le: 5, share: 0.95},
];

/** vLLM's histograms: TTFT bounds past 1 s (FastDeploy's stop there), a model label, counts that grow with each scrape. */
function vllmText(n: number): string {
	const ttft = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
	const e2e = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];
	const lines: string[] = [];
	const family = (name: string, bounds: number[], share: (le: number) => number, total: number) => {
		lines.push(`# TYPE ${name} histogram`);
		for (const le of bounds) lines.push(`${name}_bucket{le="${le}",model_name="m"} ${Math.floor(total * share(le))}`);
		lines.push(`${name}_bucket{le="+Inf",model_name="m"} ${total}`, `${name}_sum{model_name="m"} ${total * 0.3}`, `${name}_count{model_name="m"} ${total}`);
	};
	// 40 requests a scrape, a little slower as the run goes on.
	const total = 1000 + 40 * n;
	family('vllm:time_to_first_token_seconds', ttft, le => Math.min(1, le / (0.12 + n * 0.002)), total);
	family('vllm:e2e_request_latency_seconds', e2e, le => Math.min(1, le / (5.1 + n * 0.01)), total);
	lines.push('# TYPE vllm:request_success_total counter', `vllm:request_success_total{finished_reason="stop",model_name="m"} ${total}`);
	return `${lines.join('\n')}\n`;
}

interface Proxy extends TestServer {
	readonly bodies: string[];
}

/** Passes each scrape on from `upstream` and keeps the body. */
async function proxy(upstream: string): Promise<Proxy> {
	const bodies: string[] = [];
	const server = await serve((_n, _req, res) => {
		void fetch(upstream).then(async r => {
			const body = await r.text();
			bodies.push(body);
			res.end(body);
		});
	});
	return {...server, bodies};
}

function simulator(era: string, port: number): Promise<{child: ChildProcess; url: string}> {
	const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}demo/simulator.ts`, '--port', String(port), '--scenario', 'steady', '--era', era, '--speed', '20', '--seed', '7'], {stdio: ['ignore', 'pipe', 'pipe']});
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`simulator ${era}: ${out}`)), 20_000);
		const on = (chunk: Buffer) => {
			out += String(chunk);
			const m = /(http:\/\/\S+\/metrics)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve({child, url: m[1]!});
			}
		};
		child.stdout!.on('data', on);
		child.stderr!.on('data', on);
	});
}

interface ObjectiveJson {
	attainment: number | null;
	status: string;
	coveredSeconds: number;
	observations: number | null;
}

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12, `${what}: fdtop ${a}, from the raw buckets ${b}`);

describe('objectives on FastDeploy 2.0, 2.3, vLLM and a fleet of them, live', {timeout: 120_000}, () => {
	const sims: ChildProcess[] = [];
	const proxies: Proxy[] = [];
	let vllm: TestServer;
	before(async () => {
		vllm = await serve((n, _req, res) => res.end(vllmText(n)));
		for (const era of ['2.0', '2.3']) {
			const sim = await simulator(era, 0);
			sims.push(sim.child);
			proxies.push(await proxy(sim.url));
		}
		proxies.push(await proxy(vllm.url));
	});
	after(async () => {
		for (const p of proxies) await p.close();
		await vllm.close();
		for (const child of sims) child.kill('SIGKILL');
	});

	/**
	 * Per target: the ratio of raw increases between the two scrapes fdtop read (its windows are
	 * filling, so not extrapolated). The fleet: rates added before dividing, each target's over the
	 * time its own scrapes span (coveredSeconds, fdtop's clock), as sum(rate()) / sum(rate()).
	 */
	function verify(report: {targets: {slo: {objectives: ObjectiveJson[]}}[]; slo: {objectives: ObjectiveJson[]}}, from: (p: Proxy) => [string, string]): {breached: boolean} {
		let breached = false;
		OBJECTIVES.forEach((o, k) => {
			let under = 0;
			let all = 0;
			proxies.forEach((p, i) => {
				const [first, last] = from(p);
				const d = delta(first, last, o.metric, o.le);
				const mine = report.targets[i]!.slo.objectives[k]!;
				assert.ok(d.all >= 5, `${o.text} on target ${i}: ${d.all} requests, too few for the test`);
				assert.equal(mine.observations, d.all);
				near(mine.attainment!, d.under / d.all, `${o.text} on target ${i}`);
				assert.equal(mine.status, d.under / d.all >= o.share ? 'met' : 'breached', `${o.text} on target ${i}`);
				breached ||= d.under / d.all < o.share;
				under += d.under / mine.coveredSeconds;
				all += d.all / mine.coveredSeconds;
			});
			const fleet = report.slo.objectives[k]!;
			near(fleet.attainment!, under / all, `${o.text} for the fleet`);
			assert.equal(fleet.status, under / all >= o.share ? 'met' : 'breached');
			breached ||= under / all < o.share;
		});
		return {breached};
	}

	test('--once --json --slo: each target and the fleet', async () => {
		for (const p of proxies) p.bodies.length = 0;
		const r = await runCli(['--once', '--json', '-i', '2s', ...proxies.map(p => p.url), ...OBJECTIVES.flatMap(o => ['--slo', o.text])]);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.deepEqual(report.targets.map((t: {era?: unknown}) => typeof t), ['object', 'object', 'object']);
		for (const p of proxies) assert.equal(p.bodies.length, 2);
		verify(report, p => [p.bodies[0]!, p.bodies[1]!]);
	});

	test('check: the same figures, and its exit status follows them', async () => {
		for (const p of proxies) p.bodies.length = 0;
		const r = await runCli(['check', ...proxies.map(p => p.url), ...OBJECTIVES.flatMap(o => ['--slo', o.text]), '-w', '3s', '--json']);
		const report = JSON.parse(r.stdout);
		const {breached} = verify(report, p => [p.bodies[0]!, p.bodies.at(-1)!]);
		assert.equal(r.code, breached ? 1 : 0, r.stderr);
		assert.equal(report.exitCode, r.code);
	});

	test('a recording of the fleet, judged whole by check', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'fdtop-slo-'));
		try {
			const file = join(dir, 'fleet.jsonl');
			const rec = await runCli(['--once', '-i', '2s', '--record', file, ...proxies.map(p => p.url)]);
			assert.equal(rec.code, 0, rec.stderr);
			const records = readFileSync(file, 'utf8').trim().split('\n').slice(1).map(l => JSON.parse(l) as {i: number; t: number; text: string});
			const r = await runCli(['check', file, '--whole', ...OBJECTIVES.flatMap(o => ['--slo', o.text]), '--json']);
			const report = JSON.parse(r.stdout);
			const byTarget = proxies.map((_p, i) => records.filter(x => x.i === i));
			OBJECTIVES.forEach((o, k) => {
				let under = 0;
				let all = 0;
				byTarget.forEach((list, i) => {
					const d = delta(list[0]!.text, list.at(-1)!.text, o.metric, o.le);
					const seconds = (list.at(-1)!.t - list[0]!.t) / 1000;
					near(report.targets[i].slo.objectives[k].attainment, d.under / d.all, `${o.text} on recorded target ${i}`);
					under += d.under / seconds;
					all += d.all / seconds;
				});
				near(report.slo.objectives[k].attainment, under / all, `${o.text} for the recorded fleet`);
			});
			assert.ok(report.windowSeconds < 10, `the whole recording is about 2 s, not ${report.windowSeconds} s`);
			assert.ok([0, 1].includes(r.code), r.stderr);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('objectives on the bundled recordings (FastDeploy 2.0 and 2.3)', () => {
	for (const name of ['steady-2.0', 'steady-2.3', 'overload-2.0', 'overload-2.3']) {
		test(`${name}: --once --json and check judge the last minute as the raw buckets say`, async () => {
			const file = `${ROOT}demo/recordings/${name}.jsonl.gz`;
			const records = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1).map(l => JSON.parse(l) as {t: number; text?: string}).filter(r => r.text !== undefined);
			const last = records.at(-1)!;
			// PromQL 3's range (t − 1m, t]: its first scrape. rate() extrapolates bucket and count by
			// the same factor (no zero clamp: each bucket already holds more than the minute adds).
			const first = records.find(r => r.t > last.t - 60_000)!;
			const once = JSON.parse((await runCli(['--once', '--json', file, ...OBJECTIVES.flatMap(o => ['--slo', o.text])])).stdout);
			const check = await runCli(['check', file, ...OBJECTIVES.flatMap(o => ['--slo', o.text]), '--json']);
			const judged = JSON.parse(check.stdout);
			let breached = false;
			OBJECTIVES.forEach((o, k) => {
				const d = delta(first.text!, last.text!, o.metric, o.le);
				const before = hist(first.text!, o.metric)!.le.get(o.le)!;
				assert.ok(d.all >= 5 && before >= d.under, `${name} ${o.text}: a case for the test`);
				for (const report of [once, judged]) {
					near(report.slo.objectives[k].attainment, d.under / d.all, `${name} ${o.text}`);
					assert.equal(report.slo.objectives[k].status, d.under / d.all >= o.share ? 'met' : 'breached');
				}
				breached ||= d.under / d.all < o.share;
			});
			assert.equal(check.code, breached ? 1 : 0, check.stderr);
		});
	}
});
