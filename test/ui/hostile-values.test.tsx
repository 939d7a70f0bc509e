/**
 * Hostile values on screen (issue 13, item 8): the warning is on the status line, the figure reads
 * `--`, and no number breaks its column (once `KV cache Infinity %`, `9.999999999999998e+295T`).
 */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildStore, fixture, frameFits, renderApp, type Rendered} from './helpers.js';

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

const BASE = fixture('fastdeploy-2.3.txt');

test('a KV cache gauge of 1e308: a warning on the status line, KV cache --, every view fits', async () => {
	const built = buildStore({text: BASE.replace('fastdeploy:gpu_cache_usage_perc 0.375\n', 'fastdeploy:gpu_cache_usage_perc 1e308\n'), scrapes: 3});
	const r = (open = await renderApp(built.store, {columns: 120, rows: 40}));
	const frame = await r.waitFor(f => /Time per request/.test(f), 'Overview');
	const lines = frame.split('\n');
	assert.match(lines.at(-1)!, /^warning: fastdeploy:gpu_cache_usage_perc: 1e\+308 is beyond 2\^53/);
	assert.match(frame, /KV cache .*--/);
	for (const view of ['1', '2', '3', '4', '5']) {
		await r.press(view);
		assert.doesNotMatch(r.frame(), /Infinity|NaN/, `view ${view}`);
		assert.equal(frameFits(r.frame(), 120, 40), null, `view ${view}`);
	}
});

test('1e308 generation tokens and a negative counter: warnings, --, the Tokens view intact', async () => {
	const text = BASE.replace('fastdeploy:generation_tokens_total 31580.0\n', 'fastdeploy:generation_tokens_total 1e308\n').replace('fastdeploy:request_success_total 120.0\n', 'fastdeploy:request_success_total -5\n');
	const built = buildStore({text, scrapes: 3});
	const r = (open = await renderApp(built.store, {columns: 200, rows: 40}));
	await r.press('3');
	const frame = await r.waitFor(f => /Output \/ max_tokens/.test(f), 'Tokens');
	const status = frame.split('\n').at(-1)!;
	assert.match(status, /warning: fastdeploy:generation_tokens_total: .* not shown/);
	assert.match(status, /fastdeploy:request_success_total: -5(\.\d+)? is negative/);
	assert.match(frame, /generation --/);
	assert.doesNotMatch(frame, /e\+\d{3}[kMGT]|Infinity/);
	assert.equal(frameFits(frame, 200, 40), null);
});
