/**
 * Job control in a real terminal: fdtop --demo run from an interactive bash (job control on) in
 * tmux. Ctrl+Z and `kill -TSTP` must leave the alternate screen, show the cursor, give the shell
 * back (`Stopped`), and `fg` must bring the whole frame back with the keys working.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {HAS_TMUX, requireBuild, ROOT, Tmux} from './helpers.js';

describe('job control: suspend and resume (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	let sessions = 0;

	before(() => {
		requireBuild();
		tmux.start();
	});
	after(() => tmux.kill());

	/** An interactive bash (job control on) running fdtop --demo as its foreground job. */
	async function start(): Promise<{session: string; pid: number}> {
		const session = `job${++sessions}`;
		tmux.run('new-session', '-d', '-s', session, '-x', '120', '-y', '35', '-c', ROOT, 'bash --norc --noprofile -i');
		tmux.run('set-option', '-t', session, 'remain-on-exit', 'on');
		tmux.type(session, "PS1='PROMPT$ '; clear; NO_COLOR=1 CI=false node dist/cli.js --demo steady-2.3");
		tmux.keys(session, 'Enter');
		await tmux.waitFor(session, s => s.includes('Time per request'), 'the overview');
		assert.deepEqual(tmux.modes(session), {alternate: true, cursor: false});
		const pid = tmux.childPid(session);
		assert.ok(pid, 'the fdtop process');
		return {session, pid};
	}

	function state(pid: number): string {
		// /proc/PID/stat: "pid (comm) S ...": T is stopped.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	}

	async function resumeAndQuit(session: string, pid: number): Promise<void> {
		tmux.type(session, 'fg');
		tmux.keys(session, 'Enter');
		// The whole frame is back (tabs row and the overview), not only the lines that change.
		const screen = await tmux.waitFor(session, s => s.includes('Time per request') && /1 Overview {2}2 Latency/.test(s), 'the frame after fg', 10_000);
		assert.doesNotMatch(screen, /PROMPT\$|Stopped/, `no shell text left inside the frame:\n${screen}`);
		assert.deepEqual(tmux.modes(session), {alternate: true, cursor: false}, 'alternate screen and hidden cursor again');
		assert.notEqual(state(pid), 'T', 'running again');
		// Keys work: raw mode is back (a cooked terminal would wait for Enter).
		tmux.keys(session, '2');
		await tmux.waitFor(session, s => s.includes('Latency by phase'), 'the Latency view after fg', 10_000);
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => /^PROMPT\$\s*$/m.test(s), 'the prompt after q', 10_000);
		tmux.type(session, 'echo EXIT-$?');
		tmux.keys(session, 'Enter');
		await tmux.waitFor(session, s => s.includes('EXIT-0'), 'exit status 0', 10_000);
		assert.deepEqual(tmux.modes(session), {alternate: false, cursor: true}, 'the terminal restored on q');
	}

	async function assertSuspended(session: string, pid: number): Promise<void> {
		const screen = await tmux.waitFor(session, s => /Stopped/.test(s) && /^PROMPT\$\s*$/m.test(s), 'the shell prompt with Stopped', 10_000);
		assert.doesNotMatch(screen, /Time per request/, `the frame is gone (alternate screen left):\n${screen}`);
		assert.deepEqual(tmux.modes(session), {alternate: false, cursor: true}, 'alternate screen off, cursor shown');
		assert.equal(state(pid), 'T', 'the process is stopped');
		// Cooked mode: what is typed echoes at the prompt.
		tmux.type(session, 'echo COOKED');
		await tmux.waitFor(session, s => /PROMPT\$ echo COOKED/.test(s), 'typed text echoed by the cooked terminal', 5000);
		tmux.keys(session, 'C-u');
	}

	test('Ctrl+Z stops fdtop with the terminal restored; fg redraws the whole frame and keys work', async () => {
		const {session, pid} = await start();
		tmux.keys(session, 'C-z');
		await assertSuspended(session, pid);
		await resumeAndQuit(session, pid);
	});

	test('kill -TSTP from outside: the same', async () => {
		const {session, pid} = await start();
		process.kill(pid, 'SIGTSTP');
		await assertSuspended(session, pid);
		await resumeAndQuit(session, pid);
	});

	test('suspended twice in a row, resumed each time', async () => {
		const {session, pid} = await start();
		tmux.keys(session, 'C-z');
		await assertSuspended(session, pid);
		tmux.type(session, 'fg');
		tmux.keys(session, 'Enter');
		await tmux.waitFor(session, s => s.includes('Time per request'), 'the frame after the first fg', 10_000);
		process.kill(pid, 'SIGTSTP');
		await assertSuspended(session, pid);
		await resumeAndQuit(session, pid);
	});
});
