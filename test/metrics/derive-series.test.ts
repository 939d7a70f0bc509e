/**
 * Chart series are extended from the previous derive of the same history, not rebuilt: whatever
 * the window, the keys asked for, wraparound, counter resets and metrics that come and go, every
 * series must equal the one a first derive of the same history gives.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {generateScrapes} from '../../demo/sim/generate.js';
import {derive, type Derived} from '../../source/metrics/derive.js';
import {History} from '../../source/metrics/history.js';
import {buildSnapshot, type Snapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';
import {seededRandom} from '../helpers/random.js';

function snapshots(scenario: 'restart' | 'steady', count: number, seed: number): Snapshot[] {
	const out: Snapshot[] = [];
	for (const s of generateScrapes({scenario, era: '2.3', seed, intervalSeconds: 1, count})) out.push(buildSnapshot(parseExposition(s.text), s.t));
	return out;
}

/** The same snapshot without some metrics (a family that disappears for a scrape). */
function without(snapshot: Snapshot, drop: (key: string) => boolean): Snapshot {
	return {...snapshot, metrics: new Map([...snapshot.metrics].filter(([key]) => !drop(key)))};
}

/** A derive with no predecessor: a new history given the same snapshots. */
function fresh(pushed: readonly Snapshot[], capacity: number, windowMs: number): Derived | null {
	const history = new History(capacity);
	for (const s of pushed) history.push(s);
	return derive(history, {windowMs});
}

function assertSameSeries(actual: Derived | null, expected: Derived | null, keys: Iterable<string>, where: string): void {
	assert.deepEqual(actual?.times, expected?.times, `${where}: times`);
	for (const key of keys) assert.deepEqual(actual?.series.get(key), expected?.series.get(key), `${where}: ${key}`);
}

for (const scenario of ['restart', 'steady'] as const) {
	test(`series extended from the previous derive equal a first derive (${scenario}, random windows, keys and gaps)`, () => {
		const random = seededRandom(scenario === 'restart' ? 7 : 11);
		const all = snapshots(scenario, 160, 3);
		const keys = [...new Set(all.flatMap(s => [...s.metrics.keys()]))];
		assert.ok(keys.length > 10, 'the simulator gives many metrics');
		const capacity = 40;
		const history = new History(capacity);
		const pushed: Snapshot[] = [];
		let checked = 0;
		for (let i = 0; i < all.length; i++) {
			// Now and then a scrape misses a few metrics, so series have gaps and keys come and go.
			const gap = random() < 0.15 ? new Set(keys.filter(() => random() < 0.3)) : null;
			const snapshot = gap ? without(all[i]!, key => gap.has(key)) : all[i]!;
			history.push(snapshot);
			pushed.push(snapshot);
			// Windows stay short of the history (40 scrapes) less a chart span (10 s), so every point in a
			// window has its predecessors in the history, as in fdtop (its history outlasts the window).
			const windowMs = random() < 0.8 ? 20_000 : [5_000, 25_000, 1_000][Math.floor(random() * 3)]!;
			const derived = derive(history, {windowMs});
			// Ask for a random part of the keys: some series are built every time, some now and then.
			const asked = keys.filter(() => random() < 0.6);
			for (const key of asked) derived!.series.get(key);
			if (i % 3 === 0 || i === all.length - 1) {
				assertSameSeries(derived, fresh(pushed, capacity, windowMs), keys, `scrape ${i}`);
				checked++;
			}
		}
		assert.ok(checked > 50);
	});
}

test('an earlier derive keeps its series when later ones extend them', () => {
	const all = snapshots('steady', 30, 5);
	const history = new History(20);
	const kept: {derived: Derived; copy: Record<string, unknown>}[] = [];
	for (const s of all) {
		history.push(s);
		const derived = derive(history, {windowMs: 10_000})!;
		const series = derived.series.get('ttft');
		kept.push({derived, copy: structuredClone({...series})});
	}
	for (const {derived, copy} of kept) assert.deepEqual({...derived.series.get('ttft')}, copy);
});
