import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {deriveEvents, markerTrack, type TimelineEvent} from '../../source/metrics/events.js';
import {parseObjective} from '../../source/metrics/slo.js';
import {Store} from '../../source/store.js';
import type {Scrape} from '../../source/sources/types.js';
import {counterText, gaugeText, GEN, histogramText, RUNNING, TTFT} from '../helpers/exposition.js';

const WAITING = 'fastdeploy:num_requests_waiting';

/** A FastDeploy-shaped scrape: `gen` generated tokens so far, the engine's settings, a TTFT histogram. */
function text(o: {gen: number; running?: number; waiting?: number; maxBatch?: number; blocks?: number; dtype?: string; fast?: number; slow?: number}): string {
	const fast = o.fast ?? 0;
	const slow = o.slow ?? 0;
	return [
		counterText(GEN, o.gen),
		gaugeText(RUNNING, o.running ?? 4),
		gaugeText(WAITING, o.waiting ?? 0),
		gaugeText('fastdeploy:max_batch_size', o.maxBatch ?? 64),
		gaugeText('fastdeploy:max_gpu_block_num', o.blocks ?? 2000),
		`# TYPE fastdeploy:cache_config_info gauge\nfastdeploy:cache_config_info{block_size="64",cache_dtype="${o.dtype ?? 'bfloat16'}",total_block_num="${o.blocks ?? 2000}"} 1`,
		histogramText(TTFT, [['0.5', fast], ['1', fast], ['+Inf', fast + slow]], fast * 0.2 + slow * 3),
	].join('\n');
}

const ok = (t: number, body: string): Scrape => ({target: 'x', t, text: body, durationMs: 1, bytes: 1});
const failed = (t: number): Scrape => ({target: 'x', t, error: 'x: connection refused', durationMs: 1, bytes: 0});

function storeOf(objectives: string[] = []) {
	return new Store({
		targets: [{name: 'x', location: 'x'}],
		intervalMs: 1000,
		windowMs: 10_000,
		objectives: objectives.map(o => parseObjective(o).objective!),
	});
}

/** The events after feeding these scrapes one by one, as a live poll does. */
function live(scrapes: Scrape[], objectives: string[] = []): readonly TimelineEvent[] {
	const store = storeOf(objectives);
	for (const s of scrapes) store.ingest(0, s);
	return store.getSnapshot().targets[0]!.events ?? [];
}

const brief = (events: readonly TimelineEvent[]) => events.map(e => `${e.t / 1000} ${e.kind}${e.phase ? `:${e.phase}` : ''}`);

/** Steady scrapes at 1 s from `from` s, generated tokens going up by 100 a second. */
function steady(from: number, to: number, extra: Partial<Parameters<typeof text>[0]> = {}, base = 0): Scrape[] {
	const out: Scrape[] = [];
	for (let s = from; s <= to; s++) out.push(ok(s * 1000, text({gen: base + 100 * (s - from + 1), ...extra})));
	return out;
}

describe('events derived from the scrapes', () => {
	test('a counter going down is one restart, at the scrape that saw it', () => {
		const events = live([...steady(0, 4), ...steady(5, 9, {}, 0)]);
		assert.deepEqual(brief(events), ['5 restart']);
		assert.match(events[0]!.detail, /counters reset \(1 metric\)/);
	});

	test('the same scrape handed in again (a slower Prometheus) makes no second event', () => {
		const scrapes = [...steady(0, 4), ...steady(5, 9, {}, 0)];
		const repeated = scrapes.flatMap(s => [s, s, s]);
		assert.deepEqual(brief(live(repeated)), ['5 restart']);
	});

	test('a target going down is one event however many scrapes fail, and coming back is another', () => {
		const scrapes = [...steady(0, 3), failed(4000), failed(5000), failed(6000), ...steady(7, 9, {}, 1000)];
		const events = live(scrapes);
		assert.deepEqual(brief(events), ['4 down:start', '7 up:end']);
		assert.match(events[0]!.detail, /connection refused/);
		assert.equal(events[1]!.detail, 'after 3 s down');
	});

	test('a target that never answered is down from the start', () => {
		assert.deepEqual(brief(live([failed(0), failed(1000), ...steady(2, 3)])), ['0 down:start', '2 up:end']);
	});

	test('a change of max batch size, block count or cache_config_info labels is a config event naming the change', () => {
		const events = live([...steady(0, 3), ...steady(4, 6, {maxBatch: 128}, 400), ...steady(7, 9, {maxBatch: 128, dtype: 'float16'}, 700)]);
		assert.deepEqual(brief(events), ['4 config', '7 config']);
		assert.equal(events[0]!.detail, 'max_batch_size 64 → 128');
		assert.equal(events[1]!.detail, 'cache_dtype bfloat16 → float16');
		const blocks = live([...steady(0, 2), ...steady(3, 4, {blocks: 2500}, 300)]);
		assert.deepEqual(brief(blocks), ['3 config']);
		assert.equal(blocks[0]!.detail, 'max_gpu_block_num 2000 → 2500, total_block_num 2000 → 2500');
	});

	test('a diagnosis appears once while it holds and clears once', () => {
		// Waiting with nothing running and no tokens generated: admission stalled (diagnose.ts).
		const stalled = (s: number) => ok(s * 1000, text({gen: 500, running: 0, waiting: 6}));
		// The generation rate is over the 10 s window: it reads 0 once the window holds no token.
		const scrapes = [...steady(0, 4), ...[5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17].map(stalled), ...steady(18, 22, {}, 500)];
		const events = live(scrapes).filter(e => e.kind === 'diagnosis');
		assert.deepEqual(brief(events), ['13 diagnosis:start', '18 diagnosis:end']);
		assert.equal(events[0]!.subject, 'admission-stalled');
		assert.equal(events[0]!.level, 'crit');
		assert.match(events[1]!.detail, /Admission stalled/);
	});

	test('an objective turning breached and met again are SLO events; no data turning met is none', () => {
		const at = (s: number, fast: number, slow: number) => ok(s * 1000, text({gen: 100 * s, fast, slow}));
		const scrapes: Scrape[] = [];
		let fast = 0;
		let slow = 0;
		for (let s = 0; s <= 30; s++) {
			// 10 requests a second; from 10 s to 19 s half of them take 3 s.
			if (s > 0) {
				const bad = s >= 10 && s < 20 ? 5 : 0;
				fast += 10 - bad;
				slow += bad;
			}
			scrapes.push(at(s, fast, slow));
		}
		const events = live(scrapes, ['ttft<=1s:99%']).filter(e => e.kind === 'slo');
		assert.deepEqual(events.map(e => e.title), ['SLO breached', 'SLO met']);
		assert.ok(events[0]!.t >= 10_000 && events[0]!.t <= 12_000, `breached when the slow requests come: ${events[0]!.t}`);
		assert.ok(events[1]!.t > 20_000, `met again once they left the 10 s window: ${events[1]!.t}`);
		assert.match(events[0]!.detail, /TTFT ≤ 1 s for 99 %: met → breached/);
	});

	test('a replay (scrapes taken in without deriving each) gives the same events as live', () => {
		const stalled = (s: number) => ok(s * 1000, text({gen: 1000, running: 0, waiting: 3, maxBatch: 96}));
		const scrapes = [
			...steady(0, 5),
			failed(6000),
			...steady(7, 12, {maxBatch: 96}, 0),
			...[13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24].map(stalled),
			...steady(25, 30, {maxBatch: 96}, 1000),
		];
		const expected = live(scrapes);
		assert.deepEqual(brief(expected), ['6 down:start', '7 up:end', '7 restart', '7 config', '22 diagnosis:start', '25 diagnosis:end']);
		const replayed = storeOf();
		for (const s of scrapes) replayed.ingestMany(0, [s], {publish: false});
		replayed.publish();
		assert.deepEqual(replayed.getSnapshot().targets[0]!.events, expected);
		const backfilled = storeOf();
		backfilled.ingestMany(0, scrapes);
		assert.deepEqual(backfilled.getSnapshot().targets[0]!.events, expected);
	});

	test('a replay that loops starts comparing afresh: the loop is not a restart', () => {
		const store = storeOf();
		for (const s of steady(0, 5)) store.ingest(0, s);
		store.resetHistory();
		for (const s of steady(6, 10, {maxBatch: 64}, 0)) store.ingest(0, s);
		assert.deepEqual(store.getSnapshot().targets[0]!.events, []);
	});

	test('deriveEvents folds observations: alert transitions have their place', () => {
		const base = {ok: true as const, resets: [], startTime: null, config: null, diagnoses: [], slo: null};
		const rule = {id: 'high-ttft', level: 'crit' as const, text: 'TTFT p99 above 2 s for 1 m'};
		const events = deriveEvents([
			{...base, t: 1, alerts: []},
			{...base, t: 2, alerts: [rule]},
			{...base, t: 3, alerts: [rule]},
			{...base, t: 4, alerts: []},
			{...base, t: 5, startTime: 100},
			{...base, t: 6, startTime: 200},
		]);
		assert.deepEqual(
			events.map(e => [e.t, e.kind, e.title, e.phase ?? '']),
			[
				[2, 'alert', 'alert firing', 'start'],
				[4, 'alert', 'alert resolved', 'end'],
				[6, 'restart', 'restart', ''],
			],
		);
		assert.equal(events[2]!.detail, 'process start time changed');
	});

	test('markers: each event in the column of the first scrape at or after it, the strongest kind winning', () => {
		const e = (t: number, kind: TimelineEvent['kind']): TimelineEvent => ({t, kind, level: 'info', title: '', detail: ''});
		assert.deepEqual(markerTrack([10, 20, 30, 40], [e(5, 'restart'), e(15, 'down'), e(20, 'config'), e(35, 'slo'), e(40, 'restart'), e(45, 'config')]), ['', 'config', '', 'restart']);
	});
});

describe('a restart seen late', () => {
	test('a labelled series that comes back lower after the restart is that restart, not another', () => {
		const http = (n: number | null) => (n === null ? '' : `\n# TYPE http_requests_total counter\nhttp_requests_total{path="/v1/models"} ${n}`);
		const scrapes = [
			...steady(0, 3).map((s, i) => ({...s, text: s.text + http(50 + i)})),
			// Restarted: tokens count from 0 and no /v1/models call has been served yet.
			...steady(4, 6).map(s => ({...s})),
			...steady(7, 9, {}, 300).map((s, i) => ({...s, text: s.text + http(1 + i)})),
		];
		assert.deepEqual(brief(live(scrapes)), ['4 restart']);
	});
});

describe('diagnoses across a restart', () => {
	test('the engine gauges reading 0 at the restart scrape (rates still straddle it) make no diagnosis events', () => {
		const scrapes = [...steady(0, 5), ok(6000, text({gen: 50, running: 0, waiting: 0})), ...steady(7, 10, {}, 100)];
		const events = live(scrapes);
		assert.deepEqual(brief(events), ['6 restart']);
	});
});
