/**
 * Issue 13 item 5: all text from outside reaches the terminal only through the one escaping
 * function. A raw OSC title sequence in a target argument or a targets file (the usage error), a
 * recorded target location (the Overview's `no data from … yet`), and bidi controls, zero-width,
 * tag characters and the soft hyphen in label values (the Explorer, at 120x40 and 80x24, and
 * --json) are all shown escaped; none reaches the terminal raw.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {assertNoRawControl, fixtureText, HAS_TMUX, requireBuild, runCli, serve, shellQuote, sleep, Tmux, type TestServer} from './helpers.js';

const TITLE = '\u001b]2;pwned\u0007';
/** Characters that hide or reorder text: bidi controls, zero-width, tag characters, soft hyphen. */
const INVISIBLE = ['\u202e', '\u2067', '\u061c', '\u200e', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u{e0041}', '\u{e007f}'];
const RAW_INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/u;

/** A label value that shows as `admin` in a terminal that hides the extra characters. */
const SPOOF = `ad${INVISIBLE.join('')}min`;
const EXPOSITION = `${fixtureText('fastdeploy-2.3.txt')}# HELP spoof_gauge a family whose label values hide characters
# TYPE spoof_gauge gauge
spoof_gauge{user="admin"} 1
spoof_gauge{user="${SPOOF}"} 2
spoof_gauge{user="\u202enimda"} 3
`;

const dir = mkdtempSync(join(tmpdir(), 'fdtop-termsafe-'));
let metrics: TestServer;
/** A label value with wide emoji whose last letters change every scrape: the frame writer redraws only those cells. */
let flipping: TestServer;

before(async () => {
	requireBuild();
	metrics = await serve((_n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		res.end(EXPOSITION);
	});
	flipping = await serve((n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		res.end(`${fixtureText('fastdeploy-2.3.txt')}# TYPE emoji_gauge gauge\nemoji_gauge{user="🚀🚀🫠x${n % 2 ? 'B' : 'C'}yz"} 1\n`);
	});
});
after(async () => {
	await metrics.close();
	await flipping.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('the usage error shows a hostile target escaped', () => {
	test('a target argument with an OSC title sequence and invisible characters', async () => {
		const result = await runCli(['--once', `x${TITLE}${SPOOF}y`]);
		assert.equal(result.code, 2);
		assertNoRawControl(result.stderr, 'the usage error');
		assert.doesNotMatch(result.stderr, RAW_INVISIBLE);
		assert.ok(result.stderr.includes('\\e]2;pwned\\x07'), result.stderr);
		assert.ok(result.stderr.includes('\\u202e') && result.stderr.includes('\\u{e0041}') && result.stderr.includes('\\xad'), result.stderr);
	});

	test('the same line in a --targets file', async () => {
		const file = join(dir, 'targets.txt');
		writeFileSync(file, `:9101\nhost${TITLE}${SPOOF}:port\n`);
		const result = await runCli(['--once', '--targets', file]);
		assert.equal(result.code, 2);
		assertNoRawControl(result.stderr, 'the usage error');
		assert.doesNotMatch(result.stderr, RAW_INVISIBLE);
		assert.ok(result.stderr.includes('\\e]2;pwned\\x07'), result.stderr);
	});
});

describe('--json writes the hidden characters as \\u escapes', () => {
	test('label values keep their value, and no raw invisible character is written', async () => {
		const result = await runCli(['--once', '--json', '--families', '--interval', '100ms', metrics.url]);
		assert.equal(result.code, 0, result.stderr);
		assert.doesNotMatch(result.stdout, RAW_INVISIBLE);
		assert.ok(result.stdout.includes('\\u202e') && result.stdout.includes('\\udb40\\udc41') && result.stdout.includes('\\u00ad'));
		// The data survives: JSON.parse gives back the exact label value.
		assert.ok(result.stdout.includes(JSON.stringify(SPOOF).slice(1, 3)));
		const json = JSON.parse(result.stdout) as {targets: {families: {name: string}[]}[]};
		assert.ok(JSON.stringify(json).includes(SPOOF), 'the value round-trips');
	});

});

describe('in a real terminal (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	before(() => tmux.start());
	after(() => tmux.kill());

	test('the Overview says `no data from <location> yet` with the recorded location escaped', async () => {
		const file = join(dir, 'evil.jsonl');
		const header = {fdtopRecording: 1, createdAt: new Date().toISOString(), fdtop: 'x', targets: [{name: 'n', target: `http://h/${TITLE}${SPOOF}`}], intervalMs: 1000};
		const t = Date.UTC(2026, 0, 1);
		const lines = [header, ...[0, 1, 2, 3].map(k => ({i: 0, t: t + k * 1000, target: 'x', durationMs: 1, bytes: 0, error: 'boom'}))];
		writeFileSync(file, lines.map(l => JSON.stringify(l)).join('\n') + '\n');
		const session = tmux.launch(`node dist/cli.js --loop ${shellQuote(file)}`, {columns: 120, rows: 40});
		tmux.run('select-pane', '-t', session, '-T', 'fdtop-test-title');
		const screen = await tmux.waitFor(session, s => s.includes('no data from'), 'the Overview line');
		await sleep(500);
		assert.equal(tmux.display(session, '#{pane_title}'), 'fdtop-test-title', 'the pane title was not changed');
		const line = screen.split('\n').find(l => l.includes('no data from'))!;
		assert.ok(line.includes('\\e]2;pwned\\x07'), line);
		assert.doesNotMatch(screen, RAW_INVISIBLE);
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'exit');
	});

	for (const [columns, rows] of [
		[120, 40],
		[80, 24],
	] as const) {
		test(`the Explorer at ${columns}x${rows}: spoofing label values are shown escaped, distinct from the real one`, async () => {
			const session = tmux.launch(`node dist/cli.js --interval 500ms ${metrics.url}`, {columns, rows});
			await tmux.waitFor(session, s => /^fdtop /.test(s), 'the UI');
			tmux.keys(session, '5');
			await tmux.waitFor(session, s => /Explorer/.test(s), 'the explorer');
			tmux.keys(session, '/');
			await tmux.waitFor(session, s => s.includes('Enter keep'), 'the filter prompt');
			tmux.type(session, 'spoof');
			await tmux.waitFor(session, s => s.includes('/spoof_'), 'the filter text');
			tmux.keys(session, 'Enter');
			await tmux.waitFor(session, s => /spoof_gauge/.test(s), 'the family in the list');
			tmux.keys(session, 'Enter');
			const screen = await tmux.waitFor(session, s => s.includes('\\u202e'), 'the escaped label values');
			assert.doesNotMatch(screen, RAW_INVISIBLE, 'no raw invisible character reached the terminal');
			assert.ok(screen.includes('ad\\u202e'), screen);
			// Every row still fits: nothing was drawn past the right edge.
			for (const row of screen.split('\n')) assert.ok([...row].length <= columns, row);
			tmux.keys(session, 'q');
			await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'exit');
		});
	}

	for (const [columns, rows] of [
		[120, 40],
		[80, 24],
	] as const) {
		test(`${columns}x${rows}: wide emoji (U+1F680, U+1FAE0) take two cells, so redrawing the cells after them leaves nothing stale`, async () => {
			const session = tmux.launch(`node dist/cli.js --interval 300ms ${flipping.url}`, {columns, rows});
			await tmux.waitFor(session, s => /^fdtop /.test(s), 'the UI');
			tmux.keys(session, '5');
			await tmux.waitFor(session, s => /Explorer/.test(s), 'the explorer');
			tmux.keys(session, '/');
			await tmux.waitFor(session, s => s.includes('Enter keep'), 'the filter prompt');
			tmux.type(session, 'emoji');
			await tmux.waitFor(session, s => s.includes('/emoji_'), 'the filter text');
			tmux.keys(session, 'Enter');
			await tmux.waitFor(session, s => /emoji_gauge/.test(s), 'the family in the list');
			tmux.keys(session, 'Enter');
			await tmux.waitFor(session, s => s.includes('{user='), 'the label value');
			// Several scrapes, each changing one cell after the emoji.
			await sleep(1500);
			const row = tmux.capture(session).split('\n').find(l => l.includes('{user='))!;
			assert.match(row.trim(), /^\{user="🚀🚀🫠x[BC]yz"\}$/, 'the row as the terminal shows it');
			tmux.keys(session, 'q');
			await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'exit');
		});
	}
});
