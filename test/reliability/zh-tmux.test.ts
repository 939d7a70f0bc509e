/**
 * The Chinese Overview in a real terminal (tmux, 80x24, LANG=zh_CN.UTF-8): tmux lays out wide
 * characters itself, so a line we measured wrong would wrap or push the right edge. Every row of
 * the screen stays within 80 cells, the header and footer keep their place, and the labels are
 * Chinese.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {HAS_TMUX, requireBuild, Tmux} from './helpers.js';
import {visibleWidth} from '../../source/ui/text-width.js';

describe('the Chinese UI in tmux at 80x24', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	before(() => {
		requireBuild();
		tmux.start();
	});
	after(() => tmux.kill());

	test('the Overview: Chinese labels, 24 rows, none wider than 80 cells', async () => {
		const session = tmux.launch('node dist/cli.js --demo steady-2.3', {columns: 80, rows: 24, env: {LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: ''}});
		const screen = await tmux.waitFor(session, s => s.includes('每请求耗时') && s.includes('KV 缓存'), 'the Chinese overview');
		const rows = screen.split('\n');
		for (const [i, row] of rows.entries()) assert.ok(visibleWidth(row) <= 80, `row ${i + 1} is ${visibleWidth(row)} cells: ${row}`);
		// The header on the first row, the tabs on the second, the keys on the last of the frame (rows − 1
		// lines: the terminal's last row stays free): nothing wrapped.
		assert.match(rows[0]!, /^fdtop /);
		assert.match(rows[1]!, /^ 1 总览 {2}2 延迟/);
		// Eight tabs leave room for all three hints; `e 说明` is the first to go, `q 退出` the last.
		assert.match(rows[1]!, /\? 帮助 {2}e 说明 {2}q 退出$/);
		assert.match(rows[22]!, /^空格 暂停/);
		tmux.keys(session, '?');
		const help = await tmux.waitFor(session, s => s.includes('按键') && s.includes('下一个视图'), 'the Chinese help');
		for (const row of help.split('\n')) assert.ok(visibleWidth(row) <= 80, row);
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER 0'), 'a clean exit');
	});
});
