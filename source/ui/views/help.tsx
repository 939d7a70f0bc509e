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
	const widest = maxOf(KEYMAP.filter(b => isActive(b, context)).map(b => KEY_WIDTH + 2 + visibleWidth(b.help)), 0);
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
		blocks.push([theme.paint(section, 'title'), ...bindings.flatMap(b => entry(b.label, b.help)), '']);
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
	const legend = [
		theme.paint('Reading the numbers', 'title'),
		`  --        not reported by this server (missing is never shown as 0)`,
		`  > 1 s     percentile above the top histogram bucket: only known to be higher`,
		`  ${theme.ascii ? '<=' : '≤'} 300 ms  percentile in a wide bucket (greyed; also 0.1${theme.ascii ? '-' : '–'}0.25 s): the first`,
		`            bucket, or one over twice its start: only its bounds are known`,
		`  ${theme.glyphs.chartBound[4]}         chart: p99 in a wide bucket, drawn at its top (p99 is at most that)`,
		`  n too small  under 5 observations: no percentiles, no SLO status; mean exact`,
		`  3m of 1h  SLO burn: history covers 3 m of its 1 h window, no burn yet`,
		`  all zero  present but never observed since start; e explains why`,
		`  STALE     the last scrape failed: last values kept, greyed, error below`,
		`  ${theme.glyphs.restart} restart  a counter went down: the server restarted; rates stay correct`,
		`  ${theme.glyphs.markerRestart} ${theme.glyphs.markerConfig} ${theme.glyphs.markerAlert}     chart markers: restart, config change, down/SLO/diagnosis (8 lists them)`,
		`  window    rates and percentiles over the last window; lifetime = since start`,
		`  2.3?      FastDeploy version guessed (likely, not certain); --era sets it`,
		`  avg of 2  a gauge read from several series (pids, model_id) and how; live = the ones that move`,
		`  unfinished  requests received − finished in the window (FastDeploy counts no failures)`,
		`  20 s of 1 m  window not whole: (filling) just started, (restart): rates read low`,
	];
	return [...keys, ...legend].map(line => theme.fit(line, width));
}
