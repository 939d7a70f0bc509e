/** Help: the key map, generated from the one table the input handler uses, and how to read numbers. */
import {KEYMAP, isActive, type KeyContext, type Section} from '../keymap.js';
import type {Theme} from '../theme.js';
import {pad, sideBySide, visibleWidth, wrap} from '../text-width.js';
import {append, maxOf} from '../../arrays.js';

// Other (help, explain, quit) before the long Lists, so it is on the first page of a small terminal.
const SECTIONS: readonly Section[] = ['Views', 'Data', 'Other', 'Lists', 'Replay'];
const COLUMN = 40;
/** Gap between the columns of keys. */
const GAP = 2;
const KEY_WIDTH = 10;

function keyLabel(label: string, theme: Theme): string {
	return theme.ascii ? label.replace('→', 'Right').replace('←', 'Left').replace('↑', 'Up').replace('↓', 'Down') : label;
}

export function helpLines(context: KeyContext, theme: Theme, width: number): string[] {
	// As many columns (up to three) as hold the longest description on one line; on a narrow
	// terminal two all the same, the longer descriptions going on under themselves.
	const widest = maxOf(KEYMAP.filter(b => isActive(b, context)).map(b => KEY_WIDTH + 2 + visibleWidth(theme.msg.keys[b.id])), 0);
	const columns = Math.max(1, Math.min(3, Math.floor((width + GAP) / (widest + GAP))), Math.min(2, Math.floor(width / COLUMN)));
	const columnWidth = Math.floor((width + GAP) / columns) - GAP;
	// A description longer than its column goes on under itself: Help never cuts its own text.
	const entry = (label: string, help: string): string[] => {
		const [first = '', ...rest] = wrap(help, Math.max(8, columnWidth - KEY_WIDTH - 2));
		return [`  ${theme.paint(pad(keyLabel(label, theme), KEY_WIDTH), 'accent')}${first}`, ...rest.map(line => `${' '.repeat(KEY_WIDTH + 2)}${line}`)];
	};
	const blocks: string[][] = [];
	for (const section of SECTIONS) {
		const bindings = KEYMAP.filter(b => b.section === section && isActive(b, context));
		if (bindings.length === 0) continue;
		blocks.push([theme.paint(theme.msg.sections[section], 'title'), ...bindings.flatMap(b => entry(b.label, theme.msg.keys[b.id])), '']);
	}
	const stacks: string[][] = Array.from({length: columns}, () => []);
	const total = blocks.reduce((n, b) => n + b.length, 0);
	let column = 0;
	for (const block of blocks) {
		if (stacks[column]!.length > 0 && stacks[column]!.length + block.length / 2 > total / columns && column < columns - 1) column++;
		append(stacks[column]!, block);
	}
	const keys = sideBySide(
		stacks.map(lines => ({lines, width: columnWidth})),
		GAP,
	);
	// The signs in one column (as wide as the widest, in cells), each meaning beside its sign and
	// wrapped under itself.
	const signs = theme.msg.help.legend(theme.ascii ? '<=' : '≤', theme.ascii ? '-' : '–', theme.glyphs.chartBound[4]!, theme.glyphs.restart, `${theme.glyphs.markerRestart} ${theme.glyphs.markerConfig} ${theme.glyphs.markerAlert}`);
	const signWidth = maxOf(signs.map(([sign]) => visibleWidth(sign)), 0) + 2;
	const legend = [theme.paint(theme.msg.help.reading, 'title')];
	for (const [sign, meaning] of signs) {
		const [first = '', ...rest] = wrap(meaning, Math.max(20, width - signWidth - 2));
		append(legend, [`  ${pad(sign, signWidth)}${first}`], rest.map(line => `${' '.repeat(signWidth + 2)}${line}`));
	}
	return [...keys, ...legend].map(line => theme.fit(line, width));
}
