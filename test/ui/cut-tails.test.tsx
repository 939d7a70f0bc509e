/**
 * No text tail cut at 80 columns on the Tokens, Cache and SLO views: a line with optional parts
 * leaves out whole parts, or wraps its note, rather than end in `…` (in both languages).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseObjective} from '../../source/metrics/slo.js';
import {appPerTest, buildStore, frameFits, renderApp} from './helpers.js';

const app = appPerTest();
const objectives = ['ttft<=2s:99%', 'tpot<=100ms:50%', 'e2e<=1s:99%'].map(t => parseObjective(t).objective!);

for (const lang of ['en', 'zh'] as const) {
	for (const [key, view] of [
		['3', 'Tokens'],
		['4', 'Cache'],
		['6', 'SLO'],
	] as const) {
		test(`${view} at 80x24 (${lang}): no line ends cut`, async () => {
			app.open = await renderApp(buildStore({objectives}).store, {columns: 80, rows: 24, lang});
			await app.open.press(key);
			const frame = app.open.frame();
			assert.equal(frameFits(frame, 80, 24), null);
			// The header's target name may be cut (it gives way to the state): the body's lines may not.
			for (const line of app.open.lines().slice(2)) assert.ok(!line.trimEnd().endsWith('…'), `cut: ${line}\n${frame}`);
		});
	}
}
