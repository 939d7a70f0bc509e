/** Alert rules over synthetic histories: Prometheus' pending → firing, resolving, gaps, restarts. */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {parseAlertRule, type AlertRule} from '../../source/metrics/alert-rule.js';
import {evaluateRule, fleetAlerts, type AlertStatus} from '../../source/metrics/alerts.js';
import {History} from '../../source/metrics/history.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';

function rule(text: string): AlertRule {
	const parsed = parseAlertRule(text);
	assert.ok(parsed.rule, parsed.error);
	return parsed.rule;
}

type Step = {t: number; text: string} | {t: number; failed: true};

const kv = (v: number) => `# TYPE fastdeploy:gpu_cache_usage_perc gauge\nfastdeploy:gpu_cache_usage_perc ${v}\n`;
const failedTotal = (v: number) => `# TYPE fastdeploy:send_cache_failed_num_total counter\nfastdeploy:send_cache_failed_num_total ${v}\n${kv(0.1)}`;

/** The rule's status after each step, as the store would evaluate it (history + failure times). */
function run(r: AlertRule, steps: readonly Step[], windowMs = 60_000): AlertStatus[] {
	const history = new History(1000);
	const failures: number[] = [];
	return steps.map(step => {
		if ('failed' in step) failures.push(step.t);
		else history.push(buildSnapshot(parseExposition(step.text), step.t));
		return evaluateRule(r, {history, failures, windowMs, version: 3});
	});
}

const every10s = (texts: readonly string[], start = 0): Step[] => texts.map((text, i) => ({t: start + i * 10_000, text}));

describe('alert rules: evaluation', () => {
	test('pending from the first scrape where it holds, firing at exactly `for`, resolving at the first that does not', () => {
		const r = rule('kv_cache >= 90% for 30s');
		const s = run(r, every10s([kv(0.5), kv(0.95), kv(0.92), kv(0.93), kv(0.97), kv(0.96), kv(0.5), kv(0.91)]));
		assert.deepEqual(
			s.map(x => x.state),
			['inactive', 'pending', 'pending', 'pending', 'firing', 'firing', 'inactive', 'pending'],
		);
		// Active from t=10 s; at t=40 s, 40 − 10 = 30 s ≥ for: firing since 40 s.
		assert.deepEqual([s[1]!.since, s[3]!.since, s[4]!.since, s[4]!.activeSince, s[5]!.since], [10_000, 10_000, 40_000, 10_000, 40_000]);
		assert.equal(s[4]!.value, 0.97);
		assert.equal(s[6]!.since, null);
		assert.equal(s[7]!.since, 70_000);
		// for 0: firing at the first scrape where it holds.
		assert.deepEqual(run(rule('kv_cache >= 90%'), every10s([kv(0.5), kv(0.95)])).map(x => x.state), ['inactive', 'firing']);
	});

	test('a missing value is not true: the run restarts after it', () => {
		const r = rule('kv_cache >= 90% for 20s');
		const other = '# TYPE fastdeploy:num_requests_waiting gauge\nfastdeploy:num_requests_waiting 1\n';
		const s = run(r, every10s([kv(0.95), kv(0.95), other, kv(0.95), kv(0.95), kv(0.95)]));
		assert.deepEqual(s.map(x => x.state), ['pending', 'pending', 'no-data', 'pending', 'pending', 'firing']);
		assert.match(s[2]!.reason ?? '', /KV cache is not exported by this target/);
		assert.equal(s[5]!.activeSince, 30_000);
	});

	test('a failed scrape keeps the state: it neither resolves the rule nor makes it fire; up == 0 fires on failures', () => {
		const r = rule('kv_cache >= 90% for 20s');
		const steps: Step[] = [
			{t: 0, text: kv(0.95)},
			{t: 10_000, failed: true},
			{t: 20_000, failed: true},
			{t: 30_000, failed: true},
			{t: 40_000, text: kv(0.95)},
		];
		const s = run(r, steps);
		assert.deepEqual(s.map(x => x.state), ['pending', 'pending', 'pending', 'pending', 'firing']);
		assert.match(s[3]!.reason ?? '', /state kept/);
		assert.deepEqual([s[3]!.at, s[3]!.value], [30_000, 0.95]);
		assert.equal(s[4]!.since, 40_000);
		const up = run(rule('up == 0 for 15s'), steps);
		assert.deepEqual(up.map(x => x.state), ['inactive', 'pending', 'pending', 'firing', 'inactive']);
		assert.deepEqual([up[3]!.since, up[3]!.activeSince, up[3]!.value], [30_000, 10_000, 0]);
		// A target never reached: up == 0 holds; a metric rule has no data.
		const never = run(rule('up == 0'), [{t: 0, failed: true}]);
		assert.equal(never[0]!.state, 'firing');
		assert.equal(run(r, [{t: 0, failed: true}])[0]!.state, 'no-data');
	});

	test('rate() over a restart (counter reset) counts only real increases, never a negative or a spike', () => {
		const r = rule('rate(send_cache_failed[30s]) > 0');
		// 5, 5, 5, then the server restarts at 0 and stays there: no failure ever happened after the first.
		const s = run(r, every10s([failedTotal(5), failedTotal(5), failedTotal(5), failedTotal(0), failedTotal(0), failedTotal(0), failedTotal(0)]));
		assert.equal(s[0]!.state, 'no-data');
		assert.match(s[0]!.reason ?? '', /one scrape so far/);
		assert.deepEqual(s.slice(1).map(x => x.state), ['inactive', 'inactive', 'inactive', 'inactive', 'inactive', 'inactive']);
		assert.ok(s.every(x => x.value === null || x.value >= 0), s.map(x => x.value).join());
		// A restart after real failures: 5 → 7 → (restart) 1 counts 2 + 1.
		const t = run(rule('increase(send_cache_failed[1m]) >= 3'), every10s([failedTotal(5), failedTotal(7), failedTotal(1)]));
		assert.deepEqual(t.map(x => x.state), ['no-data', 'inactive', 'firing']);
		assert.equal(t[2]!.value, 3);
		const u = run(r, every10s([failedTotal(5), failedTotal(6), failedTotal(6), failedTotal(6), failedTotal(6), failedTotal(6)]));
		// The 5 → 6 step leaves the range (30 s, left-open as on Prometheus 3) once the t=0 scrape does, at t=30 s: resolved.
		assert.deepEqual(u.map(x => x.state), ['no-data', 'firing', 'firing', 'inactive', 'inactive', 'inactive']);
	});

	test('a percentile over the window, and one above the top finite bucket decided only when its bound decides', () => {
		const hist = (n: number, slow: number) =>
			`# TYPE fastdeploy:time_to_first_token_seconds histogram\nfastdeploy:time_to_first_token_seconds_bucket{le="0.5"} ${n}\nfastdeploy:time_to_first_token_seconds_bucket{le="1.0"} ${n}\nfastdeploy:time_to_first_token_seconds_bucket{le="+Inf"} ${n + slow}\nfastdeploy:time_to_first_token_seconds_sum ${n * 0.2 + slow * 5}\nfastdeploy:time_to_first_token_seconds_count ${n + slow}\n`;
		const above = run(rule('p99(ttft) > 800ms'), every10s([hist(0, 0), hist(10, 10)]));
		assert.deepEqual([above[1]!.state, above[1]!.value, above[1]!.lowerBound], ['firing', 1, true]);
		const unknown = run(rule('p99(ttft) > 2s'), every10s([hist(0, 0), hist(10, 10)]));
		assert.equal(unknown[1]!.state, 'inactive');
		assert.match(unknown[1]!.reason ?? '', /above the top finite bucket/);
		const quiet = run(rule('mean(ttft) > 1s'), every10s([hist(5, 0), hist(5, 0)]));
		assert.deepEqual([quiet[1]!.state, quiet[1]!.value], ['inactive', null]);
		assert.match(quiet[1]!.reason ?? '', /no observations/);
		const mean = run(rule('mean(ttft) > 1s'), every10s([hist(0, 0), hist(10, 10)]));
		assert.equal(mean[1]!.state, 'firing');
		assert.ok(Math.abs(mean[1]!.value! - 2.6) < 1e-9, String(mean[1]!.value));
	});

	test('the fleet: the worst target per rule, counted', () => {
		const r = rule('kv_cache >= 90%');
		const a = run(r, every10s([kv(0.95)]));
		const b = run(r, every10s([kv(0.2)]));
		const [fleet] = fleetAlerts([r], [b, a, null]);
		assert.deepEqual([fleet!.state, fleet!.target, fleet!.firing, fleet!.pending, fleet!.targets], ['firing', 1, 1, 0, 3]);
	});

	test('evaluated at every scrape or once at the end (a replay published at its end), a rule gives the same state, since and value', () => {
		const rules = ['kv_cache >= 90% for 20s', 'kv_cache < 50%', 'up == 0 for 10s', 'rate(send_cache_failed[20s]) > 0 for 10s'].map(rule);
		const step = fc.oneof(fc.record({kv: fc.integer({min: 0, max: 100}), failed: fc.integer({min: 0, max: 3})}), fc.constant(null));
		fc.assert(
			fc.property(fc.array(step, {minLength: 1, maxLength: 40}), steps => {
				const live = new History(100);
				const failures: number[] = [];
				let statuses: AlertStatus[] = [];
				const pages: {t: number; text?: string}[] = [];
				steps.forEach((s, i) => {
					const t = i * 5000;
					if (s === null) failures.push(t);
					else {
						const text = failedTotal(s.failed).replace('fastdeploy:gpu_cache_usage_perc 0.1', `fastdeploy:gpu_cache_usage_perc ${s.kv / 100}`);
						live.push(buildSnapshot(parseExposition(text), t));
						pages.push({t, text});
					}
					statuses = rules.map(r => evaluateRule(r, {history: live, failures, windowMs: 60_000, version: 3}));
				});
				const replay = new History(100);
				for (const p of pages) replay.push(buildSnapshot(parseExposition(p.text!), p.t));
				const once = rules.map(r => evaluateRule(r, {history: replay, failures, windowMs: 60_000, version: 3}));
				const view = (x: AlertStatus) => [x.state, x.since, x.activeSince, x.value, x.reason];
				assert.deepEqual(once.map(view), statuses.map(view));
			}),
			{numRuns: 300},
		);
	});
});
