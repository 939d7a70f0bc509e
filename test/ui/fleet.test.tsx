/** The Fleet view: several targets from fixtures, one of them failing, through the whole app. */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {formatCount, formatQuantile, formatRate, formatRatio} from '../../source/format.js';
import {fleetRows, FLEET_SORTS, sortFleet, type FleetRow} from '../../source/metrics/fleet.js';
import {Store} from '../../source/store.js';
import {keymapMarkdown} from '../../source/ui/keymap.js';
import {SORT_TITLES} from '../../source/ui/views/fleet.js';
import {buildStore, fixture, frameFits, renderApp, scaleCumulative, type Rendered} from './helpers.js';

const DOWN = '\u001b[B';
const ESC = '\u001b';
const ENTER = '\r';
const TAB = '\t';
const HOSTILE = '\u001b]0;x\u0007';

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

interface Spec {
	readonly name: string;
	readonly text: string;
	/** Growth of the cumulative values per second. */
	readonly growth: number;
	/** Scrapes after which the target fails (STALE from then on). */
	readonly failAfter?: number;
}

/** A store of these targets, each fed `scrapes` scrapes one second apart. */
function fleetStore(specs: readonly Spec[], scrapes = 10): Store {
	const store = new Store({targets: specs.map((s, i) => ({name: s.name, location: `http://10.0.0.${i + 1}:8001/metrics`})), intervalMs: 1000, windowMs: 60_000});
	for (let k = 0; k < scrapes; k++) {
		const t = 1_700_000_000_000 + k * 1000;
		specs.forEach((s, i) => {
			const target = `http://10.0.0.${i + 1}:8001/metrics`;
			if (s.failAfter !== undefined && k >= s.failAfter) store.ingest(i, {target, t, error: `${target}: connect ECONNREFUSED`, durationMs: 1, bytes: 0});
			else store.ingest(i, {target, t, text: scaleCumulative(s.text, 1 + s.growth * k), durationMs: 3, bytes: s.text.length});
		});
	}
	return store;
}

const V23 = fixture('fastdeploy-2.3.txt');
const V20 = fixture('fastdeploy-2.0.txt');
const THREE: readonly Spec[] = [
	{name: 'gpu-a', text: V23, growth: 0.05},
	{name: 'gpu-b', text: V20, growth: 0.1},
	{name: 'gpu-c', text: V23, growth: 0.02, failAfter: 6},
];

/** The frame line of a row, found by its name at the start. */
const lineOf = (lines: readonly string[], name: string) => lines.find(l => l.startsWith(`${name} `)) ?? assert.fail(`no row ${name} in\n${lines.join('\n')}`);
const cells = (line: string) => line.trim().split(/ {2,}/);

/** The figures a user reads on a row, as the view formats them. */
function expectedCells(row: FleetRow): string[] {
	// `*`: first tokens per second, from a server that counts no arrivals (2.0), or a sum with such.
	return [`${formatRate(row.requestRate, '')}${row.requestBasis === 'firstTokens' || row.requestBasis === 'mixed' ? '*' : ' '}`.trim(), formatRate(row.generationRate, ''), formatCount(row.running), formatCount(row.waiting), formatRatio(row.kvUsage), formatQuantile(row.ttftP99, 'seconds'), formatQuantile(row.tpotP99, 'seconds')];
}

async function start(specs: readonly Spec[] = THREE, size: {columns?: number; rows?: number; color?: boolean; insecure?: boolean} = {}) {
	const store = fleetStore(specs);
	open = await renderApp(store, {columns: 120, rows: 40, ...size});
	return {r: open, store};
}

describe('fleet view', () => {
	test('several targets open on the Fleet tab: one row each, the aggregate row on top', async () => {
		const {r, store} = await start();
		const lines = r.lines();
		assert.match(lines[0]!, /^fdtop {2}fleet of 3 targets .*2 of 3 up/);
		assert.match(lines[1]!, /^ 0 Fleet {2}1 Overview {2}2 Latency/);
		assert.match(lines[2]!, /^Fleet {2}3 targets: 2 up, 1 STALE {2}sorted by name/);
		assert.match(lines[3]!, /^endpoint↑ +state +req\/s +gen tok\/s +running +waiting +KV +TTFT p99 +TPOT p99 +queue mean/);
		assert.match(lines[4]!, /^all 3 +2\/3 /, 'the aggregate row comes first');

		const {aggregate, rows} = fleetRows(store.getSnapshot().targets);
		for (const row of [aggregate, ...rows]) {
			const shown = cells(lineOf(lines, row.name));
			assert.deepEqual(shown.slice(2, 9), expectedCells(row), `${row.name}: ${shown.join(' | ')}`);
		}
		assert.deepEqual(cells(lineOf(lines, 'gpu-a')).slice(0, 2), ['gpu-a', 'up']);
		assert.deepEqual(cells(lineOf(lines, 'gpu-c')).slice(0, 2), ['gpu-c', 'STALE']);
		// Counts and rates add up over the endpoints that are up (a STALE one's last values are not
		// current load); a percentile above the top bucket says so.
		const a = cells(lineOf(lines, 'all 3'));
		const live = rows.filter(row => row.state === 'up');
		const sum = (i: number) => live.reduce((n, row) => n + Number(cells(lineOf(lines, row.name))[i]), 0);
		assert.equal(Number(a[4]), sum(4), 'running');
		assert.equal(Number(a[5]), sum(5), 'waiting');
		assert.ok(Math.abs(live.reduce((n, row) => n + row.generationRate!, 0) - aggregate.generationRate!) < 1e-6);
		assert.ok(Math.abs(live.reduce((n, row) => n + row.requestRate!, 0) - aggregate.requestRate!) < 1e-6, 'req/s adds the rows');
		assert.match(r.frame(), /> 1 s/);
		assert.equal(frameFits(r.frame(), 120, 40), null);
	});

	test('the aggregate row is bold; a STALE row is greyed and its error shows when selected', async () => {
		const {r} = await start();
		const raw = r.raw().split('\n');
		assert.ok(raw.find(l => l.includes('all 3'))!.startsWith('\u001b[1m'), 'aggregate in bold');
		assert.ok(raw.find(l => l.includes('gpu-c'))!.startsWith('\u001b[2m'), 'STALE row dimmed');
		assert.ok(!raw.find(l => l.includes('gpu-a'))!.startsWith('\u001b[2m'), 'an up row is not');
		assert.match(r.lines().at(-1)!, /^Enter open {2}s sort {2}space pause/);
		await r.press(DOWN + DOWN);
		assert.match(r.lines().at(-2)!, /^http:\/\/10\.0\.0\.3:8001\/metrics/, 'two ↓ in one read move two rows; the footer names the target');
		assert.match(r.lines().at(-1)!, /^STALE, last values kept: http:\/\/10\.0\.0\.3:8001\/metrics: connect ECONNREFUSED/);
		await r.press(DOWN);
		assert.match(r.lines().at(-1)!, /STALE, last values kept/, 'the selection stops at the last row');
		await r.press('g');
		assert.match(r.lines().at(-1)!, /^Enter open/);
	});

	test('s cycles the sort column, named in the title and marked in the table header', async () => {
		const {r, store} = await start();
		const {rows} = fleetRows(store.getSnapshot().targets);
		const order = () => r.lines().filter(l => /^gpu-/.test(l)).map(l => l.split(' ')[0]);
		assert.deepEqual(order(), ['gpu-a', 'gpu-b', 'gpu-c']);
		for (const sort of [...FLEET_SORTS.slice(1), FLEET_SORTS[0]!]) {
			await r.press('s');
			assert.match(r.lines()[2]!, new RegExp(`sorted by ${SORT_TITLES[sort].replace('/', '\\/')} `), sort);
			assert.deepEqual(order(), sortFleet(rows, sort).map(row => row.name), `order by ${sort}`);
			assert.equal(r.lines()[3]!.match(/[↑↓]/g)?.length, 1, 'one column marked');
		}
		await r.press('s');
		assert.match(r.lines()[3]!, /req\/s↓/);
		assert.match(r.lines()[3]!, /endpoint /);
	});

	test('Enter drills into the selected target; its views show it; Esc comes back', async () => {
		const {r} = await start();
		await r.press(DOWN);
		await r.press(ENTER);
		await r.waitFor(f => /Time per request/.test(f), 'the overview');
		assert.match(r.lines()[0]!, /^fdtop {2}gpu-b http:\/\/10\.0\.0\.2:8001\/metrics +● up {2}\[2\/3\] {2}fastdeploy 2\.0/);
		assert.match(r.lines()[1]!, /^ 0 Fleet {2}1 Overview/);
		// gpu-b's own figures, not the first target's: it is the 2.0 fixture (no arrivals counter).
		assert.match(r.frame(), /started\/s/);
		for (const [key, title] of [
			['2', /Latency by phase/],
			['3', /Output \/ max_tokens/],
			['4', /GPU blocks/],
			['5', /Explorer {2}\d+ families/],
		] as const) {
			await r.press(key);
			assert.match(r.frame(), title);
			assert.match(r.lines()[0]!, /gpu-b .*\[2\/3\]/, `view ${key} shows gpu-b`);
		}
		await r.press(ENTER);
		assert.match(r.frame(), /Esc back/, 'Enter still opens a family in the explorer');
		await r.press(ESC);
		assert.match(r.frame(), /Explorer {2}\d+ families/, 'Esc closes the family first');
		await r.press(ESC);
		await r.waitFor(f => /^Fleet {2}3 targets/m.test(f), 'back on the Fleet view');
		assert.match(r.lines().at(-2)!, /10\.0\.0\.2/, 'gpu-b still selected');
		await r.press(ESC);
		assert.match(r.frame(), /^Fleet {2}3 targets/m, 'Esc on the Fleet view stays there');
		await r.press('f');
		assert.match(r.frame(), /^Fleet {2}3 targets/m);
		await r.press('1');
		await r.press('0');
		assert.match(r.frame(), /^Fleet {2}3 targets/m, '0 is the Fleet tab');
		await r.press(TAB);
		assert.match(r.frame(), /Time per request/, 'Tab goes on to the overview');
		await r.press('\u001b[Z');
		assert.match(r.frame(), /^Fleet {2}3 targets/m, 'Shift+Tab back to Fleet');
	});

	test('a long fleet scrolls, only the visible rows are drawn; 80x24 and 160x50 fit', async () => {
		const specs = Array.from({length: 40}, (_, i): Spec => ({name: `rank-${String(i).padStart(2, '0')}`, text: i % 3 === 2 ? V20 : V23, growth: 0.01 * (1 + (i % 7)), ...(i === 7 ? {failAfter: 3} : {})}));
		const {r} = await start(specs, {columns: 80, rows: 24});
		const shown = () => r.lines().filter(l => /^rank-\d\d /.test(l));
		assert.equal(shown().length, 24 - 1 - 3 - 5, 'one page of rows');
		assert.equal(frameFits(r.frame(), 80, 24), null);
		assert.match(r.lines().at(-2)!, /1-15 of 40/);
		await r.press('G');
		assert.match(shown().at(-1)!, /^rank-39 /);
		assert.doesNotMatch(r.frame(), /^rank-00 /m);
		assert.match(r.lines().at(-2)!, /26-40 of 40/);
		await r.press('\u001b[5~');
		assert.match(r.lines().at(-2)!, /25-39 of 40/, 'a page up, the selection on the top row');
		await r.press(ENTER);
		assert.match(r.lines()[0]!, /rank-24 .*\[25\/40\]/, 'Enter opens the row under the cursor');
		await r.press(ESC);
		for (const [columns, rows] of [
			[160, 50],
			[80, 24],
			[60, 16],
			[40, 10],
		] as const) {
			await r.resize(columns, rows);
			const problem = frameFits(r.frame(), columns, rows);
			assert.equal(problem, null, `${columns}x${rows}: ${problem}\n${r.frame()}`);
			assert.match(r.frame(), /rank-24/, `the selection stays in view at ${columns}x${rows}`);
			assert.match(r.frame(), /^all 40 /m);
		}
		await r.resize(160, 50);
		assert.equal(shown().length, 40, 'the whole fleet fits in 41 rows');
		assert.doesNotMatch(r.lines().at(-2)!, / of 40/);
		assert.match(r.lines()[3]!, /queue mean/, 'every column at 160 wide');
	});

	test('a hostile target name stays inert, in the table and in the header', async () => {
		const {r} = await start([{name: HOSTILE, text: V23, growth: 0.05}, ...THREE.slice(1)], {columns: 80, rows: 24});
		assert.match(r.frame(), /^\\e\]0;x\\x07 +up /m);
		await r.press(ENTER);
		assert.match(r.lines()[0]!, /^fdtop {2}\\e\]0;x\\x07 /);
		for (const raw of [r.raw()]) {
			assert.doesNotMatch(raw, /\u001b\]/, 'no OSC sequence');
			assert.doesNotMatch(raw, /\u0007/, 'no BEL');
		}
		await r.press(ESC);
		assert.doesNotMatch(r.raw(), /\u001b\]|\u0007/);
		assert.equal(frameFits(r.frame(), 80, 24), null);
	});

	test('INSECURE in the header, in the warning colour, when TLS is not verified', async () => {
		const {r} = await start(THREE, {insecure: true});
		assert.match(r.raw().split('\n')[0]!, /\u001b\[33m\u001b\[1mINSECURE\u001b\[22m\u001b\[39m/);
		await r.press(ENTER);
		assert.match(r.lines()[0]!, /INSECURE/, 'on every view');
		r.unmount();
		const single = buildStore();
		open = await renderApp(single.store, {columns: 100, rows: 30, insecure: true});
		assert.match(open.lines()[0]!, /● up {2}INSECURE/);
		open.unmount();
		open = await renderApp(single.store, {columns: 100, rows: 30});
		assert.doesNotMatch(open.frame(), /INSECURE/);
	});

	test('--ascii and NO_COLOR: no glyph outside ASCII, no colour', async () => {
		const store = fleetStore(THREE);
		open = await renderApp(store, {columns: 80, rows: 24, ascii: true, color: false});
		for (const key of ['', 's', DOWN, DOWN]) {
			if (key) await open.press(key);
			const raw = open.raw();
			assert.doesNotMatch(raw, /\u001b\[(?:3|4|9|10)\dm/, 'no colour');
			assert.equal(open.frame().match(/[^\x20-\x7e\n]/gu), null);
		}
		assert.match(open.frame(), /req\/sv/, 'the sort mark in ASCII');
		assert.match(open.frame(), /^-{20,}/m, 'the rule in ASCII');
	});

	test('one target: no Fleet tab, and its keys do nothing', async () => {
		const {store} = buildStore();
		open = await renderApp(store, {columns: 100, rows: 30});
		assert.match(open.lines()[1]!, /^ 1 Overview/);
		for (const key of ['0', 'f', 's', ESC]) {
			await open.press(key);
			assert.match(open.frame(), /Time per request/, key);
			assert.doesNotMatch(open.frame(), /Fleet/);
		}
	});

	test('the help and the README key table list the fleet keys', async () => {
		const {r} = await start(THREE, {columns: 160, rows: 50});
		await r.press('?');
		assert.match(r.frame(), /0 f +Fleet: all targets, aggregate on top/);
		assert.match(r.frame(), /s +sort the fleet by the next column/);
		await r.press(ESC);
		await r.press('e');
		assert.match(r.frame(), /Explain {2}Esc closes/);
		assert.match(r.frame(), /Received {2}counter, requests[^]*Gen tokens {2}counter/, 'the fleet columns explained');
		assert.match(keymapMarkdown(), /\| `0` `f` \| Fleet: all targets, aggregate on top \(several targets\) \|/);
		assert.match(keymapMarkdown(), /\| `s` \| sort the fleet by the next column \(several targets\) \|/);
	});
});
