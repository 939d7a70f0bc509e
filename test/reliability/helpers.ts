/**
 * Shared by the reliability tests: a private tmux server per test file (the built CLI in a real
 * terminal), loopback servers, and checks that output carries no raw terminal control bytes.
 */
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

export {runCli, serve, deadPort, CLI, ROOT, type CliResult, type TestServer} from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
export const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;

/** The built CLI must exist: these tests run what a user runs. */
export function requireBuild(): void {
	if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
}

export function fixtureText(name: string): string {
	return readFileSync(join(root, 'test', 'fixtures', name), 'utf8');
}

/** Raw ESC, BEL, CSI (C1), backspace, CR: none of these may reach a terminal or a report. */
export const RAW_CONTROL = /[\u0007\u0008\u000d\u001b\u009b\u009d]/;

export function assertNoRawControl(text: string, what: string): void {
	const m = RAW_CONTROL.exec(text);
	assert.equal(m, null, `${what} carries a raw control byte ${m ? JSON.stringify(m[0]) : ''} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A tmux server of its own (private socket), sessions running a shell in the repository. */
export class Tmux {
	readonly socket = `fdtop-rel-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	#sessions = 0;

	run(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** Start the server with an idle session, so server options can be set before any test session. */
	start(): void {
		this.run('new-session', '-d', '-s', 'keep', '-x', '80', '-y', '24', 'sleep 3600');
	}

	/** A new session of this size running `command` in bash, between two marker lines. */
	launch(command: string, options: {columns?: number; rows?: number; env?: Record<string, string>} = {}): string {
		const session = `s${++this.#sessions}`;
		const env = Object.entries({CI: 'false', NO_COLOR: '1', ...options.env})
			.map(([k, v]) => `${k}=${shellQuote(v)}`)
			.join(' ');
		this.run('new-session', '-d', '-s', session, '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40), '-c', root, 'bash --norc --noprofile');
		// Keep the pane (and its title) after bash exits, so a dead pane can still be inspected.
		this.run('set-option', '-t', session, 'remain-on-exit', 'on');
		this.run('send-keys', '-t', session, `clear; echo SHELL-BEFORE; ${env} ${command}; echo SHELL-AFTER $?`, 'Enter');
		return session;
	}

	capture(session: string): string {
		return this.run('capture-pane', '-p', '-t', session);
	}

	/** Poll the screen (the terminal has no fake clock) until `predicate` holds, with a deadline. */
	async waitFor(session: string, predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
		const end = Date.now() + timeoutMs;
		for (;;) {
			const screen = this.capture(session);
			if (predicate(screen)) return screen;
			if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
			await sleep(100);
		}
	}

	keys(session: string, ...keys: string[]): void {
		this.run('send-keys', '-t', session, ...keys);
	}

	/** Literal text (no key-name lookup). */
	type(session: string, text: string): void {
		this.run('send-keys', '-t', session, '-l', text);
	}

	display(session: string, format: string): string {
		return this.run('display-message', '-p', '-t', session, format).trim();
	}

	modes(session: string): {alternate: boolean; cursor: boolean} {
		const [alternate, cursor] = this.display(session, '#{alternate_on} #{cursor_flag}').split(' ');
		return {alternate: alternate === '1', cursor: cursor === '1'};
	}

	/** The pid of the process running in the pane's shell (fdtop), found through its parent. */
	childPid(session: string): number | undefined {
		const shell = this.display(session, '#{pane_pid}');
		const out = spawnSync('pgrep', ['-P', shell], {encoding: 'utf8'}).stdout.trim();
		const pid = Number(out.split('\n')[0]);
		return pid > 0 ? pid : undefined;
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
		rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
	}
}

export function shellQuote(s: string): string {
	return `'${s.replace(/'/g, `'\\''`)}'`;
}
