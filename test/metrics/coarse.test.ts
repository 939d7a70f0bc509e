/**
 * Percentiles that claim only what the buckets know (issue 14 §2): each estimate carries the bucket
 * it fell in and whether that bucket is too wide to interpolate in; too few observations give no
 * percentiles to show. The Prometheus figure itself never changes.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {histogramStats, MIN_PERCENTILE_COUNT} from '../../source/metrics/derive.js';
import {formatQuantile, TOO_FEW, TOO_FEW_SHORT} from '../../source/format.js';
import {bucketQuantile, isCoarseBucket, normaliseBuckets, quantileEstimate, type Bucket} from '../../source/metrics/quantile.js';

const INF = Number.POSITIVE_INFINITY;
// FastDeploy's bucket sets (reference/fastdeploy-metrics.md §4).
const LAT_B = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
const TTFT_B = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0];
const TPOT_B = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0];
const TOK_B = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000];

/** Cumulative buckets of `bounds` + +Inf holding the given observations. */
function bucketsOf(bounds: readonly number[], observations: readonly number[]): Bucket[] {
	return [...bounds, INF].map(le => ({le, count: observations.filter(o => o <= le).length}));
}

describe('the bucket a percentile fell in', () => {
	test('Queue, every observation in the first bucket (0–0.3 s): the interpolated 150/270/297 ms are the bucket, not a spread', () => {
		// The report that started it: mean 610 µs, p50 150 ms, p90 270 ms, p99 297 ms.
		const observations = Array.from({length: 40}, () => 0.00061);
		const s = histogramStats(bucketsOf(LAT_B, observations), 0.00061 * 40, 40, 60);
		assert.ok(Math.abs(s.mean! - 0.00061) < 1e-15);
		// Prometheus' figures are kept as they are…
		assert.ok(Math.abs(s.p50.value! - 0.15) < 1e-12);
		assert.ok(Math.abs(s.p90.value! - 0.27) < 1e-12);
		assert.ok(Math.abs(s.p99.value! - 0.297) < 1e-12);
		// …and each says it only knows the bucket.
		for (const p of [s.p50, s.p90, s.p99]) {
			assert.deepEqual(p.bounds, [0, 0.3]);
			assert.equal(p.coarse, true);
			assert.equal(p.tooFew, false);
		}
	});

	test('Decode with one request: the percentiles are there for JSON, flagged as too few to show', () => {
		const s = histogramStats(bucketsOf(LAT_B, [4]), 4, 1, null);
		assert.equal(s.tooFew, true);
		assert.equal(s.mean, 4);
		assert.equal(s.p50.value, 3.75);
		assert.equal(s.p90.value, 4.75);
		assert.ok(Math.abs(s.p99.value! - 4.975) < 1e-12);
		for (const p of [s.p50, s.p90, s.p99]) {
			assert.equal(p.tooFew, true);
			assert.deepEqual(p.bounds, [2.5, 5]);
			assert.equal(p.coarse, false, '2.5–5 s is exactly a factor of two');
		}
	});

	test(`${MIN_PERCENTILE_COUNT} observations are enough, ${MIN_PERCENTILE_COUNT - 1} are not; none is not "too few" but nothing`, () => {
		assert.equal(MIN_PERCENTILE_COUNT, 5);
		const five = [0.2, 0.3, 0.4, 0.45, 0.7];
		assert.equal(histogramStats(bucketsOf(TPOT_B, five), 2.05, 5, 10).tooFew, false);
		assert.equal(histogramStats(bucketsOf(TPOT_B, five.slice(1)), 1.85, 4, 10).tooFew, true);
		const none = histogramStats(bucketsOf(TPOT_B, []), 0, 0, 10);
		assert.equal(none.tooFew, false);
		assert.deepEqual(none.p99, {value: null, aboveTopBucket: false, bounds: null, coarse: false, tooFew: false});
	});

	test('FastDeploy bucket sets: which buckets are coarse', () => {
		const coarse = (bounds: readonly number[]) =>
			bounds
				.map((le, i) => [i === 0 ? 0 : bounds[i - 1]!, le] as const)
				.filter(([lo, hi], i) => i === 0 || isCoarseBucket(lo, hi))
				.map(([lo, hi]) => `${lo}-${hi}`);
		assert.deepEqual(coarse(LAT_B), ['0-0.3', '1920-7680']);
		assert.deepEqual(coarse(TTFT_B), ['0-0.001', '0.001-0.005', '0.1-0.25']);
		assert.deepEqual(coarse(TPOT_B), ['0-0.01', '0.01-0.025']);
		assert.deepEqual(coarse(TOK_B), ['0-1', '2-5', '20-50', '200-500', '2000-5000']);
	});

	test('above the top bucket: bounds [top, +Inf], coarse, the value still the top bound', () => {
		const e = quantileEstimate(0.99, normaliseBuckets(bucketsOf(TTFT_B, [0.2, 3, 4, 5])));
		assert.deepEqual(e, {value: 1, aboveTopBucket: true, bounds: [1, INF], coarse: true});
	});

	test('a first bucket at or below zero: the bound itself, known only as "at most"', () => {
		assert.deepEqual(quantileEstimate(0.1, [{le: -1, count: 5}, {le: INF, count: 10}]), {value: -1, aboveTopBucket: false, bounds: [-INF, -1], coarse: true});
		assert.equal(isCoarseBucket(-10, -5), false);
		assert.equal(isCoarseBucket(-10, -4), true);
		assert.equal(isCoarseBucket(-1, 1), true);
	});

	test('property: for any bucket layout and counts, the value is Prometheus\', inside its bucket, and coarse by the rule', () => {
		const layout = fc.uniqueArray(fc.double({min: 1e-6, max: 1e4, noNaN: true}), {minLength: 1, maxLength: 20}).map(xs => xs.sort((a, b) => a - b));
		const input = layout.chain(bounds =>
			fc.record({
				bounds: fc.constant(bounds),
				counts: fc.array(fc.oneof(fc.nat(50), fc.double({min: 0, max: 1e3, noNaN: true})), {minLength: bounds.length + 1, maxLength: bounds.length + 1}),
				q: fc.oneof(fc.constantFrom(0, 0.5, 0.9, 0.99, 1), fc.double({min: 0, max: 1, noNaN: true})),
			}),
		);
		fc.assert(
			fc.property(input, ({bounds, counts, q}) => {
				// Per-bucket counts made cumulative, as on the wire.
				let total = 0;
				const buckets = normaliseBuckets([...bounds, INF].map((le, i) => ({le, count: (total += counts[i]!)})));
				const e = quantileEstimate(q, buckets);
				const prometheus = bucketQuantile(q, buckets);
				assert.equal(e.value, prometheus.value);
				assert.equal(e.aboveTopBucket, prometheus.aboveTopBucket);
				if (e.value === null) {
					assert.equal(e.bounds, null);
					assert.equal(e.coarse, false);
					return;
				}
				const [lo, hi] = e.bounds!;
				const les = buckets.map(b => b.le);
				const i = les.indexOf(hi);
				assert.ok(i >= 0, `upper bound ${hi} is a bucket bound`);
				assert.equal(lo, i === 0 ? 0 : les[i - 1]);
				// Inside, up to the last bit of Prometheus' interpolation (start + width · 1 may round up).
				const slack = 1e-12 * Math.max(Math.abs(lo), Math.abs(e.value));
				assert.ok(e.value >= lo - slack && e.value <= hi + slack, `${e.value} in [${lo}, ${hi}]`);
				assert.equal(e.aboveTopBucket, hi === INF);
				assert.equal(e.coarse, i === 0 || hi === INF || hi > 2 * lo);
				// A higher quantile never falls in a lower bucket.
				const higher = quantileEstimate(Math.min(1, q + 0.1), buckets);
				assert.ok(higher.bounds![1] >= hi);
			}),
			{numRuns: 2000, seed: 14},
		);
	});
});

describe('a coarse percentile as text', () => {
	test('the bucket, in as much room as a cell has: the range, else "≤ upper", never wider than 9', () => {
		const q = (bounds: [number, number]) => ({value: (bounds[0] + bounds[1]) / 2, aboveTopBucket: false, bounds, coarse: true});
		assert.equal(formatQuantile(q([0, 0.3]), 'seconds'), '≤ 300 ms');
		assert.equal(formatQuantile(q([0, 0.3]), 'seconds', {width: 7}), '≤300 ms');
		assert.equal(formatQuantile(q([0.1, 0.25]), 'seconds'), '100–250 ms');
		assert.equal(formatQuantile(q([0.1, 0.25]), 'seconds', {width: 8}), '≤ 250 ms');
		assert.equal(formatQuantile(q([0.3, 0.6]), 'seconds'), '0.3–0.6 s');
		assert.equal(formatQuantile(q([0.1, 0.25]), 'seconds', {ascii: true}), '100-250 ms');
		assert.equal(formatQuantile(q([0, 0.3]), 'seconds', {ascii: true}), '<= 300 ms');
		assert.equal(formatQuantile(q([2000, 5000]), 'tokens'), '2k–5k');
		// Not coarse: the estimate as before; above the top: "> 1 s" as before.
		assert.equal(formatQuantile({...q([0.25, 0.5]), value: 0.3, coarse: false}, 'seconds'), '300 ms');
		assert.equal(formatQuantile({value: 1, aboveTopBucket: true, bounds: [1, INF], coarse: true}, 'seconds'), '> 1 s');
		assert.equal(formatQuantile({...q([2.5, 5]), tooFew: true}, 'seconds'), TOO_FEW_SHORT);
		assert.equal(formatQuantile({...q([2.5, 5]), tooFew: true}, 'seconds', {width: 11}), TOO_FEW);
		fc.assert(
			fc.property(fc.double({min: 0, max: 1e6, noNaN: true}), fc.double({min: 1e-7, max: 1e6, noNaN: true}), fc.constantFrom('seconds', 'milliseconds', 'tokens', 'ratio'), (lo, span, unit) => {
				const text = formatQuantile(q([lo, lo + span]), unit as 'seconds', {width: 9});
				assert.ok(text.length <= 9, `${JSON.stringify(text)} for [${lo}, ${lo + span}] ${unit}`);
			}),
			{numRuns: 3000, seed: 14},
		);
	});
});
