/**
 * The Overview keeps its rows where they are while only figures change: a figure gaining a digit, or
 * a signal changing its wording, must not push a section down a line (every line below it would be
 * redrawn, and the eye loses its place). Fed the simulator's steady scrapes, one second apart.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {generateScrapes} from '../../demo/sim/generate.js';
import {Store} from '../../source/store.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {appPerTest, renderApp, tick} from './helpers.js';

const opened = appPerTest();

for (const [columns, rows] of [[120, 40], [100, 30], [80, 24]] as const) {
	test(`Overview ${columns}x${rows}: the section rows stay put over two minutes of steady scrapes`, async () => {
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000, clock});
		const scrapes = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 5, intervalSeconds: 1, count: 180, warmupSeconds: 300})];
		let t = clock.now();
		const feed = (n: number) => {
			for (let i = 0; i < n; i++) {
				t += 1000;
				const text = scrapes.shift()!.text;
				store.ingest(0, {target: 'sim', t, text, durationMs: 1, bytes: text.length});
			}
		};
		feed(60);
		const app = await renderApp(store, {columns, rows});
		opened.open = app;
		const sectionRows = (frame: string) => {
			const lines = frame.split('\n');
			// The start of each section: a line that begins with a section's title word.
			return ['Time per request', 'KV cache', 'Trends', 'TTFT'].map(title => lines.findIndex(l => l.startsWith(title)));
		};
		await tick();
		const first = sectionRows(app.frame());
		const moves: string[] = [];
		let previous = first;
		for (let s = 0; s < 120; s++) {
			feed(1);
			await tick();
			await tick();
			const now = sectionRows(app.frame());
			if (now.join() !== previous.join()) moves.push(`scrape ${s}: ${previous.join()} → ${now.join()}\n${app.frame()}`);
			previous = now;
		}
		assert.ok(first.some(r => r >= 0), `no section found:\n${app.frame()}`);
		assert.deepEqual(moves, [], `sections moved ${moves.length} times`);
	});
}
