/**
 * Standard output that goes away, for every writer of it (the report, --json, --help, export to
 * stdout). A reader that stops early (`fdtop --once … | head`) is an ordinary way to use a
 * report: fdtop stops there quietly, with the exit status decided so far (0 when nothing failed),
 * as `head` users expect. A stdout that cannot be written (closed with `>&-`, a full disk, an I/O
 * error) fails the run: exit 1 and one line on stderr naming the problem.
 *
 * A closed stdout never reaches Node as such: at start-up Node puts /dev/null on a closed
 * descriptor 0–2. So the bin's `sh` line (scripts/build.mjs) checks descriptor 1 first and says so
 * in FDTOP_STDOUT_CLOSED; here the first write then fails as it would have (EBADF).
 */
import process from 'node:process';
import {inert} from './text.js';

export const STDOUT_CLOSED_ENV = 'FDTOP_STDOUT_CLOSED';

/** A write was attempted on the closed stdout. */
let closedWrite = false;

const REASONS: Readonly<Record<string, string>> = {
	EBADF: 'it is closed',
	ENOSPC: 'no space left on the device',
	EIO: 'input/output error',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'file too large',
};

/** The one line fdtop prints when its standard output cannot be written. */
export function stdoutFailure(error: NodeJS.ErrnoException): string {
	const code = error.code ?? 'error';
	const reason = REASONS[code] ?? inert(String(error.message).split('\n')[0]!);
	return `fdtop: cannot write to standard output: ${reason} (${code}); run fdtop with its output open (redirect it to a file, or to /dev/null to discard it)\n`;
}

/**
 * A write to stdout has failed (the reader went away): further output is pointless. On Linux a
 * pipe write fails synchronously, but its 'error' event (and so the exit) comes a tick later:
 * a writer that goes on to print a summary on stderr asks this first.
 */
export function stdoutGone(): boolean {
	return closedWrite || process.stdout.errored != null || process.stdout.destroyed;
}

/** Install the handlers; call once, before anything is written to stdout. */
export function guardStdout(env: NodeJS.ProcessEnv = process.env): void {
	const stdout = process.stdout;
	const closed = env[STDOUT_CLOSED_ENV] === '1';
	// Not for fdtop's children, nor for the next fdtop a test starts from this environment.
	delete env[STDOUT_CLOSED_ENV];
	// stderr gone too (`2>&-`, a closed pipe): there is nowhere left to say anything.
	process.stderr.on('error', () => undefined);
	stdout.on('error', (error: NodeJS.ErrnoException) => {
		// The live UI's terminal: a vanished terminal comes with SIGHUP, whose handler restores,
		// closes the recording and exits (source/ui/run.tsx); leave it to that.
		if (stdout.isTTY) return;
		if (error.code === 'EPIPE') process.exit();
		process.stderr.write(`${inert(stdoutFailure(error).trimEnd())}\n`);
		process.exit(1);
	});
	if (closed) {
		stdout.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
			const done = typeof encoding === 'function' ? encoding : callback;
			const error = Object.assign(new Error('write EBADF'), {code: 'EBADF', errno: -9, syscall: 'write'});
			// As a failed write does: the failure is known now, 'error' is emitted a tick later.
			if (!closedWrite) process.nextTick(() => stdout.emit('error', error));
			closedWrite = true;
			if (typeof done === 'function') process.nextTick(done, error);
			return false;
		}) as typeof stdout.write;
	}
}
