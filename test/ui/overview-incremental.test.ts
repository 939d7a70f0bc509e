/**
 * The Overview drawn frame after frame (its charts shifting their last grids, chart.ts) equals the
 * same frame drawn from scratch (every chart cache dropped), over the simulator's recorded scrapes:
 * steady and bursty load, a restart, p99 bounds and points above the top bucket, at 120x40 and
 * 80x24, in colour and in ASCII.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {generateScrapes} from '../../demo/sim/generate.js';
import {Store} from '../../source/store.js';
import {chartCacheStats, dropChartCaches} from '../../source/ui/components/chart.js';
import {createTheme} from '../../source/ui/theme.js';
import {initUiState} from '../../source/ui/ui-state.js';
import {targetView} from '../../source/ui/view-model.js';
import {overviewLines} from '../../source/ui/views/overview.js';
import {FakeClock} from '../helpers/fake-clock.js';

for (const {scenario, columns, rows, color, ascii} of [
	{scenario: 'steady', columns: 120, rows: 40, color: true, ascii: false},
	{scenario: 'burst', columns: 80, rows: 24, color: false, ascii: true},
	{scenario: 'restart', columns: 120, rows: 40, color: true, ascii: true},
] as const) {
	test(`Overview ${scenario} ${columns}x${rows}: each frame drawn incrementally equals it drawn from scratch`, () => {
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000, clock});
		const theme = createTheme({color, ascii, lang: 'en'});
		const ui = initUiState(1);
		const height = rows - 4;
		let t = clock.now();
		const before = {...chartCacheStats};
		let frames = 0;
		for (const scrape of generateScrapes({scenario, era: '2.3', seed: 4, intervalSeconds: 1, count: 200, warmupSeconds: 120})) {
			t += 1000;
			store.ingest(0, {target: 'sim', t, text: scrape.text, durationMs: 1, bytes: scrape.text.length});
			const state = store.getSnapshot();
			const props = {state, model: targetView(state, 0), ui, theme, width: columns, height};
			const incremental = overviewLines(props);
			dropChartCaches();
			assert.deepEqual(incremental, overviewLines(props), `frame ${frames}`);
			frames++;
		}
		assert.equal(frames, 200);
		// The frames drawn incrementally did shift the grids (and did not all plot from scratch).
		assert.ok(chartCacheStats.shifted - before.shifted > 100, JSON.stringify(chartCacheStats));
	});
}
