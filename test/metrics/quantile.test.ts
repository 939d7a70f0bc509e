import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {counterIncrease, extrapolatedRate, histogramQuantile, normaliseBuckets} from '../../source/metrics/quantile.js';

const INF = Number.POSITIVE_INFINITY;
const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({le, count}));

// Every expected value below is worked by hand from promql/quantile.go's rules.
describe('histogram_quantile', () => {
	const h = b([[0.1, 10], [0.5, 30], [1, 40], [INF, 40]]);

	test('interpolates linearly inside the bucket that holds the rank', () => {
		// rank 20 lands in (0.1, 0.5] holding 20; 10 of them are needed: 0.1 + 0.4 · 10/20
		const p50 = histogramQuantile(0.5, h);
		assert.ok(Math.abs(p50.value! - 0.3) < 1e-12);
		assert.equal(p50.aboveTopBucket, false);
		// rank 39.6 lands in (0.5, 1] holding 10; 9.6 needed: 0.5 + 0.5 · 0.96
		const p99 = histogramQuantile(0.99, h);
		assert.ok(Math.abs(p99.value! - 0.98) < 1e-12);
		assert.equal(p99.aboveTopBucket, false);
	});

	test('the first bucket interpolates from zero', () => {
		// rank 4 of 40 in (0, 0.1] holding 10: 0.1 · 4/10
		assert.ok(Math.abs(histogramQuantile(0.1, h).value! - 0.04) < 1e-12);
	});

	test('a rank in +Inf returns the top finite bound, flagged as above it', () => {
		assert.deepEqual(histogramQuantile(0.5, b([[0.5, 0], [1, 0], [INF, 30]])), {value: 1, aboveTopBucket: true});
		assert.deepEqual(histogramQuantile(0.99, b([[0.5, 50], [1, 90], [INF, 100]])), {value: 1, aboveTopBucket: true});
	});

	test('non-monotonic buckets are forced up to the envelope', () => {
		assert.deepEqual(normaliseBuckets(b([[0.1, 10], [0.5, 8], [1, 12], [INF, 12]])).map(x => x.count), [10, 10, 12, 12]);
		// rank 6 of 12 in (0, 0.1] holding 10 → 0.06
		assert.ok(Math.abs(histogramQuantile(0.5, b([[0.1, 10], [0.5, 8], [1, 12], [INF, 12]])).value! - 0.06) < 1e-12);
	});

	test('buckets with the same bound (several series) are added before estimating', () => {
		const merged = normaliseBuckets(b([[INF, 10], [0.1, 5], [INF, 10], [0.1, 5]]));
		assert.deepEqual(merged, b([[0.1, 10], [INF, 20]]));
		assert.deepEqual(histogramQuantile(0.5, merged), {value: 0.1, aboveTopBucket: false});
	});

	test('in-order bounds take a shortcut that gives what sorting and merging give', () => {
		// A NaN bound is dropped, and sends the same buckets down the general path (filter, sort, merge).
		const reference = (input: {le: number; count: number}[]) => normaliseBuckets([...input, {le: Number.NaN, count: 1}]);
		const bound = fc.oneof(fc.constantFrom(0.005, 0.1, 0.5, 1, 2.5, 10, INF, -INF, Number.NaN, 0), fc.double({noNaN: true}));
		const bucket = fc.record({le: bound, count: fc.oneof(fc.nat(1000), fc.double({min: 0, max: 1e6, noNaN: true}))}).map(x => ({le: x.le, count: x.count}));
		// Sorted, strictly increasing lists (the shortcut) as well as any list (the general path).
		const sortedBuckets = fc.array(bucket, {maxLength: 12}).map(xs => {
			const seen = new Set<number>();
			return xs.filter(x => !Number.isNaN(x.le) && !seen.has(x.le) && seen.add(x.le)).sort((p, q) => p.le - q.le);
		});
		fc.assert(
			fc.property(fc.oneof(sortedBuckets, fc.array(bucket, {maxLength: 12})), input => {
				const copy = input.map(x => ({...x}));
				assert.deepEqual(normaliseBuckets(input), reference(copy));
				assert.deepEqual(input, copy, 'the input is left as it was');
			}),
			{numRuns: 3000, seed: 42},
		);
	});

	test('tiny floating-point differences are ignored, not treated as observations', () => {
		const n = normaliseBuckets(b([[0.1, 10], [0.5, 10 + 1e-14], [1, 20], [INF, 20]]));
		assert.equal(n[1]!.count, 10);
	});

	test('no +Inf bucket, no observations, or a bad q give no estimate', () => {
		assert.deepEqual(histogramQuantile(0.5, b([[0.1, 10], [1, 20]])), {value: null, aboveTopBucket: false});
		assert.deepEqual(histogramQuantile(0.5, b([[0.1, 0], [INF, 0]])), {value: null, aboveTopBucket: false});
		assert.deepEqual(histogramQuantile(0.5, b([[INF, 5]])), {value: null, aboveTopBucket: false});
		assert.equal(histogramQuantile(Number.NaN, h).value, null);
		assert.equal(histogramQuantile(1.5, h).value, null);
	});

	test('a first bucket with a bound at or below zero returns that bound', () => {
		assert.deepEqual(histogramQuantile(0.1, b([[-1, 5], [INF, 10]])), {value: -1, aboveTopBucket: false});
	});
});

describe('counter increase and rate', () => {
	const s = (pairs: [number, number][]) => pairs.map(([t, v]) => ({t: t * 1000, v}));

	test('adds the value before each reset', () => {
		// 10→15 (+5), restart to 3 (+3), 3→8 (+5)
		assert.equal(counterIncrease(s([[0, 10], [1, 15], [2, 3], [3, 8]])), 13);
		assert.equal(counterIncrease(s([[0, 10], [1, 0]])), 0);
	});

	test('needs two samples', () => {
		assert.equal(counterIncrease(s([[0, 10]])), null);
		assert.equal(extrapolatedRate(s([[0, 10]]), 60_000, 60_000), null);
	});

	test('extrapolates to the window edges but not below zero', () => {
		// Samples every 10 s from 5 s to 55 s, counting from 0: the zero point caps the start.
		// increase 50 · (50 + 0 + 5)/50 = 55 over 60 s
		const fromZero = s([[5, 0], [15, 10], [25, 20], [35, 30], [45, 40], [55, 50]]);
		assert.ok(Math.abs(extrapolatedRate(fromZero, 60_000, 60_000)! - 55 / 60) < 1e-12);
		// From 100: both edges extrapolate 5 s: 50 · 60/50 = 60 over 60 s
		const from100 = s([[5, 100], [15, 110], [25, 120], [35, 130], [45, 140], [55, 150]]);
		assert.ok(Math.abs(extrapolatedRate(from100, 60_000, 60_000)! - 1) < 1e-12);
	});

	test('a gap larger than 1.1 average intervals extrapolates only half an interval', () => {
		// Samples at 30 s and 40 s in a 60 s range ending at 60 s: avg 10, threshold 11;
		// start gap 30 → 5, zero point 10·100/10 = 100 is larger; end gap 20 → 5. 10 · 20/10 / 60
		assert.ok(Math.abs(extrapolatedRate(s([[30, 100], [40, 110]]), 60_000, 60_000)! - 20 / 60) < 1e-12);
	});
});
