/**
 * Every view with a scrape of 200,000-series families (above the 130,000 where the Explorer used to
 * die of `Maximum call stack size exceeded`): the live UI draws each one, frames fit the terminal.
 */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {widenGauge} from '../helpers/exposition.js';
import {buildStore, fixture, frameFits, renderApp, type Rendered} from './helpers.js';

const ENTER = '\r';
const ESC = '\u001b';
const N = 200_000;

/** The fixture, its max batch size spread over N pids (one of them 512), and an unknown N-series gauge. */
function wide(): string {
	const lines = [widenGauge(fixture('fastdeploy-2.3.txt'), 'fastdeploy:max_batch_size', N, i => (i === 12_345 ? 512 : i % 64))];
	lines.push('# HELP wide_gauge One series per worker.', '# TYPE wide_gauge gauge');
	for (let i = 0; i < N; i++) lines.push(`wide_gauge{worker="w${i}"} ${i}`);
	return `${lines.join('\n')}\n`;
}

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

test(`every view draws a scrape with ${N.toLocaleString('en')}-series families`, async () => {
	// Two families of N: the --max-series cap raised as a user would.
	const built = buildStore({text: wide(), scrapes: 2, targets: 2, maxSeries: 1_000_000});
	assert.equal(built.store.getSnapshot().targets[0]!.state, 'up');
	const r = (open = await renderApp(built.store, {columns: 120, rows: 40}));
	const fits = (what: string) => assert.equal(frameFits(r.frame(), 120, 40), null, what);
	await r.waitFor(f => /Fleet/.test(f), 'the Fleet view (two targets)');
	fits('fleet');
	await r.press(ENTER);
	await r.press('1');
	await r.waitFor(f => /Time per request/.test(f), 'Overview');
	fits('overview');
	await r.press('2');
	await r.waitFor(f => /Latency by phase/.test(f), 'Latency');
	await r.press('3');
	await r.waitFor(f => /Output \/ max_tokens/.test(f), 'Tokens');
	await r.press('4');
	await r.waitFor(f => /Batch .* of 512 /.test(f), 'Cache & batch with the max over 200,000 pids');
	fits('cache');
	await r.press('5');
	await r.waitFor(f => /Explorer {2}\d+ families/.test(f), 'Explorer');
	for (const name of ['wide_gauge', 'max_batch']) {
		await r.press('/');
		for (const c of name) await r.press(c);
		await r.press(ENTER);
		if (name === 'wide_gauge') assert.match(r.frame(), /wide_gauge\s+gauge\s+200000\s+0 to 200(\.0)?k/, 'the wide family is listed with its series and range');
		await r.press(ENTER);
		await r.waitFor(f => /Esc back/.test(f), `${name}: its series open`);
		fits(`${name} detail`);
		await r.press('G');
		fits(`${name} detail, last page`);
		await r.press(ESC);
		await r.press(ESC);
	}
	await r.press('e');
	await r.waitFor(f => /catalog|Explain|explain/.test(f), 'Explain');
	fits('explain');
	await r.press(ESC);
	await r.press('?');
	await r.waitFor(f => /this help/.test(f), 'Help');
	fits('help');
});
