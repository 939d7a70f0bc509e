import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, gaugeText, GEN, histogramText, RUNNING, TTFT} from './helpers/exposition.js';
import {FakeClock} from './helpers/fake-clock.js';
import {startSimulator} from '../demo/sim/server.js';
import {createInterface} from 'node:readline';
import {Readable} from 'node:stream';
import fc from 'fast-check';
import {readAllRecords, RecordingWriter, RECORDING_FORMAT, splitLines} from '../source/sources/recording.js';
import {Replay} from '../source/sources/replay.js';
import {Store} from '../source/store.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-rec-'));
const scrapeText = (n: number) => [counterText(GEN, 40 * n), gaugeText(RUNNING, n % 7), histogramText(TTFT, [['0.1', n], ['0.5', 3 * n], ['1.0', 4 * n], ['+Inf', 5 * n]], 0.9 * n)].join('\n') + '\n';

async function writeRecording(path: string, count: number, stepMs = 1000): Promise<void> {
	const writer = await RecordingWriter.open(path, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'test', targets: [{name: 'a', target: 'http://a/metrics'}], intervalMs: stepMs});
	for (let n = 0; n < count; n++) writer.append(0, {target: 'http://a/metrics', t: 1_000_000 + n * stepMs, text: scrapeText(n), durationMs: 3, bytes: 100});
	await writer.close();
}

describe('recordings', () => {
	let server: TestServer;
	before(async () => {
		server = await serve((n, _req, res) => res.end(scrapeText(n + 1)));
	});
	after(() => server.close());

	test('record while monitoring, replay, and get the same report as live', async () => {
		const file = join(dir, 'live.jsonl');
		const live = await runCli(['--once', '--json', '--interval', '300ms', '--record', file, server.url]);
		assert.equal(live.code, 0, live.stderr);
		const replayed = await runCli(['--once', '--json', file]);
		assert.equal(replayed.code, 0, replayed.stderr);
		const a = JSON.parse(live.stdout).targets[0];
		const b = JSON.parse(replayed.stdout).targets[0];
		assert.equal(b.scrapes, 2);
		assert.deepEqual(b.metrics, a.metrics);
		assert.ok(a.metrics.ttft.window.count > 0);
		// The recording holds the raw text and never a request header.
		const raw = readFileSync(file, 'utf8');
		assert.match(raw, /fastdeploy:time_to_first_token_seconds_bucket/);
		assert.doesNotMatch(raw, /authorization/i);
	});

	test('record the simulator while monitoring, replay, same report', async () => {
		const sim = await startSimulator({scenario: 'burst', era: '2.3', speed: 30, seed: 5});
		try {
			sim.advance(120);
			const file = join(dir, 'sim.jsonl.gz');
			const live = await runCli(['--once', '--json', '--interval', '500ms', '--record', file, sim.url]);
			assert.equal(live.code, 0, live.stderr);
			const replayed = await runCli(['--once', '--json', file]);
			assert.equal(replayed.code, 0, replayed.stderr);
			const a = JSON.parse(live.stdout).targets[0];
			const b = JSON.parse(replayed.stdout).targets[0];
			assert.equal(a.era, '2.3');
			assert.ok(a.metrics.generationTokensTotal.rate > 0);
			assert.deepEqual(b.metrics, a.metrics);
			assert.deepEqual(b.diagnoses, a.diagnoses);
		} finally {
			await sim.close();
		}
	});

	test('a .gz recording round-trips', async () => {
		const file = join(dir, 'rec.jsonl.gz');
		await writeRecording(file, 30);
		assert.equal(readFileSync(file)[0], 0x1f, 'gzip magic');
		const {records, tornLines} = await readAllRecords(file);
		assert.equal(records.length, 30);
		assert.equal(tornLines, 0);
		assert.equal(records[29]!.text, scrapeText(29));
	});

	test('lines longer than a read chunk and non-ASCII text survive a .gz round trip', async () => {
		const file = join(dir, 'long.jsonl.gz');
		const long = `# HELP x ${'é€😀 '.repeat(200_000)}\n${scrapeText(1)}`;
		const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'test', targets: [{name: 'a', target: 'http://a/metrics'}], intervalMs: 1000});
		for (let n = 0; n < 3; n++) writer.append(0, {target: 'http://a/metrics', t: n, text: n === 1 ? long : scrapeText(n), durationMs: 3, bytes: 100});
		await writer.close();
		const {records, tornLines} = await readAllRecords(file);
		assert.equal(tornLines, 0);
		assert.deepEqual(records.map(r => r.text), [scrapeText(0), long, scrapeText(2)]);
	});

	test('lines are split as readline splits them, however the bytes are chunked', async () => {
		const piece = fc.constantFrom('a', 'b', '{}', 'é', '€', '😀', '\n', '\r', '\r\n', '\n\n', ' ');
		await fc.assert(
			fc.asyncProperty(fc.array(piece, {maxLength: 40}), fc.array(fc.nat(), {maxLength: 6}), async (pieces, cuts) => {
				const bytes = Buffer.from(pieces.join(''));
				const at = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((x, y) => x - y);
				const chunks = [0, ...at].map((from, k) => bytes.subarray(from, at[k] ?? bytes.length)).filter(c => c.length > 0);
				const expected: string[] = [];
				for await (const line of createInterface({input: Readable.from(chunks.map(c => Buffer.from(c))), crlfDelay: Infinity})) expected.push(line);
				const actual: string[] = [];
				for await (const line of splitLines(Readable.from(chunks))) actual.push(line);
				assert.deepEqual(actual, expected);
			}),
			{numRuns: 300},
		);
	});

	test('a torn last line replays up to the last whole line', async () => {
		const file = join(dir, 'torn.jsonl');
		await writeRecording(file, 10);
		const text = readFileSync(file, 'utf8');
		writeFileSync(file, text.slice(0, text.length - 40));
		const r = await runCli(['--once', '--json', file]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(JSON.parse(r.stdout).targets[0].scrapes, 9);
		assert.match(r.stderr, /1 torn or invalid line/);
	});

	test('a gzip recording cut short (fdtop killed) replays what was flushed', async () => {
		const file = join(dir, 'killed.jsonl.gz');
		await writeRecording(file, 20);
		const bytes = readFileSync(file);
		// Drop the gzip trailer and a little more, as a SIGKILL mid-write would.
		writeFileSync(file, bytes.subarray(0, bytes.length - 30));
		const {records} = await readAllRecords(file);
		assert.ok(records.length >= 15 && records.length < 20, `got ${records.length}`);
	});

	test('a file that is not a recording is a clear error', async () => {
		const file = join(dir, 'bogus.jsonl');
		writeFileSync(file, 'hello\n');
		const r = await runCli(['--once', file]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /not an fdtop recording/);
	});
});

describe('replay timing (fake clock)', () => {
	function setup(file: string, speed: number, loop: boolean) {
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'a', location: 'http://a/metrics'}], intervalMs: 1000, windowMs: 60_000, clock});
		const replay = new Replay(store, {file, speed, loop, demo: null, clock});
		return {clock, store, replay};
	}

	test('plays at the recorded pace times --speed', async () => {
		const file = join(dir, 'pace.jsonl');
		await writeRecording(file, 20);
		const {clock, store, replay} = setup(file, 4, false);
		await replay.start();
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 1);
		await clock.advance(1000); // 4 recorded seconds at ×4
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 5);
		replay.changeSpeed(1);
		const mode = store.getSnapshot().mode;
		assert.equal(mode.kind === 'replay' && mode.speed, 5);
		replay.stop();
	});

	test('pause holds, "." steps one scrape', async () => {
		const file = join(dir, 'step.jsonl');
		await writeRecording(file, 10);
		const {clock, store, replay} = setup(file, 1, false);
		await replay.start();
		replay.togglePause();
		await clock.advance(5000);
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 1);
		replay.step();
		await clock.advance(0);
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 2);
		assert.equal(store.getSnapshot().paused, true);
		replay.togglePause();
		await clock.advance(2000);
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 4);
		replay.stop();
	});

	test('--loop starts over with time moving forward and no bogus restart', async () => {
		const file = join(dir, 'loop.jsonl');
		await writeRecording(file, 5);
		const {clock, store, replay} = setup(file, 1, true);
		await replay.start();
		await clock.advance(12_000);
		const s = store.getSnapshot();
		const t = s.targets[0]!;
		assert.ok(t.scrapes >= 12, `scrapes ${t.scrapes}`);
		assert.equal(s.mode.kind === 'replay' && s.mode.total, 5);
		assert.equal(t.derived!.events.length, 0, 'a loop is not a counter reset');
		const gen = t.derived!.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter' && gen.rate !== null && gen.rate > 0);
		replay.stop();
	});

	test('the demo opens with a full window already replayed', async () => {
		const file = join(dir, 'prefill.jsonl');
		await writeRecording(file, 100);
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'a', location: 'http://a/metrics'}], intervalMs: 1000, windowMs: 10_000, clock});
		const replay = new Replay(store, {file, speed: 1, loop: true, demo: 'x', clock, prefillMs: 10_000});
		await replay.start();
		const t = store.getSnapshot().targets[0]!;
		// 0 s … 9 s at once, then the 10 s scrape as the first tick: a full 10 s window.
		assert.equal(t.scrapes, 11);
		assert.equal(t.derived!.coveredMs, 10_000);
		replay.stop();
	});

	test('without --loop the replay finishes and says so', async () => {
		const file = join(dir, 'end.jsonl');
		await writeRecording(file, 3);
		const {clock, store, replay} = setup(file, 1, false);
		await replay.start();
		await clock.advance(10_000);
		const mode = store.getSnapshot().mode;
		assert.ok(mode.kind === 'replay' && mode.finished && mode.position === 3);
	});
});
