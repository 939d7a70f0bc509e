import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {KEYMAP, keymapMarkdown, NO_KEY, resolveKey} from '../../source/ui/keymap.js';
import {helpLines} from '../../source/ui/views/help.js';
import {createTheme} from '../../source/ui/theme.js';
import {stripAnsi} from './helpers.js';

const none = NO_KEY;
const live = {replay: false, targets: 1};

describe('key map', () => {
	test('keys resolve to their commands', () => {
		assert.deepEqual(resolveKey('3', none, live), {type: 'view', view: 'tokens'});
		assert.deepEqual(resolveKey('', {...none, tab: true}, live), {type: 'cycleView', delta: 1});
		assert.deepEqual(resolveKey('', {...none, tab: true, shift: true}, live), {type: 'cycleView', delta: -1});
		assert.deepEqual(resolveKey('', {...none, leftArrow: true}, live), {type: 'cycleView', delta: -1});
		assert.deepEqual(resolveKey(' ', none, live), {type: 'pause'});
		assert.deepEqual(resolveKey('p', none, live), {type: 'pause'});
		assert.deepEqual(resolveKey('+', none, live), {type: 'interval', direction: 1});
		assert.deepEqual(resolveKey('[', none, live), {type: 'window', direction: -1});
		assert.deepEqual(resolveKey('G', {...none, shift: true}, live), {type: 'end'});
		assert.deepEqual(resolveKey('c', {...none, ctrl: true}, live), {type: 'quit'});
		assert.equal(resolveKey('x', none, live), null);
	});

	test('replay and multi-target keys exist only there', () => {
		assert.equal(resolveKey('.', none, live), null);
		assert.deepEqual(resolveKey('.', none, {replay: true, targets: 1}), {type: 'step'});
		assert.deepEqual(resolveKey('>', none, {replay: true, targets: 1}), {type: 'speed', direction: 1});
		assert.equal(resolveKey('t', none, live), null);
		assert.deepEqual(resolveKey('t', none, {replay: false, targets: 2}), {type: 'nextTarget'});
	});

	test('no key is bound twice', () => {
		const seen = new Map<string, string>();
		for (const b of KEYMAP) {
			for (const spec of b.keys) {
				const id = JSON.stringify(spec);
				assert.ok(!seen.has(id), `${id} bound to "${seen.get(id)}" and "${b.help}"`);
				seen.set(id, b.help);
			}
		}
	});

	test('the help view lists every active binding from the same table', () => {
		const theme = createTheme({color: false, ascii: false, lang: 'en'});
		const text = stripAnsi(helpLines({replay: true, targets: 2}, theme, 160).join('\n'));
		for (const b of KEYMAP) assert.ok(text.includes(b.help), `help is missing "${b.help}"`);
		const liveText = stripAnsi(helpLines(live, theme, 160).join('\n'));
		assert.ok(!liveText.includes('step one scrape'));
	});

	test('the README table is generated from the same map', () => {
		const table = keymapMarkdown();
		assert.match(table, /^\| Key \| Action \|/);
		assert.match(table, /\| `space` `p` \| pause \/ resume scraping \|/);
		assert.match(table, /\| `\.` \| step one scrape \(replays\) \|/);
		assert.equal(table.split('\n').length, KEYMAP.length + 2);
	});
});
