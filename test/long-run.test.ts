/**
 * A 24-hour recording at 1 s (86,400 scrapes, made by the simulator in fast time) replayed at full
 * speed: memory stays flat (history is bounded by the longest window, never by run time), and the
 * figures at the end equal those of replaying the last hour alone.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import {generateScrapes} from '../demo/sim/generate.js';
import {reportJson} from '../source/report.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';
import {Replay} from '../source/sources/replay.js';
import {Store} from '../source/store.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const DAY = 86_400;
const HOUR = 3600;
const dir = mkdtempSync(join(tmpdir(), 'fdtop-long-'));
const target = 'http://sim:8001/metrics';
const header = (name: string) => ({fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'test', targets: [{name, target}], intervalMs: 1000});

function heapMiB(): number {
	gc();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

test('24 hours replayed at full speed: memory flat, same figures as the last hour alone', {timeout: 900_000}, async t => {
	const day = join(dir, 'day.jsonl.gz');
	const hour = join(dir, 'hour.jsonl.gz');
	const full = await RecordingWriter.open(day, header('sim'), {flushEach: false, level: 1});
	const last = await RecordingWriter.open(hour, header('sim'), {flushEach: false, level: 1});
	let i = 0;
	// The restart scenario: counter resets all day long, the hardest case for history and rates.
	for (const s of generateScrapes({scenario: 'restart', era: '2.0', seed: 9, intervalSeconds: 1, count: DAY})) {
		const scrape = {target, t: s.t, text: s.text, durationMs: 2, bytes: s.text.length};
		full.append(0, scrape);
		if (i >= DAY - HOUR) last.append(0, scrape);
		i++;
		// Wait for the gzip streams so generation does not buffer the whole day in memory.
		if (i % 500 === 0) await Promise.all([full.drained(), last.drained()]);
	}
	await full.close();
	await last.close();

	const replay = async (file: string, samples?: number[]) => {
		const store = new Store({targets: [{name: 'sim', location: target}], intervalMs: 1000, windowMs: 60_000});
		const r = new Replay(store, {file, speed: 1, loop: false, demo: null});
		if (samples) {
			// Sample the heap as the day goes by (each subscriber call is one batch of scrapes).
			let batches = 0;
			store.subscribe(() => {
				if (++batches % 5 === 0) samples.push(heapMiB());
			});
		}
		await r.runToEnd();
		return store;
	};

	const rssStart = process.memoryUsage().rss / 1024 / 1024;
	const heap: number[] = [];
	const dayStore = await replay(day, heap);
	const rssEnd = process.memoryUsage().rss / 1024 / 1024;
	const hourStore = await replay(hour);

	t.diagnostic(`RSS at start ${rssStart.toFixed(0)} MiB, at end ${rssEnd.toFixed(0)} MiB; heap after GC over the day: ${heap.map(h => h.toFixed(0)).join(' ')} MiB`);
	assert.equal(dayStore.getSnapshot().targets[0]!.scrapes, DAY);
	// Flat: after the history has filled (the first samples), the heap does not grow with run time.
	const warm = heap.slice(2);
	assert.ok(warm.length >= 3, `enough heap samples: ${heap.length}`);
	const growth = Math.max(...warm) - warm[0]!;
	assert.ok(growth < 20, `heap grew ${growth.toFixed(1)} MiB over the day`);

	const a = reportJson(dayStore.getSnapshot(), 'test', new Date(0)).targets as {metrics: unknown}[];
	const b = reportJson(hourStore.getSnapshot(), 'test', new Date(0)).targets as {metrics: unknown}[];
	assert.deepEqual(a[0]!.metrics, b[0]!.metrics);
	rmSync(dir, {recursive: true, force: true});
});
