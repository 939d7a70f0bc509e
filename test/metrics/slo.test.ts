import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {bucketQuantile} from '../../source/metrics/quantile.js';
import {attainment, backlog, burnPair, burnRate, formatBurn, goodput, judge, mergeMeasures, objectiveLabel, parseObjective, sloReport, type HistogramRates, type Objective, type SloMeasure, type SloWindow} from '../../source/metrics/slo.js';
import {verdictStripText} from '../../source/ui/views/slo-text.js';
import {msgs} from '../../source/i18n/index.js';

const EN_SLO = msgs('en').sloView;

const INF = Number.POSITIVE_INFINITY;
const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({le, count}));

function objective(text: string): Objective {
	const parsed = parseObjective(text);
	assert.ok(parsed.objective, parsed.error);
	return parsed.objective;
}

/** A window of `rates`; `count` (observations seen) defaults to plenty (n too small has its own tests). */
function windowWith(key: string, rates: (Omit<HistogramRates, 'count'> & {count?: number}) | null, windowMs = 60_000, extra: Partial<SloWindow> = {}): SloWindow {
	return {windowMs, coveredMs: windowMs, histograms: new Map([[key, rates && {count: 1000, ...rates}]]), completions: null, tokens: null, arrivals: null, ...extra};
}

/** Cumulative buckets (sorted bounds, +Inf last) and a total at least the +Inf count. */
const histogram = fc
	.uniqueArray(fc.integer({min: 1, max: 100_000}), {minLength: 1, maxLength: 12})
	.chain(bounds => {
		// Bounds in ms steps, as real layouts are (a bucket 1e-16 wide makes any inversion ill-conditioned).
		const les = [...bounds].sort((x, y) => x - y).map(n => n / 1000);
		return fc.array(fc.nat({max: 1000}), {minLength: les.length + 1, maxLength: les.length + 1}).map(increments => {
			let running = 0;
			const buckets = [...les, INF].map((le, i) => ({le, count: (running += increments[i]!)}));
			return {buckets, total: running};
		});
	})
	.filter(h => h.total > 0);

describe('objectives: parsing', () => {
	test('both spellings, units, aliases and wire names give the same objective', () => {
		const a = objective('ttft<=2s:99%');
		const b2 = objective('ttft <= 2s for 99%');
		assert.deepEqual({...a, text: ''}, {...b2, text: ''});
		assert.equal(a.key, 'ttft');
		assert.equal(a.threshold, 2);
		assert.equal(a.share, 0.99);
		assert.equal(objective('tpot<=100ms:90%').threshold, 0.1);
		assert.equal(objective('e2e <= 30s for 95%').key, 'e2eLatency');
		assert.equal(objective('queue<=500ms:99.9%').key, 'queueTime');
		for (const [name, key] of [['prefill', 'prefillTime'], ['decode', 'decodeTime'], ['inference', 'inferenceTime'], ['queueTime', 'queueTime'], ['promptTokens', 'promptTokens']] as const) {
			assert.equal(objective(`${name}<=${key === 'promptTokens' ? '4000' : '1s'}:90%`).key, key);
		}
		assert.equal(objective('vllm:inter_token_latency_seconds<=50ms:99%').key, 'tpot');
		assert.equal(objective('sglang:time_to_first_token_seconds<=1s:99%').key, 'ttft');
		assert.equal(objective('fastdeploy:e2e_request_latency_seconds_bucket<=1m:99%').threshold, 60);
		assert.equal(objectiveLabel(a), 'TTFT ≤ 2 s for 99 %');
		assert.equal(objectiveLabel(objective('tpot<=100ms:99.9%'), true), 'TPOT <= 100 ms for 99.9 %');
	});

	test('every mistake names the problem and the fix', () => {
		const error = (text: string) => parseObjective(text).error ?? '';
		assert.match(error('ttft 2s 99'), /write an objective as METRIC<=THRESHOLD:SHARE%/);
		assert.match(error('ttfb<=2s:99%'), /"ttfb" is not a histogram fdtop knows; use one of ttft, tpot/);
		assert.match(error('running<=2:99%'), /not a histogram/);
		assert.match(error('ttft<=2:99%'), /TTFT is in seconds: give a unit, e.g. 2s or 500ms/);
		assert.match(error('promptTokens<=2s:99%'), /counts tokens: give a plain number/);
		assert.match(error('ttft<=0s:99%'), /above 0/);
		assert.match(error('ttft<=1s:100%'), /below 100 %/);
		assert.match(error('ttft<=1s:0%'), /above 0 %/);
	});
});

describe('attainment from buckets', () => {
	test('at every bucket bound it is exactly bucket / count', () => {
		fc.assert(
			fc.property(histogram, fc.nat(), ({buckets, total}, pick) => {
				const finite = buckets.filter(x => Number.isFinite(x.le));
				const bucket = finite[pick % finite.length]!;
				const a = attainment(buckets, total, bucket.le)!;
				assert.equal(a.value, bucket.count / total);
				assert.equal(a.exact, true);
				assert.equal(a.lower, a.value);
				assert.equal(a.upper, a.value);
			}),
		);
	});

	test('between bounds it lies within its bounds, which are the neighbouring bounds exact figures, and grows with the threshold', () => {
		fc.assert(
			fc.property(histogram, fc.double({min: 0.00001, max: 200, noNaN: true}), fc.double({min: 0.00001, max: 200, noNaN: true}), ({buckets, total}, x, y) => {
				const [lo, hi] = x < y ? [x, y] : [y, x];
				const a = attainment(buckets, total, lo)!;
				const c = attainment(buckets, total, hi)!;
				assert.ok(a.lower <= a.value && a.value <= a.upper);
				assert.ok(a.value <= c.value + 1e-12, `${a.value} at ${lo} > ${c.value} at ${hi}`);
				const finite = buckets.filter(z => Number.isFinite(z.le));
				const above = finite.find(z => z.le >= lo);
				if (!above) {
					assert.equal(a.aboveTop, true);
					assert.equal(a.lower, finite.at(-1)!.count / total);
					assert.equal(a.upper, 1);
				} else {
					assert.equal(a.upper, above.count / total);
				}
			}),
		);
	});

	test('inside a bucket it inverts histogram_quantile', () => {
		fc.assert(
			fc.property(histogram, fc.double({min: 0.01, max: 0.99, noNaN: true}), ({buckets}, q) => {
				// With the count equal to the +Inf bucket, as histogram_quantile sees it.
				const all = buckets.at(-1)!.count;
				const estimate = bucketQuantile(q, buckets);
				fc.pre(estimate.value !== null && !estimate.aboveTopBucket);
				const finite = buckets.filter(z => Number.isFinite(z.le));
				// Only strictly inside a non-empty bucket is the inverse unique.
				const i = finite.findIndex(z => z.le >= estimate.value!);
				fc.pre(i >= 0 && finite[i]!.le > estimate.value! && (i === 0 ? 0 : finite[i - 1]!.le) < estimate.value!);
				const a = attainment(buckets, all, estimate.value!)!;
				assert.ok(Math.abs(a.value - q) < 1e-9, `q ${q} → ${estimate.value} → ${a.value}`);
			}),
		);
	});

	test('no observations: null', () => {
		assert.equal(attainment(b([[1, 0], [INF, 0]]), 0, 1), null);
	});
});

describe('status', () => {
	const ttft = objective('ttft<=2s:99%');
	const q = objective('queue<=0.5s:95%');

	test('a share met exactly is met, also when rates (extrapolated as PromQL does) round it to the last bit below', () => {
		// 9 of 10 requests under 0.5 s, as rates scaled by an extrapolation factor: 9·f/7 ÷ 10·f/7 is
		// 0.8999999999999999 for f = 0.3.
		const f = 0.3;
		const rate = (10 * f) / 7;
		const under = (9 * f) / 7;
		assert.ok(under / rate < 0.9, 'the case rounds below');
		const v = judge(objective('ttft<=0.5s:90%'), windowWith('ttft', {buckets: b([[0.5, under], [1, rate], [INF, rate]]), rate}));
		assert.equal(v.status, 'met');
		assert.equal(v.estimate, false);
		const over = judge(objective('ttft<=0.5s:90.001%'), windowWith('ttft', {buckets: b([[0.5, under], [1, rate], [INF, rate]]), rate}));
		assert.equal(over.status, 'breached', 'the slack is rounding only');
	});

	test('above the top finite bucket: unknown, with why, unless the lower bound already reaches the share', () => {
		// FastDeploy's TTFT stops at 1 s; 972 of 1000 under 1 s.
		const v = judge(ttft, windowWith('ttft', {buckets: b([[0.5, 900], [1, 972], [INF, 1000]]), rate: 1000}));
		assert.equal(v.status, 'unknown');
		assert.equal(v.why, 'TTFT buckets stop at 1 s: 2 s cannot be judged; 97.2 % are under 1 s');
		const met = judge(ttft, windowWith('ttft', {buckets: b([[0.5, 900], [1, 995], [INF, 1000]]), rate: 1000}));
		assert.equal(met.status, 'met');
		assert.equal(met.estimate, false);
	});

	test('met / breached from the bounds, estimate in between, as a property', () => {
		fc.assert(
			fc.property(histogram, fc.double({min: 0.0001, max: 200, noNaN: true}), fc.double({min: 0.01, max: 0.999, noNaN: true}), ({buckets, total}, threshold, share) => {
				const o: Objective = {...q, threshold, share};
				const v = judge(o, windowWith('queueTime', {buckets, rate: total}));
				const a = v.attainment!;
				if (a.lower >= share) assert.deepEqual([v.status, v.estimate], ['met', false]);
				else if (a.upper < share) assert.deepEqual([v.status, v.estimate], ['breached', false]);
				else if (a.aboveTop) assert.equal(v.status, 'unknown');
				else assert.deepEqual([v.status, v.estimate], [a.value >= share ? 'met' : 'breached', true]);
			}),
		);
	});

	test('no requests is no data, never met; an absent metric is unknown; no window yet is no data', () => {
		assert.equal(judge(q, windowWith('queueTime', {buckets: b([[0.5, 0], [INF, 0]]), rate: 0})).status, 'no-data');
		assert.equal(judge(q, windowWith('queueTime', null)).status, 'no-data');
		const absent = judge(q, windowWith('ttft', null));
		assert.equal(absent.status, 'unknown');
		assert.equal(absent.why, 'Queue is not exported by this target');
	});

	test('fewer than 5 requests: n too small (as the percentiles), with no burn; 5 are judged', () => {
		const few = judge(q, windowWith('queueTime', {buckets: b([[0.5, 4 / 60], [INF, 4 / 60]]), rate: 4 / 60, count: 4}));
		assert.deepEqual([few.status, few.observations, few.why], ['too-few', 4, '4 requests in the window: too few to judge (5 or more)']);
		assert.equal(burnRate(few).value, null);
		assert.equal(judge(q, windowWith('queueTime', {buckets: b([[0.5, 5 / 60], [INF, 5 / 60]]), rate: 5 / 60, count: 5})).status, 'met');
	});

	test('burn rate: (1 − attainment)/(1 − share); fast and slow burns need both windows', () => {
		const at = (good: number, windowMs: number) => judge(ttft, windowWith('ttft', {buckets: b([[2, good], [INF, 1000]]), rate: 1000}, windowMs));
		const pair = burnPair(at(850, 300_000), at(800, 3_600_000));
		assert.ok(Math.abs(pair.short.value! - 15) < 1e-9);
		assert.ok(Math.abs(pair.long.value! - 20) < 1e-9);
		assert.deepEqual([pair.fast, pair.slow], [true, false]);
		const slow = burnPair(at(920, 300_000), at(990, 3_600_000));
		assert.deepEqual([slow.fast, slow.slow], [false, false]);
		const both = burnPair(at(920, 300_000), at(930, 3_600_000));
		assert.deepEqual([both.fast, both.slow], [false, true]);
	});

	test('fast burn is not flagged while the history does not reach the long window yet', () => {
		// 10 % misses on a 99 % objective: 10x in both windows, but the "1 h" holds only 10 minutes.
		const rates = {buckets: b([[2, 900], [INF, 1000]]), rate: 1000};
		const measure = (longCovered: number) => ({t: 0, members: 1, inFlight: null, spark: new Map(), windows: [windowWith('ttft', rates, 300_000), {...windowWith('ttft', rates, 3_600_000), coveredMs: longCovered}]});
		const o = objective('ttft<=2s:99.5%');
		const partial = sloReport([o], measure(600_000), 300_000).objectives[0]!.burn;
		assert.ok(partial.short.value! > 14.4, String(partial.short.value));
		// Not a 1 h burn: withheld, saying how much of the hour the history covers.
		assert.deepEqual([partial.long.value, partial.long.coveredMs, formatBurn(partial.long)], [null, 600_000, '10m of 1h']);
		assert.deepEqual([partial.fast, partial.slow], [false, false]);
		const full = sloReport([o], measure(3_590_000), 300_000).objectives[0]!.burn;
		assert.equal(full.fast, true);
	});
});

describe('goodput and backlog', () => {
	test('goodput is an honest range: at most the worst attainment, at least one minus every miss', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.double({min: 0, max: 1, noNaN: true})), {minLength: 1, maxLength: 4}), fc.double({min: 0, max: 1e4, noNaN: true}), (pairs, rate) => {
				const verdicts = pairs.map(([x, y]) => {
					const [lower, upper] = x < y ? [x, y] : [y, x];
					return judge(objective('ttft<=1s:99%'), windowWith('ttft', {buckets: b([[0.5, lower * 100], [1, upper * 100], [INF, 100]]), rate: 100}));
				});
				const g = goodput(rate, verdicts)!;
				assert.ok(g.min >= 0 && g.min <= g.max + 1e-9 && g.max <= rate + 1e-9);
			}),
		);
		const two = [judge(objective('ttft<=1s:99%'), windowWith('ttft', {buckets: b([[1, 90], [INF, 100]]), rate: 100})), judge(objective('tpot<=1s:99%'), windowWith('tpot', {buckets: b([[1, 95], [INF, 100]]), rate: 100}))];
		const g = goodput(10, two)!;
		assert.ok(Math.abs(g.min - 8.5) < 1e-9 && Math.abs(g.max - 9) < 1e-9);
	});

	test("backlog by Little's law", () => {
		const x = backlog(12, 10, 40)!;
		assert.equal(x.growth, 2);
		assert.ok(Math.abs(x.residence! - 40 / 12) < 1e-12);
		assert.equal(x.drain, 4);
		assert.equal(backlog(null, 10, 4), null);
		assert.equal(backlog(1, 0, 5)!.drain, null);
	});
});

describe('the fleet and the report', () => {
	const measure = (good: number, total: number, seconds: number): SloMeasure => ({
		t: 0,
		members: 1,
		inFlight: 3,
		spark: new Map(),
		windows: [windowWith('ttft', {buckets: b([[0.5, good / seconds], [1, total / seconds], [INF, total / seconds]]), rate: total / seconds}, 60_000, {completions: total / seconds, tokens: (10 * total) / seconds, arrivals: total / seconds})],
	});

	test('targets merge as rates before dividing (sum(rate(bucket)) / sum(rate(count)))', () => {
		const fleet = mergeMeasures([measure(90, 100, 60), measure(10, 50, 30)])!;
		const v = judge(objective('ttft<=0.5s:90%'), fleet.windows[0]);
		const expected = (90 / 60 + 10 / 30) / (100 / 60 + 50 / 30);
		assert.ok(Math.abs(v.attainment!.value - expected) < 1e-15);
		assert.equal(v.status, 'breached');
		assert.equal(fleet.inFlight, 6);
	});

	test('the strip says all met, or the worst one with its burn', () => {
		const o = [objective('ttft<=0.5s:80%'), objective('ttft<=1s:99%')];
		assert.equal(verdictStripText(sloReport(o, measure(90, 100, 60), 60_000), EN_SLO), 'SLO 2/2 met');
		const bad = sloReport([objective('ttft<=0.5s:99%'), ...o], measure(90, 100, 60), 60_000);
		// No 5 m window in this measure: no burn (the strip's burn is the 5 m one, never the display window's).
		assert.equal(verdictStripText(bad, EN_SLO), '✗ TTFT ≤ 500 ms for 99 %: 90 %');
		const five = {...measure(90, 100, 60), windows: [measure(90, 100, 60).windows[0]!, {...measure(95, 100, 300).windows[0]!, windowMs: 300_000, coveredMs: 300_000}]};
		assert.equal(verdictStripText(sloReport([objective('ttft<=0.5s:99%'), ...o], five, 60_000), EN_SLO), '✗ TTFT ≤ 500 ms for 99 %: 90 %, burn 5.0x');
		assert.equal(bad.met, 2);
	});
});
