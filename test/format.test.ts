/**
 * Every number formatter has a bounded width (issue 13, item 8): `1e308` tokens once printed
 * `9.999999999999998e+295T` and a 1e308 KV gauge `Infinity %`. For any double at all, each
 * formatter's text is at most FORMAT_WIDTH wide, so the columns sized from it never break.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {FORMAT_WIDTH, formatBytes, formatCount, formatDuration, formatQuantile, formatRate, formatRatio, formatSeconds, formatValue} from '../source/format.js';

const EDGES = [1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -5e-324, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 999.95, 999_950, 9.995, 59.95, 3599.6, 0.9996, 0.0009996, 9.995e20, 1e21, 2 ** 53, 1023.95 * 1024];
const anyDouble = fc.oneof(fc.double(), fc.constantFrom(...EDGES), fc.integer().map(n => n * 1000 + 0.5));

const FORMATTERS: [string, (n: number) => string, number][] = [
	['formatCount', formatCount, FORMAT_WIDTH.count],
	['formatSeconds', formatSeconds, FORMAT_WIDTH.seconds],
	['formatRatio', formatRatio, FORMAT_WIDTH.ratio],
	['formatBytes', formatBytes, FORMAT_WIDTH.bytes],
	['formatDuration', formatDuration, FORMAT_WIDTH.duration],
	['formatRate', n => formatRate(n), FORMAT_WIDTH.count + 2],
	['formatValue ms', n => formatValue(n, 'milliseconds'), FORMAT_WIDTH.seconds],
	['formatValue tokens', n => formatValue(n, 'tokens'), FORMAT_WIDTH.count],
	['formatQuantile above top', n => formatQuantile({value: n, aboveTopBucket: true}, 'seconds'), FORMAT_WIDTH.seconds + 2],
];

for (const [name, format, width] of FORMATTERS) {
	test(`${name}: at most ${width} characters for every double (1e308, -1e308, 5e-324, NaN, ±Infinity included)`, () => {
		for (const edge of EDGES) assert.ok(format(edge).length <= width, `${name}(${edge}) = ${JSON.stringify(format(edge))}`);
		fc.assert(
			fc.property(anyDouble, n => {
				const text = format(n);
				return text.length <= width && !/Infinity|NaN|e\+|undefined/.test(text);
			}),
			{numRuns: 5000},
		);
	});
}

test('the cases of the issue read as numbers, in their columns', () => {
	assert.equal(formatCount(1e308), '1e308');
	assert.equal(formatCount(-1e308), '-1e308');
	assert.equal(formatRatio(1e308), '>999 %');
	assert.equal(formatSeconds(1e308), '1e308 s');
	assert.equal(formatCount(999_950), '1.00M', 'rounding never writes 1000.0k');
	assert.equal(formatSeconds(-75), '-1m15s', 'the sign is kept');
	assert.equal(formatCount(1234), '1.23k');
	assert.equal(formatSeconds(0.85), '850 ms');
	assert.equal(formatRatio(0.38), '38 %');
});
