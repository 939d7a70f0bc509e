/**
 * Clean exits in a real terminal with --record FILE.jsonl.gz: q, Ctrl+C, SIGTERM, SIGHUP (kill
 * -HUP, and tmux kill-session, an SSH drop) each leave the alternate screen, show the cursor and
 * leave a recording that replays (fdtop --once --json FILE) with at least one scrape.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {startSimulator, type SimulatorHandle} from '../../demo/sim/server.js';
import {HAS_TMUX, requireBuild, runCli, sleep, Tmux} from './helpers.js';

describe('clean exits with --record (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-exit-'));
	let sim: SimulatorHandle;

	before(async () => {
		requireBuild();
		sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', speed: 1, seed: 4});
		sim.advance(60);
		tmux.start();
	});
	after(async () => {
		tmux.kill();
		await sim.close();
		rmSync(dir, {recursive: true, force: true});
	});

	async function start(name: string): Promise<{session: string; file: string; pid: number}> {
		const file = join(dir, `${name}.jsonl.gz`);
		const session = tmux.launch(`node dist/cli.js --interval 200ms --record ${file} ${sim.url}`, {columns: 120, rows: 35});
		await tmux.waitFor(session, s => s.includes('Time per request') && s.includes('● up'), 'the overview, up');
		assert.deepEqual(tmux.modes(session), {alternate: true, cursor: false});
		// A few scrapes into the recording.
		await sleep(700);
		const pid = tmux.childPid(session);
		assert.ok(pid, 'the fdtop process');
		return {session, file, pid};
	}

	async function assertReplays(file: string): Promise<void> {
		assert.ok(existsSync(file), `${file} exists`);
		const result = await runCli(['--once', '--json', file]);
		assert.equal(result.stderr.includes('torn'), false, `no torn lines: ${result.stderr}`);
		const json = JSON.parse(result.stdout);
		assert.ok(json.targets[0].scrapes >= 1, `at least one scrape replayed, got ${json.targets[0].scrapes}`);
		assert.equal(result.code, 0, result.stderr);
	}

	for (const [how, act, code] of [
		['q', (session: string) => tmux.keys(session, 'q'), 0],
		['Ctrl+C', (session: string) => tmux.keys(session, 'C-c'), 0],
		['SIGTERM', (_s: string, pid: number) => process.kill(pid, 'SIGTERM'), 143],
		['SIGHUP (kill -HUP)', (_s: string, pid: number) => process.kill(pid, 'SIGHUP'), 129],
	] as const) {
		test(`${how}: shell screen back, cursor shown, exit ${code}, the recording replays`, async () => {
			const {session, file, pid} = await start(how.replace(/\W/g, ''));
			act(session, pid);
			const screen = await tmux.waitFor(session, s => s.includes(`SHELL-AFTER ${code}`), `exit ${code}`, 10_000);
			assert.match(screen, /SHELL-BEFORE/, 'the shell screen is back');
			assert.doesNotMatch(screen, /Time per request/, 'no UI left behind');
			assert.deepEqual(tmux.modes(session), {alternate: false, cursor: true});
			await assertReplays(file);
		});
	}

	test('tmux kill-session (SIGHUP to the pane, an SSH drop): the process ends and the recording replays', async () => {
		const {session, file, pid} = await start('killsession');
		tmux.run('kill-session', '-t', session);
		const end = Date.now() + 10_000;
		const alive = () => {
			try {
				process.kill(pid, 0);
				return true;
			} catch {
				return false;
			}
		};
		while (alive() && Date.now() < end) await sleep(100);
		assert.equal(alive(), false, 'fdtop exited after its terminal went away');
		await assertReplays(file);
	});
});
