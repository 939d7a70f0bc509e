/** The alert strip: on every view while a rule is pending or firing, above the status line, within 80x24 and 120x40. */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {parseAlertRule, type AlertRule} from '../../source/metrics/alert-rule.js';
import {appPerTest, assertFits, buildStore, fixture, renderApp, scaleCumulative, setSample} from './helpers.js';

const rules = (...texts: string[]): AlertRule[] => texts.map(t => parseAlertRule(t).rule!);
const BASE = fixture('fastdeploy-2.3.txt');
/** The fixture with KV cache at `kv` and `waiting` requests waiting, cumulative values grown for scrape `i`. */
const page = (i: number, kv: number, waiting: number) => setSample(setSample(scaleCumulative(BASE, 1 + 0.05 * i), 'fastdeploy:gpu_cache_usage_perc', kv), 'fastdeploy:num_requests_waiting', waiting);

const app = appPerTest();

describe('alert strip', () => {
	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`pending, then firing with how long and the value now, worst first, on every view at ${columns}x${rows}`, async () => {
			const built = buildStore({text: page(0, 0.5, 0), scrapes: 1, alertRules: rules('kv_cache >= 90% for 30s', 'waiting > 10')});
			app.open = await renderApp(built.store, {columns, rows});
			const statusAt = rows - 2;
			// Nothing pending: no strip, the view keeps its line.
			assert.doesNotMatch(app.open.frame(), /ALERT/);
			const before = app.open.lines().length;
			for (let i = 1; i <= 10; i++) built.ingest(page(i, 0.95, 0));
			await app.open.waitFor(f => /ALERT/.test(f), 'the strip');
			assertFits(app.open, columns, rows);
			assert.equal(app.open.lines().length, before);
			// Active from the second scrape, 9 s ago: 9 s of the 30 s.
			assert.match(app.open.lines()[statusAt - 1]!, /^ALERT kv_cache ≥ 90 % for 30s: pending 9s of 30s \(now 95 %\)\s*$/);
			for (let i = 11; i <= 45; i++) built.ingest(page(i, 0.95, i > 40 ? 12 : 0));
			const frame = await app.open.waitFor(f => /firing/.test(f), 'firing');
			assertFits(app.open, columns, rows);
			// Fired at 30 s after it began (scrape 31), 14 s ago; `waiting > 10` fires too (since scrape 41): the older one first.
			assert.match(app.open.lines()[statusAt - 1]!, /^ALERT kv_cache ≥ 90 % for 30s: firing 14s \(now 95 %\) \+1 more\s*$/, frame);
			for (const key of ['2', '3', '4', '5', '6', '1']) {
				await app.open.press(key);
				assertFits(app.open, columns, rows);
				assert.match(app.open.lines()[statusAt - 1]!, /^ALERT kv_cache ≥ 90 % for 30s: firing/, `view ${key}:\n${app.open.frame()}`);
				assert.doesNotMatch(app.open.lines()[statusAt]!, /ALERT/);
			}
			// Resolved: the strip goes and the view has its line back.
			built.ingest(page(46, 0.5, 0));
			await app.open.waitFor(f => !/ALERT/.test(f), 'the strip to go');
			assertFits(app.open, columns, rows);
		});
	}

	test('--ascii writes >= and the strip is red while firing', async () => {
		const built = buildStore({text: page(0, 0.95, 0), scrapes: 3, alertRules: rules('kv_cache >= 90%')});
		app.open = await renderApp(built.store, {columns: 80, rows: 24, ascii: true});
		const line = app.open.lines().find(l => l.startsWith('ALERT'));
		assert.match(line ?? '', /^ALERT kv_cache >= 90 %: firing 2s \(now 95 %\)/);
		const raw = app.open.raw().split('\n').find(l => l.includes('ALERT'))!;
		assert.match(raw, /\u001b\[31m|\u001b\[91m|\u001b\[38;5;\d+m/);
	});

	test('a rule on a metric the target does not export is said, muted, never silently inactive; a firing rule goes before it', async () => {
		const built = buildStore({text: page(0, 0.5, 0), scrapes: 3, alertRules: rules('gen_throughput < 10', 'kv_cache >= 90%')});
		app.open = await renderApp(built.store, {columns: 80, rows: 24});
		assertFits(app.open, 80, 24);
		assert.match(app.open.lines()[21]!, /^alert rule gen_throughput < 10: no data \(not exported by this target\)\s*$/);
		built.ingest(page(4, 0.95, 0));
		await app.open.waitFor(f => /ALERT kv_cache/.test(f), 'the firing rule');
		assertFits(app.open, 80, 24);
		assert.match(app.open.lines()[21]!, /^ALERT kv_cache ≥ 90 %: firing 0s \(now 95 %\)\s*$/);
	});
});
