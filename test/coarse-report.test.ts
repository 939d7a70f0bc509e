/**
 * `--once` as a process, text and JSON, on the two cases of issue 14 §2: every queue observation in
 * the first bucket (0–0.3 s), and a single decode. The JSON keeps Prometheus' figures under their
 * old keys and adds where each fell; the text shows only what the buckets know.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, histogramText} from './helpers/exposition.js';

const LAT_B = ['0.3', '0.5', '0.8', '1.0', '1.5', '2.0', '2.5', '5.0', '10.0', '15.0', '20.0', '30.0', '40.0', '50.0', '60.0', '120.0', '240.0', '480.0', '960.0', '1920.0', '7680.0', '+Inf'];
const QUEUE = 'fastdeploy:request_queue_time_seconds';
const DECODE = 'fastdeploy:request_decode_time_seconds';

/** Cumulative LAT_B buckets with `first` observations ≤ 0.3 s and `mid` in (2.5, 5]. */
function latency(first: number, mid: number): [string, number][] {
	return LAT_B.map(le => {
		const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
		return [le, first + (bound >= 5 ? mid : 0)];
	});
}

describe('--once with coarse buckets and too few observations', () => {
	let server: TestServer;
	before(async () => {
		// Scrape n (counted over both tests): 40 more queued requests of 610 µs each, one more decode of 4 s.
		server = await serve((n, _req, res) => {
			const queued = 40 * (n + 1);
			const decoded = n;
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			res.end(
				[
					histogramText(QUEUE, latency(queued, 0), 0.00061 * queued),
					histogramText(DECODE, latency(0, decoded), 4 * decoded),
					counterText('fastdeploy:request_success_total', decoded),
				].join('\n') + '\n',
			);
		});
	});
	after(() => server.close());

	test('JSON: the old keys keep Prometheus\' values; quantileBuckets and tooFewObservations say what they are worth', async () => {
		const r = await runCli(['--once', '--json', '--interval', '300ms', server.url]);
		assert.equal(r.code, 0, r.stderr);
		const t = JSON.parse(r.stdout).targets[0];
		const q = t.metrics.queueTime.window;
		assert.equal(q.count, 40);
		assert.ok(Math.abs(q.mean - 0.00061) < 1e-12);
		// Unchanged contract: value and aboveTopBucket, nothing else, inside each pN.
		assert.deepEqual(Object.keys(q.p50), ['value', 'aboveTopBucket']);
		assert.ok(Math.abs(q.p50.value - 0.15) < 1e-12);
		assert.ok(Math.abs(q.p90.value - 0.27) < 1e-12);
		assert.ok(Math.abs(q.p99.value - 0.297) < 1e-12);
		assert.deepEqual(q.quantileBuckets, {p50: {bounds: [0, 0.3], coarse: true}, p90: {bounds: [0, 0.3], coarse: true}, p99: {bounds: [0, 0.3], coarse: true}});
		assert.equal(q.tooFewObservations, false);

		const d = t.metrics.decodeTime.window;
		assert.equal(d.count, 1);
		assert.equal(d.mean, 4);
		assert.equal(d.p50.value, 3.75);
		assert.equal(d.p90.value, 4.75);
		assert.equal(d.tooFewObservations, true);
		assert.deepEqual(d.quantileBuckets.p99, {bounds: [2.5, 5], coarse: false});
		assert.equal(t.metrics.decodeTime.lifetime.tooFewObservations, true);
	});

	test('text: the queue percentiles read as their bucket, the single decode as "n too small", the means stay', async () => {
		const r = await runCli(['--once', '--interval', '300ms', server.url]);
		assert.equal(r.code, 0, r.stderr);
		const queue = r.stdout.split('\n').find(l => l.startsWith('Queue'));
		const decode = r.stdout.split('\n').find(l => l.startsWith('Decode'));
		assert.ok(queue && decode, r.stdout);
		assert.match(queue, /610 µs +≤ 300 ms +≤ 300 ms +≤ 300 ms +│/);
		assert.doesNotMatch(queue, /150 ms|270 ms|297 ms/);
		assert.match(decode, /4 s +n too small +│ +[1-4] +4 s +n too small/);
		assert.doesNotMatch(decode, /3\.75 s|4\.75 s|4\.97 s/);
		assert.match(r.stdout, /note: Decode: 1 in the window, [1-4] since start, fewer than 5 observations: no percentiles/);
		assert.match(r.stdout, /note: Queue: p50, p90, p99 in the first bucket, ≤ 300 ms \(window and lifetime\)\./);
		assert.match(r.stdout, /too wide to interpolate in/);
	});
});

describe('--once coarse-bucket notes name only the percentiles that fell there', () => {
	test('every note "X: pN in BUCKET (window|lifetime)" matches a cell shown as a bucket (burst-2.3 demo)', async () => {
		const r = await runCli(['--once', '--demo', 'burst-2.3']);
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.split('\n');
		const notes = lines.map(l => /^note: (.+?): ((?:p\d\d(?:, )?)+) in (?:the first bucket, )?(.+) \((window|lifetime|window and lifetime)\)\.$/.exec(l)).filter(m => m !== null);
		assert.ok(notes.length >= 3, r.stdout);
		const columns = {p50: 2, p90: 3, p99: 4} as Record<string, number>;
		for (const [, title, names, bucket, bases] of notes) {
			const row = lines.find(l => l.startsWith(`${title!} `) && l.includes('│'));
			assert.ok(row, `no row for ${title}`);
			// Fixed columns: the name (18), then 9 wide cells: rate or count, mean, p50, p90, p99.
			const cut = (side: string) => Array.from({length: 5}, (_, i) => side.slice(i * 9, (i + 1) * 9).trim());
			const [window, lifetime] = [row.slice(18, row.indexOf('│') - 2), row.slice(row.indexOf('│') + 1)].map(cut);
			for (const basis of bases!.split(' and ')) {
				const cells = basis === 'window' ? window! : lifetime!;
				for (const name of names!.split(', ')) {
					const cell = cells[columns[name]!]!;
					assert.ok(/[–≤]/.test(cell), `note says ${title} ${name} (${basis}) is in ${bucket}, the table shows ${cell}:\n${row}`);
				}
			}
		}
	});
});
