import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {parseAlertRule, type AlertRule} from '../../source/metrics/alert-rule.js';

function rule(text: string): AlertRule {
	const parsed = parseAlertRule(text);
	assert.ok(parsed.rule, parsed.error);
	return parsed.rule;
}
const error = (text: string) => parseAlertRule(text).error ?? '';

describe('alert rules: parsing', () => {
	test("the issue's examples and what operators will want beyond them", () => {
		const kv = rule('kv_cache >= 90% for 30s');
		assert.deepEqual({key: kv.key, fn: kv.fn, op: kv.op, threshold: kv.threshold, forMs: kv.forMs, rangeMs: kv.rangeMs}, {key: 'kvCacheUsage', fn: 'value', op: '>=', threshold: 0.9, forMs: 30_000, rangeMs: null});
		assert.equal(rule('kv_cache>=0.9').threshold, 0.9);
		assert.equal(rule('kv_cache ≥ 90 % for 30s').op, '>=');
		const waiting = rule('waiting > 50 for 1m');
		assert.deepEqual([waiting.key, waiting.threshold, waiting.forMs], ['waiting', 50, 60_000]);
		const failed = rule('rate(send_cache_failed) > 0');
		assert.deepEqual([failed.key, failed.fn, failed.threshold, failed.forMs], ['sendCacheFailedTotal', 'rate', 0, 0]);
		assert.equal(rule('rate(fastdeploy:send_cache_failed_num_total[5m]) > 0').rangeMs, 300_000);
		const p99 = rule('p99(ttft) > 2s for 1m');
		assert.deepEqual([p99.key, p99.fn, p99.q, p99.threshold, p99.forMs], ['ttft', 'quantile', 0.99, 2, 60_000]);
		assert.equal(rule('p99.9(tpot[5m]) > 150ms').q, 0.999);
		assert.equal(rule('p99.9(tpot[5m]) > 150ms').threshold, 0.15);
		assert.equal(rule('mean(queue) > 500ms for 1m30s').forMs, 90_000);
		assert.equal(rule('mean(queue) > 500ms').key, 'queueTime');
		assert.equal(rule('rate(ttft) < 0.5/s for 5m').fn, 'rate');
		assert.equal(rule('rate(requests) > 600/m').threshold, 10);
		assert.equal(rule('increase(preemptions[5m]) > 10').fn, 'increase');
		const up = rule('up == 0 for 30s');
		assert.deepEqual([up.key, up.fn, up.threshold, up.entry], ['up', 'up', 0, null]);
		// vLLM and SGLang names through the same mapping.
		assert.equal(rule('vllm:num_requests_waiting > 5').key, 'waiting');
		assert.equal(rule('sglang:token_usage >= 95%').key, 'kvCacheUsage');
		assert.equal(rule('p90(vllm:time_to_first_token_seconds) > 1s').key, 'ttft');
	});

	test('a mistake names the problem and the fix', () => {
		assert.match(error('kv_cahce >= 90%'), /no metric "kv_cahce".*did you mean kv_cache/);
		assert.match(error('waitng > 5'), /did you mean waiting/);
		assert.match(error('zzzzqqq > 1'), /no metric "zzzzqqq" in fdtop's catalog; fdtop --help/);
		assert.match(error('send_cache_failed > 0'), /send_cache_failed is a counter .*write rate\(send_cache_failed\) > X/);
		assert.match(error('ttft > 2s'), /ttft is a histogram: write p99\(ttft\)/);
		assert.match(error('rate(waiting) > 1'), /waiting is a gauge .*compare it directly/);
		assert.match(error('p99(send_cache_failed) > 1'), /p99\(\) is for histograms/);
		assert.match(error('p99(ttft) > 2'), /p99\(ttft\) is a time: give a unit/);
		assert.match(error('p99(ttft) > 2%'), /p99\(ttft\) is a time: give a unit/);
		assert.match(error('waiting > 5s'), /waiting is in requests, not a time/);
		assert.match(error('waiting > 50%'), /waiting counts requests, not a share: drop the %/);
		assert.match(error('kv_cache > 90'), /kv_cache is a share: write a percentage \(90%\) or a ratio/);
		assert.match(error('kv_cache > 90ms'), /kv_cache is a share/);
		assert.match(error('waiting > 5/s'), /a per-second unit goes with rate\(\)/);
		assert.match(error('p100(ttft) > 1s'), /p100 is not a percentile/);
		assert.match(error('median(ttft) > 1s'), /unknown function median\(\)/);
		assert.match(error('waiting > 5 for ever'), /"for ever" is not a duration/);
		assert.match(error('waiting > 5 for 48h'), /at most 24h/);
		assert.match(error('waiting[5m] > 5'), /a range goes on rate/);
		assert.match(error('rate(requests[2h]) > 5'), /from 1s to 1h/);
		assert.match(error('rate(up) > 0'), /up is 1 when the scrape succeeded/);
		assert.match(error('cacheConfigInfo > 0'), /configuration labels/);
		assert.match(error(''), /empty: write e.g./);
		assert.match(error('waiting'), /write a rule as/);
		assert.match(error('rate(waiting > 1'), /write a rule as/);
	});

	test('hostile text: control characters, huge numbers and long input give an error, never a throw or a rule', () => {
		assert.match(error('waiting > 5\u001b[2J for 1m'), /write a rule as/);
		assert.match(error('waiting > 1e999'), /finite number/);
		assert.match(error(`waiting > 5 for 1m${' x'.repeat(200)}`), /too long/);
		assert.match(error('__proto__ > 1'), /no metric "__proto__"/);
		assert.match(error('constructor > 1'), /no metric "constructor"/);
		assert.match(error('rate(toString) > 1'), /no metric "toString"/);
		assert.match(error('waiting > 5 for 1m\nup == 0'), /write a rule as/);
		fc.assert(
			fc.property(fc.string({maxLength: 300}), text => {
				const parsed = parseAlertRule(text);
				assert.ok((parsed.rule === undefined) !== (parsed.error === undefined));
				if (parsed.rule) assert.ok(Number.isFinite(parsed.rule.threshold) && parsed.rule.forMs >= 0);
			}),
			{numRuns: 2000},
		);
	});
});
