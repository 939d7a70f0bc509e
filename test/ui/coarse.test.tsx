/**
 * The views show only what the buckets know (issue 14 §2): a percentile in a coarse bucket reads
 * as the bucket, greyed and explained; fewer than 5 observations read `n too small`; the mean stays.
 */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {histogramText} from '../helpers/exposition.js';
import {buildStore, fixture, frameFits, renderApp, stripAnsi, type Rendered} from './helpers.js';
import {chartLines} from '../../source/ui/components/chart.js';
import {createTheme} from '../../source/ui/theme.js';

const LAT_B = ['0.3', '0.5', '0.8', '1.0', '1.5', '2.0', '2.5', '5.0', '10.0', '15.0', '20.0', '30.0', '40.0', '50.0', '60.0', '120.0', '240.0', '480.0', '960.0', '1920.0', '7680.0', '+Inf'];
const QUEUE = 'fastdeploy:request_queue_time_seconds';
const DECODE = 'fastdeploy:request_decode_time_seconds';

/** The 2.3 fixture with family `name` replaced by `replacement`. */
function replaceFamily(text: string, name: string, replacement: string): string {
	const kept = text.split('\n').filter(line => !(line.startsWith(`${name}_`) || line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `)));
	return `${kept.join('\n').trimEnd()}\n${replacement}\n`;
}

/** Cumulative LAT_B buckets: `first` observations of 610 µs (first bucket) and `mid` of 4 s. */
function latency(name: string, first: number, mid: number, meanFirst = 0.00061): string {
	const buckets = LAT_B.map((le): [string, number] => [le, first + ((le === '+Inf' ? Infinity : Number(le)) >= 5 ? mid : 0)]);
	return histogramText(name, buckets, meanFirst * first + 4 * mid);
}

/** Scrapes one second apart: 40 more queued requests each, and one decode in the last only. */
function coarseStore(scrapes = 12) {
	const base = fixture('fastdeploy-2.3.txt');
	const text = (k: number, decoded: number) => replaceFamily(replaceFamily(base, QUEUE, latency(QUEUE, 40 * k, 0)), DECODE, latency(DECODE, 0, decoded));
	const built = buildStore({text: text(0, 0), scrapes: 1});
	for (let k = 1; k < scrapes; k++) built.ingest(text(k, k === scrapes - 1 ? 1 : 0));
	return built;
}

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

function row(frame: string, title: string): string {
	const line = frame.split('\n').find(l => l.startsWith(title));
	assert.ok(line, `no ${title} row in:\n${frame}`);
	return line;
}

describe('coarse buckets and too few observations on screen', () => {
	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`Latency at ${columns}x${rows}: the queue reads as its first bucket, one decode as "n too small", means kept`, async () => {
			open = await renderApp(coarseStore().store, {columns, rows});
			await open.press('2');
			const frame = await open.waitFor(f => f.includes('Latency by phase'));
			assert.equal(frameFits(frame, columns, rows), null, frame);
			const queue = row(frame, 'Queue');
			assert.match(queue, /610 µs +≤ ?300 ms +≤ ?300 ms +≤ ?300 ms +│/);
			assert.doesNotMatch(queue, /150 ms|270 ms|297 ms/);
			const decode = row(frame, 'Decode');
			assert.match(decode, /4 s +n too small +│ +1 +4 s +(n too small|n < 5)$/);
			assert.doesNotMatch(decode, /3\.75 s|4\.75 s|4\.97 s/);
			// The legend says what the stand-ins mean.
			assert.match(frame, /≤ 300 ms, 0\.1–0\.25 s: .*n too small/);
		});
	}

	test('the chart beside a decode of one request says "n too small" instead of p50/p90/p99', async () => {
		open = await renderApp(coarseStore().store, {columns: 120, rows: 40});
		await open.press('2');
		for (let i = 0; i < 4; i++) await open.press('j');
		const frame = await open.waitFor(f => f.includes('Decode (↑/↓ to choose)'), 'the decode chart');
		assert.match(frame, /p50–p99\s*\n.*n too small/);
		assert.match(frame, /mean +4 s/);
		assert.doesNotMatch(frame, /p50 +3\.75 s/);
	});

	test('the queue chart draws p99 as its bucket\'s top, dashed, never the invented 297 ms, and says so in its legend', async () => {
		open = await renderApp(coarseStore(30).store, {columns: 120, rows: 40});
		await open.press('2');
		await open.press('j');
		await open.press('j');
		const frame = await open.waitFor(f => f.includes('Queue (↑/↓ to choose)'), 'the queue chart');
		const lines = frame.split('\n');
		const at = lines.findIndex(l => l.startsWith('Queue (↑/↓ to choose)'));
		assert.match(lines[at]!, /─ mean · p99 ╌ p99 at most/);
		const chart = lines.slice(at + 1, -1).map(l => l.slice(0, 100));
		assert.ok(chart.some(l => /┤ *╌{20,}/.test(l)), `a dashed p99 along the chart:\n${chart.join('\n')}`);
		assert.ok(!chart.some(l => l.includes('·')), 'no dotted (estimated) p99 anywhere');
	});

	test('a p99 under the mean says why on the chart itself, at 120 and at 80 columns', async () => {
		// Per second 99 first tokens at 10 ms and one at 900 ms: p99 ≤ 10 ms, mean 18.9 ms.
		const TTFT_B = ['0.001', '0.005', '0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1.0', '+Inf'];
		const ttft = (k: number) => histogramText('fastdeploy:time_to_first_token_seconds', TTFT_B.map((le): [string, number] => [le, (Number(le) >= 0.01 || le === '+Inf' ? 99 * k : 0) + (Number(le) >= 0.9 || le === '+Inf' ? k : 0)]), k * (0.99 + 0.9));
		const base = fixture('fastdeploy-2.3.txt');
		const built = buildStore({text: replaceFamily(base, 'fastdeploy:time_to_first_token_seconds', ttft(1)), scrapes: 1});
		for (let k = 2; k < 30; k++) built.ingest(replaceFamily(base, 'fastdeploy:time_to_first_token_seconds', ttft(k)));
		open = await renderApp(built.store, {columns: 120, rows: 40});
		let frame = await open.waitFor(f => f.includes('TTFT  ─ mean'));
		assert.match(frame, /TTFT {2}─ mean · p99 +p99 < mean: slow outliers/);
		await open.resize(80, 24);
		frame = await open.waitFor(f => f.includes('TTFT  ─ mean') && frameFits(f, 80, 24) === null);
		assert.match(frame, /TTFT {2}─ mean · p99 +p99<mean/);
	});

	test('a p99 withheld (too few) leaves a gap in p99 only: the mean goes on', () => {
		const theme = createTheme({color: false, ascii: false, lang: 'en'});
		const mean = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
		const p99 = [5, 5, 5, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 5, 5, 5];
		const lines = chartLines({series: [{values: mean, tone: 'series1'}, {values: p99, tone: 'series2', dotted: true, ownGaps: true}], width: 18, height: 6, format: v => v.toFixed(0), theme, empty: 'none'}).map(stripAnsi);
		const meanRow = lines.find(l => l.includes('─'))!;
		assert.match(meanRow, /┤─{9}/, lines.join('\n'));
		const p99Row = lines[0]!;
		assert.match(p99Row, /┤·· +·· *$/, lines.join('\n'));
	});

	test('a coarse percentile is greyed, the others keep their health colour', async () => {
		open = await renderApp(coarseStore().store, {columns: 120, rows: 40, color: true});
		await open.press('2');
		await open.waitFor(f => f.includes('Latency by phase'));
		const queue = open.raw().split('\n').find(l => l.includes('Queue'))!;
		assert.match(queue, /\u001b\[90m≤ 300 ms\u001b\[39m/);
	});

	test('Help explains both under "Reading the numbers" at 80 columns', async () => {
		open = await renderApp(coarseStore().store, {columns: 80, rows: 40});
		await open.press('?');
		const frame = await open.waitFor(f => f.includes('Reading the numbers'));
		assert.match(frame, /≤ 300 ms +percentile in a wide bucket/);
		assert.match(frame, /only its bounds are known/);
		assert.match(frame, /n too small +under 5 observations: no percentiles/);
	});

	test('the stacked time bar names what it shows, and says so when its parts do not add up to e2e', async () => {
		// The fixture: queue 37 ms + prefill 91 ms + decode 6.1 s = 6.23 s against e2e 6.49 s (within 5 %).
		open = await renderApp(buildStore().store, {columns: 120, rows: 40});
		let frame = await open.waitFor(f => f.includes('Time per request'));
		assert.match(frame, /Time per request {2}each phase's mean over 1 m +sum 6\.23 s {2}inference 6\.24 s {2}e2e 6\.49 s/);
		open.unmount();
		// e2e's sum tripled: 19.5 s per request, the phases unchanged.
		const text = fixture('fastdeploy-2.3.txt').replace(/^(fastdeploy:e2e_request_latency_seconds_sum) (\S+)$/m, (_, name: string, v: string) => `${name} ${Number(v) * 3}`);
		for (const [columns, rows] of [
			[120, 40],
			[80, 24],
		] as const) {
			open = await renderApp(buildStore({text}).store, {columns, rows});
			frame = await open.waitFor(f => f.includes('Time per request'));
			assert.equal(frameFits(frame, columns, rows), null, frame);
			const line = frame.split('\n').find(l => l.startsWith('Time per request'))!;
			assert.match(line, /sum 6\.23 s ≠ e2e 19\.5 s/, line);
			if (columns >= 120) assert.match(line, /each phase averaged over its own requests/);
			open.unmount();
		}
		open = null;
	});

	test('the Fleet view writes a coarse TTFT p99 so that it fits its column, never cut', async () => {
		const TTFT_B = ['0.001', '0.005', '0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1.0', '+Inf'];
		// Every first token at 200 ms: p99 is somewhere in 100–250 ms.
		const ttft = (k: number) => histogramText('fastdeploy:time_to_first_token_seconds', TTFT_B.map((le): [string, number] => [le, le === '+Inf' || Number(le) >= 0.2 ? 50 * k : 0]), 0.2 * 50 * k);
		const base = fixture('fastdeploy-2.3.txt');
		const built = buildStore({text: replaceFamily(base, 'fastdeploy:time_to_first_token_seconds', ttft(1)), scrapes: 1, targets: 2});
		for (let k = 2; k < 20; k++) built.ingest(replaceFamily(base, 'fastdeploy:time_to_first_token_seconds', ttft(k)));
		for (const [columns, rows] of [
			[80, 24],
			[120, 40],
		] as const) {
			open = await renderApp(built.store, {columns, rows});
			await open.press('0');
			const frame = await open.waitFor(f => /TTFT/.test(f) && f.includes('all 2'), 'the fleet');
			assert.match(frame, /≤ 250 ms/, frame);
			assert.doesNotMatch(frame, /100–25|250 m…/, frame);
			open.unmount();
		}
		open = null;
	});
});
