/**
 * A histogram's lifetime and window statistics are worked out when first read (an idle Overview
 * reads 7 of 11 windows and no lifetime). They must be what the scrape gives whenever they are
 * read: before the next scrape, after many more (the history has moved on and dropped the entries
 * the window spanned), and in `--json` output.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {generateScrapes} from '../../demo/sim/generate.js';
import {derive, type Derived} from '../../source/metrics/derive.js';
import {History} from '../../source/metrics/history.js';
import {lifetimeStats, rangeOf, windowStats, type HistogramStats} from '../../source/metrics/window-stats.js';
import {buildSnapshot, type Snapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';

function snapshots(count: number): Snapshot[] {
	return [...generateScrapes({scenario: 'restart', era: '2.3', seed: 5, intervalSeconds: 1, count})].map(s => buildSnapshot(parseExposition(s.text), s.t));
}

test('lifetime and window statistics read late equal those of the scrape they belong to', () => {
	const all = snapshots(90);
	const history = new History(20);
	const kept: {derived: Derived; snapshot: Snapshot; windows: Map<string, HistogramStats | null>}[] = [];
	for (const snapshot of all) {
		history.push(snapshot);
		const derived = derive(history, {windowMs: 10_000})!;
		// The windows as computed at once, from the history as it is now.
		const range = rangeOf(history, 10_000, 3);
		const windows = new Map([...derived.metrics].filter(([, m]) => m.kind === 'histogram').map(([key]) => [key, history.size > 1 ? windowStats(history, range, key) : null] as const));
		kept.push({derived, snapshot, windows});
	}
	let histograms = 0;
	// Read only now: 90 scrapes later, the history (20 entries) has long dropped most of these.
	for (const {derived, snapshot, windows} of kept) {
		for (const [key, metric] of derived.metrics) {
			if (metric.kind !== 'histogram') continue;
			const data = snapshot.metrics.get(key);
			assert.equal(data?.kind, 'histogram');
			if (data?.kind !== 'histogram') continue;
			assert.deepEqual(metric.lifetime, lifetimeStats(data.hist), `${key} at ${snapshot.t}`);
			assert.deepEqual(metric.window, windows.get(key), `${key} window at ${snapshot.t}`);
			// Read twice: the same object (worked out once).
			assert.equal(metric.lifetime, metric.lifetime);
			assert.equal(metric.window, metric.window);
			histograms++;
		}
	}
	assert.ok(histograms > 500, `histograms checked: ${histograms}`);
});

test('lifetime and window statistics are in the JSON of a derive, as ordinary values', () => {
	const history = new History(10);
	for (const snapshot of snapshots(5)) history.push(snapshot);
	const derived = derive(history, {windowMs: 10_000})!;
	const [key, metric] = [...derived.metrics].find(([, m]) => m.kind === 'histogram')!;
	assert.equal(metric.kind, 'histogram');
	const json = JSON.parse(JSON.stringify(metric)) as {lifetime?: {count?: number}; window?: {count?: number}};
	assert.equal(typeof json.lifetime?.count, 'number', key);
	assert.equal(typeof json.window?.count, 'number', key);
	assert.deepEqual({...metric}.lifetime, metric.kind === 'histogram' ? metric.lifetime : undefined);
});
