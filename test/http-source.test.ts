/**
 * HttpSource's deadline and cancellation: one timer per scrape, cleared when the scrape ends; the
 * caller's signal cancels a scrape in flight and is left without fdtop's listener afterwards.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
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
