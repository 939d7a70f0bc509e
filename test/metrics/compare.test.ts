/**
 * compareRuns() as a pure function over histories (the CLI, the Compare view and the HTML report
 * all render its Comparison): a run against itself changes nothing; a side without a metric is
 * null there; a stretch is cut into the windows asked for; the bucket bars are shares that add up.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {compareRuns, type CompareInput} from '../../source/metrics/compare.js';
import {readAllRecords} from '../../source/sources/recording.js';
import {Store} from '../../source/store.js';

async function run(name: string, label = name): Promise<CompareInput> {
	const {header, records} = await readAllRecords(`demo/recordings/${name}.jsonl.gz`);
	const store = new Store({targets: [{name, location: header.targets[0]!.target}], intervalMs: 500, windowMs: 600_000});
	store.ingestMany(0, records.filter(r => r.i === 0).map(r => ({target: r.target, t: r.t, text: r.text, error: r.error, durationMs: r.durationMs, bytes: r.bytes})));
	return {label, history: store.historyOf(0)!, era: store.getSnapshot().targets[0]!.era};
}

describe('compareRuns', () => {
	test('a run against itself: every change is 0 and nothing differs', async () => {
		const a = await run('steady-2.3');
		const c = compareRuns(a, {...a, label: 'again'}, {windows: 4});
		assert.equal(c.a.windows, 4);
		assert.equal(c.a.scrapes, c.b.scrapes);
		assert.ok(c.figures.length >= 25, `${c.figures.length} figures`);
		for (const f of c.figures) {
			assert.equal(f.significant, false, f.id);
			if (f.change !== null) assert.equal(f.change, 0, f.id);
		}
		const ttft = c.figures.find(f => f.id === 'ttft.mean')!;
		assert.ok(ttft.test.test === 'chi-square' && Math.abs(ttft.test.statistic) < 1e-9 && ttft.test.pValue === 1);
		assert.equal(c.eraNote, null);
	});

	test('2.0 against 2.3: arrivals only on the 2.3 side (null on the other), versions named', async () => {
		const c = compareRuns(await run('steady-2.0'), await run('steady-2.3'));
		const arrivals = c.figures.find(f => f.id === 'rate.requestsReceived')!;
		assert.equal(arrivals.a, null);
		assert.ok(arrivals.b! > 0);
		assert.deepEqual(arrivals.test, {test: 'none', reason: 'one side only'});
		assert.equal(arrivals.change, null);
		assert.match(c.eraNote!, /A 2\.0, B 2\.3/);
	});

	test('a stretch by time: fromT/toT select the scrapes; the bars are shares of each side', async () => {
		const whole = await run('overload-2.3');
		const t0 = whole.history.at(0)!.snapshot.t;
		const c = compareRuns({...whole, toT: t0 + 60_000}, {...whole, fromT: t0 + 120_000}, {windows: 3, alpha: 0.05});
		assert.equal(c.alpha, 0.05);
		assert.equal(c.a.fromT, t0);
		assert.ok(c.a.toT! <= t0 + 60_000 && c.b.fromT! >= t0 + 120_000);
		for (const d of c.distributions) {
			for (const side of ['shareA', 'shareB'] as const) {
				const total = d.bins.reduce((s, b) => s + b[side], 0);
				assert.ok(Math.abs(total - 1) < 1e-9, `${d.key} ${side} adds up to ${total}`);
			}
		}
		// The overload builds up: the queue in its last minutes is far longer than in its first.
		const queue = c.figures.find(f => f.id === 'queueTime.mean')!;
		assert.ok(queue.b! > queue.a!);
	});
});
