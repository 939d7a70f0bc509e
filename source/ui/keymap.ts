/**
 * The one key map: every key, what it does and its help text. The input handler resolves keys
 * through it and the help view is generated from it, so they cannot disagree.
 */
import type {Key} from 'ink';
import type {ViewId} from './ui-state.js';

export type KeyName = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab';

export interface KeySpec {
	readonly input?: string;
	readonly key?: KeyName;
	readonly shift?: boolean;
	readonly ctrl?: boolean;
}

export type Command =
	| {readonly type: 'view'; readonly view: ViewId}
	| {readonly type: 'cycleView'; readonly delta: 1 | -1}
	| {readonly type: 'nextTarget'}
	| {readonly type: 'pause'}
	| {readonly type: 'interval'; readonly direction: 1 | -1}
	| {readonly type: 'window'; readonly direction: 1 | -1}
	| {readonly type: 'refresh'}
	| {readonly type: 'move'; readonly by: 'line' | 'page'; readonly direction: 1 | -1}
	| {readonly type: 'home'}
	| {readonly type: 'end'}
	| {readonly type: 'filter'}
	| {readonly type: 'open'}
	| {readonly type: 'sort'}
	| {readonly type: 'sortReverse'}
	| {readonly type: 'back'}
	| {readonly type: 'step'}
	| {readonly type: 'speed'; readonly direction: 1 | -1}
	| {readonly type: 'help'}
	| {readonly type: 'explain'}
	| {readonly type: 'suspend'}
	| {readonly type: 'quit'};

export type Section = 'Views' | 'Data' | 'Lists' | 'Replay' | 'Other';

export interface Binding {
	readonly keys: readonly KeySpec[];
	/** How the help view writes the keys. */
	readonly label: string;
	readonly help: string;
	readonly section: Section;
	readonly command: Command;
	/** Only active in a replay, or with several targets. */
	readonly when?: 'replay' | 'targets';
}

export const KEYMAP: readonly Binding[] = [
	{keys: [{input: '0'}, {input: 'f'}], label: '0 f', help: 'Fleet: all targets, aggregate on top', section: 'Views', command: {type: 'view', view: 'fleet'}, when: 'targets'},
	{keys: [{input: '1'}], label: '1', help: 'Overview', section: 'Views', command: {type: 'view', view: 'overview'}},
	{keys: [{input: '2'}], label: '2', help: 'Latency by phase', section: 'Views', command: {type: 'view', view: 'latency'}},
	{keys: [{input: '3'}], label: '3', help: 'Tokens', section: 'Views', command: {type: 'view', view: 'tokens'}},
	{keys: [{input: '4'}], label: '4', help: 'Cache & batch', section: 'Views', command: {type: 'view', view: 'cache'}},
	{keys: [{input: '5'}], label: '5', help: 'Explorer (every metric family)', section: 'Views', command: {type: 'view', view: 'explorer'}},
	{keys: [{input: '6'}], label: '6', help: 'SLO: objectives, burn, goodput', section: 'Views', command: {type: 'view', view: 'slo'}},
	{keys: [{input: '7'}], label: '7', help: 'Compare: live window against --baseline', section: 'Views', command: {type: 'view', view: 'compare'}},
	{keys: [{input: '8'}], label: '8', help: 'Events: restarts, config, down, SLO', section: 'Views', command: {type: 'view', view: 'events'}},
	{keys: [{key: 'tab', shift: false}, {key: 'rightArrow'}], label: 'Tab →', help: 'next view', section: 'Views', command: {type: 'cycleView', delta: 1}},
	{keys: [{key: 'tab', shift: true}, {key: 'leftArrow'}], label: 'S-Tab ←', help: 'previous view', section: 'Views', command: {type: 'cycleView', delta: -1}},
	{keys: [{input: 't'}], label: 't', help: 'next target', section: 'Views', command: {type: 'nextTarget'}, when: 'targets'},
	{keys: [{input: ' '}, {input: 'p'}], label: 'space p', help: 'pause / resume scraping', section: 'Data', command: {type: 'pause'}},
	{keys: [{input: '+'}, {input: '='}], label: '+', help: 'longer scrape interval', section: 'Data', command: {type: 'interval', direction: 1}},
	{keys: [{input: '-'}], label: '-', help: 'shorter scrape interval', section: 'Data', command: {type: 'interval', direction: -1}},
	{keys: [{input: ']'}], label: ']', help: 'wider window', section: 'Data', command: {type: 'window', direction: 1}},
	{keys: [{input: '['}], label: '[', help: 'narrower window', section: 'Data', command: {type: 'window', direction: -1}},
	{keys: [{input: 'r'}], label: 'r', help: 'scrape now (replay: the next one)', section: 'Data', command: {type: 'refresh'}},
	{keys: [{key: 'upArrow'}, {input: 'k'}], label: '↑ k', help: 'previous row / scroll up', section: 'Lists', command: {type: 'move', by: 'line', direction: -1}},
	{keys: [{key: 'downArrow'}, {input: 'j'}], label: '↓ j', help: 'next row / scroll down', section: 'Lists', command: {type: 'move', by: 'line', direction: 1}},
	{keys: [{key: 'pageUp'}], label: 'PgUp', help: 'page up', section: 'Lists', command: {type: 'move', by: 'page', direction: -1}},
	{keys: [{key: 'pageDown'}], label: 'PgDn', help: 'page down', section: 'Lists', command: {type: 'move', by: 'page', direction: 1}},
	{keys: [{input: 'g'}, {key: 'home'}], label: 'g Home', help: 'first row', section: 'Lists', command: {type: 'home'}},
	{keys: [{input: 'G'}, {key: 'end'}], label: 'G End', help: 'last row', section: 'Lists', command: {type: 'end'}},
	{keys: [{input: '/'}], label: '/', help: 'filter families by name, key or title', section: 'Lists', command: {type: 'filter'}},
	{keys: [{key: 'return'}], label: 'Enter', help: "open: a fleet row, a family's series", section: 'Lists', command: {type: 'open'}},
	{keys: [{key: 'escape'}], label: 'Esc', help: 'back (overlay, detail, filter, Fleet)', section: 'Lists', command: {type: 'back'}},
	{keys: [{input: 's'}], label: 's', help: 'sort the fleet by the next column', section: 'Lists', command: {type: 'sort'}, when: 'targets'},
	{keys: [{input: 'S'}], label: 'S', help: 'reverse the fleet sort order', section: 'Lists', command: {type: 'sortReverse'}, when: 'targets'},
	{keys: [{input: '.'}], label: '.', help: 'step one scrape', section: 'Replay', command: {type: 'step'}, when: 'replay'},
	{keys: [{input: '<'}], label: '<', help: 'slower', section: 'Replay', command: {type: 'speed', direction: -1}, when: 'replay'},
	{keys: [{input: '>'}], label: '>', help: 'faster', section: 'Replay', command: {type: 'speed', direction: 1}, when: 'replay'},
	{keys: [{input: '?'}], label: '?', help: 'this help', section: 'Other', command: {type: 'help'}},
	{keys: [{input: 'e'}], label: 'e', help: 'explain the metrics on screen', section: 'Other', command: {type: 'explain'}},
	{keys: [{input: 'z', ctrl: true}], label: 'C-z', help: 'suspend to the shell (fg resumes)', section: 'Other', command: {type: 'suspend'}},
	{keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q C-c', help: 'quit', section: 'Other', command: {type: 'quit'}},
];

export interface KeyContext {
	readonly replay: boolean;
	readonly targets: number;
}

export function isActive(binding: Binding, context: KeyContext): boolean {
	if (binding.when === 'replay') return context.replay;
	if (binding.when === 'targets') return context.targets > 1;
	return true;
}

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if (spec.key) {
		if (!key[spec.key]) return false;
		return spec.shift === undefined || spec.shift === key.shift;
	}
	if (spec.ctrl !== undefined && spec.ctrl !== key.ctrl) return false;
	if (spec.ctrl === undefined && key.ctrl) return false;
	return spec.input === input;
}

export function resolveKey(input: string, key: Key, context: KeyContext): Command | null {
	for (const binding of KEYMAP) {
		if (!isActive(binding, context)) continue;
		if (binding.keys.some(spec => matches(spec, input, key))) return binding.command;
	}
	return null;
}

/** The key map as a Markdown table, for the README (generated, like the metric table). */
export function keymapMarkdown(): string {
	const rows = KEYMAP.map(b => {
		const keys = b.label
			.split(' ')
			.map(k => `\`${k}\``)
			.join(' ');
		const note = b.when === 'replay' ? ' (replays)' : b.when === 'targets' ? ' (several targets)' : '';
		return `| ${keys} | ${b.help}${note} |`;
	});
	return ['| Key | Action |', '|---|---|', ...rows].join('\n');
}

/** A key with no modifier or special key set: what a printable character arrives with. */
export const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/**
 * A read of several keys as the keys Ink would have reported one by one: printable characters
 * as themselves (runs kept together), Enter, Tab and Backspace as those keys, other control
 * characters dropped.
 */
export function splitKeys(input: string, key: Key): {input: string; key: Key}[] {
	if (!/[\u0000-\u001f\u007f]/.test(input)) return [...input].map(c => ({input: c, key}));
	const keys: {input: string; key: Key}[] = [];
	for (const c of input) {
		if (c === '\r' || c === '\n') keys.push({input: '', key: {...NO_KEY, return: true}});
		else if (c === '\t') keys.push({input: '', key: {...NO_KEY, tab: true}});
		else if (c === '\u007f' || c === '\b') keys.push({input: '', key: {...NO_KEY, backspace: true}});
		else if (c >= ' ') keys.push({input: c, key: NO_KEY});
	}
	return keys;
}
