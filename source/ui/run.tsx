/**
 * Run the live UI: alternate screen in a TTY, Ink at a capped frame rate, and the terminal
 * restored on every way out: q, Ctrl+C, SIGTERM, SIGHUP, SIGINT and a crash (a synchronous
 * 'exit' writer as the last resort). Restoring twice is harmless. Job control: Ctrl+Z and
 * SIGTSTP restore the terminal and stop; SIGCONT (`fg`) takes it back and redraws in full.
 */
import {writeSync} from 'node:fs';
import process from 'node:process';
import type {Controls} from '../controls.js';
import type {Store} from '../store.js';
import type {AppOptions} from './app.js';
import {FrameWriter} from './frame-writer.js';

export interface RunOptions extends AppOptions {
	/** Called after the UI has exited and the terminal is restored (stop polling here). */
	readonly onExit?: () => Promise<void>;
}

/** Alternate screen, cursor hidden, autowrap off (a too-long line is cut, never wrapped), cleared. */
export const ENTER = '\u001b[?1049h\u001b[?25l\u001b[?7l\u001b[H\u001b[2J';
/** End any synchronized update, reset attributes, autowrap and cursor back, leave the alternate screen. */
export const LEAVE = '\u001b[?2026l\u001b[0m\u001b[?7h\u001b[?25h\u001b[?1049l';

const SIGNALS = {SIGTERM: 15, SIGHUP: 1, SIGINT: 2} as const;

/** Restores the terminal once, however many exit paths call it. */
export function terminalRestorer(write: (text: string) => void): {enter(): void; restore(): void; readonly active: boolean} {
	let active = false;
	return {
		enter() {
			if (active) return;
			active = true;
			write(ENTER);
		},
		restore() {
			if (!active) return;
			active = false;
			try {
				write(LEAVE);
			} catch {
				// The terminal is gone (SIGHUP): nothing left to restore.
			}
		},
		get active() {
			return active;
		},
	};
}

const importUi = () => Promise.all([import('ink'), import('react'), import('./app.js')]);
let loading: ReturnType<typeof importUi> | undefined;

/**
 * Start loading Ink, React and the App, once: cli.tsx calls it as soon as it knows the UI will
 * run, so the modules load while it waits for a recording's header or a Prometheus backfill.
 */
export function loadUi(): ReturnType<typeof importUi> {
	// Without NODE_ENV, React loads its development build: several times the CPU per frame, and it
	// records a performance entry for every render, which grows without bound in a long session.
	// So React, Ink and the app are loaded here, after choosing the build (no JSX in this file).
	// (The bundle in dist/ has NODE_ENV fixed to production at build time: scripts/build.mjs.)
	process.env.NODE_ENV ??= 'production';
	loading ??= importUi();
	return loading;
}

export async function runTui(store: Store, controls: Controls, options: RunOptions): Promise<void> {
	// React is CommonJS: its namespace's default is module.exports, under Node and in the bundle
	// alike (esbuild's split chunk of a CommonJS module exports only the default).
	const [{render}, {default: React}, {App}] = await loadUi();
	const {createElement} = React;
	const stdout = process.stdout;
	const tty = stdout.isTTY === true;
	// Synchronous, so it also works from 'exit' after a crash, when no more I/O is scheduled.
	const terminal = terminalRestorer(text => writeSync(stdout.fd, text));
	// In a terminal the App hands its composed lines straight to the writer (direct mode), at
	// most 10 frames a second as Ink's own maxFps did; Ink keeps input, raw mode and exit.
	const writer = tty ? new FrameWriter(stdout, {direct: true, minIntervalMs: 100}) : null;
	const frameSink = writer ? (lines: readonly string[]) => writer.show(lines) : undefined;
	if (tty) terminal.enter();
	const onProcessExit = () => terminal.restore();
	process.on('exit', onProcessExit);

	const jobs = tty ? jobControl(terminal, writer) : null;
	const instance = render(createElement(App, {store, controls, options, frameSink, onSuspend: jobs?.suspend}), {
		stdout: (writer ?? stdout) as unknown as NodeJS.WriteStream,
		stdin: process.stdin,
		maxFps: 10,
		exitOnCtrlC: true,
		patchConsole: false,
		// Ink 6.8's incremental mode leaves stale lines (see frame-writer.ts); FrameWriter diffs lines.
		incrementalRendering: false,
	});

	let signalled: number | null = null;
	const onSignal = (signal: keyof typeof SIGNALS) => {
		signalled = SIGNALS[signal];
		terminal.restore();
		instance.unmount();
		// If something still holds the event loop (a hung request), do not outstay the signal.
		setTimeout(() => process.exit(128 + SIGNALS[signal]), 2000).unref();
	};
	const handlers = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map(signal => {
		const handler = () => onSignal(signal);
		process.on(signal, handler);
		return [signal, handler] as const;
	});

	try {
		await instance.waitUntilExit();
	} finally {
		terminal.restore();
		writer?.detach();
		for (const [signal, handler] of handlers) process.off(signal, handler);
		jobs?.stop();
		process.off('exit', onProcessExit);
		await options.onExit?.();
		if (signalled !== null) process.exitCode = 128 + signalled;
	}
}

/**
 * Ctrl+Z (read as a key in raw mode, where the terminal sends no signal) and SIGTSTP (`kill -TSTP`)
 * give the terminal back to the shell as it was (main screen, cursor, cooked mode) and then stop
 * the process for real: with fdtop's handler removed, SIGTSTP's default action stops it, and the
 * shell reports the job as Stopped. SIGCONT (`fg`, `bg`, `kill -CONT`, also after a SIGSTOP from
 * outside) takes the terminal again and redraws every line: the shell wrote over the screen.
 */
function jobControl(terminal: ReturnType<typeof terminalRestorer>, writer: FrameWriter | null): {suspend: () => void; stop: () => void} {
	const stdin = process.stdin;
	const stdout = process.stdout;
	let suspended = false;
	let wasRaw = false;
	const suspend = () => {
		if (suspended) return;
		suspended = true;
		writer?.suspend();
		terminal.restore();
		wasRaw = stdin.isTTY === true && stdin.isRaw;
		if (wasRaw) stdin.setRawMode(false);
		// The last listener gone, Node restores the default action, and this stops the process here.
		process.off('SIGTSTP', suspend);
		process.kill(process.pid, 'SIGTSTP');
	};
	const resume = () => {
		if (!process.listeners('SIGTSTP').includes(suspend)) process.on('SIGTSTP', suspend);
		const raw = suspended ? wasRaw : stdin.isTTY === true && stdin.isRaw;
		suspended = false;
		// The shell may have reset the terminal's modes while fdtop was stopped, and libuv skips a
		// mode it believes is already set: cooked first, then raw, so raw mode is applied again.
		if (raw) {
			stdin.setRawMode(false);
			stdin.setRawMode(true);
		}
		terminal.enter();
		// The terminal may have been resized while fdtop was stopped (no SIGWINCH reaches a stopped
		// job): Node's own SIGWINCH handler reads the size and emits 'resize' if it changed.
		(stdout as unknown as {_refreshSize?: () => void})._refreshSize?.();
		writer?.resume();
	};
	process.on('SIGTSTP', suspend);
	process.on('SIGCONT', resume);
	return {
		suspend,
		stop() {
			process.off('SIGTSTP', suspend);
			process.off('SIGCONT', resume);
		},
	};
}
