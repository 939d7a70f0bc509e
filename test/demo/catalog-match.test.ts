import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {generateScrapes} from '../../demo/sim/generate.js';
import {parseExposition} from '../../source/prom/parse.js';
import {catalogEntryForFamily, SPEC_HEAD_PREFIX} from '../../source/metrics/catalog.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';

for (const era of ['2.0', '2.3', 'newest'] as const) {
	describe(`simulator era ${era} against the catalog`, () => {
		const scrapes = [...generateScrapes({scenario: 'steady', era, seed: 3, intervalSeconds: 1, count: 2, warmupSeconds: 120, fdDebug: era !== '2.0'})];
		const parsed = parseExposition(scrapes.at(-1)!.text);

		test('parses with no skipped line', () => {
			assert.equal(parsed.skippedLines, 0, parsed.firstError?.message);
		});

		test('every family is known to the catalog, name for name', () => {
			const unknown = parsed.families.map(f => f.name).filter(name => !catalogEntryForFamily(name) && !name.startsWith(SPEC_HEAD_PREFIX));
			assert.deepEqual(unknown, []);
		});

		test('histograms match the catalog bucket for bucket at the top', () => {
			const snapshot = buildSnapshot(parsed, scrapes.at(-1)!.t);
			for (const family of parsed.families) {
				const match = catalogEntryForFamily(family.name);
				if (!match || match.entry.kind !== 'histogram' || match.entry.topBucket === undefined) continue;
				const data = snapshot.metrics.get(match.entry.key);
				assert.ok(data?.kind === 'histogram', family.name);
				const finite = data.hist.buckets.filter(b => Number.isFinite(b.le));
				assert.equal(finite.at(-1)!.le, match.entry.topBucket, `${family.name} top bucket`);
				assert.equal(data.hist.buckets.at(-1)!.le, Number.POSITIVE_INFINITY);
			}
		});

		test('the numbers hang together: mean TTFT ≥ mean queue time in 2.3', () => {
			const snapshot = buildSnapshot(parsed, scrapes.at(-1)!.t);
			const ttft = snapshot.metrics.get('ttft');
			const queue = snapshot.metrics.get('queueTime');
			assert.ok(ttft?.kind === 'histogram' && queue?.kind === 'histogram');
			assert.ok(ttft.hist.count > 0);
			if (era !== '2.0') assert.ok(ttft.hist.sum / ttft.hist.count >= queue.hist.sum / queue.hist.count);
		});
	});
}
