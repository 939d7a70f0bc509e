/**
 * `fdtop report` (issue 17 §3): the page's structure, its data against figures recomputed here from
 * the recording's raw text by another route (counter and histogram deltas over the same trailing
 * span, bucket deltas over the whole run), its self-containment, and untrusted text escaped.
 * The page in a real browser is test/report-browser.test.ts.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {ROOT, runCli} from './helpers/cli.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-report-'));
const STEADY = join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz');
const OVERLOAD = join(ROOT, 'demo', 'recordings', 'overload-2.3.jsonl.gz');

interface Chart {
	id: string;
	title: string;
	x: number[];
	lines: {label: string; run: number; y: (number | null)[]}[];
}
interface Distribution {
	key: string;
	bounds: (number | null)[];
	columns: {label: string; count: number; shares: (number | null)[]}[];
}
interface Data {
	charts: Chart[];
	events: {seconds: number; run: number; what: string}[];
	distributions: Distribution[];
}

/** The page's inline data, as the page's script reads it. */
export function pageData(html: string): Data {
	const m = /<script type="application\/json" id="fdtop-data">([^<]*)<\/script>/.exec(html);
	assert.ok(m, 'the page holds its data in <script type="application/json" id="fdtop-data">');
	return JSON.parse(m[1]!) as Data;
}

/** The recording's scrapes, read here without fdtop's reader: gunzip, one JSON a line. */
function rawScrapes(file: string): {t: number; text: string}[] {
	const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(1).filter(Boolean);
	return lines.map(l => JSON.parse(l) as {t: number; text?: string}).filter((r): r is {t: number; text: string} => typeof r.text === 'string');
}

/** One unlabelled sample (or a bucket by its bound) from exposition text. */
function sample(text: string, name: string, le?: number): number | undefined {
	for (const line of text.split('\n')) {
		const m = /^([^{\s]+)(?:\{le="([^"]+)"\})? (\S+)/.exec(line);
		if (m && m[1] === name && (le === undefined ? m[2] === undefined : m[2] !== undefined && Number(m[2].replace('+Inf', 'Infinity')) === le)) return Number(m[3]);
	}
	return undefined;
}

async function report(args: string[]): Promise<{html: string; stderr: string}> {
	const out = join(dir, `r-${Math.random().toString(36).slice(2)}.html`);
	const r = await runCli(['report', ...args, '-o', out]);
	assert.equal(r.code, 0, r.stderr);
	return {html: readFileSync(out, 'utf8'), stderr: r.stderr};
}

const close = (a: number | null | undefined, b: number | null, what: string) => {
	if (b === null) return assert.equal(a, null, what);
	assert.ok(typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
};

describe('fdtop report', () => {
	test("every chart point equals the raw deltas over the live charts' trailing 10 s", async () => {
		const {html, stderr} = await report([STEADY]);
		assert.match(stderr, /wrote .* 7 charts, 6 distributions/);
		const data = pageData(html);
		assert.deepEqual(
			data.charts.map(c => c.id),
			['requests', 'tokens', 'ttft', 'tpot', 'phases', 'kv', 'batch'],
		);
		const scrapes = rawScrapes(STEADY);
		const t0 = scrapes[0]!.t;
		// Chart point k summarises (scrape j, scrape k], j the first scrape at most 10 s before k (and before k).
		const from = (k: number) => Math.min(scrapes.findIndex(s => s.t >= scrapes[k]!.t - 10_000), k - 1);
		const at = (x: number) => scrapes.findIndex(s => s.t === t0 + Math.round(x * 1000));
		const rate = (name: string) => (k: number) => {
			const j = from(k);
			if (j < 0) return null;
			return (sample(scrapes[k]!.text, name)! - sample(scrapes[j]!.text, name)!) / ((scrapes[k]!.t - scrapes[j]!.t) / 1000);
		};
		const mean = (base: string) => (k: number) => {
			const j = from(k);
			if (j < 0) return null;
			const d = (s: string) => sample(scrapes[k]!.text, `${base}_${s}`)! - sample(scrapes[j]!.text, `${base}_${s}`)!;
			return d('count') > 0 ? d('sum') / d('count') : null;
		};
		const gauge = (name: string) => (k: number) => sample(scrapes[k]!.text, name)!;
		const expected: [string, string, (k: number) => number | null][] = [
			['requests', 'completed/s', rate('fastdeploy:request_success_total')],
			['tokens', 'generated/s', rate('fastdeploy:generation_tokens_total')],
			['ttft', 'mean', mean('fastdeploy:time_to_first_token_seconds')],
			['tpot', 'mean', mean('fastdeploy:time_per_output_token_seconds')],
			['phases', 'queue', mean('fastdeploy:request_queue_time_seconds')],
			['kv', 'usage', gauge('fastdeploy:gpu_cache_usage_perc')],
			['batch', 'running', gauge('fastdeploy:num_requests_running')],
			['batch', 'waiting', gauge('fastdeploy:num_requests_waiting')],
		];
		for (const [id, label, figure] of expected) {
			const chart = data.charts.find(c => c.id === id)!;
			const line = chart.lines.find(l => l.label === label);
			assert.ok(line, `${id} has a line ${label}: ${chart.lines.map(l => l.label).join(', ')}`);
			// Every scrape but the first (which has nothing before it) is a point.
			assert.equal(chart.x.length, scrapes.length - (id === 'kv' || id === 'batch' ? 0 : 1), id);
			chart.x.forEach((x, i) => {
				const k = at(x);
				assert.ok(k >= 0, `${id}: x ${x} is a scrape's time`);
				close(line.y[i], figure(k), `${id} ${label} at ${x} s`);
			});
		}
	});

	test("the distributions are the bucket deltas of the whole recording, each run's requests counted", async () => {
		const data = pageData((await report([STEADY])).html);
		const scrapes = rawScrapes(STEADY);
		const first = scrapes[0]!.text;
		const last = scrapes.at(-1)!.text;
		const ttft = data.distributions.find(d => d.key === 'ttft')!;
		const name = 'fastdeploy:time_to_first_token_seconds';
		const les = ttft.bounds.map(b => (b === null ? Infinity : b));
		const deltas = les.map(le => sample(last, `${name}_bucket`, le)! - sample(first, `${name}_bucket`, le)!);
		const total = deltas.at(-1)!;
		assert.equal(ttft.columns[0]!.count, sample(last, `${name}_count`)! - sample(first, `${name}_count`)!);
		assert.ok(total > 100, `${total} requests`);
		deltas.forEach((d, i) => {
			const share = (d - (i > 0 ? deltas[i - 1]! : 0)) / total;
			const got = ttft.columns[0]!.shares[i]!;
			// PromQL extrapolates each bucket to the window's edges by the same factor: shares keep to ~1e-12.
			assert.ok(Math.abs(got - share) < 1e-9, `share ≤ ${les[i]}: ${got} vs ${share}`);
		});
	});

	test('--compare draws both runs on each chart and their distributions side by side, with a Comparison table', async () => {
		const {html} = await report([STEADY, '--compare', OVERLOAD]);
		const data = pageData(html);
		for (const chart of data.charts) {
			assert.deepEqual([...new Set(chart.lines.map(l => l.run))], [0, 1], chart.id);
			for (const line of chart.lines) assert.equal(line.y.length, chart.x.length);
		}
		const ttft = data.distributions.find(d => d.key === 'ttft')!;
		assert.deepEqual(
			ttft.columns.map(c => c.label),
			['A', 'B'],
		);
		assert.match(html, /<section id="comparison">/);
		// The overload run: every TTFT above the 2.3 top bucket (1 s); the steady one, none.
		assert.equal(ttft.columns[1]!.shares.at(-1), 1);
		assert.equal(ttft.columns[0]!.shares.at(-1), 0);
	});

	test('the page is whole: sections, a CSP that forbids connections, uPlot and its licence inside, no URL outside comments', async () => {
		const {html} = await report([STEADY, '--slo', 'ttft<=100ms:90%']);
		for (const id of ['runs', 'summary', 'slo', 'charts', 'distributions', 'events']) assert.match(html, new RegExp(`<section id="${id}">`), id);
		assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+';[^"]*connect-src 'none'/);
		assert.match(html, /Copyright \(c\) 2022 Leon Sorokin/);
		assert.match(html, /var uPlot=function\(\)/);
		const text = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '');
		assert.doesNotMatch(text, /TODO|undefined|NaN|null/);
		const withoutComments = html.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--[\s\S]*?-->/g, '');
		assert.doesNotMatch(withoutComments, /https?:\/\//i);
		assert.doesNotMatch(withoutComments, /\b(src|href)=/i);
		// Three scripts: the data (not run), uPlot, the drawing.
		assert.equal(html.match(/<script/g)!.length, 3);
		// The verdict over the whole recording: the share of its requests in the buckets up to 100 ms.
		const scrapes = rawScrapes(STEADY);
		const delta = (name: string, le?: number) => sample(scrapes.at(-1)!.text, name, le)! - sample(scrapes[0]!.text, name, le)!;
		const share = delta('fastdeploy:time_to_first_token_seconds_bucket', 0.1) / delta('fastdeploy:time_to_first_token_seconds_count');
		assert.ok(share > 0.5 && share < 0.9, String(share));
		assert.match(html, new RegExp(`<td>TTFT ≤ 100 ms for 90 %</td><td>${(share * 100).toFixed(1)} %</td><td>exact</td><td><span class="st-breached">breached</span>`));
	});

	test('text from the recording is escaped: a <script> in a target name, location and label cannot run', async () => {
		const file = join(dir, 'hostile.jsonl');
		const evil = '<script>alert(1)</script>';
		const start = Date.UTC(2026, 11, 1);
		const fixture = readFileSync(join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt'), 'utf8');
		const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(start).toISOString(), fdtop: `x${evil}`, targets: [{name: `gpu${evil}`, target: `http://h/${evil}</script>`}], intervalMs: 1000});
		for (let n = 0; n < 5; n++) {
			const text = `${fixture}\nfdtop_test_info{model="${evil}"} 1\n`;
			writer.append(0, {target: `http://h/${evil}`, t: start + n * 1000, text, durationMs: 1, bytes: text.length});
		}
		writer.append(0, {target: 'x', t: start + 5000, error: `refused ${evil}`, durationMs: 1, bytes: 0});
		await writer.close();
		const {html} = await report([file]);
		assert.equal(html.match(/<script/gi)!.length, 3, 'no script but the page\'s own');
		assert.doesNotMatch(html, /alert\(1\)<\/script>|<script>alert/i);
		assert.match(html, /gpu&#60;script&#62;alert\(1\)&#60;&#47;script&#62;/);
	});

	test('the event log and the charts\' markers put a restart where a counter of the raw text went down', async () => {
		const RESTART = join(ROOT, 'demo', 'recordings', 'restart-2.3.jsonl.gz');
		const {html} = await report([RESTART]);
		const scrapes = rawScrapes(RESTART);
		const name = 'fastdeploy:request_success_total';
		const k = scrapes.findIndex((s, i) => i > 0 && sample(s.text, name)! < sample(scrapes[i - 1]!.text, name)!);
		assert.ok(k > 0);
		const events = pageData(html).events;
		assert.equal(events[0]!.seconds, (scrapes[k]!.t - scrapes[0]!.t) / 1000);
		assert.match(events[0]!.what, /^restart: counters reset \(\d+ metrics\)$/);
		assert.match(html, /<section id="events">.*<td>4 m 30 s<\/td><td>restart: /s);
	});

	test('two targets scraped at their own times: each line has a point at each of its scrapes, a gap only where it had no value', async () => {
		const fixture = readFileSync(join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt'), 'utf8');
		const start = Date.UTC(2026, 11, 1);
		const file = join(dir, 'two.jsonl');
		const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: '', fdtop: 'test', targets: [{name: 'a', target: 'http://a/metrics'}, {name: 'b', target: 'http://b/metrics'}], intervalMs: 1000});
		for (let n = 0; n < 20; n++) {
			const text = fixture.replace(/^(fastdeploy:request_success_total) (\S+)/m, (_m, k: string, v: string) => `${k} ${Number(v) + 3 * n}`);
			writer.append(0, {target: 'http://a/metrics', t: start + n * 1000, text, durationMs: 1, bytes: 1});
			writer.append(1, {target: 'http://b/metrics', t: start + n * 1000 + 300, text, durationMs: 1, bytes: 1});
		}
		await writer.close();
		const chart = pageData((await report([file])).html).charts.find(c => c.id === 'requests')!;
		for (const [label, offset] of [['a completed/s', 0], ['b completed/s', 300]] as const) {
			const line = chart.lines.find(l => l.label === label)!;
			const own = chart.x.flatMap((x, i) => (Math.round(x * 1000) % 1000 === offset ? [i] : []));
			// The first scrape of each has nothing before it: no line has a point there, so it is no x.
			assert.equal(own.length, 19, label);
			assert.deepEqual((line as unknown as {gaps: number[]}).gaps, []);
			for (const i of own) close(line.y[i], 3, `${label} at ${chart.x[i]}`);
			chart.x.forEach((_x, i) => !own.includes(i) && assert.equal(line.y[i], null));
		}
	});

	test('a torn recording reports up to its last whole line and says what was skipped', async () => {
		const whole = gunzipSync(readFileSync(STEADY)).toString('utf8');
		const file = join(dir, 'torn.jsonl');
		writeFileSync(file, whole.slice(0, Math.floor(whole.length / 2)));
		const {html} = await report([file]);
		assert.match(html, /1 torn or invalid line\(s\) skipped/);
		assert.ok(pageData(html).charts.length > 0);
	});

	test('a long recording is thinned to a bounded history, its requests counted from the scrapes used (restarts too)', async () => {
		// The steady run eleven times over, back to back: 2640 scrapes, a restart at each seam.
		const lines = gunzipSync(readFileSync(STEADY)).toString('utf8').split('\n').filter(Boolean);
		const records = lines.slice(1).map(l => JSON.parse(l) as {t: number; text?: string});
		const span = records.at(-1)!.t - records[0]!.t + 1000;
		const out = [lines[0]!];
		for (let k = 0; k < 11; k++) for (const r of records) out.push(JSON.stringify({...r, t: r.t + k * span}));
		const file = join(dir, 'long.jsonl');
		writeFileSync(file, `${out.join('\n')}\n`);
		const {html} = await report([file]);
		assert.match(html, /every 2nd scrape of each target made the figures \(requests and tokens are counted whole, but for what a restart cut short/);
		const data = pageData(html);
		const kv = data.charts.find(c => c.id === 'kv')!;
		// Scrapes 0, 2, … 2638, and the last (2639): the figures end where the recording ends.
		assert.equal(kv.x.length, 1321);
		// Requests counted here from the scrapes used (every 2nd and the last): increases, and after a
		// restart the new count. What a restart cut short after the last scrape used is lost, as the page says.
		const name = 'fastdeploy:time_to_first_token_seconds_count';
		const counts = out
			.slice(1)
			.filter((_l, i, all) => i % 2 === 0 || i === all.length - 1)
			.map(l => sample((JSON.parse(l) as {text: string}).text, name)!);
		let total = 0;
		for (let i = 1; i < counts.length; i++) total += counts[i]! >= counts[i - 1]! ? counts[i]! - counts[i - 1]! : counts[i]!;
		assert.equal(data.distributions.find(d => d.key === 'ttft')!.columns[0]!.count, total);
		assert.match(html, /restart: /);
	});

	test('usage and file errors name the problem and what to do', async () => {
		const noOut = await runCli(['report', STEADY]);
		assert.equal(noOut.code, 2);
		assert.match(noOut.stderr, /report needs -o/);
		const missing = await runCli(['report', join(dir, 'nope.jsonl.gz'), '-o', join(dir, 'x.html')]);
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /nope\.jsonl\.gz: no such file/);
		const toStdout = await runCli(['report', STEADY, '-o', '-']);
		assert.equal(toStdout.code, 0, toStdout.stderr);
		assert.match(toStdout.stdout, /^<!DOCTYPE html>/);
		const unwritable = await runCli(['report', STEADY, '-o', join(dir, 'no-such-dir', 'r.html')]);
		assert.equal(unwritable.code, 1);
		assert.match(unwritable.stderr, /report -o .*write the report elsewhere/);
	});
});
