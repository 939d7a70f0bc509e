import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {diagnose} from '../../source/metrics/diagnose.js';
import {Store} from '../../source/store.js';
import {counterText, gaugeText, GEN} from '../helpers/exposition.js';

function derivedOf(texts: string[]) {
	const store = new Store({targets: [{name: 'x', location: 'x'}], intervalMs: 1000, windowMs: 60_000});
	texts.forEach((text, i) => store.ingest(0, {target: 'x', t: i * 1000, text, durationMs: 1, bytes: 1}));
	return store.getSnapshot().targets[0]!.derived!;
}

const g = (name: string, v: number) => gaugeText(`fastdeploy:${name}`, v);
const ids = (texts: string[]) => diagnose(derivedOf(texts), '2.3').map(d => d.id);

describe('diagnoses', () => {
	test('engine gauges reading 0 while tokens flow is a misconfiguration, not an idle server', () => {
		const scrape = (n: number) => [counterText(GEN, 100 * n), g('num_requests_running', 0), g('num_requests_waiting', 0), g('gpu_cache_usage_perc', 0)].join('\n');
		assert.deepEqual(ids([scrape(0), scrape(1)]), ['engine-gauges-zero']);
		const idle = [counterText(GEN, 5), g('num_requests_running', 0), g('num_requests_waiting', 0), g('gpu_cache_usage_perc', 0)].join('\n');
		assert.deepEqual(ids([idle, idle]), [], 'no tokens: simply idle');
	});

	test('the misconfiguration names the version it assumes, and none when the version is open', () => {
		const scrape = (n: number) => [counterText(GEN, 100 * n), g('num_requests_running', 0), g('num_requests_waiting', 0), g('gpu_cache_usage_perc', 0)].join('\n');
		const d = derivedOf([scrape(0), scrape(1)]);
		const message = (...args: Parameters<typeof diagnose> extends [unknown, ...infer R] ? R : never) => diagnose(d, ...args).find(x => x.id === 'engine-gauges-zero')!.en;
		assert.match(message('2.3', 'certain'), /\(as on FastDeploy 2\.3 without --metrics-port\)/);
		assert.match(message('2.3', 'likely'), /\(as on FastDeploy 2\.3\? without --metrics-port\)/);
		assert.match(message('2.4+', 'given'), /\(as on FastDeploy 2\.4\+ \(--era\) without --metrics-port\)/);
		assert.doesNotMatch(message(null, 'unknown'), /FastDeploy \d/);
	});

	test('waiting with nothing running and no tokens is a stalled admission', () => {
		const scrape = [counterText(GEN, 10), g('num_requests_running', 0), g('num_requests_waiting', 4)].join('\n');
		assert.deepEqual(ids([scrape, scrape]), ['admission-stalled']);
	});

	test('KV saturated with a queue', () => {
		const scrape = (n: number) => [counterText(GEN, 10 * n), g('num_requests_running', 30), g('num_requests_waiting', 7), g('gpu_cache_usage_perc', 0.97)].join('\n');
		assert.deepEqual(ids([scrape(0), scrape(1)]), ['kv-saturated']);
	});

	test('a healthy busy server has nothing to say', () => {
		const scrape = (n: number) => [counterText(GEN, 100 * n), g('num_requests_running', 12), g('num_requests_waiting', 0), g('gpu_cache_usage_perc', 0.4)].join('\n');
		assert.deepEqual(ids([scrape(0), scrape(1)]), []);
	});

	test('a counter reset is reported as a restart', () => {
		assert.deepEqual(ids([counterText(GEN, 500), counterText(GEN, 20)]).map(id => id.split('-')[0]), ['restart']);
	});
});
