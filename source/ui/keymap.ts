/**
 * The one key map: every key, what it does and its help text. The input handler resolves keys
 * through it and the help view is generated from it, so they cannot disagree.
 */
import type {Key} from 'ink';
import type {ViewId} from './ui-state.js';
import {en} from '../i18n/en.js';

export type KeyId = keyof typeof en.keys;

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
	/** Its help text: `keys[id]` in the message catalog (source/i18n/en.ts). */
	readonly id: KeyId;
	/** The English help text (README, tests). */
	readonly help: string;
	readonly section: Section;
	readonly command: Command;
	/** Only active in a replay, or with several targets. */
	readonly when?: 'replay' | 'targets';
}

const BINDINGS: readonly Omit<Binding, 'help'>[] = [
	{keys: [{input: '0'}, {input: 'f'}], label: '0 f', id: 'fleet', section: 'Views', command: {type: 'view', view: 'fleet'}, when: 'targets'},
	{keys: [{input: '1'}], label: '1', id: 'overview', section: 'Views', command: {type: 'view', view: 'overview'}},
	{keys: [{input: '2'}], label: '2', id: 'latency', section: 'Views', command: {type: 'view', view: 'latency'}},
	{keys: [{input: '3'}], label: '3', id: 'tokens', section: 'Views', command: {type: 'view', view: 'tokens'}},
	{keys: [{input: '4'}], label: '4', id: 'cache', section: 'Views', command: {type: 'view', view: 'cache'}},
	{keys: [{input: '5'}], label: '5', id: 'explorer', section: 'Views', command: {type: 'view', view: 'explorer'}},
	{keys: [{input: '6'}], label: '6', id: 'slo', section: 'Views', command: {type: 'view', view: 'slo'}},
	{keys: [{input: '7'}], label: '7', id: 'compare', section: 'Views', command: {type: 'view', view: 'compare'}},
	{keys: [{input: '8'}], label: '8', id: 'events', section: 'Views', command: {type: 'view', view: 'events'}},
	{keys: [{key: 'tab', shift: false}, {key: 'rightArrow'}], label: 'Tab →', id: 'nextView', section: 'Views', command: {type: 'cycleView', delta: 1}},
	{keys: [{key: 'tab', shift: true}, {key: 'leftArrow'}], label: 'S-Tab ←', id: 'previousView', section: 'Views', command: {type: 'cycleView', delta: -1}},
	{keys: [{input: 't'}], label: 't', id: 'nextTarget', section: 'Views', command: {type: 'nextTarget'}, when: 'targets'},
	{keys: [{input: ' '}, {input: 'p'}], label: 'space p', id: 'pause', section: 'Data', command: {type: 'pause'}},
	{keys: [{input: '+'}, {input: '='}], label: '+', id: 'longer', section: 'Data', command: {type: 'interval', direction: 1}},
	{keys: [{input: '-'}], label: '-', id: 'shorter', section: 'Data', command: {type: 'interval', direction: -1}},
	{keys: [{input: ']'}], label: ']', id: 'wider', section: 'Data', command: {type: 'window', direction: 1}},
	{keys: [{input: '['}], label: '[', id: 'narrower', section: 'Data', command: {type: 'window', direction: -1}},
	{keys: [{input: 'r'}], label: 'r', id: 'refresh', section: 'Data', command: {type: 'refresh'}},
	{keys: [{key: 'upArrow'}, {input: 'k'}], label: '↑ k', id: 'up', section: 'Lists', command: {type: 'move', by: 'line', direction: -1}},
	{keys: [{key: 'downArrow'}, {input: 'j'}], label: '↓ j', id: 'down', section: 'Lists', command: {type: 'move', by: 'line', direction: 1}},
	{keys: [{key: 'pageUp'}], label: 'PgUp', id: 'pageUp', section: 'Lists', command: {type: 'move', by: 'page', direction: -1}},
	{keys: [{key: 'pageDown'}], label: 'PgDn', id: 'pageDown', section: 'Lists', command: {type: 'move', by: 'page', direction: 1}},
	{keys: [{input: 'g'}, {key: 'home'}], label: 'g Home', id: 'first', section: 'Lists', command: {type: 'home'}},
	{keys: [{input: 'G'}, {key: 'end'}], label: 'G End', id: 'last', section: 'Lists', command: {type: 'end'}},
	{keys: [{input: '/'}], label: '/', id: 'filter', section: 'Lists', command: {type: 'filter'}},
	{keys: [{key: 'return'}], label: 'Enter', id: 'open', section: 'Lists', command: {type: 'open'}},
	{keys: [{key: 'escape'}], label: 'Esc', id: 'back', section: 'Lists', command: {type: 'back'}},
	{keys: [{input: 's'}], label: 's', id: 'sort', section: 'Lists', command: {type: 'sort'}, when: 'targets'},
	{keys: [{input: 'S'}], label: 'S', id: 'sortReverse', section: 'Lists', command: {type: 'sortReverse'}, when: 'targets'},
	{keys: [{input: '.'}], label: '.', id: 'step', section: 'Replay', command: {type: 'step'}, when: 'replay'},
	{keys: [{input: '<'}], label: '<', id: 'slower', section: 'Replay', command: {type: 'speed', direction: -1}, when: 'replay'},
	{keys: [{input: '>'}], label: '>', id: 'faster', section: 'Replay', command: {type: 'speed', direction: 1}, when: 'replay'},
	{keys: [{input: '?'}], label: '?', id: 'help', section: 'Other', command: {type: 'help'}},
	{keys: [{input: 'e'}], label: 'e', id: 'explain', section: 'Other', command: {type: 'explain'}},
	{keys: [{input: 'z', ctrl: true}], label: 'C-z', id: 'suspend', section: 'Other', command: {type: 'suspend'}},
	{keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q C-c', id: 'quit', section: 'Other', command: {type: 'quit'}},
];

export const KEYMAP: readonly Binding[] = BINDINGS.map(b => ({...b, help: en.keys[b.id]}));

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
