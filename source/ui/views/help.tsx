/** Help: the key map, generated from the one table the input handler uses, and how to read numbers. */
import {KEYMAP, isActive, type KeyContext, type Section} from '../keymap.js';
import type {Theme} from '../theme.js';
import {pad, sideBySide} from '../text-width.js';
import {append} from '../../arrays.js';

const SECTIONS: readonly Section[] = ['Views', 'Data', 'Lists', 'Replay', 'Other'];
const COLUMN = 40;

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
	const columns = Math.max(1, Math.min(3, Math.floor(width / COLUMN)));
	const stacks: string[][] = Array.from({length: columns}, () => []);
	const total = blocks.reduce((n, b) => n + b.length, 0);
	let column = 0;
	for (const block of blocks) {
		if (stacks[column]!.length > 0 && stacks[column]!.length + block.length / 2 > total / columns && column < columns - 1) column++;
		append(stacks[column]!, block);
	}
	const keys = sideBySide(
		stacks.map(lines => ({lines, width: Math.floor(width / columns) - 2})),
		2,
	);
	const legend = [
		theme.paint('Reading the numbers', 'title'),
		`  --        not reported by this server (missing is never shown as 0)`,
		`  > 1 s     percentile above the top histogram bucket: only known to be higher`,
		`  ${theme.ascii ? '<=' : '≤'} 300 ms  percentile in a wide bucket (greyed; also 0.1${theme.ascii ? '-' : '–'}0.25 s): the first`,
		`            bucket, or one over twice its start: only its bounds are known`,
		`  ${theme.glyphs.chartBound[4]}         chart: p99 in a wide bucket, drawn at its top (p99 is at most that)`,
		`  n too small  under 5 observations: no percentiles (n < 5); the mean is exact`,
		`  all zero  present but never observed since start; e explains why`,
		`  STALE     the last scrape failed: last values kept, greyed, error below`,
		`  ${theme.glyphs.restart} restart  a counter went down: the server restarted; rates stay correct`,
		`  window    rates and percentiles over the last window; lifetime = since start`,
		`  2.3?      FastDeploy version guessed (likely, not certain); --era sets it`,
		`  avg of 2  a gauge read from several series (pids, model_id) and how; live = the ones that move`,
		`  unfinished  requests received − finished in the window (FastDeploy counts no failures)`,
		`  20 s of 1 m  window not whole: (filling) just started, (restart): rates read low`,
	];
	return [...keys, ...legend].map(line => theme.fit(line, width));
}
