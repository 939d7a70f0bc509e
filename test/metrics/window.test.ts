/**
 * Windowed figures follow PromQL: Prometheus 3's left-open range (t−w, t] and its extrapolation by
 * default, Prometheus 2's left-closed [t−w, t] on request. The oracle below is a transcription of
 * prometheus/prometheus promql/functions.go `extrapolatedRate` (v3.5 and v2.42), written apart from
 * fdtop's code: the store's figures must equal it on bursty data where the two range rules give
 * different numbers. Partial windows (a restart, an outage, a history still filling) are marked.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {Store} from '../../source/store.js';
import {bucketQuantile} from '../../source/metrics/quantile.js';
import {increase, rate} from '../../source/metrics/window.js';
import {reportJson, reportText} from '../../source/report.js';
import {counterText, GEN, histogramText, TTFT} from '../helpers/exposition.js';
import {promIncrease, type P} from '../helpers/promql-oracle.js';

const T0 = 1_700_000_000_000;
const STEP = 5000;
const WINDOW = 30_000;

const LES = ['0.1', '0.2', '0.5', '+Inf'];

/** A bursty run: tokens, preemptions and TTFT buckets per scrape (numbers stated, not computed by fdtop). */
const TOKENS = [1000, 1040, 1900, 1950, 2600, 2620, 3500, 3560];
const PREEMPTIONS = [0, 0, 3, 3, 3, 3, 3, 6];
const BUCKETS: number[][] = [
	[5, 5, 5, 5],
	[10, 10, 10, 10],
	[40, 40, 40, 40],
	[41, 45, 50, 50],
	[42, 50, 60, 60],
	[42, 52, 62, 62],
	[43, 55, 66, 66],
	[44, 58, 70, 70],
];

function scrapeAt(i: number): string {
	return [
		counterText(GEN, TOKENS[i]!),
		counterText('fastdeploy:request_preempted_total', PREEMPTIONS[i]!),
		histogramText(
			TTFT,
			LES.map((le, k) => [le, BUCKETS[i]![k]!] as [string, number]),
			BUCKETS[i]![3]! * 0.15,
		),
	].join('\n');
}

function run(promql?: 2 | 3, count = TOKENS.length): Store {
	const store = new Store({targets: [{name: 'a', location: 'http://a/metrics'}], intervalMs: STEP, windowMs: WINDOW, promql});
	for (let i = 0; i < count; i++) store.ingest(0, {target: 'http://a/metrics', t: T0 + i * STEP, text: scrapeAt(i), durationMs: 1, bytes: 1});
	return store;
}

const series = (values: readonly number[]): P[] => values.map((v, i) => ({t: T0 + i * STEP, v}));
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

describe('windowed figures as PromQL computes them', () => {
	const evalT = T0 + (TOKENS.length - 1) * STEP;

	test('a counter rate equals Prometheus 3 rate() on left-open ranges, which left-closed ranges miss', () => {
		const d = run().getSnapshot().targets[0]!.derived!;
		const gen = d.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter' && gen.rate !== null);
		const expected = promIncrease(series(TOKENS), evalT, WINDOW, 3)! / (WINDOW / 1000);
		const closed = promIncrease(series(TOKENS), evalT, WINDOW, 2)! / (WINDOW / 1000);
		assert.ok(Math.abs(expected - closed) / closed > 0.005, `the data tells the range rules apart: ${expected} vs ${closed}`);
		assert.ok(close(gen.rate, expected), `fdtop ${gen.rate} vs PromQL 3 ${expected}`);
		assert.equal(d.t, evalT, 'evaluated at the last scrape');
		assert.equal(d.promql, 3);
	});

	test('a sparse counter: 3 preemptions in (t−30 s, t], extrapolated, not 6 from the scrape on the left edge', () => {
		const d = run().getSnapshot().targets[0]!.derived!;
		const m = d.metrics.get('requestPreemptedTotal');
		assert.ok(m?.kind === 'counter' && m.rate !== null);
		const inc = m.rate * (WINDOW / 1000);
		assert.ok(close(inc, promIncrease(series(PREEMPTIONS), evalT, WINDOW, 3)!), `increase ${inc}`);
		assert.ok(close(inc, 3 * (30 / 25)), 'increase(…[30s]) = 3 × 30/25');
		assert.ok(close(promIncrease(series(PREEMPTIONS), evalT, WINDOW, 2)!, 6), 'Prometheus 2 counts from the edge scrape: 6 − 0');
	});

	test('windowed p99 and mean equal histogram_quantile over rate() of each bucket', () => {
		const d = run().getSnapshot().targets[0]!.derived!;
		const ttft = d.metrics.get('ttft');
		assert.ok(ttft?.kind === 'histogram' && ttft.window);
		const les = [0.1, 0.2, 0.5, Number.POSITIVE_INFINITY];
		const bucketIncrease = (version: 2 | 3) => les.map((le, k) => ({le, count: promIncrease(series(BUCKETS.map(b => b[k]!)), evalT, WINDOW, version)!}));
		const p50 = bucketQuantile(0.5, bucketIncrease(3)).value!;
		const closedP50 = bucketQuantile(0.5, bucketIncrease(2)).value!;
		assert.ok(Math.abs(p50 - closedP50) / closedP50 > 0.05, `the data crosses a bucket bound: ${p50} vs ${closedP50}`);
		assert.ok(close(ttft.window.p50.value!, p50), `fdtop p50 ${ttft.window.p50.value} vs PromQL 3 ${p50}`);
		const p99 = bucketQuantile(0.99, bucketIncrease(3)).value!;
		assert.ok(close(ttft.window.p99.value!, p99), `fdtop p99 ${ttft.window.p99.value} vs PromQL 3 ${p99}`);
		const count = promIncrease(series(BUCKETS.map(b => b[3]!)), evalT, WINDOW, 3)!;
		const sum = promIncrease(series(BUCKETS.map(b => b[3]! * 0.15)), evalT, WINDOW, 3)!;
		assert.ok(close(ttft.window.rate!, count / 30), 'rate(_count[30s])');
		assert.ok(close(ttft.window.increase!, count), 'increase(_count[30s])');
		assert.ok(close(ttft.window.mean!, sum / count), 'rate(_sum) / rate(_count)');
		assert.equal(ttft.window.count, BUCKETS[7]![3]! - BUCKETS[2]![3]!, 'count: the observed increase inside the range');
	});

	test('promql: 2 follows Prometheus 2 (left-closed, its order of the zero clamp)', () => {
		const d = run(2).getSnapshot().targets[0]!.derived!;
		const gen = d.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter' && gen.rate !== null);
		assert.ok(close(gen.rate, promIncrease(series(TOKENS), evalT, WINDOW, 2)! / 30));
		assert.equal(d.promql, 2);
		// A young counter: the zero clamp comes before the threshold in 2.x and after it in 3.x.
		const young = [{t: T0 + 10_000, v: 1}, {t: T0 + 15_000, v: 30}, {t: T0 + 20_000, v: 60}];
		assert.ok(close(increase(young, T0 + 20_000, WINDOW, 2)!, promIncrease(young, T0 + 20_000, WINDOW, 2)!));
		assert.ok(close(increase(young, T0 + 20_000, WINDOW, 3)!, promIncrease(young, T0 + 20_000, WINDOW, 3)!));
		assert.ok(close(rate(young, T0 + 20_000, WINDOW)!, promIncrease(young, T0 + 20_000, WINDOW, 3)! / 30));
	});

	test('a full window covers the window; a filling one says how much, in JSON and on screen', () => {
		const full = run().getSnapshot();
		assert.equal(full.targets[0]!.derived!.coveredMs, WINDOW);
		assert.equal(full.targets[0]!.derived!.partial, null);
		const filling = run(3, 3).getSnapshot();
		const d = filling.targets[0]!.derived!;
		// Two steps of 5 s: fdtop has watched for 10 s of the 30, and says so; its figures are over those 10 s.
		assert.equal(d.coveredMs, 10_000);
		assert.deepEqual(d.partial, {reasons: ['filling'], coveredMs: 10_000});
		const gen = d.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter' && close(gen.rate!, (TOKENS[2]! - TOKENS[0]!) / 10));
		const json = reportJson(filling, 'test', new Date(T0)) as {targets: {windowCoveredSeconds: number; windowPartial: unknown; evaluatedAt: string; windowRange: string}[]};
		assert.equal(json.targets[0]!.windowCoveredSeconds, 10);
		assert.deepEqual(json.targets[0]!.windowPartial, {reasons: ['filling'], coveredSeconds: 10});
		assert.equal(json.targets[0]!.evaluatedAt, new Date(T0 + 2 * STEP).toISOString());
		assert.equal(json.targets[0]!.windowRange, '(t−w, t] (Prometheus 3)');
		assert.match(reportText(filling, 'test'), /window 10 s of 30 s \(filling\), 3 scrapes, evaluated at .* as Prometheus 3 \(t−w, t\]/);
	});
});

describe('a restart inside the window marks it partial', () => {
	function store(times: readonly number[], values: readonly number[]): Store {
		const s = new Store({targets: [{name: 'a', location: 'http://a/metrics'}], intervalMs: 1000, windowMs: 60_000});
		times.forEach((t, i) => s.ingest(0, {target: 'http://a/metrics', t: T0 + t, text: counterText(GEN, values[i]!), durationMs: 1, bytes: 1}));
		return s;
	}
	const every = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, i) => (from + i) * 1000);

	test('restart: the window is partial, the restart step is not covered', () => {
		const times = every(0, 70);
		const values = times.map(t => (t <= 40_000 ? 100 + t / 100 : (t - 40_000) / 100));
		const state = store(times, values).getSnapshot();
		const d = state.targets[0]!.derived!;
		assert.deepEqual(d.partial, {reasons: ['restart'], coveredMs: 59_000});
		const json = reportJson(state, 'test', new Date(T0)) as {targets: {windowPartial: unknown}[]};
		assert.deepEqual(json.targets[0]!.windowPartial, {reasons: ['restart'], coveredSeconds: 59});
		assert.match(reportText(state, 'test'), /window 59 s of 1 m \(restart\)/);
	});

	test('a restart after 20 s down: the down time and the restart step are not covered', () => {
		const times = [...every(0, 30), ...every(51, 75)];
		const values = times.map(t => (t <= 30_000 ? 100 + t / 100 : (t - 51_000) / 100));
		const d = store(times, values).getSnapshot().targets[0]!.derived!;
		assert.deepEqual(d.partial, {reasons: ['restart'], coveredMs: 39_000});
	});

	test('20 s without scrapes and no restart loses nothing (the counters kept counting): whole', () => {
		const times = [...every(0, 30), ...every(51, 75)];
		const d = store(times, times.map(t => t / 10)).getSnapshot().targets[0]!.derived!;
		assert.equal(d.partial, null);
		assert.equal(d.coveredMs, 60_000);
	});

	test('no restart, no outage: whole', () => {
		const times = every(0, 70);
		const d = store(times, times.map(t => t / 10)).getSnapshot().targets[0]!.derived!;
		assert.equal(d.partial, null);
		assert.equal(d.coveredMs, 60_000);
	});
});
