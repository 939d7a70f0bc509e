import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {aggregate} from '../../source/metrics/aggregate.js';
import {Store} from '../../source/store.js';
import {counterText, gaugeText, GEN, histogramText, TTFT} from '../helpers/exposition.js';

/** Two scrapes of one target, 10 s apart; returns its Derived. */
function derivedOf(first: string, second: string) {
	const store = new Store({targets: [{name: 'x', location: 'x'}], intervalMs: 1000, windowMs: 60_000});
	store.ingest(0, {target: 'x', t: 0, text: first, durationMs: 1, bytes: 1});
	store.ingest(0, {target: 'x', t: 10_000, text: second, durationMs: 1, bytes: 1});
	return store.getSnapshot().targets[0]!.derived!;
}

const kv = (usage: number, max: number) => `${gaugeText('fastdeploy:gpu_cache_usage_perc', usage)}\n${gaugeText('fastdeploy:max_gpu_block_num', max)}`;

describe('fleet aggregation', () => {
	// A: 100 fast requests (all ≤ 0.1 s). B: 10 slow ones (all in (0.5, 1]).
	const a = derivedOf(
		[histogramText(TTFT, [['0.1', 0], ['0.5', 0], ['1.0', 0], ['+Inf', 0]], 0), counterText(GEN, 0), kv(0.5, 1000), gaugeText('fastdeploy:num_requests_running', 3)].join('\n'),
		[histogramText(TTFT, [['0.1', 100], ['0.5', 100], ['1.0', 100], ['+Inf', 100]], 5), counterText(GEN, 1000), kv(0.5, 1000), gaugeText('fastdeploy:num_requests_running', 3)].join('\n'),
	);
	const b = derivedOf(
		[histogramText(TTFT, [['0.1', 0], ['0.5', 0], ['1.0', 0], ['+Inf', 0]], 0), counterText(GEN, 0), kv(1, 3000), gaugeText('fastdeploy:num_requests_running', 5)].join('\n'),
		[histogramText(TTFT, [['0.1', 0], ['0.5', 0], ['1.0', 10], ['+Inf', 10]], 8), counterText(GEN, 500), kv(1, 3000), gaugeText('fastdeploy:num_requests_running', 5)].join('\n'),
	);
	const fleet = aggregate([a, b, null])!;

	test('rates and counts are summed', () => {
		const gen = fleet.derived.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter');
		assert.equal(gen.rate, 150); // 100/s + 50/s
		const running = fleet.derived.metrics.get('running');
		assert.ok(running?.kind === 'gauge' && running.value === 8);
		assert.equal(fleet.members, 2);
	});

	test('p99 comes from the merged buckets, not the mean of the p99s', () => {
		const ttft = fleet.derived.metrics.get('ttft');
		assert.ok(ttft?.kind === 'histogram' && ttft.window);
		// Merged: 100 in (0, 0.1], 10 in (0.5, 1]; 110 total. rank 108.9 → (0.5,1]: 0.5 + 0.5 · 8.9/10
		assert.ok(Math.abs(ttft.window.p99.value! - 0.945) < 1e-9);
		const pa = a.metrics.get('ttft');
		const pb = b.metrics.get('ttft');
		assert.ok(pa?.kind === 'histogram' && pb?.kind === 'histogram');
		const meanOfP99s = (pa.window!.p99.value! + pb.window!.p99.value!) / 2;
		assert.notEqual(Math.round(meanOfP99s * 1000), Math.round(ttft.window.p99.value! * 1000));
		// mean = Σsum / Σcount = 13 / 110
		assert.ok(Math.abs(ttft.window.mean! - 13 / 110) < 1e-12);
		// p50: rank 55 in (0, 0.1]: 0.1 · 55/100
		assert.ok(Math.abs(ttft.window.p50.value! - 0.055) < 1e-12);
	});

	test('KV usage is weighted by block capacity', () => {
		const usage = fleet.derived.metrics.get('kvCacheUsage');
		assert.ok(usage?.kind === 'gauge');
		// (0.5 · 1000 + 1 · 3000) / 4000
		assert.equal(usage.value, 0.875);
		assert.equal(fleet.kvWeighted, true);
	});

	test('histograms with different bucket layouts are not merged silently', () => {
		const c = derivedOf(histogramText(TTFT, [['0.2', 0], ['+Inf', 0]], 0), histogramText(TTFT, [['0.2', 4], ['+Inf', 4]], 0.4));
		const mixed = aggregate([a, c])!;
		assert.equal(mixed.derived.metrics.has('ttft'), false);
		assert.deepEqual(mixed.layoutMismatch, ['ttft']);
	});

	test('nothing to aggregate gives null', () => {
		assert.equal(aggregate([null, null]), null);
	});
});
