/**
 * The header's tabs and hints, the status line and the Overview's `vs baseline` line in a real
 * terminal at 80x24 (tmux lays out the cells itself), in English and Chinese: every tab has a name,
 * the current view its full one, `? help` and `q quit` stay, and no line is cut mid-word.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {msgs, type Lang} from '../../source/i18n/index.js';
import {visibleWidth} from '../../source/ui/text-width.js';
import {viewKey, viewsFor} from '../../source/ui/ui-state.js';
import {HAS_TMUX, requireBuild, Tmux} from './helpers.js';

describe('tabs and hints at 80x24 in tmux', {skip: HAS_TMUX ? false : 'tmux is not installed', timeout: 120_000}, () => {
	const tmux = new Tmux();
	before(() => {
		requireBuild();
		tmux.start();
	});
	after(() => tmux.kill());

	for (const lang of ['en', 'zh'] as const satisfies readonly Lang[]) {
		const m = msgs(lang);
		const [help, , quit] = m.header.hints.join('  ').split(/ {2,}/);
		test(`${lang}: every view by its key, named tabs, ? help and q quit, the baseline line whole`, async () => {
			const s = tmux.launch(`node dist/cli.js --demo steady-2.3 --baseline demo:steady --lang ${lang}`, {columns: 80, rows: 24});
			await tmux.waitFor(s, screen => screen.includes(m.compareView.strip), 'the Overview with its baseline line');
			for (const view of viewsFor(1)) {
				const key = viewKey(view.id);
				tmux.keys(s, key);
				const screen = await tmux.waitFor(s, x => (x.split('\n')[1] ?? '').includes(`${key} ${m.views[view.id]}`), `${view.id} selected`);
				const rows = screen.split('\n');
				for (const [i, row] of rows.entries()) assert.ok(visibleWidth(row) <= 80, `${view.id}: row ${i + 1} is ${visibleWidth(row)} cells: ${row}`);
				const tabs = rows[1]!;
				for (const v of viewsFor(1)) assert.match(tabs, new RegExp(`(^| )${viewKey(v.id)} [^\\s\\d?]`), `${view.id}: tab ${viewKey(v.id)} has a name: ${tabs}`);
				assert.ok(tabs.includes(help!) && tabs.trimEnd().endsWith(quit!), `${view.id}: ${help} and ${quit}: ${tabs}`);
				assert.doesNotMatch(`${rows[0]}\n${tabs}\n${rows[22]}`, /…/, `${view.id}: nothing cut in the header or the status line`);
				if (view.id === 'overview') {
					const strip = rows.find(r => r.startsWith(m.compareView.strip))!;
					assert.doesNotMatch(strip, /…/, `the baseline line is cut: ${strip}`);
					assert.ok(strip.trimEnd().endsWith(m.compareView.stripHint), `the baseline line ends with ${m.compareView.stripHint}: ${strip}`);
				}
			}
			tmux.keys(s, '1');
			tmux.keys(s, 'q');
			await tmux.waitFor(s, x => x.includes('SHELL-AFTER 0'), 'a clean exit');
		});
	}
});
