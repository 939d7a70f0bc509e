/** The SLO view (key 6), the verdict strip on the Overview and in the Fleet view, and the Backlog line. */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {parseObjective, type Objective} from '../../source/metrics/slo.js';
import {Store} from '../../source/store.js';
import {counterText, histogramText, TTFT} from '../helpers/exposition.js';
import {appPerTest, assertFits, buildStore, fixture, renderApp, scaleCumulative} from './helpers.js';

const objectives = (...texts: string[]): Objective[] => texts.map(t => parseObjective(t).objective!);
// On the 2.3 fixture: TTFT p99 is above its 1 s top bucket; TPOT ≤ 100 ms holds for most steps.
const SLOS = objectives('ttft<=2s:99%', 'tpot<=100ms:50%', 'e2e<=1s:99%');

const app = appPerTest();

describe('SLO view', () => {
	for (const [columns, rows] of [
		[80, 24],
		[160, 50],
	] as const) {
		test(`every objective with status, bounds, burn, windows, goodput and backlog at ${columns}x${rows}`, async () => {
			const {store} = buildStore({objectives: SLOS});
			app.open = await renderApp(store, {columns, rows});
			await app.open.press('6');
			const frame = app.open.frame();
			assertFits(app.open, columns, rows);
			assert.match(frame, / 6 SLO /);
			assert.match(frame, /\? TTFT ≤ 2 s for 99 % +≥ \d+(\.\d)? % +\d+(\.\d)? %–100 % +unknown/);
			assert.match(frame, /TTFT buckets stop at 1 s: 2 s cannot be judged; \d+(\.\d)? % are under 1 s/);
			// 19 s of history: no burn yet (`wait`), and one note says how much of each window is covered.
			assert.match(frame, /✓ TPOT ≤ 100 ms for 50 % +\d+(\.\d)? % +exact +met +wait\/wait/);
			assert.match(frame.replace(/\n +/g, ' '), /wait: no burn until the history covers its window; it covers 19s of 5m, 19s of 1h/);
			assert.match(frame, /✗ E2E latency ≤ 1 s for 99 % +\d+(\.\d)? % +exact +breached/);
			assert.match(frame, /1m ≥?\d+(\.\d)? %( \(19s\))? +5m/);
			assert.match(frame, /Goodput +0(\.00)?(–[\d.]+)? req\/s/);
			assert.match(frame, /Backlog +arrivals [\d.]+\/s +done [\d.]+\/s/);
		});
	}

	test('at 70 and 120 columns every objective keeps its burn rates, and the legend is whole', async () => {
		for (const [columns, rows] of [
			[70, 24],
			[120, 40],
		] as const) {
			const {store} = buildStore({objectives: SLOS});
			app.open = await renderApp(store, {columns, rows});
			await app.open.press('6');
			const frame = app.open.frame();
			assertFits(app.open, columns, rows);
			assert.equal(frame.split('\n').filter(l => /^[✓✗?] /.test(l)).length, 3, frame);
			// 19 s of history: each burn waits, and the one note says how much of its window it has.
			assert.equal(frame.match(/wait\/wait/g)?.length, 3, `a burn pair cut at ${columns}:\n${frame}`);
			assert.match(frame.replace(/\n +/g, ' '), /it covers 19s of 5m, 19s of 1h/, frame);
			assert.match(frame.replace(/\n +/g, ' '), /≥ above the top bucket/, frame);
			app.open.unmount();
			app.open = null;
		}
	});

	test('without objectives it says how to set them', async () => {
		const {store} = buildStore();
		app.open = await renderApp(store, {columns: 100, rows: 30});
		await app.open.press('6');
		assert.match(app.open.frame(), /No objectives\. Start fdtop with one or more, e\.g\. --slo 'ttft<=2s:99%'/);
		assert.doesNotMatch(app.open.frame(), /SLO \d\/\d met|✗/, 'no strip on any view without objectives');
	});

	test('--ascii: no glyph outside ASCII in the SLO view', async () => {
		const {store} = buildStore({objectives: SLOS});
		app.open = await renderApp(store, {columns: 120, rows: 40, ascii: true});
		await app.open.press('6');
		assert.doesNotMatch(app.open.frame(), /[^\u0000-\u007f]/, app.open.frame());
		assert.match(app.open.frame(), /x E2E latency <= 1 s for 99 %/);
	});
});

describe('verdict strip', () => {
	test('the Overview leads with the worst objective and its burn, or SLO n/n met', async () => {
		const {store} = buildStore({objectives: SLOS});
		app.open = await renderApp(store, {columns: 100, rows: 30});
		assert.match(app.open.lines()[2]!, /^✗ E2E latency ≤ 1 s for 99 %: \d+(\.\d)? %, burn 19s of 5m +6: SLO view/);
		assertFits(app.open, 100, 30);
		app.open.unmount();
		const good = buildStore({objectives: objectives('tpot<=100ms:50%', 'queue<=7680s:99%')});
		app.open = await renderApp(good.store, {columns: 100, rows: 30});
		assert.match(app.open.lines()[2]!, /^SLO 2\/2 met/);
	});

	test('the Overview shows the backlog by Little\'s law without objectives too', async () => {
		const {store} = buildStore();
		app.open = await renderApp(store, {columns: 120, rows: 40});
		assert.match(app.open.frame(), /Backlog +arrivals [\d.]+\/s +done [\d.]+\/s +(growing|shrinking|steady)[^\n]*holds \d+ +drain [^\n]+mean time in system [\d.]+ m?s \(Little's law\)/);
	});

	test('the Fleet view: an SLO column per target, and the fleet\'s strip', async () => {
		const base = fixture('fastdeploy-2.3.txt');
		const store = new Store({targets: [{name: 'a', location: 'http://a/metrics'}, {name: 'b', location: 'http://b/metrics'}], intervalMs: 1000, windowMs: 60_000, objectives: objectives('tpot<=100ms:50%', 'e2e<=1s:99%')});
		for (let i = 0; i < 10; i++) for (const target of [0, 1]) store.ingest(target, {target: 'x', t: 1_000_000 + i * 1000, text: scaleCumulative(base, 1 + 0.05 * i), durationMs: 1, bytes: 1});
		app.open = await renderApp(store, {columns: 120, rows: 30});
		const frame = app.open.frame();
		assert.match(frame, /endpoint.*SLO/);
		assert.match(frame, /all 2 +2\/2 +✗ E2E /);
		assert.match(frame, /\na +up +✗ E2E /);
		assert.match(frame, /✗ E2E latency ≤ 1 s for 99 %: [\d.]+ %, burn 9s of 5m +http:\/\/a\/metrics/);
		assertFits(app.open, 120, 30);
		await app.open.resize(80, 24);
		assert.match(app.open.frame(), /SLO/);
		assertFits(app.open, 80, 24);
	});
});

describe('one burn everywhere (review of issue 15)', () => {
	/** Every 10 s, 10 requests; all under 0.5 s for the first 5 minutes, all over it in the last `badSeconds`. */
	function history(targets: number, seconds: number, badSeconds: number): Store {
		const store = new Store({targets: Array.from({length: targets}, (_, i) => ({name: `t${i}`, location: `http://t${i}/metrics`})), intervalMs: 1000, windowMs: 60_000, objectives: objectives('ttft<=500ms:90%')});
		let good = 0;
		let all = 0;
		for (let s = 0; s <= seconds; s += 10) {
			if (s > 0) {
				all += 10;
				if (s <= seconds - badSeconds) good += 10;
			}
			const text = `${histogramText(TTFT, [['0.5', good], ['1.0', all], ['+Inf', all]], all / 2)}\n${counterText('fastdeploy:request_success_total', all)}\n`;
			for (let i = 0; i < targets; i++) store.ingest(i, {target: `t${i}`, t: 1_000_000 + s * 1000, text, durationMs: 1, bytes: 1});
		}
		return store;
	}

	test('the Overview strip, the SLO view and the fleet strip give the 5 m burn, not the display window\'s', async () => {
		// Display window 1 m: all bad (burn 10x). The 5 m range (t − 300 s, t] holds the scrapes of the
		// last 290 s: 230 of 290 requests good, 79.3 % → (1 − 0.793) / 0.1 = 2.07x.
		const store = history(2, 360, 60);
		app.open = await renderApp(store, {columns: 120, rows: 40});
		await app.open.press('1');
		assert.match(app.open.frame(), /✗ TTFT ≤ 500 ms for 90 %: 0 %, burn 2\.1x/, app.open.frame());
		await app.open.press('6');
		// The 1 h window holds 6 minutes: not a 1 h burn.
		assert.match(app.open.frame(), /✗ TTFT ≤ 500 ms for 90 % +0 % +exact +breached +2\.1x\/wait/, app.open.frame());
		assert.match(app.open.frame(), /wait: no burn until the history covers its window; it covers 6m of 1h/, app.open.frame());
		await app.open.press('0');
		assert.match(app.open.frame(), /✗ TTFT ≤ 500 ms for 90 %: 0 %, burn 2\.1x/, app.open.frame());
	});

	test('before 5 minutes of history the strip says how much of the 5 m window it has', async () => {
		const store = history(1, 120, 60);
		app.open = await renderApp(store, {columns: 120, rows: 40});
		assert.match(app.open.frame(), /✗ TTFT ≤ 500 ms for 90 %: 0 %, burn 2m of 5m/, app.open.frame());
		assert.doesNotMatch(app.open.frame(), /burn [\d.]+x/);
	});
});
