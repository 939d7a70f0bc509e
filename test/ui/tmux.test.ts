/**
 * The live UI in a real terminal, on a tmux server of its own: the built CLI (dist/cli.js, when
 * `npm run build` is newer than the sources) against a loopback metrics server in this process,
 * else test/ui/tui-fixture.ts (the same server and runTui). Checks what is on screen: the
 * overview, the views behind the keys, no stale lines after many incremental frames, and the
 * shell screen back on every way out.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {fixture, scaleCumulative} from './helpers.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist', 'cli.js');
const SOCKET = `fdtop-test-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'fdtop-tmux-'));

function newestSource(folder: string): number {
	let newest = 0;
	for (const entry of readdirSync(folder, {withFileTypes: true})) {
		const path = join(folder, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
	}
	return newest;
}

/** The built CLI, if it was built from the current sources. */
const BUILT = existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, 'source'));

let server: Server | undefined;
let url = '';

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'});
}

const capture = (session: string) => tmux('capture-pane', '-p', '-t', session);
const rowsOf = (session: string) => capture(session).split('\n');

async function waitFor(session: string, predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const screen = capture(session);
		if (predicate(screen)) return screen;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** Alternate screen on, cursor visible: tmux's view of the pane's modes. */
function modes(session: string): {alternate: boolean; cursor: boolean} {
	const [alternate, cursor] = tmux('display-message', '-p', '-t', session, '#{alternate_on} #{cursor_flag}').trim().split(' ');
	return {alternate: alternate === '1', cursor: cursor === '1'};
}

let sessions = 0;
/**
 * A shell in a new tmux window of this size, running fdtop after a marker line: the built CLI
 * against this process's server, or (`fixture`, or no fresh build) the tsx fixture.
 */
async function launch(columns: number, rows: number, options: {fixture?: boolean; extra?: string} = {}): Promise<{session: string; pidFile: string}> {
	const session = `s${++sessions}`;
	const pidFile = join(dir, `${session}.pid`);
	tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-c', ROOT, 'bash --norc --noprofile');
	const command = BUILT && !options.fixture ? `node dist/cli.js ${url} --interval 500ms` : `FDTOP_PID_FILE=${pidFile} node --import tsx test/ui/tui-fixture.ts ${options.extra ?? ''}`;
	tmux('send-keys', '-t', session, `clear; echo SHELL-BEFORE; CI=false ${command}; echo SHELL-AFTER $?`, 'Enter');
	await waitFor(session, s => s.includes('Time per request') && s.includes('fdtop'), 'the overview');
	return {session, pidFile};
}

async function expectShellBack(session: string, code: number): Promise<void> {
	const screen = await waitFor(session, s => s.includes(`SHELL-AFTER ${code}`), `exit status ${code}`);
	assert.match(screen, /SHELL-BEFORE/, 'the shell screen is back');
	assert.doesNotMatch(screen, /Time per request/, 'no UI left behind');
	assert.deepEqual(modes(session), {alternate: false, cursor: true});
}

async function press(session: string, key: string, expect: RegExp): Promise<string> {
	tmux('send-keys', '-t', session, key);
	return waitFor(session, s => expect.test(s), `${expect} after ${key}`);
}

/** The frame's invariants: header on rows 1–2, status on row rows−1, the last row empty. */
function assertFrame(session: string, rows: number): void {
	const screen = rowsOf(session);
	assert.match(screen[0]!, /^fdtop {2}\S*127\.0\.0\.1/, 'row 1 is the header');
	// At 80 columns eight tabs do not fit beside the hints: the others close up to their keys.
	assert.match(screen[1]!, /^ 1 Overview {1,2}2( Latency)? /, 'row 2 is the tabs');
	assert.match(screen[rows - 2]!, /(space pause|PAUSED|STALE)/, 'row rows−1 is the status line');
	assert.equal(screen[rows - 1]!.trim(), '', 'the last row stays empty');
	assert.equal(screen.filter(l => l.startsWith('fdtop  ')).length, 1, 'one header, no stale copies');
}

describe('real terminal (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	before(async () => {
		tmux('start-server');
		const text = fixture('fastdeploy-2.3.txt');
		let requests = 0;
		server = createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			response.end(scaleCumulative(text, 1 + 0.05 * requests++));
		});
		await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
	});
	after(async () => {
		spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
		// tmux leaves its socket file behind.
		rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCKET), {force: true});
		rmSync(dir, {recursive: true, force: true});
		await new Promise(resolve => server?.close(resolve));
	});

	test(`runs ${BUILT ? 'the built CLI (dist/cli.js)' : 'test/ui/tui-fixture.ts: dist/cli.js is missing or older than the sources'}`, () => {});

	test('120x40: overview, every view by key, incremental frames stay aligned, q restores the shell', async () => {
		const {session} = await launch(120, 40);
		assert.deepEqual(modes(session), {alternate: true, cursor: false});
		assertFrame(session, 40);
		// Several scrapes later (500 ms each) every line must still sit where it belongs.
		const first = capture(session);
		await waitFor(session, s => s !== first && /window +[3-9] s of 1 m \(filling\)/.test(s), 'a few more frames');
		assertFrame(session, 40);
		await press(session, '2', /Latency by phase/);
		assert.doesNotMatch(capture(session), /Time per request/, 'the old view is fully erased');
		await press(session, '3', /Output \/ max_tokens/);
		await press(session, '4', /GPU blocks/);
		await press(session, '5', /Explorer {2}49 families/);
		// Tab: the next views (6 SLO, here without objectives; 7 Compare, without a baseline; 8 Events), then round to the Overview.
		await press(session, 'Tab', /No objectives/);
		await press(session, 'Tab', /No baseline/);
		await press(session, 'Tab', /Events {2}\d+ events?, newest first/);
		await press(session, 'Tab', /Time per request/);
		await press(session, '?', /Keys {2}Esc closes/);
		await press(session, 'Escape', /Time per request/);
		await press(session, 'e', /Explain {2}Esc closes/);
		await press(session, 'Escape', /Time per request/);
		await press(session, 'Space', /PAUSED \(space resumes\)/);
		await press(session, 'Space', /space pause {2}\+\/- interval/);
		assertFrame(session, 40);
		tmux('send-keys', '-t', session, 'q');
		await expectShellBack(session, 0);
	});

	test('80x24: the compact layout fits, follows a resize, and Ctrl+C restores the shell', async () => {
		const {session} = await launch(80, 24);
		assertFrame(session, 24);
		const screen = rowsOf(session);
		assert.match(screen.join('\n'), /TTFT .*TPOT/);
		assert.match(screen.join('\n'), /KV cache \[/);
		tmux('resize-window', '-t', session, '-x', '100', '-y', '30');
		await waitFor(session, s => s.split('\n')[28]?.includes('space pause') === true, 'the status line on row 29');
		assertFrame(session, 30);
		tmux('resize-window', '-t', session, '-x', '80', '-y', '24');
		await waitFor(session, s => s.split('\n')[22]?.includes('space pause') === true, 'the status line back on row 23');
		assertFrame(session, 24);
		tmux('send-keys', '-t', session, 'C-c');
		await expectShellBack(session, 0);
	});

	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		test(`${signal} restores the terminal and exits ${code}`, async () => {
			const {session, pidFile} = await launch(100, 30, {fixture: true});
			process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
			await expectShellBack(session, code);
		});
	}

	test('two targets: the Fleet view first, Enter drills into one, Esc comes back, q exits 0', async () => {
		// Two more loopback servers: FastDeploy 2.3 and 2.0 metrics, growing on every request.
		const servers = await Promise.all(
			['fastdeploy-2.3.txt', 'fastdeploy-2.0.txt'].map(async name => {
				const text = fixture(name);
				let requests = 0;
				const s = createServer((_request, response) => {
					response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
					response.end(scaleCumulative(text, 1 + 0.05 * requests++));
				});
				await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve));
				return s;
			}),
		);
		try {
			const [p1, p2] = servers.map(s => (s.address() as AddressInfo).port);
			const session = `s${++sessions}`;
			const columns = 120;
			const rows = 40;
			tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-c', ROOT, 'bash --norc --noprofile');
			// The built CLI when it is fresh, else the same CLI from its sources.
			const cli = BUILT ? 'node dist/cli.js' : 'node --import tsx source/cli.tsx';
			tmux('send-keys', '-t', session, `clear; echo SHELL-BEFORE; CI=false ${cli} a=http://127.0.0.1:${p1}/metrics b=http://127.0.0.1:${p2}/metrics --interval 500ms; echo SHELL-AFTER $?`, 'Enter');
			const fleet = await waitFor(session, s => /^Fleet {2}2 targets: 2 up/m.test(s) && /^all 2 +2\/2 +\d/m.test(s) && /^b +up +\d/m.test(s), 'the Fleet view with both targets up');
			const screen = fleet.split('\n');
			assert.match(screen[0]!, /^fdtop {2}fleet of 2 targets/);
			assert.match(screen[1]!, /^ 0 Fleet {2}1 Overview/);
			assert.match(screen[3]!, /^endpoint↑ +state +req\/s +gen tok\/s/);
			assert.match(screen[4]!, /^all 2 /, 'the aggregate row first');
			assert.match(screen[rows - 2]!, /^Enter open {2}s sort {2}space pause/);
			assert.equal(screen[rows - 1]!.trim(), '', 'the last row stays empty');
			await press(session, 's', /sorted by req\/s/);
			await press(session, 's', /sorted by gen tok\/s/);
			for (const sort of ['waiting', 'KV %', 'TTFT p99', 'queue mean', 'name']) await press(session, 's', new RegExp(`sorted by ${sort} `));
			// Sorted by name: a, then b. ↓ selects b (the footer names it), Enter opens its views.
			await press(session, 'Down', new RegExp(`^http://127\\.0\\.0\\.1:${p2}/metrics`, 'm'));
			await press(session, 'Enter', /Time per request/);
			assert.match(rowsOf(session)[0]!, new RegExp(`^fdtop {2}b http://127\\.0\\.0\\.1:${p2}/metrics .*\\[2/2\\]`));
			assert.match(rowsOf(session)[0]!, /fastdeploy 2\.0/, "b's own figures");
			await press(session, '2', /Latency by phase/);
			await press(session, 'Escape', /^Fleet {2}2 targets/m);
			assert.doesNotMatch(capture(session), /Latency by phase/, 'the old view is fully erased');
			tmux('send-keys', '-t', session, 'q');
			await expectShellBack(session, 0);
		} finally {
			await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
		}
	});

	test('a crash leaves the alternate screen, shows the cursor and the error', async () => {
		const {session} = await launch(100, 30, {fixture: true, extra: '--crash-after=1500'});
		const screen = await waitFor(session, s => /SHELL-AFTER [1-9]/.test(s), 'the crash');
		assert.match(screen, /fixture crash/);
		assert.deepEqual(modes(session), {alternate: false, cursor: true});
	});
});
