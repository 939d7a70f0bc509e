/** A window cut by a restart says so in the header, at 80x24 too, and the Latency view names it. */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildStore, fixture, frameFits, renderApp, scaleCumulative, type Rendered} from './helpers.js';

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

describe('a partial window on screen', () => {
	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`a restart inside the window: "↺ restart … window 59 s of 1 m" in the header at ${columns}x${rows}`, async () => {
			// 70 s of scrapes (the window is 1 m), the server restarting 20 s before the end.
			const {store, ingest} = buildStore({scrapes: 50});
			const base = fixture('fastdeploy-2.3.txt');
			for (let i = 0; i < 20; i++) ingest(scaleCumulative(base, 0.01 * (i + 1)));
			open = await renderApp(store, {columns, rows});
			const header = open.lines()[0]!;
			// Beside the restart marker the reason is not repeated.
			assert.match(header, /restart \d\d:\d\d:\d\d {2}window 59 s of 1 m/, open.frame());
			assert.equal(frameFits(open.frame(), columns, rows), null);
			await open.press('2');
			assert.match(open.frame(), /Latency by phase {2}window 59 s of 1 m \(restart\), \d+ scrapes/);
		});
	}

	test('a whole window is just "window 1 m"', async () => {
		const {store} = buildStore({scrapes: 70});
		open = await renderApp(store, {columns: 120, rows: 40});
		assert.match(open.lines()[0]!, /window 1 m$/);
	});
});
