/**
 * extrapolator() works out a range's edges once for every bucket of a histogram (window-stats.ts):
 * each series' result must be the very double extrapolate() gives it, on both Prometheus versions,
 * near a counter's start (the zero clamp) and at the edges' thresholds.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {extrapolate, extrapolator} from '../../source/metrics/window.js';
import {seededRandom} from '../helpers/random.js';

test('extrapolator() gives each series the double extrapolate() gives it', () => {
	const random = seededRandom(42);
	let stretched = 0;
	for (let i = 0; i < 20_000; i++) {
		const rangeMs = [10_000, 60_000, 300_000][i % 3]!;
		const endMs = 1_000_000 + Math.floor(random() * 1000);
		const firstT = endMs - rangeMs + Math.floor(random() * rangeMs * 0.3) - (random() < 0.1 ? rangeMs : 0);
		const lastT = endMs - Math.floor(random() * 3000);
		const samples = 1 + Math.floor(random() * 70);
		const version = random() < 0.5 ? 2 : 3;
		const ext = extrapolator(firstT, lastT, samples, endMs, rangeMs, version);
		for (let k = 0; k < 5; k++) {
			const first = random() < 0.2 ? 0 : random() < 0.5 ? random() * 10 : random() * 1e6;
			const increase = random() < 0.1 ? 0 : random() * (random() < 0.5 ? 10 : 1e6);
			const one = extrapolate({firstT, lastT, samples, first, increase}, endMs, rangeMs, version);
			assert.equal(ext === null, one === null);
			if (ext && one) {
				assert.ok(Object.is(ext(first, increase), one.increase), `${firstT} ${lastT} ${samples} ${first} ${increase} v${version}`);
				if (one.increase !== increase) stretched++;
			}
		}
	}
	assert.ok(stretched > 10_000, `${stretched}`);
});
