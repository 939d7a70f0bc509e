/** The event log (key 8) and the event markers under the charts and the Trends. */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import type {Store} from '../../source/store.js';
import {latencyChart} from '../../source/ui/components/latency-chart.js';
import type {MarkerTrack} from '../../source/ui/components/event-markers.js';
import {createTheme} from '../../source/ui/theme.js';
import {appPerTest, buildStore, fixture, frameFits, renderApp, scaleCumulative, setSample, stripAnsi} from './helpers.js';

const app = appPerTest();
const BASE = fixture('fastdeploy-2.3.txt');

/** 20 scrapes growing 5 % a second, then: a config change, an outage, a restart. */
function eventful() {
	const built = buildStore({scrapes: 20});
	const grown = (i: number, text = BASE) => scaleCumulative(text, 1 + 0.05 * i);
	const bigger = setSample(BASE, 'fastdeploy:max_batch_size', 128);
	for (let i = 20; i < 25; i++) built.ingest(grown(i, bigger));
	built.fail('connection refused');
	built.fail('connection refused');
	// Back, restarted: the counters start again low.
	for (let i = 0; i < 5; i++) built.ingest(scaleCumulative(bigger, 0.1 + 0.05 * i));
	return built;
}

async function show(store: Store, columns: number, rows: number, options: {ascii?: boolean} = {}) {
	app.open = await renderApp(store, {columns, rows, ...options});
	return {r: app.open};
}

function fits(frame: string, columns: number, rows: number): void {
	const problem = frameFits(frame, columns, rows);
	assert.equal(problem, null, `${problem}\n${frame}`);
}

describe('event log view', () => {
	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`newest first with times, kinds and details at ${columns}x${rows}`, async () => {
			const {store} = eventful();
			const {r} = await show(store, columns, rows);
			await r.press('8');
			const frame = r.frame();
			fits(frame, columns, rows);
			assert.match(frame, /Events {2}4 events, newest first/);
			const rowsShown = r.lines().filter(l => /^\d\d:\d\d:\d\d /.test(l));
			assert.deepEqual(
				rowsShown.map(l => /^\d\d:\d\d:\d\d +(. [a-z ]+?) {2,}/.exec(l)?.[1]),
				['↺ restart', '! target up', '! target down', '⚙ config changed'],
				frame,
			);
			assert.match(rowsShown[0]!, /counters reset \(\d+ metrics\)/);
			assert.match(rowsShown[1]!, /after 2 s down/);
			assert.match(rowsShown[2]!, /connection refused/);
			assert.match(rowsShown[3]!, /max_batch_size 64 → 128/);
			// The footer has the selected (newest) event's date and whole detail.
			assert.match(frame, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}restart: counters reset/);
		});
	}

	test('the list keys move the selection as in the Explorer: j, G, g, PgDn', async () => {
		const built = buildStore({scrapes: 5});
		// 30 config changes, one per scrape: more than a page at 80x24.
		for (let i = 0; i < 30; i++) built.ingest(setSample(scaleCumulative(BASE, 1.3 + 0.05 * i), 'fastdeploy:max_batch_size', 100 + i));
		const {r} = await show(built.store, 80, 24);
		await r.press('8');
		assert.match(r.frame(), /30 events, newest first/);
		const footer = () => r.lines().filter(l => /UTC {2}config changed/.test(l)).at(-1) ?? '';
		assert.match(footer(), /max_batch_size 128 → 129$/);
		await r.press('j');
		assert.match(footer(), /max_batch_size 127 → 128$/);
		await r.press('G');
		assert.match(footer(), /max_batch_size 64 → 100$/, 'G: the oldest');
		assert.match(r.frame(), /64 → 100/, 'the oldest is scrolled into view');
		await r.press('g');
		assert.match(footer(), /128 → 129$/, 'g: the newest again');
		await r.press('\u001b[6~');
		assert.doesNotMatch(footer(), /128 → 129$/, 'PgDn moves a page down');
		fits(r.frame(), 80, 24);
	});

	test('no events yet: says what will show there, and the markers', async () => {
		const {store} = buildStore({scrapes: 3});
		const {r} = await show(store, 80, 24);
		await r.press('8');
		assert.match(r.frame(), /0 events, newest first/);
		assert.match(r.frame(), /no events yet/);
		// The whole sentence, wrapped at 80 columns rather than cut.
		assert.doesNotMatch(r.frame(), /…/);
		assert.match(r.frame().replace(/\s+/g, ' '), /diagnoses show here/);
		assert.match(r.frame(), /↺ restart {2}⚙ config {2}! down, SLO, diagnosis, alert/);
	});

	test('ASCII: the markers by their ASCII spelling', async () => {
		const {store} = eventful();
		const {r} = await show(store, 80, 24, {ascii: true});
		await r.press('8');
		const frame = stripAnsi(r.frame());
		assert.match(frame, /R restart/);
		assert.match(frame, /C config changed/);
		assert.doesNotMatch(frame, /[^\x00-\x7f]/);
	});
});

describe('event markers', () => {
	test('latencyChart: a marker row under the plot, each marker in the column of its scrape', () => {
		const theme = createTheme({color: false, ascii: false, lang: 'en'});
		const n = 30;
		const values = Array.from({length: n}, (_, i) => 0.2 + 0.01 * i);
		const track: MarkerTrack = values.map((_, i) => (i === n - 1 - 4 ? 'restart' : i === n - 1 - 9 ? 'config' : i === n - 1 ? 'alert' : ''));
		const width = 60;
		const plain = latencyChart({key: 'ttft', title: 'TTFT', metric: undefined, series: {mean: values}, width, height: 12, theme});
		const marked = latencyChart({key: 'ttft', title: 'TTFT', metric: undefined, series: {mean: values}, width, height: 12, theme, markers: track});
		assert.equal(marked.length, plain.length, 'the row is taken from the chart, not added to the panel');
		const row = marked.find(l => l.includes('↺'));
		assert.ok(row, marked.join('\n'));
		// The plot's columns start after 7 label columns and the axis; the newest is its last.
		const chartWidth = width - 14 - 2;
		const last = 8 + (chartWidth - 8) - 1;
		assert.equal([...row].indexOf('!'), last);
		assert.equal([...row].indexOf('↺'), last - 4);
		assert.equal([...row].indexOf('⚙'), last - 9);
		const none = latencyChart({key: 'ttft', title: 'TTFT', metric: undefined, series: {mean: values}, width, height: 12, theme, markers: values.map(() => '')});
		assert.deepEqual(none, plain, 'no marker in view: the chart keeps its full height');
	});

	test('the Trends on the Overview: an events row with the restart and the config change in their scrapes\' columns', async () => {
		const {store} = eventful();
		const {r} = await show(store, 120, 40);
		const frame = r.frame();
		fits(frame, 120, 40);
		const row = r.lines().find(l => l.startsWith('events '));
		assert.ok(row, frame);
		// Sparklines are 120 − 24 columns wide after 12 of label; the newest scrape is the last column.
		const last = 12 + 96 - 1;
		// The restart (with the target coming back) is 4 scrapes before the newest; the config change 5 before that.
		assert.equal([...row].indexOf('↺'), last - 4, row);
		assert.equal([...row].indexOf('⚙'), last - 9, row);
		// The TTFT and TPOT charts carry the same markers.
		assert.ok(r.lines().filter(l => l.includes('↺')).length >= 2, frame);
	});
});

describe('event markers on the Tokens and Cache charts', () => {
	for (const key of ['3', '4']) {
		test(`view ${key}: the marker row under its chart, in the scrapes' columns`, async () => {
			const {store} = eventful();
			const {r} = await show(store, 120, 40);
			await r.press(key);
			fits(r.frame(), 120, 40);
			const row = r.lines().find(l => /^ {8}[ ↺⚙!]+$/.test(l) && l.includes('↺'));
			assert.ok(row, r.frame());
			// The plot's 112 columns follow 7 label columns and the axis; the newest scrape is the last.
			const last = 8 + 112 - 1;
			assert.equal([...row].indexOf('↺'), last - 4, row);
			assert.equal([...row].indexOf('⚙'), last - 9, row);
		});
	}
});
