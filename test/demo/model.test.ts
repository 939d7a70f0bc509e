import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Era} from '../../demo/sim/catalog.js';
import {SimModel, type GaugeState, type MetricsSink, type Req} from '../../demo/sim/model.js';
import {SCENARIOS, type Scenario} from '../../demo/sim/scenarios.js';
import {Simulation} from '../../demo/sim/simulation.js';
import {readWire, value} from './wire.js';

const START = 1_764_547_200;
const ERAS: readonly Era[] = ['2.0', '2.3'];

function sim(scenario: Scenario, era: Era, seed = 5): Simulation {
	return new Simulation({scenario, era, seed, startUnixSeconds: START});
}

/** Mean of a histogram between two scrapes. */
function windowMean(before: string, after: string, name: string): number {
	const d = (t: string, suffix: string) => value(after, `${name}${suffix}`) - value(before, `${name}${suffix}`);
	return d(after, '_sum') / d(after, '_count');
}

class CaptureSink implements MetricsSink {
	readonly done: Req[] = [];
	gauge: GaugeState[] = [];
	arrival(): void {}
	received(): void {}
	scheduled(): void {}
	firstToken(): void {}
	tokens(): void {}
	tpot(): void {}
	finished(r: Req): void {
		this.done.push({...r});
	}
	spec(): void {}
	http(): void {}
	zmq(): void {}
	gauges(g: GaugeState): void {
		this.gauge.push(g);
	}
	restart(): void {}
}

/** Cumulative buckets ascend with le, `+Inf` equals `_count`, `_sum` is finite and >= 0. */
function checkHistograms(text: string): void {
	for (const f of readWire(text).filter((x) => x.type === 'histogram')) {
		const series = new Map<string, {buckets: [number, number][]; count?: number; sum?: number}>();
		for (const s of f.samples) {
			const {le, ...rest} = s.labels;
			const key = JSON.stringify(rest);
			const entry = series.get(key) ?? {buckets: []};
			series.set(key, entry);
			if (s.name.endsWith('_bucket')) entry.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
			else if (s.name.endsWith('_count')) entry.count = s.value;
			else entry.sum = s.value;
		}
		for (const [key, e] of series) {
			const what = `${f.name} ${key}`;
			for (let i = 1; i < e.buckets.length; i++) {
				const [le0, v0] = e.buckets[i - 1] ?? [0, 0];
				const [le1, v1] = e.buckets[i] ?? [0, 0];
				assert.ok(le1 > le0, `${what}: le ascending`);
				assert.ok(v1 >= v0, `${what}: cumulative buckets never decrease`);
			}
			assert.equal(e.buckets.at(-1)?.[0], Infinity, `${what}: +Inf last`);
			assert.equal(e.buckets.at(-1)?.[1], e.count, `${what}: +Inf == _count`);
			assert.ok(e.sum !== undefined && Number.isFinite(e.sum) && e.sum >= 0, `${what}: _sum`);
		}
	}
}

describe('request lifecycle', () => {
	for (const era of ERAS) {
		test(`timestamps are ordered and e2e >= inference + queue (${era})`, () => {
			for (const scenario of ['steady', 'overload', 'kv-pressure'] as const) {
				const capture = new CaptureSink();
				const model = new SimModel({scenario, era, seed: 9, sink: capture});
				model.step(900);
				assert.ok(capture.done.length > 100, scenario);
				for (const r of capture.done) {
					assert.ok(r.arrival < r.preprocessEnd && r.preprocessEnd <= r.inferenceStart, `${scenario} #${r.id} queue`);
					assert.ok(r.inferenceStart < r.firstToken && r.firstToken <= r.finish && r.finish < r.responseEnd);
					assert.ok(r.generated === r.output && r.output >= 1 && r.output <= r.maxTokens);
					const queue = r.inferenceStart - r.preprocessEnd;
					const inference = r.finish - r.inferenceStart;
					assert.ok(r.responseEnd - r.arrival >= inference + queue, 'e2e >= inference + queue');
					assert.ok(r.firstToken - r.arrival >= queue, 'TTFT (2.3 definition) >= queue');
				}
			}
		});
	}
});

describe('scenarios', () => {
	test('2.3: mean TTFT >= mean queue time (TTFT counts from arrival)', () => {
		for (const scenario of ['steady', 'overload'] as const) {
			const s = sim(scenario, '2.3');
			s.step(600);
			const t = s.text();
			const mean = (n: string) => value(t, `${n}_sum`) / value(t, `${n}_count`);
			assert.ok(mean('fastdeploy:time_to_first_token_seconds') >= mean('fastdeploy:request_queue_time_seconds'), scenario);
		}
	});

	test('2.0: TTFT is the prefill only, so it stays small while the queue grows', () => {
		const s = sim('overload', '2.0');
		s.step(300);
		const before = s.text();
		s.step(300);
		const after = s.text();
		assert.ok(windowMean(before, after, 'fastdeploy:time_to_first_token_seconds') < 1);
		assert.ok(windowMean(before, after, 'fastdeploy:request_queue_time_seconds') > 10);
		assert.ok(value(after, 'fastdeploy:request_prefill_time_seconds_count') === 0);
	});

	for (const era of ERAS) {
		test(`overload: queue time climbs past 10 s and the batch is full (${era})`, () => {
			const s = sim('overload', era);
			s.step(300);
			const before = s.text();
			s.step(300);
			const after = s.text();
			assert.ok(windowMean(before, after, 'fastdeploy:request_queue_time_seconds') > 10);
			assert.equal(value(after, 'fastdeploy:num_requests_running'), 64);
			assert.ok(value(after, 'fastdeploy:num_requests_waiting') > 50);
		});

		test(`kv-pressure: KV usage sits near 1, requests wait for blocks, preemptions happen (${era})`, () => {
			const s = sim('kv-pressure', era);
			s.step(300);
			const usage: number[] = [];
			let waited = 0;
			let slotsFree = 0;
			for (let i = 0; i < 120; i++) {
				s.step(5);
				const g = s.model.gaugeState();
				usage.push(g.usedBlocks / g.totalBlocks);
				if (g.waiting > 0) waited++;
				if (g.running < g.maxNumSeqs) slotsFree++;
			}
			const mean = usage.reduce((a, b) => a + b, 0) / usage.length;
			assert.ok(mean > 0.85, `mean usage ${mean}`);
			assert.ok(Math.max(...usage) >= 0.95);
			assert.ok(Math.max(...usage) <= 1);
			assert.ok(waited > 30, 'requests queue');
			assert.ok(slotsFree > 100, 'blocks, not batch slots, are what runs out');
			assert.ok(s.model.stats.preemptions > 0);
		});

		test(`restart: counters and histograms start again from zero, gauges re-initialise (${era})`, () => {
			const s = sim('restart', era);
			let before = s.text();
			while (s.model.stats.restarts === 0) {
				before = s.text();
				s.step(1);
				assert.ok(s.now < 700, 'a restart within 300-600 s');
			}
			const after = s.text();
			for (const n of ['fastdeploy:request_success_total', 'fastdeploy:generation_tokens_total', 'fastdeploy:prompt_tokens_total']) {
				assert.ok(value(before, n) > 300, n);
				assert.ok(value(after, n) < value(before, n) / 10, n);
			}
			assert.ok(value(after, 'fastdeploy:time_to_first_token_seconds_count') < value(before, 'fastdeploy:time_to_first_token_seconds_count'));
			if (era === '2.0') {
				const created = (t: string) => value(t, 'fastdeploy:request_success_created');
				assert.ok(created(after) > created(before) + 300);
			} else {
				assert.ok(value(after, 'fastdeploy:max_batch_size') === 64 && value(after, 'fastdeploy:max_gpu_block_num') === 2000);
				const pids = (t: string) => readWire(t).find((f) => f.name === 'fastdeploy:spec_decode_efficiency')?.samples.map((x) => x.labels.pid);
				assert.notDeepEqual(pids(after) ?? [], pids(before));
			}
		});
	}

	test('restartNow() and setScenario() work at any time', () => {
		const s = sim('steady', '2.3');
		s.step(120);
		assert.ok(value(s.text(), 'fastdeploy:request_success_total') > 0);
		s.model.restartNow();
		assert.equal(value(s.text(), 'fastdeploy:request_success_total'), 0);
		assert.equal(value(s.text(), 'fastdeploy:num_requests_running'), 0);
		s.model.setScenario('overload');
		s.step(200);
		assert.equal(value(s.text(), 'fastdeploy:num_requests_running'), 64);
	});
});

describe('consistency of the numbers', () => {
	for (const era of ERAS) {
		for (const scenario of SCENARIOS) {
			test(`${scenario} (${era})`, () => {
				const s = sim(scenario, era, 3);
				for (let i = 0; i < 5; i++) {
					s.step(137);
					const t = s.text();
					checkHistograms(t);
					const v = (n: string) => value(t, n);
					assert.equal(v('fastdeploy:prompt_tokens_total'), v('fastdeploy:request_prompt_tokens_sum'));
					assert.equal(v('fastdeploy:request_prompt_tokens_count'), v('fastdeploy:request_params_max_tokens_count'));
					// generation_tokens_total grows every step; the histogram when a request finishes.
					assert.equal(
						v('fastdeploy:generation_tokens_total'),
						v('fastdeploy:request_generation_tokens_sum') + s.model.inFlightGeneratedTokens(),
					);
					const success = v('fastdeploy:request_success_total');
					for (const h of ['request_generation_tokens', 'request_inference_time_seconds', 'request_decode_time_seconds']) {
						assert.equal(v(`fastdeploy:${h}_count`), success, h);
					}
					assert.ok(v('fastdeploy:e2e_request_latency_seconds_count') <= success);
					assert.ok(v('fastdeploy:time_to_first_token_seconds_count') >= success);
					if (era === '2.0') {
						// One output token per step: the first from prefill, the rest one TPOT observation each.
						assert.equal(
							v('fastdeploy:generation_tokens_total'),
							v('fastdeploy:time_to_first_token_seconds_count') + v('fastdeploy:time_per_output_token_seconds_count'),
						);
					} else {
						assert.ok(v('fastdeploy:requests_number_total') >= success);
						assert.ok(v('fastdeploy:available_gpu_block_num') >= v('fastdeploy:free_gpu_block_num'));
						assert.equal(v('fastdeploy:batch_size') + v('fastdeploy:available_batch_size'), v('fastdeploy:max_batch_size'));
						assert.equal(v('fastdeploy:available_gpu_resource'), v('fastdeploy:available_gpu_block_num') / v('fastdeploy:max_gpu_block_num'));
						assert.equal(v('fastdeploy:prefix_cache_token_num_total'), v('fastdeploy:prefix_gpu_cache_token_num_total'));
						for (const r of ['hit_req_rate', 'hit_token_rate', 'gpu_hit_token_rate']) assert.ok(v(`fastdeploy:${r}`) >= 0 && v(`fastdeploy:${r}`) <= 1);
					}
					const usage = v('fastdeploy:gpu_cache_usage_perc');
					assert.ok(usage >= 0 && usage <= 1);
				}
			});
		}
	}

	test('deterministic: the same seed gives the same text, another seed another', () => {
		const a = sim('burst', '2.3', 42);
		const b = sim('burst', '2.3', 42);
		const c = sim('burst', '2.3', 43);
		for (const x of [a, b, c]) x.step(400);
		assert.equal(a.text(), b.text());
		assert.notEqual(a.text(), c.text());
	});
});
