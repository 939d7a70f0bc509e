/** Keys, resize, colour and hostile server text, through the whole app. */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {createElement} from 'react';
import {render} from 'ink-testing-library';
import type {Controls} from '../../source/controls.js';
import {liveControls} from '../../source/controls.js';
import type {Scrape, Source} from '../../source/sources/types.js';
import {App} from '../../source/ui/app.js';
import {appPerTest, buildStore, fixture, frameFits, renderApp, scaleCumulative, stripAnsi, tick} from './helpers.js';

const DOWN = '\u001b[B';
const UP = '\u001b[A';
const LEFT = '\u001b[D';
const RIGHT = '\u001b[C';
const TAB = '\t';
const SHIFT_TAB = '\u001b[Z';
const ESC = '\u001b';
const PGDN = '\u001b[6~';
const ENTER = '\r';

/** The title that tells each view apart. */
const TITLES = {
	overview: /Time per request/,
	latency: /Latency by phase/,
	tokens: /Output \/ max_tokens/,
	cache: /GPU blocks/,
	explorer: /Explorer {2}\d+ families/,
	slo: /SLO\s+No objectives\. Start fdtop with one or more/,
	compare: /No baseline\. Start with one: fdtop TARGET --baseline/,
	events: /Events {2}\d+ events?, newest first/,
} as const;

const app = appPerTest();
const start = app.start;

describe('navigation', () => {
	test('1-8 reach every view, Tab and → cycle forward, Shift+Tab and ← back', async () => {
		const {r} = await start();
		const order = ['overview', 'latency', 'tokens', 'cache', 'explorer', 'slo', 'compare', 'events'] as const;
		for (const [i, view] of order.entries()) {
			await r.press(view === 'events' ? '8' : String(i + 1));
			assert.match(r.frame(), TITLES[view], view);
			assert.equal(frameFits(r.frame(), 100, 30), null);
		}
		await r.press('1');
		for (const view of [...order.slice(1), 'overview' as const]) {
			await r.press(TAB);
			assert.match(r.frame(), TITLES[view], `Tab to ${view}`);
		}
		await r.press(SHIFT_TAB);
		assert.match(r.frame(), TITLES.events);
		await r.press(LEFT);
		assert.match(r.frame(), TITLES.compare);
		await r.press(RIGHT);
		await r.press(RIGHT);
		assert.match(r.frame(), TITLES.overview);
	});

	test('? and e open overlays that Esc closes; a view key closes them too', async () => {
		const {r} = await start();
		await r.press('?');
		assert.match(r.frame(), /Keys {2}Esc closes/);
		await r.press(ESC);
		await r.waitFor(f => TITLES.overview.test(f), 'overview after Esc');
		await r.press('e');
		assert.match(r.frame(), /Explain {2}Esc closes/);
		await r.press(DOWN);
		await r.press(PGDN);
		assert.match(r.frame(), /Explain .* of \d+/);
		await r.press('3');
		assert.match(r.frame(), TITLES.tokens);
	});

	test('t switches between targets when there are several', async () => {
		const built = buildStore({targets: 2});
		app.open = await renderApp(built.store, {columns: 120, rows: 30});
		assert.match(app.open.frame(), /Fleet {2}2 targets/, 'several targets start on the Fleet view');
		await app.open.press('1');
		assert.match(app.open.frame(), /\[1\/2\]/);
		await app.open.press('t');
		assert.match(app.open.frame(), /fdtop +http:\/\/t1\/metrics +connecting/);
		assert.match(app.open.frame(), /\[2\/2\]/);
		await app.open.press('t');
		assert.match(app.open.frame(), /\[1\/2\]/);
	});

	test('latency: ↑/↓ choose the charted row', async () => {
		const {r} = await start();
		await r.press('2');
		assert.match(r.frame(), /TTFT \(↑\/↓ to choose\)/);
		await r.press(DOWN);
		await r.press(DOWN);
		assert.match(r.frame(), /Queue \(↑\/↓ to choose\)/);
		await r.press(UP);
		assert.match(r.frame(), /TPOT \(↑\/↓ to choose\)/);
		await r.press('e');
		assert.match(r.frame(), /Explain[^\n]*\n\s*TPOT/, 'explain starts with the selected metric');
	});
});

describe('data keys call the controls and never wait on a scrape', () => {
	test('pause, interval, window and refresh', async () => {
		const {r, store} = await start();
		await r.press(' ');
		assert.equal(store.getSnapshot().paused, true);
		await r.waitFor(f => /PAUSED/.test(f), 'PAUSED');
		assert.match(r.frame(), /PAUSED \(space resumes\)/);
		await r.press('p');
		assert.equal(store.getSnapshot().paused, false);
		await r.waitFor(f => !/PAUSED/.test(f), 'resumed');
		await r.press('+');
		await r.waitFor(f => /every 2 s/.test(f), 'interval 2 s');
		await r.press('-');
		await r.press('-');
		await r.waitFor(f => /every 500 ms/.test(f), 'interval 500 ms');
		await r.press(']');
		await r.waitFor(f => /window (\d[^ ]* s of )?5 m/.test(f), 'window 5 m');
		await r.press('[');
		await r.press('[');
		await r.waitFor(f => /window (\d[^ ]* s of )?30 s/.test(f), 'window 30 s');
	});

	test('r starts a scrape that never answers; the next key is handled at once', async () => {
		const built = buildStore();
		let calls = 0;
		const hung: Source = {
			target: 'http://127.0.0.1:8000/metrics',
			scrape: () => {
				calls++;
				return new Promise<Scrape>(() => {});
			},
			close: async () => {},
		};
		built.store.start([hung]);
		app.open = await renderApp(built.store, {columns: 100, rows: 30});
		await built.clock.advance(0);
		assert.equal(calls, 1);
		await app.open.press('r');
		await app.open.press('2');
		assert.match(app.open.frame(), TITLES.latency);
		await app.open.press('p');
		assert.equal(built.store.getSnapshot().paused, true);
		await built.store.stop();
	});

	test('replay keys reach step and speed only in a replay', async () => {
		const built = buildStore();
		const calls: string[] = [];
		const controls: Controls = {...liveControls(built.store), step: () => calls.push('step'), changeSpeed: d => calls.push(`speed ${d}`)};
		app.open = await renderApp(built.store, {columns: 100, rows: 30, controls});
		await app.open.press('.');
		await app.open.press('>');
		await app.open.press('<');
		assert.deepEqual(calls, ['step', 'speed 1', 'speed -1']);
		assert.match(app.open.frame(), /\. step {2}< > speed/);
	});

	test('q quits through Ink and tells the caller', async () => {
		const built = buildStore();
		let quit = 0;
		const app = render(createElement(App, {store: built.store, controls: liveControls(built.store), options: {color: false, ascii: false, lang: 'en'}, onQuit: () => quit++}));
		app.stdin.write('q');
		await Promise.resolve();
		await tick();
		assert.equal(quit, 1);
		app.unmount();
	});
});

describe('resize', () => {
	test('re-laid on every resize, never taller than rows − 1 nor wider than the terminal', async () => {
		const {r} = await start({columns: 80, rows: 24});
		const sizes = [
			[160, 50],
			[100, 30],
			[80, 24],
			[60, 16],
			[200, 60],
		] as const;
		for (const view of ['1', '2', '3', '4', '5', '?', 'e']) {
			await r.press(view);
			for (const [columns, rows] of sizes) {
				await r.resize(columns, rows);
				const problem = frameFits(r.frame(), columns, rows);
				assert.equal(problem, null, `${view} at ${columns}x${rows}: ${problem}\n${r.frame()}`);
			}
			if (view === '?' || view === 'e') await r.press(ESC);
		}
		await r.resize(30, 8);
		assert.match(r.frame(), /terminal too small\n30x8, needs 40x10/);
		await r.resize(120, 40);
		assert.match(r.frame(), /fdtop/);
	});
});

describe('colour and glyphs', () => {
	const colour = /\u001b\[(?:3|4|9|10)\dm/;
	test('colour on: health colours are written; NO_COLOR: none in any view', async () => {
		const on = await start({color: true});
		assert.match(on.r.raw(), colour);
		on.r.unmount();
		app.open = null;
		const {r} = await start({color: false}, fixture('fastdeploy-2.3.txt'));
		for (const key of ['1', '2', '3', '4', '5', ENTER, ESC, '?', ESC, 'e']) {
			await r.press(key);
			assert.doesNotMatch(r.raw(), colour, `colour after ${JSON.stringify(key)}`);
		}
	});

	test('--ascii: no glyph outside ASCII in any view', async () => {
		const {r} = await start({ascii: true, color: false});
		for (const key of ['1', '2', '3', '4', '5', '?']) {
			await r.press(key);
			const nonAscii = stripAnsi(r.raw()).match(/[^\x20-\x7e\n]/gu);
			assert.equal(nonAscii, null, `after ${key}: ${nonAscii?.join('')}`);
		}
	});
});

describe('explorer', () => {
	const HOSTILE = [
		'# HELP evil_metric bad \u001b[2J help \u001b]0;owned\u0007',
		'# TYPE evil_metric gauge',
		`evil_metric{path="\u001b]0;x\u0007",other="\u001b[2J",long="${'L'.repeat(400)}"} 1`,
		'# TYPE zz_unknown_total counter',
		'zz_unknown_total 5',
	].join('\n');

	test('filter with /, open with Enter, back with Esc; hostile text stays inert', async () => {
		const {r} = await start({columns: 100, rows: 30}, `${fixture('fastdeploy-2.3.txt')}\n${HOSTILE}\n`);
		await r.press('5');
		await r.press('/');
		for (const c of 'evil') await r.press(c);
		assert.match(r.frame(), /\/evil_/);
		await r.press(ENTER);
		assert.match(r.frame(), /51 families, 1 match "evil"/);
		assert.match(r.frame(), /HELP bad \\e\[2J help \\e\]0;owned\\x07/);
		await r.press(ENTER);
		const frame = r.frame();
		assert.match(frame, /evil_metric {2}gauge {2}1 series/);
		assert.match(frame, /path="\\e\]0;x\\x07"/);
		assert.match(frame, /other="\\e\[2J"/);
		assert.equal(frameFits(frame, 100, 30), null, 'a 400-character label value is cut, not wrapped');
		const raw = r.raw();
		assert.doesNotMatch(raw, /\u001b\]/, 'no OSC sequence');
		assert.doesNotMatch(raw, /\u0007/, 'no BEL');
		assert.doesNotMatch(raw, /\u001b\[2J/, 'no clear screen');
		await r.press(ESC);
		await r.waitFor(f => /1 match/.test(f), 'back to the list');
		await r.press(ESC);
		await r.waitFor(f => /51 families {2}/.test(f), 'filter cleared');
	});

	test('keys that arrive in one read (fast typing, a paste) are each handled: "5/evil" filters', async () => {
		const {r} = await start({columns: 100, rows: 30}, `${fixture('fastdeploy-2.3.txt')}\n${HOSTILE}\n`);
		await r.press('5/evil');
		await r.waitFor(f => /\/evil_/.test(f), 'the filter holds "evil"');
		await r.press(ENTER);
		assert.match(r.frame(), /1 match "evil"/);
	});

	test('Enter and Backspace inside such a read count too: "5/evilx⌫⏎" filters and closes the prompt; Enter then opens the match', async () => {
		const {r} = await start({columns: 100, rows: 30}, `${fixture('fastdeploy-2.3.txt')}\n${HOSTILE}\n`);
		await r.press('5/evilx\u007f\r');
		await r.waitFor(f => /1 match "evil"/.test(f), 'the filter "evil" applied');
		assert.doesNotMatch(r.frame(), /\/evil_/, 'the prompt is closed');
		await r.press(ENTER);
		await r.waitFor(f => /evil_metric {2}gauge {2}1 series/.test(f), 'Enter opens the one match');
	});

	test('scrolls with ↓, PgDn, G and g; only visible rows are drawn', async () => {
		const {r} = await start({columns: 100, rows: 20});
		await r.press('5');
		const names = () => r.lines().filter(l => /^(fastdeploy|http)/.test(l)).length;
		assert.equal(names(), 20 - 1 - 3 - 3, 'a page of rows, not all 49');
		await r.press('G');
		assert.match(r.frame(), /fastdeploy:gpu_hit_token_rate/);
		assert.doesNotMatch(r.frame(), /fastdeploy:time_to_first_token_seconds /);
		await r.press('g');
		assert.match(r.frame(), /fastdeploy:time_to_first_token_seconds/);
		await r.press(PGDN);
		await r.press(DOWN);
		assert.match(r.frame(), /HELP /);
		await r.press(ENTER);
		assert.match(r.frame(), /Esc back/);
		await r.press(PGDN);
		assert.equal(frameFits(r.frame(), 100, 20), null);
	});

	test('an unknown family is explained as unknown, with its HELP', async () => {
		const {r} = await start({columns: 100, rows: 30}, `${fixture('fastdeploy-2.3.txt')}\n${HOSTILE}\n`);
		await r.press('5');
		await r.press('G');
		await r.press('e');
		assert.match(r.frame(), /zz_unknown_total\s+This family is not in fdtop's catalog/);
	});
});

describe('direct frames (the live terminal path)', () => {
	test('the frame sink gets the lines Ink would draw, and Ink draws nothing itself', async () => {
		const built = buildStore();
		const frames: (readonly string[])[] = [];
		const sunk = render(createElement(App, {store: built.store, controls: liveControls(built.store), options: {color: true, ascii: false, lang: 'en'}, frameSink: lines => void frames.push(lines)}));
		for (const size of [
			[80, 24],
			[120, 40],
		] as const) {
			Object.defineProperty(sunk.stdout, 'columns', {value: size[0], configurable: true});
			Object.defineProperty(sunk.stdout, 'rows', {value: size[1], configurable: true});
			sunk.stdout.emit('resize');
			await tick();
			await tick();
			const ink = await renderApp(built.store, {columns: size[0], rows: size[1]});
			for (const view of ['1', '2', '3', '4', '5']) {
				sunk.stdin.write(view);
				await ink.press(view);
				await tick();
				const lines = frames.at(-1)!;
				assert.equal(lines.length, size[1] - 1, 'exactly rows − 1 lines');
				assert.deepEqual(
					lines.map(line => stripAnsi(line).trimEnd()),
					ink.lines().map(line => line.trimEnd()),
					`view ${view} at ${size.join('x')}`,
				);
			}
			ink.unmount();
		}
		assert.equal(sunk.lastFrame() ?? '', '', "Ink's own tree is empty");
		sunk.unmount();
	});

	test('a scrape is drawn straight to the sink (no React render), once per tick, as Ink would draw it', async () => {
		const built = buildStore();
		const frames: (readonly string[])[] = [];
		const sunk = render(createElement(App, {store: built.store, controls: liveControls(built.store), options: {color: true, ascii: false, lang: 'en'}, frameSink: lines => void frames.push(lines)}));
		Object.defineProperty(sunk.stdout, 'columns', {value: 120, configurable: true});
		Object.defineProperty(sunk.stdout, 'rows', {value: 40, configurable: true});
		sunk.stdout.emit('resize');
		await tick();
		const ink = await renderApp(built.store, {columns: 120, rows: 40});
		const base = fixture('fastdeploy-2.3.txt');
		for (const view of ['1', '2', '3', '4']) {
			sunk.stdin.write(view);
			await ink.press(view);
			await tick();
			const before = frames.length;
			// Two scrapes in one tick: one frame, of the second.
			built.ingest(scaleCumulative(base, 2 + frames.length * 0.1));
			built.ingest(scaleCumulative(base, 2.05 + frames.length * 0.1));
			assert.equal(frames.length, before, 'drawn after the scrape, not inside it');
			await tick();
			assert.equal(frames.length, before + 1, `view ${view}: one frame for two scrapes`);
			assert.notDeepEqual(frames.at(-1), frames.at(-2), 'the new figures are drawn');
			await ink.waitFor(() => true);
			assert.deepEqual(
				frames.at(-1)!.map(line => stripAnsi(line).trimEnd()),
				ink.lines().map(line => line.trimEnd()),
				`view ${view}`,
			);
			// Nothing changed: nothing drawn.
			await tick();
			assert.equal(frames.length, before + 1);
		}
		// Keys still act on the latest figures: the help overlay opens and closes over them.
		sunk.stdin.write('?');
		await tick();
		assert.match(stripAnsi(frames.at(-1)!.join('\n')), /Keys/);
		sunk.stdin.write('\u001b');
		await tick();
		await tick();
		ink.unmount();
		sunk.unmount();
	});
});
