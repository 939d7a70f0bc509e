/**
 * A recording whose time goes back (a clock stepped back while recording, records spliced by
 * hand) is replayed and exported without those records, and says so: `N records out of order,
 * skipped` on stderr (--once, export) and in the live replay's status line (issue 13, item 9).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {counterText, GEN} from '../helpers/exposition.js';
import {HAS_TMUX, requireBuild, runCli, shellQuote, Tmux} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-order-'));
const T0 = 1_700_000_000_000;

/** A recording of `targets`, one record per [target index, seconds after T0, counter value]. */
function craft(name: string, targets: string[], records: [number, number, number][]): string {
	const file = join(dir, name);
	const header = {fdtopRecording: 1, createdAt: new Date(T0).toISOString(), fdtop: 'test', targets: targets.map(t => ({name: t, target: t})), intervalMs: 1000};
	const lines = records.map(([i, s, v]) => JSON.stringify({i, t: T0 + s * 1000, target: targets[i], text: `${counterText(GEN, v)}\n`, durationMs: 2, bytes: 80}));
	writeFileSync(file, `${[JSON.stringify(header), ...lines].join('\n')}\n`);
	return file;
}

describe('replays and exports that run backwards', () => {
	let backwards = '';
	let fleet = '';
	before(() => {
		requireBuild();
		// Seconds 1, 2, 3, then 2.5 and 2 (the clock went back), then 4, 5: two records out of order.
		backwards = craft('backwards.jsonl', ['http://a/metrics'], [[0, 1, 10], [0, 2, 20], [0, 3, 30], [0, 2.5, 25], [0, 2, 20], [0, 4, 40], [0, 5, 50]]);
		// Two targets scraped at the same instants (not out of order), target 1 goes back once.
		fleet = craft('fleet.jsonl', ['http://a/metrics', 'http://b/metrics'], [[0, 1, 1], [1, 1, 1], [0, 2, 2], [1, 2, 2], [0, 3, 3], [1, 1.5, 9], [0, 4, 4], [1, 4, 4]]);
	});
	after(() => rmSync(dir, {recursive: true, force: true}));

	test('--once says how many records were out of order and skipped them', async () => {
		const r = await runCli(['--once', '--json', backwards]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /backwards\.jsonl: 2 records out of order, skipped/);
		const target = JSON.parse(r.stdout).targets[0];
		assert.equal(target.scrapes, 5);
		assert.equal(target.metrics.generationTokensTotal.value, 50);
	});

	test('--once on a fleet: per target, and equal times of different targets are in order', async () => {
		const r = await runCli(['--once', '--json', fleet]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /fleet\.jsonl: 1 record out of order, skipped/);
	});

	test('export says "records out of order", not "failed scrapes", and its timestamps only go forward', async () => {
		const out = join(dir, 'backwards.om');
		const r = await runCli(['export', backwards, '--format', 'openmetrics', '-o', out]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /exported 5 scrapes/);
		assert.match(r.stderr, /2 records out of order, skipped/);
		assert.doesNotMatch(r.stderr, /failed scrapes/);
		const times = readFileSync(out, 'utf8').split('\n').filter(l => l.startsWith('fastdeploy:generation_tokens_total')).map(l => Number(l.split(' ').at(-1)));
		assert.deepEqual(times, [1, 2, 3, 4, 5].map(s => (T0 + s * 1000) / 1000));
	});

	test('export of a fleet: a target going back is skipped for that target only', async () => {
		const out = join(dir, 'fleet.om');
		const r = await runCli(['export', fleet, '--format', 'openmetrics', '-o', out]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /exported 7 scrapes/);
		assert.match(r.stderr, /1 record out of order, skipped/);
		const b = readFileSync(out, 'utf8').split('\n').filter(l => l.includes('instance="http://b/metrics"')).map(l => Number(l.split(' ').at(-1)));
		assert.deepEqual(b, [1, 2, 4].map(s => (T0 + s * 1000) / 1000));
	});

	test('the live replay says so in the status line', {skip: HAS_TMUX ? false : 'tmux is not installed'}, async () => {
		const tmux = new Tmux();
		try {
			tmux.start();
			const session = tmux.launch(`node dist/cli.js --speed 100 ${shellQuote(backwards)}`, {columns: 140, rows: 30});
			const screen = await tmux.waitFor(session, s => /REPLAY .*scrape +5 of 5 end/.test(s.split('\n')[0]!), 'the replay at its end');
			assert.match(screen.trimEnd().split('\n').at(-1)!, /2 records out of order, skipped/);
			tmux.keys(session, 'q');
			await tmux.waitFor(session, s => s.includes('SHELL-AFTER 0'), 'exit 0');
		} finally {
			tmux.kill();
		}
	});
});
