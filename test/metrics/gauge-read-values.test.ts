/**
 * A gauge of several series is read from the scrape's values with no array in between
 * (snapshot.ts readScalar): every catalog gauge, every combine rule, with random values among
 * NaN, ±Inf, -0 and ordinary numbers, must give what the array code it replaced gives (kept here).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {maxOf} from '../../source/arrays.js';
import {CATALOG} from '../../source/metrics/catalog.js';
import type {Combine} from '../../source/metrics/catalog-types.js';
import {ScrapeCache} from '../../source/metrics/snapshot-plan-cache.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';

/** snapshot.ts's combine() before it read values in place. */
function combine(values: number[], how: Combine): number {
	const finite = values.filter(v => Number.isFinite(v));
	if (finite.length === 0) return values[0] ?? Number.NaN;
	switch (how) {
		case 'sum':
			return finite.reduce((a, b) => a + b, 0);
		case 'max':
			return maxOf(finite);
		case 'mean':
			return finite.reduce((a, b) => a + b, 0) / finite.length;
		case 'first':
			return finite[0]!;
		case 'live':
			return finite.reduce((a, b) => a + b, 0) / finite.length;
	}
}

const wire = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : Object.is(v, -0) ? '-0' : String(v));
const value = fc.oneof(
	fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, 0.1, 0.2, 0.7, 2 ** 53, 2 ** 53 + 2),
	fc.double({min: -1e6, max: 1e6, noNaN: true}),
	fc.integer({min: 0, max: 5000}),
);

const gauges = CATALOG.filter(e => e.kind === 'gauge' && (e.wire.fastdeploy?.length ?? 0) > 0);

test('every catalog gauge of several series reads as the array code did, through a scrape cache hit too', () => {
	assert.ok(new Set(gauges.map(e => e.combine)).size >= 3, 'several combine rules are covered');
	fc.assert(
		fc.property(fc.constantFrom(...gauges), fc.array(value, {minLength: 1, maxLength: 6}), fc.array(value, {minLength: 6, maxLength: 6}), (entry, first, second) => {
			const name = entry.wire.fastdeploy![0]!;
			const text = (vs: number[]) => `# TYPE ${name} gauge\n${vs.map((v, i) => `${name}{pid="${i}"} ${wire(v)}\n`).join('')}`;
			const cache = new ScrapeCache();
			// The second scrape has the first's shape (a hit), with other values.
			for (const [t, vs] of [[1, first], [2, second.slice(0, first.length)]] as const) {
				const body = text(vs);
				const cached = cache.snapshot(cache.parse(body), t);
				assert.deepStrictEqual(cached, buildSnapshot(parseExposition(body), t));
				const data = cached.metrics.get(entry.key);
				if (data === undefined) continue; // a value it cannot trust: not shown (warned)
				assert.equal(data.kind, 'gauge');
				const expected = vs.length === 1 ? vs[0]! : combine(vs, entry.combine);
				assert.ok(Object.is(data.kind === 'gauge' ? data.value : undefined, expected), `${entry.key} ${entry.combine} ${vs.map(wire).join(' ')}: ${data.kind === 'gauge' ? data.value : ''} != ${expected}`);
			}
			assert.equal(cache.stats.hits, 1);
		}),
		{numRuns: 400, seed: 20261207, examples: gauges.flatMap(e => [[e, [-0, 0], [0, -0, 0, 0, 0, 0]], [e, [Number.NaN, -0, 0], [Infinity, Number.NaN, -0, 0, 0, 0]], [e, [0.5, Number.NaN], [Number.NaN, Number.NaN, 0, 0, 0, 0]]] as [typeof e, number[], number[]][])},
	);
});
