/** The newest FastDeploy families (issue 14 §3): known to the catalog, in the report and on screen. */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CATALOG_BY_KEY, catalogEntryForFamily} from '../source/metrics/catalog.js';
import {runCli} from './helpers/cli.js';
import {newestText} from './helpers/newest.js';
import {buildStore, fixture, frameFits, renderApp, type Rendered} from './ui/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-newest-'));
const FILE = join(dir, 'newest.txt');
writeFileSync(FILE, newestText());

describe('catalog: the newest families', () => {
	test('free_cpu_block_num is a gauge in blocks', () => {
		const match = catalogEntryForFamily('fastdeploy:free_cpu_block_num');
		assert.ok(match, 'fastdeploy:free_cpu_block_num is unknown to the catalog');
		assert.equal(match.entry.kind, 'gauge');
		assert.equal(match.entry.unit, 'blocks');
	});

	test('request_token_ratio is tokens per second per request, not a unit-less ratio', () => {
		const entry = catalogEntryForFamily('fastdeploy:request_token_ratio')?.entry;
		assert.ok(entry);
		assert.equal(entry.unit, 'tokensPerSecond');
		assert.match(entry.help.en, /tokens per second/);
		assert.match(entry.help.en, /inference start/);
		assert.doesNotMatch(entry.help.en, /not seen in code/);
	});

	test('first_token_latency and infer_latency are not called removed: some 2.3+ builds export them', () => {
		for (const key of ['firstTokenLatency', 'inferLatency']) {
			const entry = CATALOG_BY_KEY.get(key)!;
			assert.equal(entry.removed, undefined, `${key} is marked removed`);
			const text = `${entry.help.en} ${entry.meaningNote?.en ?? ''}`;
			assert.doesNotMatch(text, /Removed on 2025-11-26 \(2\.3\)/);
			assert.match(text, /2\.3\+/);
		}
	});
});

describe('--once on a newest-build scrape', () => {
	test('JSON has the CPU blocks, the token rate unit and the still-exported latest-value gauges', async () => {
		const r = await runCli(['--once', '--json', FILE]);
		assert.equal(r.code, 0, r.stderr);
		const m = JSON.parse(r.stdout).targets[0].metrics;
		assert.deepEqual(m.freeCpuBlocks, {type: 'gauge', unit: 'blocks', value: 3000});
		assert.equal(m.maxCpuBlocks.value, 4096);
		assert.equal(m.tokenRatio.unit, 'tokensPerSecond');
		assert.equal(m.tokenRatio.lifetime.mean, 38);
		assert.equal(m.firstTokenLatency.value, 0.25);
		assert.equal(m.inferLatency.value, 3.5);
	});

	test('the text report keeps a space between cells wider than their column (no 4038.0 for a count of 40 and a mean of 38.0)', async () => {
		const r = await runCli(['--once', FILE]);
		assert.equal(r.code, 0, r.stderr);
		const line = r.stdout.split('\n').find(l => l.startsWith('Request tok/s'));
		assert.ok(line, r.stdout);
		const lifetime = line.slice(line.indexOf('│') + 1);
		assert.match(lifetime, /^ +40 +38(\.0)?( tok)?\/s /);
		assert.doesNotMatch(lifetime, /[a-z]\d|\d{4}\./, line);
	});

	test('the text report writes the token rate in tok/s', async () => {
		const r = await runCli(['--once', FILE]);
		assert.equal(r.code, 0, r.stderr);
		const line = r.stdout.split('\n').find(l => l.startsWith('Request tok/s'));
		assert.ok(line, r.stdout);
		assert.match(line, /38\.0\/s/);
		for (const cell of line.slice('Request tok/s'.length).trim().split(/\s+/)) assert.ok(cell.length <= 9, `${cell} fits its column: ${line}`);
		assert.match(r.stdout, /^Free CPU blocks +3\.00k/m);
	});
});

describe('views on a newest-build scrape', () => {
	let open: Rendered | null = null;
	afterEach(() => {
		open?.unmount();
		open = null;
	});

	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`Cache shows CPU blocks used / free / max beside the GPU blocks at ${columns}x${rows}`, async () => {
			const {store} = buildStore({text: newestText()});
			open = await renderApp(store, {columns, rows});
			await open.press('4');
			const frame = open.frame();
			assert.match(frame, /CPU blocks +used 1\.10k +free 3\.00k +max 4\.10k/, frame);
			assert.match(frame, /GPU blocks +used/, frame);
		});

		test(`Overview shows the newest signals and keeps both charts at ${columns}x${rows}`, async () => {
			const {store} = buildStore({text: newestText()});
			open = await renderApp(store, {columns, rows});
			const frame = open.frame();
			assert.equal(frameFits(frame, columns, rows), null, frame);
			for (const expected of [
				/preempt 0\.60\/s, 2 now/,
				/enqueued 7\b/,
				/prefix hit 30 %/,
				/PD send fail 0(\.00)?\/s/,
				/unfinished 4 of 118 in 19 s/,
				/spec accept 60 % avg of 2, heads 74 % 46 %/,
				/TTFT .*TPOT/,
				/p50 +(204 ms|100–250 ms|≤ ?250 ms)/,
				/KV cache \[/,
			]) {
				assert.match(frame, expected, frame);
			}
			// Both charts keep at least four plotted rows.
			assert.ok(frame.split('\n').filter(l => /┤.*┤/.test(l)).length >= 4, frame);
		});

		test(`Overview shows none of them where the families are absent (2.0) at ${columns}x${rows}`, async () => {
			const {store} = buildStore({text: fixture('fastdeploy-2.0.txt')});
			open = await renderApp(store, {columns, rows});
			const frame = open.frame();
			for (const absent of ['preempt', 'enqueued', 'prefix hit', 'PD send fail', 'unfinished', 'spec accept']) assert.ok(!frame.includes(absent), `${absent} in:\n${frame}`);
		});

		test(`Tokens shows the per-request generation speed distribution at ${columns}x${rows}`, async () => {
			const {store} = buildStore({text: newestText()});
			open = await renderApp(store, {columns, rows});
			await open.press('3');
			const frame = open.frame();
			assert.match(frame, /Request tok\/s +window +\d/, frame);
		});
	}
});

describe('the simulator and the demo speak the newest FastDeploy', () => {
	test('--era newest emits the §4.4–4.5 families; 2.3 does not', async () => {
		const {generateScrapes} = await import('../demo/sim/generate.js');
		const newest = [...generateScrapes({scenario: 'kv-pressure', era: 'newest', seed: 3, intervalSeconds: 1, count: 1, warmupSeconds: 300})][0]!.text;
		const older = [...generateScrapes({scenario: 'kv-pressure', era: '2.3', seed: 3, intervalSeconds: 1, count: 1, warmupSeconds: 300})][0]!.text;
		for (const name of [
			'fastdeploy:request_preempted_total',
			'fastdeploy:num_requests_preempted',
			'fastdeploy:num_requests_enqueued',
			'fastdeploy:request_token_ratio_bucket',
			'fastdeploy:max_cpu_block_num',
			'fastdeploy:free_cpu_block_num',
			'fastdeploy:first_token_latency',
			'fastdeploy:infer_latency',
		]) {
			assert.match(newest, new RegExp(`^${name}(\\{[^}]*\\})? `, 'm'), name);
			assert.doesNotMatch(older, new RegExp(`^${name}(\\{[^}]*\\})? `, 'm'), name);
		}
	});

	test('the kv-pressure-newest demo recording reports them through --once --json', async () => {
		const r = await runCli(['--once', '--json', '--demo', 'kv-pressure-newest']);
		assert.equal(r.code, 0, r.stderr);
		const m = JSON.parse(r.stdout).targets[0].metrics;
		assert.equal(m.maxCpuBlocks.value, 1000);
		assert.ok(m.freeCpuBlocks.value <= 1000);
		assert.equal(m.tokenRatio.unit, 'tokensPerSecond');
		assert.ok(m.tokenRatio.lifetime.count > 0);
		assert.ok(m.requestPreemptedTotal.value > 0, 'kv-pressure preempts');
		assert.equal(typeof m.enqueued.value, 'number');
		assert.equal(m.specAcceptanceRate.combined.how, 'live');
		assert.equal(typeof m.specHeadAcceptance1.value, 'number');
	});
});

describe('unfinished requests when more finish than arrive', () => {
	test('the Overview states the difference as a positive count (done N over received), never a negative "unfinished"', async () => {
		// Requests received stay flat while successes keep growing: an older backlog draining.
		const {store, ingest} = buildStore({text: newestText(), scrapes: 0});
		for (let i = 0; i < 10; i++) ingest(newestText().replace(/^fastdeploy:requests_number_total .*$/m, 'fastdeploy:requests_number_total 124.0').replace(/^fastdeploy:request_success_total .*$/m, `fastdeploy:request_success_total ${100 + i}`));
		const r = await renderApp(store, {columns: 80, rows: 24});
		const frame = r.frame();
		r.unmount();
		assert.match(frame, /done 9 over received in 9 s/, frame);
		assert.doesNotMatch(frame, /−\s*done -/, frame);
		assert.doesNotMatch(frame, /unfinished -/, frame);
	});
});
