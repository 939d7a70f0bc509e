/**
 * The Compare view (key 7) in a real terminal: `--baseline` against a replayed demo, at 80x24 and
 * 120x40, and without a baseline.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {HAS_TMUX, requireBuild, Tmux} from './reliability/helpers.js';

describe('Compare view (7) with --baseline', {skip: HAS_TMUX ? false : 'no tmux', timeout: 120_000}, () => {
	const tmux = new Tmux();
	before(() => {
		requireBuild();
		tmux.start();
	});
	after(() => tmux.kill());

	for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
		test(`overloaded replay against the steady baseline at ${columns}x${rows}: TTFT and queue marked as differing, within the screen`, async () => {
			const s = tmux.launch('node dist/cli.js --demo overload-2.3 --baseline demo:steady-2.3', {columns, rows});
			// The Overview's strip: the headline figures' change against the baseline, beyond the noise marked *.
			const overview = await tmux.waitFor(s, screen => / 7( Compare)? /.test(screen) && /^vs baseline {2}req\/s 3\.39→\d+\.\d+ \+\d+ %\* {2}TTFT mean 83ms→/m.test(screen), 'the Overview with its baseline strip');
			assert.match(overview, /Time per request/);
			tmux.keys(s, '7');
			const screen = await tmux.waitFor(s, x => /^\*TTFT mean/m.test(x) && /^\*Queue mean/m.test(x), 'the comparison');
			assert.match(screen, /^A {2}baseline demo:steady-2\.3 {2}4 m, 240 scrapes, fastdeploy 2\.3/m);
			assert.match(screen, /^B {2}live demo overload-2\.3, last 1 m/m);
			assert.match(screen, /^\*TTFT mean +83 ms +\d/m, 'baseline TTFT mean from the steady run');
			assert.doesNotMatch(screen, /redacted/);
			const lines = screen.split('\n');
			for (const line of lines) assert.ok(line.length <= columns, `fits ${columns} columns: ${line}`);
			if (rows === 24) assert.match(screen, /more rows: widen the terminal, or fdtop compare --once/);
			else assert.match(screen, /^ prefix hit % /m, 'every row at 120x40');
			tmux.keys(s, 'q');
			await tmux.waitFor(s, x => /SHELL-AFTER 0/.test(x), 'a clean exit');
		});
	}

	test('without --baseline the view says how to get one', async () => {
		const s = tmux.launch('node dist/cli.js --demo steady-2.3', {columns: 100, rows: 30});
		await tmux.waitFor(s, screen => /7 Compare/.test(screen), 'the header');
		tmux.keys(s, '7');
		await tmux.waitFor(s, x => /No baseline\. Start with one: fdtop TARGET --baseline run\.jsonl\.gz/.test(x), 'the hint');
		tmux.keys(s, 'q');
	});

	test('a baseline that cannot be read stops before the UI, saying why (exit 1)', async () => {
		const s = tmux.launch('node dist/cli.js --demo steady-2.3 --baseline nothing-here.jsonl.gz', {columns: 100, rows: 30});
		const screen = await tmux.waitFor(s, x => /SHELL-AFTER \d/.test(x), 'the exit');
		assert.match(screen, /--baseline: .*nothing-here\.jsonl\.gz.*no such file/);
		assert.match(screen, /SHELL-AFTER 1/);
	});

	test("each side's events beside its figures at 80x24: a line per side with events, the live one with the 8 hint", async () => {
		const s = tmux.launch('node dist/cli.js --demo restart-2.3 --speed 20 --baseline demo:restart-2.3', {columns: 80, rows: 24});
		await tmux.waitFor(s, screen => /DEMO restart-2\.3/.test(screen), 'the header');
		tmux.keys(s, '7');
		const screen = await tmux.waitFor(s, x => /^B events 1 \(8: Events\), newest \d\d:\d\d:\d\d restart: counters reset \(\d+ metrics\)$/m.test(x), "the live side's restart");
		assert.match(screen, /^A events 1, newest \d\d:\d\d:\d\d restart: counters reset \(\d+ metrics\)$/m, "the baseline's restart");
		assert.match(screen, /^figure {2,}A {2,}B/m, 'the figures still below');
		for (const line of screen.split('\n')) assert.ok(line.length <= 80, `fits 80 columns: ${line}`);
		tmux.keys(s, 'q');
	});
});
