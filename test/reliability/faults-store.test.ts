/**
 * A target through its faults, step by step: a Store and an HttpSource against the simulator
 * (simulated time moves only through advance(), fdtop's time only through a fake clock, every
 * scrape is an explicit scrapeAll, so no test waits for a poll). Up → fault → STALE with the
 * reason and the last good values → fault cleared → up again, by itself. Restarts (counter resets)
 * and label churn never give a negative rate or a spike.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {startSimulator, type Fault, type SimulatorHandle} from '../../demo/sim/server.js';
import type {Derived} from '../../source/metrics/derive.js';
import {HttpSource} from '../../source/sources/http.js';
import type {Scrape} from '../../source/sources/types.js';
import {Store, type TargetStatus} from '../../source/store.js';
import {FakeClock} from '../helpers/fake-clock.js';

const STEP_MS = 1000;

interface Rig {
	sim: SimulatorHandle;
	clock: FakeClock;
	store: Store;
	source: HttpSource;
	/** Move both clocks one interval, then scrape once. */
	tick(): Promise<TargetStatus>;
	close(): Promise<void>;
}

async function rig(options: {timeoutMs?: number; maxBytes?: number; seed?: number; scenario?: 'steady' | 'burst'} = {}): Promise<Rig> {
	const sim = await startSimulator({port: 0, scenario: options.scenario ?? 'steady', era: '2.3', speed: 0, seed: options.seed ?? 3, slowSeconds: 3});
	sim.advance(60);
	const clock = new FakeClock();
	const store = new Store({targets: [{name: 'sim', location: sim.url}], intervalMs: STEP_MS, windowMs: 10_000, clock});
	const source = new HttpSource(sim.url, {timeoutMs: options.timeoutMs ?? 2000, maxBytes: options.maxBytes ?? 4 * 1024 * 1024, clock});
	return {
		sim,
		clock,
		store,
		source,
		async tick() {
			sim.advance(STEP_MS / 1000);
			await clock.advance(STEP_MS);
			await store.scrapeAll([source]);
			return store.getSnapshot().targets[0]!;
		},
		async close() {
			await source.close();
			await sim.close();
		},
	};
}

/** Every rate and every chart point: finite ones are ≥ 0 and below `bound`. */
function assertSane(derived: Derived | null, bound: (key: string, field: string) => number, where: string): void {
	assert.ok(derived, `${where}: derived figures exist`);
	for (const [key, m] of derived.metrics) {
		if (m.kind === 'counter' && m.rate !== null) {
			assert.ok(m.rate >= 0, `${where}: ${key} rate ${m.rate} < 0`);
			assert.ok(m.rate <= bound(key, 'rate'), `${where}: ${key} rate ${m.rate} is a spike (bound ${bound(key, 'rate')})`);
		}
		if (m.kind === 'histogram' && m.window) {
			for (const v of [m.window.count, m.window.sum, m.window.rate ?? 0, m.window.mean ?? 0]) assert.ok(v >= 0, `${where}: ${key} window figure ${v} < 0`);
			for (const b of m.window.buckets) assert.ok(b.count >= 0, `${where}: ${key} bucket le=${b.le} count ${b.count} < 0`);
		}
		const series = derived.series.get(key);
		for (const [field, points] of Object.entries(series ?? {})) {
			for (const p of points as number[]) {
				if (Number.isNaN(p)) continue;
				assert.ok(p >= 0, `${where}: chart ${key}.${field} has ${p} < 0`);
				assert.ok(p <= bound(key, field), `${where}: chart ${key}.${field} has a spike ${p} (bound ${bound(key, field)})`);
			}
		}
	}
}

/** The largest finite value of each key.field seen so far, over rates and chart points. */
function peaks(derived: Derived): Map<string, number> {
	const out = new Map<string, number>();
	const note = (k: string, v: number) => Number.isFinite(v) && out.set(k, Math.max(out.get(k) ?? 0, v));
	for (const [key, m] of derived.metrics) {
		if (m.kind === 'counter' && m.rate !== null) note(`${key}.rate`, m.rate);
		for (const [field, points] of Object.entries(derived.series.get(key) ?? {})) for (const p of points as number[]) note(`${key}.${field}`, p);
	}
	return out;
}

describe('up → fault → STALE with the reason, last values kept → cleared → up again', () => {
	let r: Rig;
	before(async () => {
		r = await rig({timeoutMs: 400, maxBytes: 256 * 1024});
	});
	after(async () => r.close());

	const CASES: readonly [Fault, RegExp][] = [
		['refuse', /connection refused/],
		['503', /HTTP 503/],
		['slow-body', /timed out after 0\.4 s/],
		['html', /HTML page/],
		['truncated', /connection closed by the server/],
		['garbage', /no metric samples/],
		['huge', /larger than the 256 KiB cap/],
	];

	test('a healthy start: up after three scrapes, with rates', async () => {
		for (let i = 0; i < 3; i++) await r.tick();
		const t = r.store.getSnapshot().targets[0]!;
		assert.equal(t.state, 'up');
		assert.equal(t.error, null);
		assert.ok(t.derived && t.derived.scrapes >= 3);
	});

	for (const [fault, reason] of CASES) {
		test(`${fault}: STALE with "${reason.source}", last values kept, then recovers`, async () => {
			const good = await r.tick();
			assert.equal(good.state, 'up');
			await r.sim.setFault(fault);
			const failures = good.failures;
			const stale = await r.tick();
			assert.equal(stale.state, 'stale');
			assert.match(stale.error ?? '', reason);
			assert.ok(stale.error?.startsWith(r.sim.url), `the error names the target: ${stale.error}`);
			assert.equal(stale.failures, failures + 1);
			// The last good values stay: the same families, the same derived figures, the same time.
			assert.equal(stale.derived, good.derived);
			assert.equal(stale.families, good.families);
			assert.equal(stale.lastOkAt, good.lastOkAt);
			assert.ok(stale.families.length > 10);
			// A second failed scrape stays STALE (not DOWN: there was a good one).
			assert.equal((await r.tick()).state, 'stale');
			await r.sim.setFault(null);
			const back = await r.tick();
			assert.equal(back.state, 'up', `recovers by itself: ${back.error}`);
			assert.equal(back.error, null);
			assert.ok(back.lastOkAt! > good.lastOkAt!);
			assertSane(back.derived, () => 1e7, `after ${fault}`);
		});
	}
});

test('flapping: up and 503 alternate, every scrape is either up or STALE with the status, rates stay ≥ 0', async () => {
	// flapSeconds is real time here; the store only sees explicit scrapes.
	const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', speed: 0, seed: 5, flapSeconds: 0.15});
	sim.advance(60);
	const clock = new FakeClock();
	const store = new Store({targets: [{name: 'sim', location: sim.url}], intervalMs: STEP_MS, windowMs: 10_000, clock});
	const source = new HttpSource(sim.url, {timeoutMs: 2000, maxBytes: 4 * 1024 * 1024, clock});
	try {
		await store.scrapeAll([source]);
		assert.equal(store.getSnapshot().targets[0]!.state, 'up');
		await sim.setFault('flapping');
		const seen = new Set<string>();
		const started = Date.now();
		while ((!seen.has('up') || !seen.has('stale') || seen.size < 2) && Date.now() - started < 10_000) {
			sim.advance(1);
			await clock.advance(STEP_MS);
			await store.scrapeAll([source]);
			const t = store.getSnapshot().targets[0]!;
			seen.add(t.state);
			if (t.state === 'stale') assert.match(t.error ?? '', /HTTP 503/);
			else assert.equal(t.state, 'up');
			assertSane(t.derived, () => 1e7, 'flapping');
			// Wait for the next flap phase: real time, because the simulator's flapping is real time.
			await new Promise(resolve => setTimeout(resolve, 80));
		}
		assert.deepEqual([...seen].sort(), ['stale', 'up']);
		await sim.setFault(null);
		sim.advance(1);
		await clock.advance(STEP_MS);
		await store.scrapeAll([source]);
		assert.equal(store.getSnapshot().targets[0]!.state, 'up');
	} finally {
		await source.close();
		await sim.close();
	}
});

describe('counter resets and label churn', () => {
	/**
	 * Keys absent from some snapshot after the restart (a labelled counter with no series until its
	 * first request, like http_requests_total) are checked separately below.
	 */
	async function restartRun(check: (derived: Derived, bound: (key: string, field: string) => number, gone: Set<string>, where: string) => void): Promise<void> {
		const r = await rig({seed: 11});
		try {
			let t: TargetStatus | undefined;
			for (let i = 0; i < 15; i++) t = await r.tick();
			const before = peaks(t!.derived!);
			const keys = new Set(t!.derived!.metrics.keys());
			assert.ok(before.size > 5, 'some rates to compare');
			// A spike is a figure far above anything seen in steady traffic (the whole pre-restart
			// total counted as new within one interval would be ~60x here).
			const bound = (key: string, field: string) => 5 * (before.get(`${key}.${field}`) ?? 0) + 10;
			const gone = new Set<string>();
			let resetSeen = false;
			r.sim.restart();
			for (let i = 0; i < 12; i++) {
				t = await r.tick();
				assert.equal(t.state, 'up');
				for (const k of keys) if (!t.derived!.metrics.has(k)) gone.add(k);
				resetSeen ||= t.derived!.events.some(e => e.kind === 'reset');
				check(t.derived!, bound, gone, `scrape ${i + 1} after the restart`);
			}
			assert.ok(resetSeen, 'the restart is an event');
		} finally {
			await r.close();
		}
	}

	test('restart(): counters start from zero, yet no rate or chart point is negative or a spike', async () => {
		await restartRun((derived, bound, gone, where) => {
			const kept = {...derived, metrics: new Map([...derived.metrics].filter(([k]) => !gone.has(k)))};
			assertSane(kept, bound, where);
		});
	});

	test(
		'restart(): a counter absent for a few scrapes after the restart, back lower, gives no negative rate',
		async () => {
			await restartRun((derived, bound, _gone, where) => assertSane(derived, bound, where));
		},
	);

	/** Two 2.3 workers with pid-labelled counters; one restarts under a new pid. The rates seen. */
	async function churn(): Promise<number[]> {
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'x', location: 'x'}], intervalMs: STEP_MS, windowMs: 10_000, clock});
		const scrape = (accepted: Record<string, number>, ok: number): Scrape => {
			const lines = [
				'# TYPE fastdeploy:request_success_total counter',
				`fastdeploy:request_success_total ${ok}`,
				'# TYPE fastdeploy:spec_decode_num_accepted_tokens_total counter',
				...Object.entries(accepted).map(([pid, v]) => `fastdeploy:spec_decode_num_accepted_tokens_total{pid="${pid}"} ${v}`),
				'# TYPE fastdeploy:spec_decode_efficiency gauge',
				...Object.keys(accepted).map(pid => `fastdeploy:spec_decode_efficiency{pid="${pid}"} 0.7`),
				'',
			];
			return {target: 'x', t: clock.now(), text: lines.join('\n'), durationMs: 1, bytes: 1};
		};
		// Two workers, each accepting 100 tokens/s.
		let a = 10_000;
		let b = 9000;
		let ok = 500;
		const rates: number[] = [];
		const check = () => {
			const d = store.getSnapshot().targets[0]!.derived!;
			assertSane(d, () => 1e6, 'churn');
			const m = d.metrics.get([...d.metrics.keys()].find(k => /accepted/i.test(k)) ?? '');
			if (m?.kind === 'counter' && m.rate !== null) rates.push(m.rate);
		};
		for (let i = 0; i < 5; i++) {
			store.ingest(0, scrape({'2241': (a += 100), '2563': (b += 100)}, (ok += 5)));
			await clock.advance(STEP_MS);
			check();
		}
		// Worker 2563 restarts as 7001: its series is gone, a new one starts from zero.
		let c = 0;
		for (let i = 0; i < 5; i++) {
			store.ingest(0, scrape({'2241': (a += 100), '7001': (c += 100)}, (ok += 5)));
			await clock.advance(STEP_MS);
			check();
		}
		// A series appearing alone (no disappearance): only growth.
		for (let i = 0; i < 3; i++) {
			store.ingest(0, scrape({'2241': (a += 100), '7001': (c += 100), '7002': 0}, (ok += 5)));
			await clock.advance(STEP_MS);
			check();
		}
		assert.ok(rates.length > 0, 'the accepted-token counter has a rate');
		for (const rate of rates) assert.ok(rate >= 0, `rate ${rate} ≥ 0`);
		return rates;
	}

	test('label churn: a pid-labelled counter series disappears and another appears: no negative rate', async () => {
		await churn();
	});

	test(
		'label churn: no spike (each worker accepts 100 tokens/s throughout, so the rate stays near 200/s)',
		async () => {
			for (const rate of await churn()) assert.ok(rate <= 300, `rate ${rate}/s, expected about 200/s`);
		},
	);
});
