/**
 * Hostile text is rendered inert: a server (or a recording) whose HELP, label values, error body
 * and target names carry terminal escapes (clear screen, set title, OSC 52 clipboard write, CR,
 * backspaces). In a real terminal (tmux): the title and clipboard are untouched, the UI is intact
 * and the escaped forms are visible. In --once text and --json: no raw ESC/BEL/CR/BS bytes.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {assertNoRawControl, fixtureText, HAS_TMUX, requireBuild, runCli, serve, sleep, Tmux, type TestServer} from './helpers.js';

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const OSC52 = '\u001b]52;c;aGVsbG8=\u0007';
const EVIL = `${CLEAR}${TITLE}${OSC52}x\ry\b\bz`;

/** A FastDeploy exposition plus a family whose HELP and label value are hostile. */
const EXPOSITION = `${fixtureText('fastdeploy-2.3.txt')}# HELP evil_gauge help ${EVIL} end
# TYPE evil_gauge gauge
evil_gauge{who="${EVIL}"} 1
`;

const dir = mkdtempSync(join(tmpdir(), 'fdtop-hostile-'));
let metrics: TestServer;
let failing: TestServer;

before(async () => {
	requireBuild();
	metrics = await serve((_n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		res.end(EXPOSITION);
	});
	failing = await serve((_n, _req, res) => {
		res.writeHead(500, {'content-type': 'text/plain'});
		res.end(`oops ${EVIL}\n`);
	});
});
after(async () => {
	await metrics.close();
	await failing.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('--once and --json carry no raw control bytes', () => {
	test('--once --json --families: escapes are JSON-escaped, the value survives', async () => {
		const result = await runCli(['--once', '--json', '--families', '--interval', '100ms', metrics.url]);
		assert.equal(result.code, 0, result.stderr);
		assertNoRawControl(result.stdout, 'the JSON');
		const json = JSON.stringify(JSON.parse(result.stdout));
		assert.ok(json.includes('evil_gauge'));
		// The data itself is kept exactly (JSON escaping is enough for a pipe into jq).
		assert.ok(JSON.parse(result.stdout).targets[0].families.some((f: {name: string; help: string}) => f.name === 'evil_gauge' && f.help.includes(TITLE)));
	});

	test('--once text report', async () => {
		const result = await runCli(['--once', '--interval', '100ms', metrics.url]);
		assert.equal(result.code, 0, result.stderr);
		assertNoRawControl(result.stdout + result.stderr, 'the text report');
	});

	test('an error body: --once text, --json and stderr', async () => {
		for (const args of [[], ['--json']]) {
			const result = await runCli(['--once', ...args, '--interval', '100ms', failing.url]);
			assert.equal(result.code, 1);
			assertNoRawControl(result.stdout, `stdout of --once ${args.join(' ')}`);
			assertNoRawControl(result.stderr, `stderr of --once ${args.join(' ')}`);
			assert.match(result.stderr, /HTTP 500: oops \\e\[2J\\e\]0;pwned\\x07/);
		}
	});

	test('a hostile recording (target name, error, text) replays inert', async () => {
		const file = join(dir, 'evil.jsonl');
		const header = {fdtopRecording: 1, createdAt: new Date().toISOString(), fdtop: 'x', targets: [{name: `n${EVIL}`, target: `http://h/${EVIL}`}], intervalMs: 1000};
		const t = Date.UTC(2026, 0, 1);
		const lines = [header, {i: 0, t, target: 'x', durationMs: 1, bytes: 1, text: EXPOSITION}, {i: 0, t: t + 1000, target: 'x', durationMs: 1, bytes: 1, error: `boom ${EVIL}`}];
		writeFileSync(file, lines.map(l => JSON.stringify(l)).join('\n') + '\n');
		for (const args of [[], ['--json', '--families']]) {
			const result = await runCli(['--once', ...args, file]);
			assertNoRawControl(result.stdout, `stdout of --once ${args.join(' ')} on the recording`);
			assertNoRawControl(result.stderr, `stderr of --once ${args.join(' ')} on the recording`);
		}
	});
});

describe('in a real terminal (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	before(() => {
		tmux.start();
		// Let OSC 52 reach tmux's paste buffers, so a clipboard write would be seen.
		tmux.run('set-option', '-g', 'set-clipboard', 'on');
	});
	after(() => tmux.kill());

	test('the detector works: a raw OSC title and OSC 52 printed by a shell do change the title and the buffers', async () => {
		const session = tmux.launch(`printf '\\033]2;pwned\\007\\033]52;c;aGVsbG8=\\007'`);
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'printf');
		await sleep(200);
		assert.equal(tmux.display(session, '#{pane_title}'), 'pwned');
		assert.match(tmux.run('list-buffers'), /hello|5 bytes/);
		tmux.run('delete-buffer');
	});

	test('the explorer on the hostile family: escaped forms visible, title and clipboard untouched, screen intact', async () => {
		const session = tmux.launch(`node dist/cli.js --interval 500ms ${metrics.url}`, {columns: 200, rows: 45});
		tmux.run('select-pane', '-t', session, '-T', 'fdtop-test-title');
		await tmux.waitFor(session, s => s.includes('Time per request'), 'the overview');
		tmux.keys(session, '5');
		await tmux.waitFor(session, s => /Explorer {2}\d+ families/.test(s), 'the explorer');
		// Each key waits for its effect: keys sent together reach the app as one chunk of input.
		tmux.keys(session, '/');
		await tmux.waitFor(session, s => s.includes('/_  Enter keep'), 'the filter prompt');
		tmux.type(session, 'evil');
		await tmux.waitFor(session, s => s.includes('/evil_'), 'the filter text');
		tmux.keys(session, 'Enter');
		await tmux.waitFor(session, s => /evil_gauge/.test(s), 'the evil family in the list');
		tmux.keys(session, 'Enter');
		const screen = await tmux.waitFor(session, s => s.includes('\\e]52;c;aGVsbG8=\\x07'), 'the escaped label value in the detail');
		assert.ok(screen.includes('\\e[2J'), 'the clear-screen escape is shown, not run');
		assert.ok(screen.includes('\\e]0;pwned\\x07'), 'the title escape is shown, not run');
		assert.ok(screen.includes('\\r') && screen.includes('\\x08'), 'CR and backspace are shown escaped');
		// Two more scrapes: the hostile text is drawn again and again.
		await sleep(1200);
		const later = tmux.capture(session);
		assert.match(later.split('\n')[0]!, /^fdtop /, 'the header is still on row 1 (nothing cleared or moved the screen)');
		assert.equal(tmux.display(session, '#{pane_title}'), 'fdtop-test-title', 'the pane title was not changed');
		assert.equal(tmux.run('list-buffers').trim(), '', 'no OSC 52 clipboard write reached tmux');
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER 0'), 'exit');
		assert.equal(tmux.display(session, '#{pane_title}'), 'fdtop-test-title');
	});

	test('a hostile error body in the status line', async () => {
		const session = tmux.launch(`node dist/cli.js --interval 500ms ${failing.url}`, {columns: 200, rows: 30});
		tmux.run('select-pane', '-t', session, '-T', 'fdtop-test-title');
		const screen = await tmux.waitFor(session, s => s.includes('HTTP 500'), 'the error');
		assert.ok(screen.includes('\\e]0;pwned\\x07'), screen);
		await sleep(1000);
		assert.equal(tmux.display(session, '#{pane_title}'), 'fdtop-test-title');
		assert.equal(tmux.run('list-buffers').trim(), '');
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'exit');
	});
});
