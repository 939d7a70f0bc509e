/**
 * A recording never fails or clobbers without a word (issue 13, item 3), run as a process: a write
 * error (/dev/full gives ENOSPC on every write) makes `--once` exit 1 naming the file and the
 * error, with the report still printed; a working recording says how many scrapes it holds; an
 * existing file that is not a recording, or a symbolic link, is refused unless --record-overwrite;
 * an existing recording of the same targets is appended to (a .gz as a new gzip member).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {gunzipSync} from 'node:zlib';
import {RecordingWriter, RECORDING_FORMAT, type RecordingStatus} from '../../source/sources/recording.js';
import {counterText, GEN} from '../helpers/exposition.js';
import {requireBuild, runCli, serve, type TestServer} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-recfail-'));
const HAS_DEV_FULL = existsSync('/dev/full');

describe('a recording that fails is not silent (--once)', () => {
	let server: TestServer;
	let other: TestServer;
	before(async () => {
		requireBuild();
		server = await serve((n, _req, res) => res.end(`${counterText(GEN, 100 * (n + 1))}\n`));
		other = await serve((n, _req, res) => res.end(`${counterText(GEN, 7 * (n + 1))}\n`));
	});
	after(async () => {
		await server.close();
		await other.close();
	});

	test('--record /dev/full: the report is printed, exit 1, stderr names the file and ENOSPC', {skip: HAS_DEV_FULL ? false : 'no /dev/full'}, async () => {
		const r = await runCli(['--once', '--interval', '200ms', '--record', '/dev/full', server.url]);
		assert.equal(r.code, 1, `exit ${r.code}; stderr: ${r.stderr}`);
		assert.match(r.stdout, /127\.0\.0\.1:\d+\/metrics +up/, 'the report is still printed');
		assert.match(r.stderr, /--record \/dev\/full: .*no space left on device \(ENOSPC\)/);
		assert.match(r.stderr, /free some space or record elsewhere/);
	});

	test('--json --record /dev/full: the JSON says so in `recording`, exit 1', {skip: HAS_DEV_FULL ? false : 'no /dev/full'}, async () => {
		const r = await runCli(['--once', '--json', '--interval', '200ms', '--record', '/dev/full', server.url]);
		assert.equal(r.code, 1, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.equal(json.recording.file, '/dev/full');
		assert.match(json.recording.error, /no space left on device/);
		assert.equal(typeof json.recording.scrapes, 'number');
		assert.equal(json.targets[0].up, true);
	});

	test('a working recording: exit 0, "recorded 2 scrapes to FILE" on stderr, `recording` in the JSON', async () => {
		const file = join(dir, 'ok.jsonl.gz');
		const r = await runCli(['--once', '--json', '--interval', '200ms', '--record', file, server.url]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, new RegExp(`recorded 2 scrapes to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.deepEqual(JSON.parse(r.stdout).recording, {file, scrapes: 2, error: null});
	});

	test('an existing file that is not a recording is refused and left as it was', async () => {
		const file = join(dir, 'notes.txt');
		writeFileSync(file, 'my precious notes\n');
		const r = await runCli(['--once', '--record', file, server.url]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /exists and is not an fdtop recording/);
		assert.match(r.stderr, /--record-overwrite/);
		assert.equal(readFileSync(file, 'utf8'), 'my precious notes\n');
		assert.equal(r.stdout, '', 'nothing scraped');
	});

	test('--record-overwrite replaces a file that is not a recording', async () => {
		const file = join(dir, 'scratch.jsonl');
		writeFileSync(file, 'junk\n');
		const r = await runCli(['--once', '--record-overwrite', '--record', file, server.url]);
		assert.equal(r.code, 0, r.stderr);
		const lines = readFileSync(file, 'utf8').trim().split('\n');
		assert.equal(JSON.parse(lines[0]!).fdtopRecording, 1);
		assert.equal(lines.length, 3);
	});

	test('a symbolic link is refused, its target untouched; --record-overwrite writes through it', async () => {
		const target = join(dir, 'victim.txt');
		const link = join(dir, 'link.jsonl');
		writeFileSync(target, 'do not touch\n');
		symlinkSync(target, link);
		const r = await runCli(['--once', '--record', link, server.url]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /is a symbolic link/);
		assert.equal(readFileSync(target, 'utf8'), 'do not touch\n');
		const forced = await runCli(['--once', '--record-overwrite', '--record', link, server.url]);
		assert.equal(forced.code, 0, forced.stderr);
		assert.equal(JSON.parse(readFileSync(target, 'utf8').split('\n')[0]!).fdtopRecording, 1);
	});

	test('a dangling symbolic link is refused too (nothing is created where it points)', async () => {
		const target = join(dir, 'nowhere.txt');
		const link = join(dir, 'dangling.jsonl');
		symlinkSync(target, link);
		const r = await runCli(['--once', '--record', link, server.url]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /is a symbolic link/);
		assert.equal(existsSync(target), false);
	});

	for (const name of ['again.jsonl', 'again.jsonl.gz']) {
		test(`an existing recording of the same target is appended to (${name}), and replays whole`, async () => {
			const file = join(dir, name);
			const first = await runCli(['--once', '--interval', '200ms', '--record', file, server.url]);
			assert.equal(first.code, 0, first.stderr);
			const second = await runCli(['--once', '--interval', '200ms', '--record', file, server.url]);
			assert.equal(second.code, 0, second.stderr);
			assert.match(second.stderr, /appended 2 scrapes to /);
			const raw = name.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
			const lines = raw.trim().split('\n');
			assert.equal(lines.length, 5, 'one header and four records');
			assert.equal(lines.filter(l => l.includes('fdtopRecording')).length, 1);
			const replay = await runCli(['--once', '--json', file]);
			assert.equal(replay.code, 0, replay.stderr);
			assert.doesNotMatch(replay.stderr, /torn|out of order/);
			assert.equal(JSON.parse(replay.stdout).targets[0].scrapes, 4);
		});
	}

	test('an existing recording of other targets is refused and left as it was', async () => {
		const file = join(dir, 'theirs.jsonl');
		assert.equal((await runCli(['--once', '--record', file, other.url])).code, 0);
		const before = readFileSync(file);
		const r = await runCli(['--once', '--record', file, server.url]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /records other targets/);
		assert.deepEqual(readFileSync(file), before);
	});

	test('a .gz recording cut short (no gzip end) is refused: appending would make it unreadable', async () => {
		const file = join(dir, 'torn.jsonl.gz');
		assert.equal((await runCli(['--once', '--record', file, server.url])).code, 0);
		const whole = readFileSync(file);
		writeFileSync(file, whole.subarray(0, whole.length - 8));
		const r = await runCli(['--once', '--record', file, server.url]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /cut short/);
		assert.equal(statSync(file).size, whole.length - 8);
	});

	test('--record-overwrite without --record is bad usage', async () => {
		const r = await runCli(['--once', '--record-overwrite', server.url]);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /--record-overwrite goes with --record FILE/);
	});

	test('export -o /dev/full: exit 1 naming the output and ENOSPC, not "exported"', {skip: HAS_DEV_FULL ? false : 'no /dev/full'}, async () => {
		const file = join(dir, 'to-export.jsonl');
		assert.equal((await runCli(['--once', '--record', file, server.url])).code, 0);
		const r = await runCli(['export', file, '--format', 'openmetrics', '-o', '/dev/full']);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /export -o \/dev\/full: writing failed: no space left on device \(ENOSPC\)/);
		assert.doesNotMatch(r.stderr, /exported/);
	});

	test('an empty existing file (mktemp) is recorded into', async () => {
		const file = join(dir, 'empty.jsonl');
		writeFileSync(file, '');
		const r = await runCli(['--once', '--record', file, server.url]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!).fdtopRecording, 1);
	});
});

/** A file whose writes fail with `code` from the `failAt`-th write on (EIO, EBADF: hard to cause for real). */
class FailingFile extends Writable {
	writes = 0;
	constructor(readonly code: string, readonly failAt: number) {
		super();
	}
	override _write(_chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
		if (++this.writes >= this.failAt) done(Object.assign(new Error(`${this.code}: simulated`), {code: this.code}));
		else done();
	}
}

describe('the recording writer reports any write error', () => {
	const header = {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'test', targets: [{name: 'a', target: 'http://a/metrics'}], intervalMs: 1000};
	const scrape = (n: number) => ({target: 'http://a/metrics', t: 1000 * n, text: `${counterText(GEN, n)}\n`, durationMs: 1, bytes: 10});

	for (const [code, words, path] of [
		['EIO', /input\/output error \(EIO\)/, 'rec.jsonl'],
		['EBADF', /bad file descriptor \(EBADF\)/, 'rec.jsonl'],
		['EIO', /input\/output error \(EIO\)/, 'rec.jsonl.gz'],
	] as const) {
		test(`${code} on ${path}: the status turns failed, later scrapes are dropped, close() still resolves`, async () => {
			const seen: RecordingStatus[] = [];
			const file = new FailingFile(code, 3);
			let failed!: () => void;
			const failure = new Promise<void>(resolve => (failed = resolve));
			const writer = await RecordingWriter.open(path, header, {
				stream: file,
				onStatus(s) {
					seen.push(s);
					if (s.error !== null) failed();
				},
			});
			for (let n = 1; n <= 3; n++) writer.append(0, scrape(n));
			await failure;
			const atFailure = writer.status.scrapes;
			const writesAtFailure = file.writes;
			for (let n = 4; n <= 6; n++) writer.append(0, scrape(n));
			await writer.close();
			assert.match(writer.status.error ?? '', words);
			assert.equal(writer.status.scrapes, atFailure, 'no scrape is counted after the failure');
			assert.equal(file.writes, writesAtFailure, 'nothing more reaches a failed file');
			assert.match(writer.failureMessage ?? '', new RegExp(`^--record ${path.replace('.', '\\.')}: recording failed after \\d scrapes?: .*\\(${code}\\); the recording is incomplete`));
			assert.equal(seen.filter(s => s.error !== null).length >= 1, true, 'the failure was reported to the listener');
		});
	}
});
