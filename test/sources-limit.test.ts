import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Limiter, limitSources} from '../source/sources/limit.js';
import type {Scrape, Source} from '../source/sources/types.js';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>(r => (resolve = r));
	return {promise, resolve};
}

test('a limiter runs at most `limit` tasks at once, first come first served', async () => {
	const limiter = new Limiter(2);
	const gates = Array.from({length: 5}, deferred);
	const started: number[] = [];
	const done = gates.map((g, i) => limiter.run(async () => (started.push(i), g.promise)));
	await Promise.resolve();
	assert.deepEqual(started, [0, 1]);
	assert.equal(limiter.waiting, 3);
	gates[1]!.resolve();
	await new Promise(r => setImmediate(r));
	assert.deepEqual(started, [0, 1, 2], 'a slot freed by the second goes to the third, while the first still holds its own');
	for (const g of gates) g.resolve();
	await Promise.all(done);
	assert.deepEqual(started, [0, 1, 2, 3, 4]);
	assert.equal(limiter.active, 0);
});

test('a task that throws gives its slot back', async () => {
	const limiter = new Limiter(1);
	await assert.rejects(limiter.run(async () => Promise.reject(new Error('boom'))));
	assert.equal(await limiter.run(async () => 7), 7);
	assert.equal(limiter.active, 0);
});

test('a queue of 100,000 waiters drains completely, in order (its used front dropped as it goes)', async () => {
	const limiter = new Limiter(1);
	let chain = Promise.resolve();
	// Keep one waiter queued behind the running task for 100,000 tasks.
	for (let i = 0; i < 100_000; i++) chain = limiter.run(async () => undefined);
	await chain;
	assert.equal(limiter.waiting, 0);
	assert.equal(limiter.active, 0);
});

test('limitSources shares one bound across sources and leaves a small fleet as it is', async () => {
	let inFlight = 0;
	let peak = 0;
	const source = (target: string): Source => ({
		target,
		async scrape(): Promise<Scrape> {
			peak = Math.max(peak, ++inFlight);
			await new Promise(r => setImmediate(r));
			inFlight--;
			return {target, t: 0, text: 'x 1\n', durationMs: 0, bytes: 4};
		},
		close: async () => undefined,
	});
	const many = limitSources(Array.from({length: 50}, (_, i) => source(`s${i}`)), 4);
	await Promise.all(many.map(s => s.scrape()));
	assert.equal(peak, 4);
	const few = [source('a'), source('b')];
	assert.deepEqual(limitSources(few, 4), few);
	assert.throws(() => new Limiter(0), RangeError);
});
