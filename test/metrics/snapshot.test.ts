/**
 * histogramFromFamily on parsed text: one series in order (the common case, read straight), and
 * the shapes that need merging by bound (out of order, a bound written twice, several series,
 * differing layouts); each checked against counts worked out by hand.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseExposition} from '../../source/prom/index.js';
import {histogramFromFamily} from '../../source/metrics/snapshot.js';

function histogram(lines: string[]) {
	const parsed = parseExposition(`# TYPE h histogram\n${lines.join('\n')}\n`);
	assert.equal(parsed.skippedLines, 0);
	const result = histogramFromFamily(parsed.families[0]!);
	assert.ok(result);
	return {les: [...result.hist.les], counts: [...result.hist.counts], sum: result.hist.sum, count: result.hist.count, layoutsDiffer: result.layoutsDiffer};
}

test('one series in order is read as written', () => {
	assert.deepEqual(histogram(['h_bucket{le="0.5"} 1', 'h_bucket{le="1"} 3', 'h_bucket{le="+Inf"} 4', 'h_sum 2.5', 'h_count 4']), {
		les: [0.5, 1, Infinity],
		counts: [1, 3, 4],
		sum: 2.5,
		count: 4,
		layoutsDiffer: false,
	});
});

test('buckets out of order are sorted by bound', () => {
	assert.deepEqual(histogram(['h_bucket{le="+Inf"} 4', 'h_bucket{le="0.5"} 1', 'h_bucket{le="1"} 3', 'h_count 4', 'h_sum 2.5']).counts, [1, 3, 4]);
});

test('one bound written two ways ("1" and "1.0") is one bucket, summed as PromQL sums by le', () => {
	const h = histogram(['h_bucket{le="1"} 3', 'h_bucket{le="1.0"} 2', 'h_bucket{le="+Inf"} 6']);
	assert.deepEqual([h.les, h.counts, h.layoutsDiffer], [[1, Infinity], [5, 6], false]);
});

test('several series merge bucket by bucket; differing layouts are flagged', () => {
	const same = histogram(['h_bucket{le="1",pid="1"} 1', 'h_bucket{le="+Inf",pid="1"} 2', 'h_bucket{le="1",pid="2"} 3', 'h_bucket{le="+Inf",pid="2"} 5', 'h_sum{pid="1"} 1', 'h_sum{pid="2"} 2']);
	assert.deepEqual([same.les, same.counts, same.sum, same.layoutsDiffer], [[1, Infinity], [4, 7], 3, false]);
	const differ = histogram(['h_bucket{pid="1",le="1"} 1', 'h_bucket{pid="1",le="+Inf"} 2', 'h_bucket{pid="2",le="2"} 3', 'h_bucket{pid="2",le="+Inf"} 5']);
	assert.deepEqual([differ.les, differ.counts, differ.layoutsDiffer], [[1, 2, Infinity], [1, 3, 7], true]);
});

test('a bucket without a readable le is skipped; no bucket at all is no histogram', () => {
	assert.deepEqual(histogram(['h_bucket{le="x"} 9', 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 2']).counts, [1, 2]);
	const parsed = parseExposition('# TYPE h histogram\nh_sum 1\nh_count 1\n');
	assert.equal(histogramFromFamily(parsed.families[0]!), undefined);
});
