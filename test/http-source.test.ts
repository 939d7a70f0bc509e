/**
 * HttpSource's deadline and cancellation: one timer per scrape, cleared when the scrape ends; the
 * caller's signal cancels a scrape in flight and is left without fdtop's listener afterwards; and
 * none of undici's own timers, whose wheel ticks every half second while one is armed.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {createRequire} from 'node:module';
import {createServer, type Server, type Socket} from 'node:net';
import {startSimulator, type SimulatorHandle} from '../demo/sim/server.js';
import {HttpSource} from '../source/sources/http.js';

describe('HttpSource deadline and cancellation', () => {
	let sim: SimulatorHandle;
	// Accepts connections and never answers.
	let silent: Server;
	const sockets = new Set<Socket>();
	let silentUrl = '';

	before(async () => {
		sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 4});
		silent = createServer(socket => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const address = silent.address();
		if (address === null || typeof address === 'string') throw new Error('no port');
		silentUrl = `http://127.0.0.1:${address.port}/metrics`;
	});

	after(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise(resolve => silent.close(resolve));
		await sim.close();
	});

	test('the caller aborting cancels a scrape in flight, long before its deadline', async () => {
		const source = new HttpSource(silentUrl, {timeoutMs: 60_000, maxBytes: 1 << 20});
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);
		const scrape = await source.scrape(controller.signal);
		assert.match(scrape.error ?? '', /cancelled/);
		assert.equal(scrape.text, undefined);
	});

	test('a signal aborted before the scrape cancels it at once', async () => {
		const source = new HttpSource(silentUrl, {timeoutMs: 60_000, maxBytes: 1 << 20});
		const scrape = await source.scrape(AbortSignal.abort());
		assert.match(scrape.error ?? '', /cancelled/);
	});

	test('a server that never answers times out with the deadline in the message', async () => {
		const source = new HttpSource(silentUrl, {timeoutMs: 300, maxBytes: 1 << 20});
		const scrape = await source.scrape();
		assert.match(scrape.error ?? '', /timed out after 0\.3 s/);
	});

	test("a scrape on a kept-alive connection arms none of undici's timers", async () => {
		// undici's timer module (its connect, header and body timeouts): every timer it arms goes through these.
		const timers = createRequire(import.meta.url)('undici/lib/util/timers.js') as Record<'setTimeout' | 'setFastTimeout', (...args: unknown[]) => unknown>;
		const armed: string[] = [];
		const originals = {setTimeout: timers.setTimeout, setFastTimeout: timers.setFastTimeout};
		for (const name of ['setTimeout', 'setFastTimeout'] as const) {
			timers[name] = (...args: unknown[]) => {
				armed.push(`${name}(${String(args[1])})`);
				return originals[name](...args);
			};
		}
		let connecting: string[];
		try {
			const source = new HttpSource(sim.url, {timeoutMs: 5000, maxBytes: 4 << 20});
			for (let i = 0; i < 2; i++) assert.equal((await source.scrape()).error, undefined);
			// The first scrape connects (undici's connect timeout, armed per connection).
			connecting = armed.splice(0);
			for (let i = 0; i < 5; i++) assert.equal((await source.scrape()).error, undefined);
			await source.close();
		} finally {
			Object.assign(timers, originals);
		}
		assert.ok(connecting.length > 0, 'the hook sees undici arm its connect timer');
		assert.deepEqual(armed, []);
	});

	test("many scrapes leave no listener on the caller's signal", async () => {
		const source = new HttpSource(sim.url, {timeoutMs: 5000, maxBytes: 4 << 20});
		const controller = new AbortController();
		for (let i = 0; i < 20; i++) {
			const scrape = await source.scrape(controller.signal);
			assert.equal(scrape.error, undefined);
			assert.ok((scrape.text ?? '').includes('fastdeploy:'), 'a metrics text');
		}
		assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
	});
});
