/**
 * What a scrape of an unchanged shape allocates and keeps is only what its values change: the
 * snapshot's wire names, plan warnings and info labels, and the engine's settings read from them,
 * are the objects of the scrape before (they are read-only), and equal to what a fresh build gives.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {generateScrapes} from '../../demo/sim/generate.js';
import {configOf} from '../../source/metrics/events-observe.js';
import {History} from '../../source/metrics/history.js';
import {ScrapeCache} from '../../source/metrics/snapshot-plan-cache.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';

const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 7, intervalSeconds: 1, count: 30, warmupSeconds: 300})].map(s => s.text);

test('snapshots of one shape share their wire names, warnings and info labels, equal to a fresh build', () => {
	const cache = new ScrapeCache();
	const history = new History(100);
	let before: ReturnType<ScrapeCache['snapshot']> | undefined;
	let config: ReturnType<typeof configOf> | undefined;
	texts.forEach((text, i) => {
		const snapshot = cache.snapshot(cache.parse(text), 1000 * (i + 1));
		const fresh = buildSnapshot(parseExposition(text), 1000 * (i + 1));
		assert.deepStrictEqual(snapshot, fresh);
		history.push(snapshot);
		const settings = configOf(history);
		assert.ok(settings !== null && settings.get('max_batch_size') === '64', 'the simulator states its settings');
		assert.deepStrictEqual(settings, configOf(fresh.metrics === snapshot.metrics ? history : pushed(fresh)));
		if (before !== undefined) {
			assert.equal(snapshot.wireNames, before.wireNames, `scrape ${i}: wire names`);
			assert.equal(snapshot.warnings, before.warnings, `scrape ${i}: warnings`);
			assert.equal(snapshot.metrics.get('cacheConfigInfo'), before.metrics.get('cacheConfigInfo'), `scrape ${i}: info`);
			assert.equal(settings, config, `scrape ${i}: settings`);
		}
		before = snapshot;
		config = settings;
	});
	assert.equal(cache.stats.hits, texts.length - 1);
});

test('a value that changes the settings, or a step skipped for a bad value, gets its own objects', () => {
	const cache = new ScrapeCache();
	const history = new History(100);
	const a = cache.snapshot(cache.parse(texts[0]!), 1000);
	history.push(a);
	const settingsA = configOf(history);
	// max_batch_size changes (a new configuration), then a ratio goes out of range (skipped, with a warning).
	const changed = texts[1]!.replace(/^fastdeploy:max_batch_size 64\.0$/m, 'fastdeploy:max_batch_size 32.0');
	assert.notEqual(changed, texts[1]);
	const b = cache.snapshot(cache.parse(changed), 2000);
	history.push(b);
	const settingsB = configOf(history);
	assert.equal(settingsB?.get('max_batch_size'), '32');
	assert.notEqual(settingsB, settingsA);
	const bad = texts[2]!.replace(/^fastdeploy:gpu_cache_usage_perc .*$/m, 'fastdeploy:gpu_cache_usage_perc 7.5');
	const c = cache.snapshot(cache.parse(bad), 3000);
	assert.deepStrictEqual(c, buildSnapshot(parseExposition(bad), 3000));
	assert.ok(b.metrics.has('kvCacheUsage') && !c.metrics.has('kvCacheUsage') && !c.wireNames.has('kvCacheUsage'));
	assert.notEqual(c.wireNames, b.wireNames);
	assert.ok(c.warnings.some(w => w.includes('gpu_cache_usage_perc')) && !b.warnings.some(w => w.includes('gpu_cache_usage_perc')));
	assert.equal(cache.stats.hits, 2);
});

/** A history holding `snapshot` alone. */
function pushed(snapshot: ReturnType<typeof buildSnapshot>): History {
	const history = new History(2);
	history.push(snapshot);
	return history;
}

test("a snapshot's histograms keep their bucket counts in one buffer, each its own part of it", () => {
	const cache = new ScrapeCache();
	for (const [i, text] of texts.slice(0, 3).entries()) {
		const snapshot = cache.snapshot(cache.parse(text), 1000 * (i + 1));
		const hists = [...snapshot.metrics.values()].flatMap(d => (d.kind === 'histogram' ? [d.hist] : []));
		assert.ok(hists.length >= 8, `${hists.length} histograms`);
		assert.equal(new Set(hists.map(h => h.counts.buffer)).size, 1);
		// Parts do not overlap: writing one leaves the others as they were.
		const before = hists.map(h => [...h.counts]);
		hists[0]!.counts.fill(-1);
		hists.slice(1).forEach((h, k) => assert.deepStrictEqual([...h.counts], before[k + 1]));
		assert.equal(hists[0]!.counts.length, hists[0]!.les.length);
	}
});
