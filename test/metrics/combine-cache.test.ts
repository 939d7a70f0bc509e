/**
 * The live rule keeps, per history, where each series last moved, brought up to date with the
 * entries pushed since the previous derive (combine.ts). Its figures must be those of the plain rule
 * (compare every pair of entries in the window, as before the cache) scrape after scrape, whatever
 * the window, the ring's wrap, a resized history, series that come and go, NaN values and scrapes
 * without the family; and its work per scrape must not grow with the window.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CATALOG_BY_KEY} from '../../source/metrics/catalog.js';
import type {CatalogEntry} from '../../source/metrics/catalog-types.js';
import {combineGauge} from '../../source/metrics/combine.js';
import {derive} from '../../source/metrics/derive.js';
import {History, type HistoryEntry} from '../../source/metrics/history.js';
import {buildSnapshot, type Snapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';
import {seededRandom} from '../helpers/random.js';

const ACCEPT = 'fastdeploy:spec_decode_draft_acceptance_rate';
const KEY = 'specAcceptanceRate';
const ENTRY = CATALOG_BY_KEY.get(KEY)!;

function page(values: ReadonlyMap<string, number>): string {
	const lines = [`# TYPE ${ACCEPT} gauge`, ...[...values].map(([pid, v]) => `${ACCEPT}{pid="${pid}"} ${Number.isNaN(v) ? 'NaN' : v}`)];
	// Another family, so a scrape without the gauge still has samples.
	return `${lines.join('\n')}\n# TYPE fastdeploy:num_requests_running gauge\nfastdeploy:num_requests_running 1\n`;
}

/** The rule without any cache: every pair of consecutive entries from `first` on (combine.ts before the cache). */
function plainLive(history: History, first: number, key: string, entry: CatalogEntry): {value: number; how: string; used: number; from: readonly string[]} | undefined {
	const lastIndex = history.size - 1;
	const data = history.at(lastIndex)?.snapshot.metrics.get(key);
	if (data?.kind !== 'gauge' || !data.spread || !data.series) return undefined;
	assert.equal(entry.combine, 'live');
	const finite = [...data.series].filter(([, v]) => Number.isFinite(v));
	const moved = new Set<string>();
	let previous: ReadonlyMap<string, number> | undefined;
	for (let i = Math.max(0, first); i <= lastIndex; i++) {
		const m = history.at(i)?.snapshot.metrics.get(key);
		const now = m?.kind === 'gauge' ? m.series : undefined;
		if (now && previous) for (const [series, v] of now) if (previous.get(series) !== undefined && previous.get(series) !== v && Number.isFinite(v)) moved.add(series);
		previous = now;
	}
	const mean = (vs: readonly number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;
	const live = finite.filter(([series]) => moved.has(series));
	if (live.length === 0) return {value: mean(finite.map(([, v]) => v)), how: 'avg', used: finite.length, from: []};
	return {value: mean(live.map(([, v]) => v)), how: 'live', used: live.length, from: live.length < finite.length ? live.map(([s]) => s.split('\u0000').filter(Boolean).join(',')) : []};
}

function snapshots(count: number, seed: number): Snapshot[] {
	const random = seededRandom(seed);
	const values = new Map<string, number>([['1', 0.5], ['2', 0.6], ['3', 0.7]]);
	let nextPid = 4;
	const out: Snapshot[] = [];
	for (let i = 0; i < count; i++) {
		for (const pid of values.keys()) {
			// Most series stay still most of the time: the live rule is about the few that move.
			const r = random();
			if (r < 0.08) values.set(pid, Math.round(random() * 100) / 100);
			else if (r < 0.09) values.set(pid, Number.NaN);
		}
		if (random() < 0.04) values.delete([...values.keys()][Math.floor(random() * values.size)]!);
		if (random() < 0.05 || values.size < 2) values.set(String(nextPid++), 0.4);
		// Now and then a scrape without the family at all.
		const text = random() < 0.05 ? page(new Map()).split('\n').slice(1).join('\n') : page(values);
		out.push(buildSnapshot(parseExposition(text), 1_000 * (i + 1)));
	}
	return out;
}

test('the live rule kept up to date scrape by scrape equals the plain rule (random windows, ring wrap, resize, series that come and go)', () => {
	for (const seed of [1, 2, 3]) {
		const random = seededRandom(100 + seed);
		let history = new History(30);
		let compared = 0;
		let moved = 0;
		for (const [i, snapshot] of snapshots(400, seed).entries()) {
			history.push(snapshot);
			if (random() < 0.02) history = history.resized(20 + Math.floor(random() * 40));
			// A few derives skip scrapes (a replay's prefill, a paused UI): the cache catches up.
			if (random() < 0.2) continue;
			const lastIndex = history.size - 1;
			for (const first of [0, Math.max(0, lastIndex - 1 - Math.floor(random() * 25)), lastIndex, lastIndex - 3]) {
				const cached = combineGauge(history, first, KEY, ENTRY);
				const plain = plainLive(history, first, KEY, ENTRY);
				const where = `seed ${seed}, scrape ${i}, first ${first} of ${lastIndex}`;
				if (!plain) {
					// One series (or none): nothing combined, either way.
					if (cached) assert.notEqual(cached.combination.how, 'live', where);
					continue;
				}
				assert.ok(cached, where);
				assert.deepEqual({value: cached.value, how: cached.combination.how, used: cached.combination.used, from: cached.combination.from}, plain, where);
				compared++;
				if (plain.how === 'live') moved++;
			}
			// Through derive as well: the window's first entry is where the rule looks back to.
			const d = derive(history, {windowMs: 10_000});
			const m = d?.metrics.get(KEY);
			const plain = plainLive(history, lastIndex - (d?.scrapes ?? 1) + 1, KEY, ENTRY);
			if (plain && m?.kind === 'gauge') assert.equal(m.value, plain.value, `seed ${seed}, scrape ${i}, derive`);
		}
		assert.ok(compared > 500, `compared ${compared}`);
		assert.ok(moved > 100 && moved < compared, `live in ${moved} of ${compared}: both branches taken`);
	}
});

/** A history that counts the entries read through its public at(). */
class CountingHistory extends History {
	reads = 0;
	override at(i: number): HistoryEntry | undefined {
		this.reads++;
		return super.at(i);
	}
}

test('the live rule reads a few entries per scrape, not the whole window (1 h window: 3,600 scrapes)', () => {
	const all = snapshots(300, 9);
	const history = new CountingHistory(4_000);
	const perScrape: number[] = [];
	// A long history first (as a 1 h window holds), then one scrape at a time.
	for (let round = 0; round < 12; round++) for (const s of all) history.push({...s, t: s.t + round * 300_000});
	for (const s of all.slice(0, 50)) {
		history.push({...s, t: s.t + 12 * 300_000});
		history.reads = 0;
		combineGauge(history, 0, KEY, ENTRY);
		perScrape.push(history.reads);
	}
	// The first call compares the whole history once; after that each scrape's one new entry.
	assert.ok(Math.max(...perScrape.slice(1)) <= 12, `entries read per scrape: ${perScrape.join(' ')}`);
});
