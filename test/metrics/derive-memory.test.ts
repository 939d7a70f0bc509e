/**
 * Chart points are cached per history entry (derive.ts): an entry the ring has dropped must be
 * free to go, whatever the points of the entries after it refer to. A point that held the entry
 * its span starts from kept that entry, its point, the entry before that… back to the first scrape
 * (bench:check: +277 MiB of RSS over 6 h of replay).
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {generateScrapes} from '../../demo/sim/generate.js';
import {derive} from '../../source/metrics/derive.js';
import {History, type HistoryEntry} from '../../source/metrics/history.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('entries the ring dropped are collected once series were drawn from them', async () => {
	const history = new History(20);
	const first: WeakRef<HistoryEntry>[] = [];
	let i = 0;
	for (const s of generateScrapes({scenario: 'steady', era: '2.3', seed: 4, intervalSeconds: 1, count: 150})) {
		const entry = history.push(buildSnapshot(parseExposition(s.text), s.t));
		if (i++ < 40) first.push(new WeakRef(entry));
		const d = derive(history, {windowMs: 8_000});
		for (const key of ['ttft', 'tpot', 'running', 'generationTokensTotal']) d!.series.get(key);
	}
	// WeakRefs hold their targets until the current job ends.
	await new Promise(resolve => setImmediate(resolve));
	gc();
	await new Promise(resolve => setImmediate(resolve));
	gc();
	const alive = first.filter(ref => ref.deref() !== undefined).length;
	assert.equal(alive, 0, `${alive} of the first 40 entries (dropped from a ring of 20 after 150 scrapes) are still alive`);
	assert.equal(history.size, 20);
});
