import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {Store} from '../source/store.js';
import type {Scrape, Source} from '../source/sources/types.js';
import {FakeClock} from './helpers/fake-clock.js';
import {counterText, gaugeText, GEN, histogramText, RUNNING, TTFT} from './helpers/exposition.js';

/** A source that answers from a script of texts/errors, one per scrape, on the fake clock. */
class ScriptedSource implements Source {
	calls = 0;
	constructor(
		readonly target: string,
		private readonly clock: FakeClock,
		private readonly answer: (n: number) => {text?: string; error?: string; delayMs?: number},
	) {}

	async scrape(): Promise<Scrape> {
		const n = this.calls++;
		const a = this.answer(n);
		const started = this.clock.now();
		if (a.delayMs) await new Promise<void>(resolve => this.clock.setTimeout(resolve, a.delayMs!));
		return {target: this.target, t: this.clock.now(), durationMs: this.clock.now() - started, bytes: a.text?.length ?? 0, ...(a.error ? {error: `${this.target}: ${a.error}`} : {text: a.text})};
	}

	async close(): Promise<void> {}
}

const scrapeText = (n: number) => [counterText(GEN, 100 * n), gaugeText(RUNNING, n), histogramText(TTFT, [['0.1', 2 * n], ['1.0', 4 * n], ['+Inf', 4 * n]], 0.2 * n)].join('\n');

function setup(answer: (n: number) => {text?: string; error?: string; delayMs?: number}) {
	const clock = new FakeClock();
	const store = new Store({targets: [{name: 'a', location: 'http://a/metrics'}], intervalMs: 1000, windowMs: 10_000, clock});
	const source = new ScriptedSource('http://a/metrics', clock, answer);
	return {clock, store, source};
}

describe('store polling', () => {
	test('polls every interval and derives windowed rates from the deltas', async () => {
		const {clock, store, source} = setup(n => ({text: scrapeText(n)}));
		store.start([source]);
		await clock.advance(0);
		assert.equal(store.getSnapshot().targets[0]!.state, 'up');
		await clock.advance(5000);
		const t = store.getSnapshot().targets[0]!;
		assert.equal(source.calls, 6);
		assert.equal(t.scrapes, 6);
		const gen = t.derived!.metrics.get('generationTokensTotal');
		assert.equal(gen?.kind, 'counter');
		// 100 tokens per 1 s scrape
		assert.equal(gen?.kind === 'counter' && gen.rate, 100);
		const ttft = t.derived!.metrics.get('ttft');
		assert.ok(ttft?.kind === 'histogram' && ttft.window);
		// 4 observations per second, 0.2 s of sum per second → mean 0.05 s
		assert.equal(ttft.window.count, 20);
		assert.ok(Math.abs(ttft.window.mean! - 0.05) < 1e-12);
		await store.stop();
	});

	test('pause stops scraping and resume starts again at once', async () => {
		const {clock, store, source} = setup(n => ({text: scrapeText(n)}));
		store.start([source]);
		await clock.advance(2000);
		store.pause();
		const calls = source.calls;
		await clock.advance(10_000);
		assert.equal(source.calls, calls);
		assert.equal(store.getSnapshot().paused, true);
		store.resume();
		await clock.advance(0);
		assert.equal(source.calls, calls + 1);
		assert.equal(store.getSnapshot().paused, false);
		await store.stop();
	});

	test('a failing target goes stale, keeps its last values, and recovers by itself', async () => {
		const {clock, store, source} = setup(n => (n >= 3 && n < 6 ? {error: 'connection refused'} : {text: scrapeText(n)}));
		store.start([source]);
		await clock.advance(3000);
		let t = store.getSnapshot().targets[0]!;
		assert.equal(t.state, 'stale');
		assert.match(t.error!, /connection refused/);
		assert.equal(t.scrapes, 3);
		const gauge = t.derived!.metrics.get('running');
		assert.ok(gauge?.kind === 'gauge' && gauge.value === 2, 'last good value kept');
		await clock.advance(3000);
		t = store.getSnapshot().targets[0]!;
		assert.equal(t.state, 'up');
		assert.equal(t.error, null);
		assert.equal(t.failures, 3);
	});

	test('a target that never answered is down, not stale', async () => {
		const {clock, store, source} = setup(() => ({error: 'connection refused'}));
		store.start([source]);
		await clock.advance(0);
		assert.equal(store.getSnapshot().targets[0]!.state, 'down');
		assert.equal(store.getSnapshot().targets[0]!.derived, null);
		await store.stop();
	});

	test('text with no samples is an error naming the target', async () => {
		const {clock, store, source} = setup(() => ({text: '<html>nope</html>\n'}));
		store.start([source]);
		await clock.advance(0);
		assert.match(store.getSnapshot().targets[0]!.error!, /http:\/\/a\/metrics: no metric samples/);
		await store.stop();
	});

	test('a counter reset is an event, never a negative rate', async () => {
		// 0,100,200,300 then the server restarts and counts 50,150,…
		const {clock, store, source} = setup(n => ({text: scrapeText(n < 4 ? n : n - 3.5)}));
		store.start([source]);
		await clock.advance(6000);
		const d = store.getSnapshot().targets[0]!.derived!;
		const gen = d.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter');
		assert.ok(gen.rate! > 0);
		// increase over 0..6 s: 300 before the reset, then 50, 150, 250 → 300 + 250 = 550 in 6 s
		assert.ok(Math.abs(gen.rate! - 550 / 6) < 1e-9);
		assert.equal(d.events.length, 1);
		assert.ok(d.events[0]!.keys.includes('generationTokensTotal'));
		assert.ok(d.events[0]!.keys.includes('ttft'));
		for (const v of d.series.get('generationTokensTotal')!.rate!) assert.ok(Number.isNaN(v) || v >= 0);
		await store.stop();
	});

	test('a slow scrape is never stacked with a second one', async () => {
		const {clock, store, source} = setup(n => ({text: scrapeText(n), delayMs: 3500}));
		store.start([source]);
		await clock.advance(1000);
		store.refresh();
		await clock.advance(1000);
		assert.equal(source.calls, 1, 'one scrape in flight, refresh did not add one');
		await clock.advance(2000);
		assert.equal(store.getSnapshot().targets[0]!.scrapes, 1);
		await store.stop();
	});

	test('the window can be changed and every figure is re-derived', async () => {
		const {clock, store, source} = setup(n => ({text: scrapeText(n)}));
		store.start([source]);
		await clock.advance(20_000);
		assert.equal(store.getSnapshot().targets[0]!.derived!.coveredMs, 10_000);
		store.stepWindow(1);
		assert.equal(store.getSnapshot().windowMs, 30_000);
		assert.equal(store.getSnapshot().targets[0]!.derived!.coveredMs, 20_000);
		store.stepInterval(1);
		assert.equal(store.getSnapshot().intervalMs, 2000);
		await store.stop();
	});

	test('subscribers are told of every change and the snapshot is stable between changes', async () => {
		const {clock, store, source} = setup(n => ({text: scrapeText(n)}));
		let calls = 0;
		const unsubscribe = store.subscribe(() => calls++);
		const first = store.getSnapshot();
		assert.equal(store.getSnapshot(), first);
		store.start([source]);
		await clock.advance(1000);
		assert.ok(calls >= 2);
		assert.notEqual(store.getSnapshot(), first);
		unsubscribe();
		await store.stop();
	});
});

describe('store batch ingest', () => {
	test('ingestMany keeps every scrape and derives once, like one ingest at a time', () => {
		const scrapes = Array.from({length: 30}, (_, n) => ({target: 'a', t: n * 1000, text: scrapeText(n), durationMs: 1, bytes: 1}));
		const one = new Store({targets: [{name: 'a', location: 'a'}], intervalMs: 1000, windowMs: 10_000});
		for (const s of scrapes) one.ingest(0, s);
		const many = new Store({targets: [{name: 'a', location: 'a'}], intervalMs: 1000, windowMs: 10_000});
		let notified = 0;
		many.subscribe(() => notified++);
		many.ingestMany(0, scrapes);
		assert.equal(notified, 1);
		const a = one.getSnapshot().targets[0]!;
		const b = many.getSnapshot().targets[0]!;
		assert.equal(b.scrapes, 30);
		assert.deepEqual(b.derived!.metrics, a.derived!.metrics);
	});

	test('publish: false holds the figures back until publish(), which gives the same state as ingestMany', () => {
		const scrapes = Array.from({length: 25}, (_, n) => ({target: 'a', t: n * 1000, ...(n === 7 || n === 24 ? {error: 'a: refused'} : {text: scrapeText(n)}), durationMs: n, bytes: n}));
		const targets = [{name: 'a', location: 'a'}, {name: 'b', location: 'b'}];
		const many = new Store({targets, intervalMs: 1000, windowMs: 10_000});
		many.ingestMany(0, scrapes.slice(0, 10));
		many.ingestMany(0, scrapes.slice(10));
		many.ingestMany(1, scrapes.slice(0, 3));
		const held = new Store({targets, intervalMs: 1000, windowMs: 10_000});
		let notified = 0;
		held.subscribe(() => notified++);
		const before = held.getSnapshot();
		for (const s of scrapes.slice(0, 10)) held.ingestMany(0, [s], {publish: false});
		for (const s of scrapes.slice(0, 3)) held.ingestMany(1, [s], {publish: false});
		assert.equal(held.getSnapshot(), before, 'nothing published yet');
		assert.equal(notified, 0);
		held.publish();
		assert.equal(notified, 1);
		const middle = held.getSnapshot().targets[0]!;
		assert.equal(middle.scrapes, 9);
		assert.equal(middle.failures, 1);
		assert.equal(middle.derived!.scrapes, 9);
		// A held batch and then a plain ingest of the same target: the held scrapes count too.
		for (const s of scrapes.slice(10, 20)) held.ingestMany(0, [s], {publish: false});
		held.ingestMany(0, scrapes.slice(20));
		assert.equal(notified, 2);
		held.publish();
		assert.equal(notified, 2, 'nothing left to publish');
		const a = many.getSnapshot().targets;
		const b = held.getSnapshot().targets;
		for (const i of [0, 1]) {
			const {derived: da, ...ra} = a[i]!;
			const {derived: db, ...rb} = b[i]!;
			assert.deepEqual(rb, ra);
			assert.deepEqual(db!.metrics, da!.metrics);
			assert.deepEqual([db!.times, db!.events, db!.coveredMs], [da!.times, da!.events, da!.coveredMs]);
			for (const key of da!.metrics.keys()) assert.deepEqual(db!.series.get(key), da!.series.get(key), key);
		}
		assert.equal(b[0]!.state, 'stale');
		assert.equal(b[0]!.failures, 2);
	});

	test('a scrape that repeats the last sample time adds nothing to the history', () => {
		const store = new Store({targets: [{name: 'a', location: 'a'}], intervalMs: 1000, windowMs: 10_000});
		store.ingest(0, {target: 'a', t: 1000, text: scrapeText(1), durationMs: 1, bytes: 1});
		store.ingest(0, {target: 'a', t: 2000, text: scrapeText(2), durationMs: 1, bytes: 1});
		store.ingest(0, {target: 'a', t: 2000, text: scrapeText(2), durationMs: 1, bytes: 1});
		const t = store.getSnapshot().targets[0]!;
		assert.equal(t.scrapes, 2);
		assert.equal(t.state, 'up');
		assert.equal(t.derived!.scrapes, 2);
	});
});

describe('counter corrections, as sum(increase()) would make them', () => {
	const pidText = (series: [string, number][]) => `# TYPE fastdeploy:spec_decode_num_draft_tokens_total counter\n${series.map(([pid, v]) => `fastdeploy:spec_decode_num_draft_tokens_total{pid="${pid}"} ${v}`).join('\n')}\n`;
	const rateAfter = (texts: string[]) => {
		const store = new Store({targets: [{name: 'a', location: 'a'}], intervalMs: 1000, windowMs: 60_000});
		store.ingestMany(0, texts.map((text, n) => ({target: 'a', t: n * 1000, text, durationMs: 1, bytes: 1})));
		const d = store.getSnapshot().targets[0]!.derived!;
		const m = d.metrics.get('specDraftTokensTotal');
		assert.ok(m?.kind === 'counter');
		return {rate: m.rate!, events: d.events.length};
	};

	test('a series that vanishes while another appears is churn, not a restart or a spike', () => {
		// pid 1 counts 10/s and then goes away; pid 2 appears at 500 and counts 10/s: +0 at the swap.
		const r = rateAfter([pidText([['1', 1000]]), pidText([['1', 1010]]), pidText([['2', 500]]), pidText([['2', 510]])]);
		assert.equal(r.rate, 20 / 3);
		assert.equal(r.events, 0);
	});

	test('one series restarting while another keeps counting adds back only its own value', () => {
		// pid 1: 100 → 110 → 5 (restart, +5) ; pid 2: 50 → 60 → 70: increase 10 + 5 + 10 + 10 = 35 over 2 s
		const r = rateAfter([pidText([['1', 100], ['2', 50]]), pidText([['1', 110], ['2', 60]]), pidText([['1', 5], ['2', 70]])]);
		assert.equal(r.rate, 35 / 2);
		assert.equal(r.events, 1);
	});

	test('a counter absent for a few scrapes that comes back lower is a restart, not a negative rate', () => {
		const plain = (v: number | null) => (v === null ? gaugeText(RUNNING, 1) : `${counterText(GEN, v)}\n${gaugeText(RUNNING, 1)}`);
		const store = new Store({targets: [{name: 'a', location: 'a'}], intervalMs: 1000, windowMs: 60_000});
		store.ingestMany(0, [plain(900), plain(1000), plain(null), plain(null), plain(30)].map((text, n) => ({target: 'a', t: n * 1000, text, durationMs: 1, bytes: 1})));
		const gen = store.getSnapshot().targets[0]!.derived!.metrics.get('generationTokensTotal');
		assert.ok(gen?.kind === 'counter');
		// 900 → 1000 (+100), restart, then 30: 130 over 4 s
		assert.equal(gen.rate, 130 / 4);
	});
});
