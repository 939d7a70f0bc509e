import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {deriveEvents, INITIAL_EVENT_STATE, markerTrack, stepEvents, type TimelineEvent} from '../../source/metrics/events.js';
import {parseObjective} from '../../source/metrics/slo.js';
import {Store} from '../../source/store.js';
import type {Scrape} from '../../source/sources/types.js';
import {counterText, gaugeText, GEN, histogramText, RUNNING, TTFT} from '../helpers/exposition.js';

const WAITING = 'fastdeploy:num_requests_waiting';
const KV = 'fastdeploy:gpu_cache_usage_perc';

/** A FastDeploy-shaped scrape: `gen` generated tokens so far, the engine's settings, a TTFT histogram. */
function text(o: {gen: number; running?: number; waiting?: number; kv?: number; maxBatch?: number; blocks?: number; dtype?: string; fast?: number; slow?: number}): string {
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
		...(o.kv === undefined ? [] : [gaugeText(KV, o.kv)]),
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

/** from, from + 1, …, to. */
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i);

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
		// The generation rate is over the 10 s window: it reads 0 once the window holds no token, from
		// 13 s to 40 s. Confirmed 10 s after it began; cleared 30 s after it last held (DIAGNOSIS_HOLD).
		const scrapes = [...steady(0, 4), ...range(5, 40).map(stalled), ...steady(41, 75, {}, 500)];
		const events = live(scrapes).filter(e => e.kind === 'diagnosis');
		assert.deepEqual(brief(events), ['23 diagnosis:start', '70 diagnosis:end']);
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
			...range(13, 45).map(stalled),
			...steady(46, 80, {maxBatch: 96}, 1000),
		];
		const expected = live(scrapes);
		// Stalled by the window's rate from 22 s to 45 s.
		assert.deepEqual(brief(expected), ['6 down:start', '7 up:end', '7 restart', '7 config', '32 diagnosis:start', '75 diagnosis:end']);
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

describe('diagnoses with hysteresis: confirmed before they start, held before they clear', () => {
	// KV cache saturated (diagnose.ts: usage ≥ 95 % with requests waiting) reads gauges only, so each
	// scrape decides it on its own: the input below sets it scrape by scrape.
	const kvScrapes = (to: number, kv: (s: number) => number): Scrape[] => {
		const out: Scrape[] = [];
		for (let s = 0; s <= to; s++) out.push(ok(s * 1000, text({gen: 100 * (s + 1), waiting: 5, kv: kv(s)})));
		return out;
	};
	const diagnoses = (events: readonly TimelineEvent[]) => brief(events.filter(e => e.kind === 'diagnosis'));
	const flapping = kvScrapes(120, s => (s < 60 ? (s % 2 === 0 ? 0.96 : 0.94) : 0.5));

	test('a condition crossing its threshold every other scrape is one diagnosis, not one per crossing', () => {
		// 0–59 s: 96 % and 94 % in turn; then 50 % for a minute.
		const events = live(flapping).filter(e => e.kind === 'diagnosis');
		assert.deepEqual(diagnoses(events), ['10 diagnosis:start', '88 diagnosis:end']);
		assert.equal(events[0]!.subject, 'kv-saturated');
		assert.match(events[0]!.detail, /KV cache saturated \(96 %\)/);
	});

	test('a real start and stop: one start when confirmed (10 s after the condition began), one end 30 s after it last held', () => {
		// Saturated from 20 s to 79 s.
		const events = live(kvScrapes(130, s => (s >= 20 && s < 80 ? 0.97 : 0.5)));
		assert.deepEqual(diagnoses(events), ['30 diagnosis:start', '109 diagnosis:end']);
	});

	test('a blip shorter than the confirmation makes no event; a lull shorter than the hold does not split one', () => {
		assert.deepEqual(diagnoses(live(kvScrapes(60, s => (s >= 10 && s < 15 ? 0.97 : 0.5)))), []);
		// Saturated 10–49 s and 70–99 s: the 20 s between is one diagnosis still.
		const lull = live(kvScrapes(160, s => ((s >= 10 && s < 50) || (s >= 70 && s < 100) ? 0.97 : 0.5)));
		assert.deepEqual(diagnoses(lull), ['20 diagnosis:start', '129 diagnosis:end']);
	});

	test('flapping scrapes live, replayed and backfilled give the same events', () => {
		const expected = live(flapping);
		const replayed = storeOf();
		for (const s of flapping) replayed.ingestMany(0, [s], {publish: false});
		replayed.publish();
		assert.deepEqual(replayed.getSnapshot().targets[0]!.events, expected);
		const backfilled = storeOf();
		backfilled.ingestMany(0, flapping);
		assert.deepEqual(backfilled.getSnapshot().targets[0]!.events, expected);
	});

	test('at a 15 s interval the hold counts scrapes too: one failed evaluation in two neither clears nor restarts it', () => {
		const base = {ok: true as const, resets: [], startTime: null, config: null, slo: null};
		const cond = {id: 'kv-saturated', level: 'crit' as const, text: 'KV cache saturated'};
		const observations = [];
		// On at every other scrape for 5 min, then off.
		for (let n = 0; n <= 40; n++) observations.push({...base, t: n * 15_000, diagnoses: n <= 20 && n % 2 === 0 ? [cond] : []});
		const events = deriveEvents(observations);
		assert.deepEqual(events.map(e => `${e.t / 1000} ${e.phase}`), ['30 start', '345 end']);
		// A fold is a fold: the same observations in two runs (the state carried) give the same events.
		let state = INITIAL_EVENT_STATE;
		const halves: TimelineEvent[] = [];
		for (const o of observations) {
			const step = stepEvents(state, o);
			state = step.state;
			halves.push(...step.events);
		}
		assert.deepEqual(halves, events);
	});
});
