import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {HUGE_BYTES, LOGIN_PAGE} from '../../demo/sim/faults.js';
import {startSimulator, type SimulatorHandle} from '../../demo/sim/server.js';
import {rawGet, sleep, value} from './wire.js';

const MiB = 1024 * 1024;

/** speed 0: simulated time moves only through advance(), so bodies are deterministic. */
async function start(era: '2.0' | '2.3' = '2.3', extra: Partial<Parameters<typeof startSimulator>[0]> = {}): Promise<SimulatorHandle> {
	return startSimulator({scenario: 'steady', era, speed: 0, seed: 4, startTime: 1_764_547_200_000, ...extra});
}

async function control(sim: SimulatorHandle, body: unknown): Promise<{status: number; json: Record<string, unknown>}> {
	const res = await fetch(sim.url.replace('/metrics', '/control'), {method: 'POST', body: JSON.stringify(body)});
	return {status: res.status, json: (await res.json()) as Record<string, unknown>};
}

async function refused(url: string): Promise<boolean> {
	try {
		await rawGet(url, {timeoutMs: 1000});
		return false;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
	}
}

describe('simulator HTTP server', () => {
	let sim: SimulatorHandle;
	before(async () => {
		sim = await start('2.3');
	});
	after(() => sim.close());

	test('serves /metrics with the simulation text and the era content type', async () => {
		assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
		sim.advance(120);
		const res = await fetch(sim.url);
		assert.equal(res.status, 200);
		assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
		const text = await res.text();
		assert.equal(text, sim.simulation.text());
		assert.ok(value(text, 'fastdeploy:request_success_total') > 100);
	});

	test('advance() moves simulated time by hand', async () => {
		const first = value(await (await fetch(sim.url)).text(), 'fastdeploy:request_success_total');
		sim.advance(60);
		const second = value(await (await fetch(sim.url)).text(), 'fastdeploy:request_success_total');
		assert.ok(second > first);
	});

	test('/health is 200, unknown paths 404', async () => {
		assert.equal((await fetch(sim.url.replace('/metrics', '/health'))).status, 200);
		const res = await fetch(sim.url.replace('/metrics', '/nope'));
		assert.equal(res.status, 404);
		assert.deepEqual(await res.json(), {detail: 'Not Found'});
	});

	test('POST /control validates and switches fault and scenario', async () => {
		const bad = await control(sim, {fault: 'melt'});
		assert.equal(bad.status, 400);
		assert.match(String(bad.json.error), /fault must be null or one of: refuse, 503, slow-body/);
		assert.equal((await control(sim, {scenario: 'nope'})).status, 400);
		const ok = await control(sim, {scenario: 'overload', fault: '503'});
		assert.equal(ok.status, 200);
		assert.equal(ok.json.scenario, 'overload');
		assert.equal(ok.json.fault, '503');
		await sleep(20);
		assert.equal((await fetch(sim.url)).status, 503);
		await control(sim, {fault: null, scenario: 'steady'});
		await sleep(20);
		assert.equal((await fetch(sim.url)).status, 200);
	});

	test('a fault with "seconds" clears itself', async () => {
		await control(sim, {fault: '503', seconds: 0.3});
		await sleep(20);
		assert.equal((await fetch(sim.url)).status, 503);
		await sleep(400);
		assert.equal((await fetch(sim.url)).status, 200);
	});

	test('refuse closes the listening socket; clearing it listens again on the same port', async () => {
		await sim.setFault('refuse');
		assert.ok(await refused(sim.url));
		await sim.setFault(null);
		assert.equal((await rawGet(sim.url)).status, 200);
		// Over HTTP too, recovering by itself after `seconds`.
		await control(sim, {fault: 'refuse', seconds: 0.3});
		await sleep(50);
		assert.ok(await refused(sim.url));
		await sleep(400);
		assert.equal((await rawGet(sim.url)).status, 200);
	});

	test('503', async () => {
		await sim.setFault('503');
		const res = await rawGet(sim.url);
		assert.equal(res.status, 503);
		assert.equal(res.headers['retry-after'], '5');
		await sim.setFault(null);
	});

	test('html: a 200 login page', async () => {
		await sim.setFault('html');
		const res = await rawGet(sim.url);
		assert.equal(res.status, 200);
		assert.match(String(res.headers['content-type']), /^text\/html/);
		assert.equal(res.body.toString(), LOGIN_PAGE);
		await sim.setFault(null);
	});

	test('truncated: the body stops mid-line and the connection drops', async () => {
		await sim.setFault('truncated');
		const res = await rawGet(sim.url);
		assert.equal(res.status, 200);
		assert.equal(res.complete, false);
		const announced = Number(res.headers['content-length']);
		assert.ok(res.body.length > 0 && res.body.length < announced);
		assert.notEqual(res.body.at(-1), 0x0a, 'cut inside a line');
		assert.ok(sim.simulation.text().startsWith(res.body.toString()));
		await sim.setFault(null);
	});

	test('garbage: random bytes that are not UTF-8 text', async () => {
		await sim.setFault('garbage');
		const res = await rawGet(sim.url);
		assert.equal(res.status, 200);
		assert.equal(res.body.length, 64 * 1024);
		assert.throws(() => new TextDecoder('utf-8', {fatal: true}).decode(res.body));
		await sim.setFault(null);
	});

	test('huge: a valid exposition streamed past 20 MiB', async () => {
		await sim.setFault('huge');
		const res = await rawGet(sim.url, {maxBytes: 20 * MiB, timeoutMs: 10_000});
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-length'], undefined);
		assert.ok(res.body.length >= 20 * MiB);
		assert.ok(res.body.subarray(0, 64).toString().startsWith('# HELP fastdeploy:'));
		assert.ok(HUGE_BYTES > 20 * MiB);
		await sim.setFault(null);
		assert.equal((await rawGet(sim.url)).status, 200);
	});

});

describe('timed faults', () => {
	test('slow-body: headers at once, the body dribbles over the configured seconds', async () => {
		const sim = await start('2.0', {fault: 'slow-body', slowSeconds: 0.6});
		try {
			const res = await rawGet(sim.url);
			assert.equal(res.status, 200);
			assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
			assert.ok(res.headersMs < 300, `headers after ${res.headersMs} ms`);
			assert.ok(res.endMs > 450, `body after ${res.endMs} ms`);
			assert.ok(res.complete);
			assert.equal(res.body.toString(), sim.simulation.text());
		} finally {
			await sim.close();
		}
	});

	test('flapping alternates every flapSeconds', async () => {
		const sim = await start('2.3', {flapSeconds: 0.4});
		try {
			await sim.setFault('flapping');
			const t0 = performance.now();
			const statuses: number[] = [];
			// Mid-phase: [0, 0.4) up, [0.4, 0.8) 503, [0.8, 1.2) up.
			for (const at of [200, 600, 1000]) {
				await sleep(at - (performance.now() - t0));
				statuses.push((await rawGet(sim.url)).status);
			}
			assert.deepEqual(statuses, [200, 503, 200]);
		} finally {
			await sim.close();
		}
	});

	test('starting with --fault refuse, and close() while refusing', async () => {
		const sim = await start('2.3', {fault: 'refuse'});
		assert.ok(await refused(sim.url));
		await sim.close();
	});

	test('close() ends a response that is still dribbling', async () => {
		const sim = await start('2.3', {fault: 'slow-body', slowSeconds: 30});
		const pending = rawGet(sim.url, {timeoutMs: 3000});
		await sleep(100);
		await sim.close();
		const res = await pending;
		assert.equal(res.complete, false);
	});
});
