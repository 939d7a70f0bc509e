/**
 * Standard output that goes away: a reader that stops early (`| head -c 10`, `| true`) and a
 * closed stdout (`>&-`). Run as a user runs it: the built bin from bash, every stdout writer
 * (the text report, --json, --help, --version, export to stdout).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, requireBuild, ROOT} from './helpers.js';

const RECORDING = join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz');

interface Run {
	/** fdtop's own exit status (PIPESTATUS[0] in a pipeline). */
	code: number;
	stdout: string;
	stderr: string;
}

/** Run `fdtop ARGS` then SHELL_TAIL in bash (e.g. `| head -c 10`); the status is fdtop's. */
function bash(args: readonly string[], tail: string): Promise<Run> {
	const script = `"$@" ${tail}; exit "\${PIPESTATUS[0]}"`;
	return new Promise(resolve => {
		const child = spawn('bash', ['-c', script, 'bash', CLI, ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('close', code => resolve({code: code ?? -1, stdout, stderr}));
	});
}

const WRITERS: readonly (readonly [string, readonly string[]])[] = [
	['the text report', ['--once', RECORDING]],
	['--json', ['--once', '--json', RECORDING]],
	['--json --families (large)', ['--once', '--json', '--families', RECORDING]],
	['--help', ['--help']],
	['--version', ['--version']],
	['export -o - (large)', ['export', RECORDING, '-o', '-']],
];

describe('stdout that goes away', () => {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-stdout-'));
	before(() => requireBuild());
	after(() => rmSync(dir, {recursive: true, force: true}));

	for (const [what, args] of WRITERS) {
		test(`${what} | head -c 10: exit 0, nothing on stderr`, async () => {
			const run = await bash(args, '| head -c 10');
			assert.equal(run.stderr, '', 'stderr is empty');
			assert.equal(run.code, 0, 'fdtop exits 0');
			assert.ok(run.stdout.length > 0 && run.stdout.length <= 10, 'head got its bytes');
		});

		test(`${what} | true (the reader gone before the first write): exit 0, nothing on stderr`, async () => {
			const run = await bash(args, '| true');
			assert.equal(run.stderr, '', 'stderr is empty');
			assert.equal(run.code, 0, 'fdtop exits 0');
		});

		test(`${what} >&- (stdout closed): exit 1 and a message naming the problem`, async () => {
			const run = await bash(args, '>&-');
			assert.equal(run.code, 1, `exit 1; stderr: ${run.stderr}`);
			assert.match(run.stderr, /^fdtop: cannot write to standard output: it is closed \(EBADF\)/);
			assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
		});
	}

	test('stdout on a full device (/dev/full): exit 1 naming ENOSPC', async () => {
		const run = await bash(['--once', RECORDING], '>/dev/full');
		assert.equal(run.code, 1, run.stderr);
		assert.match(run.stderr, /^fdtop: cannot write to standard output: no space left on the device \(ENOSPC\)/);
	});

	test('export -o FILE with stdout closed: stdout is not needed, the export succeeds', async () => {
		const out = join(dir, 'out.txt');
		const run = await bash(['export', RECORDING, '-o', out], '>&-');
		assert.equal(run.code, 0, run.stderr);
		assert.ok(existsSync(out) && statSync(out).size > 0, 'the export was written');
		assert.match(readFileSync(out, 'utf8'), /# EOF\n$/);
	});

	test('a failed target with the reader gone: still exit 1 and the target named', async () => {
		const run = await bash(['--once', '--timeout', '1s', 'http://127.0.0.1:1/metrics'], '| true');
		assert.equal(run.code, 1, run.stderr);
		assert.match(run.stderr, /127\.0\.0\.1:1.*connection refused/);
		assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at /);
	});
});
