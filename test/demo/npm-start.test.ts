/**
 * The README's first command, as a newcomer runs it: `npm start` in a real terminal (tmux) shows
 * the overview of the demo, marked DEMO, with non-zero numbers that move; `q` gives the shell back.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import process from 'node:process';
import {ROOT} from '../helpers/cli.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `fdtop-npm-start-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'demo');

async function waitFor(predicate: (s: string) => boolean, what: string, timeoutMs = 90_000): Promise<string> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const s = screen();
		if (predicate(s)) return s;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

/** The value after a KPI label on the overview, e.g. "gen tok/s        1.64k". */
function kpi(s: string, label: string): string | undefined {
	return new RegExp(`${label.replace(/[/]/g, '\\/')}\\s+(\\S+)`).exec(s)?.[1];
}

after(() => {
	if (HAS_TMUX) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

test('npm start shows the demo overview with moving, non-zero numbers, and q exits 0', {skip: HAS_TMUX ? false : 'tmux is not installed', timeout: 120_000}, async () => {
	tmux('new-session', '-d', '-s', 'demo', '-x', '120', '-y', '40', '-c', ROOT, 'bash --norc --noprofile');
	// `npm test` has just built dist/; --ignore-scripts skips npm start's own rebuild (prestart),
	// which would rewrite dist/ under the other tests running in parallel.
	tmux('send-keys', '-t', 'demo', 'clear; CI=false npm start --ignore-scripts; echo SHELL-AFTER $?', 'Enter');
	const first = await waitFor(s => s.includes('DEMO') && s.includes('Time per request') && kpi(s, 'gen tok/s') !== '--', 'the demo overview');
	assert.match(first, /1 Overview/);
	const tokens = kpi(first, 'gen tok/s')!;
	assert.match(tokens, /^[\d.]+k?$/);
	assert.ok(Number.parseFloat(tokens) > 0, `gen tok/s is ${tokens}`);
	// The replay moves on: the position in the header and the figures change.
	const header = first.split('\n')[0]!;
	await waitFor(s => s.split('\n')[0] !== header, 'the next scrape');
	tmux('send-keys', '-t', 'demo', 'q');
	const end = await waitFor(s => /SHELL-AFTER \d+/.test(s), 'the shell');
	assert.match(end, /SHELL-AFTER 0/);
	assert.doesNotMatch(end, /Time per request/, 'the alternate screen is gone');
});
