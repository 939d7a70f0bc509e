/** Every view at 80x24 and 160x50 from fixture data: what a user reads, and the frame rules. */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildStore, fixture, frameFits, renderApp, scaleCumulative, type Rendered} from './helpers.js';

const SIZES = [
	[80, 24],
	[160, 50],
] as const;

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

async function show(keys: string[], options: {text?: string; columns: number; rows: number}): Promise<Rendered> {
	const {store} = buildStore({text: options.text});
	open = await renderApp(store, {columns: options.columns, rows: options.rows});
	for (const key of keys) await open.press(key);
	return open;
}

function fits(r: Rendered, columns: number, rows: number): void {
	const problem = frameFits(r.frame(), columns, rows);
	assert.equal(problem, null, `${problem}\n${r.frame()}`);
}

const VIEWS: {name: string; keys: string[]; expect: (RegExp | string)[]; expect20?: (RegExp | string)[]}[] = [
	{
		name: 'overview',
		keys: [],
		expect: ['fdtop', 'fastdeploy 2.3', '● up', 'TTFT', 'TPOT', 'p99 > 1 s', 'Time per request', 'queue 37 ms', 'prefill 91 ms', 'decode 6.1 s', 'inference 6.24 s', 'e2e 6.49 s', 'KV cache', '38 %', '4 of 64 slots', 'req/s', 'gen tok/s'],
		expect20: ['fastdeploy 2.0?', 'prefill all zero', 'started/s', 'batch size not reported', /Batch +\[ +-- +\] +--/],
	},
	{
		name: 'latency',
		keys: ['2'],
		expect: ['Latency by phase', /TTFT +6\.20 +254 ms +(≤ ?250 ms|100–250 ms) +572 ms +> 1 s/, 'E2E latency', 'TTFT (↑/↓ to choose)', 'lifetime'],
		expect20: [/Prefill +all zero since start/, 'TTFT leaves out queueing: FastDeploy 2.0? times it from inference start.'],
	},
	{
		name: 'tokens',
		keys: ['3'],
		expect: ['Tokens', 'prompt 3.10k tok/s', 'Prompt length', 'Output length', 'max_tokens', 'Output / max_tokens', '13 %'],
		expect20: ['Prompt length'],
	},
	{
		name: 'cache',
		keys: ['4'],
		expect: ['KV cache', 'GPU blocks', 'used 4.10k', 'free 4.10k', 'Prefix cache', 'hit: req 43 %', 'Batch', '4 of 64', 'Preemptions', 'not reported by this server'],
		expect20: [/GPU blocks +used -- +free --/, /hit: req --/],
	},
	{
		name: 'explorer',
		keys: ['5'],
		expect: ['Explorer', '49 families', 'fastdeploy:time_to_first_token_seconds', 'histogram', 'HELP'],
		expect20: ['fastdeploy:request_prefill_time_seconds'],
	},
	{name: 'help', keys: ['?'], expect: ['Keys', 'pause / resume scraping', 'Overview', 'quit'], expect20: ['Keys']},
	{name: 'explain', keys: ['e'], expect: ['Explain', 'TTFT', 'Health: warning from 1 s, critical from 5 s', 'Time to first token per request'], expect20: ['Explain']},
];

describe('views', () => {
	for (const view of VIEWS) {
		for (const [columns, rows] of SIZES) {
			test(`${view.name} at ${columns}x${rows}`, async () => {
				const r = await show(view.keys, {columns, rows});
				const frame = r.frame();
				fits(r, columns, rows);
				for (const e of view.expect) {
					if (typeof e === 'string') assert.ok(frame.includes(e), `missing "${e}" in:\n${frame}`);
					else assert.match(frame, e);
				}
				r.unmount();
				open = null;
				const old = await show(view.keys, {columns, rows, text: fixture('fastdeploy-2.0.txt')});
				fits(old, columns, rows);
				for (const e of view.expect20 ?? []) {
					if (typeof e === 'string') assert.ok(old.frame().includes(e), `2.0: missing "${e}" in:\n${old.frame()}`);
					else assert.match(old.frame(), e);
				}
			});
		}
	}

	test('explain reads all-zero metrics as such, with the reason, in English or Chinese', async () => {
		const {store} = buildStore({text: fixture('fastdeploy-2.0.txt')});
		open = await renderApp(store, {columns: 100, rows: 40});
		await open.press('2');
		await open.press('\u001b[B');
		await open.press('\u001b[B');
		await open.press('\u001b[B');
		await open.press('e');
		const frame = open.frame();
		assert.match(frame, /Prefill .*all zero since start/);
		assert.match(frame, /It reads all zero now:/);
		assert.match(frame, /All zero in FastDeploy 2\.0 for text models/);
		open.unmount();
		open = await renderApp(store, {columns: 100, rows: 40, lang: 'zh'});
		await open.press('e');
		assert.match(open.frame(), /首token时延/);
		fits(open, 100, 40);
	});
});

describe('honest states', () => {
	test('STALE keeps the last values greyed, with the error on the status line', async () => {
		const built = buildStore();
		built.fail('connection refused');
		built.fail('connection refused');
		open = await renderApp(built.store, {columns: 100, rows: 30});
		const frame = open.frame();
		assert.match(frame, /STALE 2 s/);
		assert.match(frame, /STALE, last values kept: http:\/\/127\.0\.0\.1:8000\/metrics: connection refused/);
		assert.match(frame, /38 %/, 'last KV value still shown');
		assert.match(open.raw(), /\u001b\[2m/, 'greyed (dim)');
		fits(open, 100, 30);
	});

	test('a target that never answered is DOWN with its error, and nothing pretends to be 0', async () => {
		const built = buildStore({scrapes: 0});
		built.fail('connection refused');
		open = await renderApp(built.store, {columns: 80, rows: 24});
		assert.match(open.frame(), /DOWN/);
		assert.match(open.frame(), /no data from http:\/\/127\.0\.0\.1:8000\/metrics yet/);
		assert.doesNotMatch(open.frame(), /KV cache/);
	});

	test('before the first scrape: connecting, and no figures', async () => {
		const built = buildStore({scrapes: 0});
		open = await renderApp(built.store, {columns: 80, rows: 24});
		assert.match(open.frame(), /connecting/);
		assert.match(open.frame(), /waiting for the first scrape/);
	});

	test('a single scrape has no window yet: `--` for rates, lifetime figures labelled', async () => {
		const built = buildStore({scrapes: 1});
		open = await renderApp(built.store, {columns: 80, rows: 24});
		assert.match(open.frame(), /req\/s +--/);
		assert.match(open.frame(), /mean since start/);
		await open.press('2');
		assert.match(open.frame(), /TTFT +-- +-- +-- +-- +-- +│ +124/);
	});

	test('a counter reset is an event in the header, never a negative rate', async () => {
		const built = buildStore({scrapes: 10});
		const base = fixture('fastdeploy-2.3.txt');
		for (let i = 0; i < 5; i++) built.ingest(scaleCumulative(base, 0.1 + 0.05 * i));
		open = await renderApp(built.store, {columns: 120, rows: 30});
		const frame = open.frame();
		assert.match(frame, /↺ restart \d\d:\d\d:\d\d/);
		assert.doesNotMatch(frame, /req\/s +-\d/);
		assert.doesNotMatch(frame, /-\d[\d.]*k?\/s/);
	});

	test('DEMO / REPLAY show in the header with speed and progress', async () => {
		const built = buildStore({mode: {kind: 'replay', demo: 'busy', file: 'busy.jsonl', speed: 2, loop: true, position: 20, total: 300, finished: false}});
		open = await renderApp(built.store, {columns: 120, rows: 30});
		assert.match(open.frame(), /DEMO busy {2}speed 2x {2}scrape {3}20 of 300/);
		open.unmount();
		const replay = buildStore({mode: {kind: 'replay', demo: null, file: 'rec.jsonl', speed: 1, loop: false, position: 300, total: 300, finished: true}});
		open = await renderApp(replay.store, {columns: 120, rows: 30, ascii: true});
		assert.match(open.frame(), /REPLAY {2}speed 1x {2}scrape {2}300 of 300 end/);
		open.unmount();
		const streaming = buildStore({mode: {kind: 'replay', demo: '', file: 'demo.jsonl', speed: 1, loop: true, position: 7, total: null, finished: false}});
		open = await renderApp(streaming.store, {columns: 120, rows: 30});
		assert.match(open.frame(), /DEMO {2}speed 1x {2}scrape {4}7 /, 'no total while the recording is still being read');
	});
});

describe('cut figures', () => {
	test('the Overview KV line at 80 and 70 columns leaves out block counts that do not fit, never cuts one (max 8…)', async () => {
		for (const columns of [80, 70, 120]) {
			const r = await show([], {columns, rows: 24});
			const line = r.frame().split('\n').find(l => l.startsWith('KV cache'));
			assert.ok(line, r.frame());
			assert.doesNotMatch(line, /…/, line);
			assert.match(line, /used 4\.10k .*blocks$/, line);
			r.unmount();
			open = null;
		}
	});
});
