/** Issue 14 §4, the rough edges a new user meets, through the whole app (ink-testing-library). */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildStore, renderApp, type Rendered} from './helpers.js';

const ENTER = '\r';

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

async function start(options: Parameters<typeof renderApp>[1] = {}, text?: string) {
	const built = buildStore({text});
	open = await renderApp(built.store, {columns: 100, rows: 30, ...options});
	return {r: open, ...built};
}

describe('Explorer filter', () => {
	for (const [needle, family] of [
		['ttft', 'fastdeploy:time_to_first_token_seconds'],
		['tpot', 'fastdeploy:time_per_output_token_seconds'],
		['kv', 'fastdeploy:gpu_cache_usage_perc'],
		['KV cache', 'fastdeploy:gpu_cache_usage_perc'],
	] as const) {
		test(`/${needle} finds ${family} by the catalog's key or title, not only by name`, async () => {
			const {r} = await start();
			await r.press('5');
			await r.press(`/${needle}${ENTER}`);
			await r.waitFor(f => /match/.test(f), 'the filter applied');
			assert.match(r.frame(), new RegExp(family.replace(/[:.]/g, '\\$&')));
			assert.doesNotMatch(r.frame(), /no match/);
		});
	}
});
