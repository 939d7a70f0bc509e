/** Help: the key map, generated from the one table the input handler uses, and how to read numbers. */
import {KEYMAP, isActive, type KeyContext, type Section} from '../keymap.js';
import type {Theme} from '../theme.js';
import {pad, sideBySide, visibleWidth} from '../text-width.js';
import {append, maxOf} from '../../arrays.js';

const SECTIONS: readonly Section[] = ['Views', 'Data', 'Lists', 'Replay', 'Other'];
/** Gap between the columns of keys. */
const GAP = 2;

function keyLabel(label: string, theme: Theme): string {
	return theme.ascii ? label.replace('→', 'Right').replace('←', 'Left').replace('↑', 'Up').replace('↓', 'Down') : label;
}

export function helpLines(context: KeyContext, theme: Theme, width: number): string[] {
	const blocks: string[][] = [];
	for (const section of SECTIONS) {
		const bindings = KEYMAP.filter(b => b.section === section && isActive(b, context));
		if (bindings.length === 0) continue;
		blocks.push([theme.paint(section, 'title'), ...bindings.map(b => `  ${theme.paint(pad(keyLabel(b.label, theme), 10), 'accent')}${b.help}`), '']);
	}
	// As many columns (up to three) as hold the longest description whole: Help never cuts its own text.
	const widest = maxOf(blocks.flat().map(line => visibleWidth(line)), 0);
	const columns = Math.max(1, Math.min(3, Math.floor((width + GAP) / (widest + GAP))));
	const stacks: string[][] = Array.from({length: columns}, () => []);
	const total = blocks.reduce((n, b) => n + b.length, 0);
	let column = 0;
	for (const block of blocks) {
		if (stacks[column]!.length > 0 && stacks[column]!.length + block.length / 2 > total / columns && column < columns - 1) column++;
		append(stacks[column]!, block);
	}
	const keys = sideBySide(
		stacks.map(lines => ({lines, width: Math.floor((width + GAP) / columns) - GAP})),
		GAP,
	);
	const legend = [
		theme.paint('Reading the numbers', 'title'),
		`  --        not reported by this server (missing is never shown as 0)`,
		`  > 1 s     percentile above the top histogram bucket: only known to be higher`,
		`  all zero  present but never observed since start; e explains why`,
		`  STALE     the last scrape failed: last values kept, greyed, error below`,
		`  ${theme.glyphs.restart} restart  a counter went down: the server restarted; rates stay correct`,
		`  window    rates and percentiles over the last window; lifetime = since start`,
	];
	return [...keys, ...legend].map(line => theme.fit(line, width));
}
