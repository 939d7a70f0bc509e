/**
 * The live UI keeps running under faults, in a real terminal (tmux, the built CLI): the simulator
 * is switched to a fault through POST /control, the screen shows STALE and the reason, keys still
 * switch views while the endpoint is slow, and recovery shows up again by itself.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {startSimulator, type Fault, type SimulatorHandle} from '../../demo/sim/server.js';
import {HAS_TMUX, requireBuild, Tmux} from './helpers.js';

describe('the TUI under faults (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	let sim: SimulatorHandle;
	let session = '';

	const control = async (fault: Fault | null) => {
		// With `refuse` the control endpoint is gone too: clear it in-process.
		if (fault === null) return sim.setFault(null);
		const response = await fetch(sim.url.replace(/\/metrics$/, '/control'), {method: 'POST', body: JSON.stringify({fault})});
		assert.equal(response.status, 200);
		// `refuse` closes the listener once the answer is out; give it that moment.
		await new Promise(resolve => setTimeout(resolve, 100));
	};
	const header = () => tmux.capture(session).split('\n')[0]!;

	before(async () => {
		requireBuild();
		sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', speed: 1, seed: 9, slowSeconds: 4});
		sim.advance(60);
		tmux.start();
		session = tmux.launch(`node dist/cli.js --interval 300ms --timeout 1s ${sim.url}`, {columns: 160, rows: 40});
		await tmux.waitFor(session, s => s.includes('Time per request') && s.includes('● up'), 'the overview, up');
	});
	after(async () => {
		tmux.kill();
		await sim.close();
	});

	for (const [fault, reason] of [
		['503', /STALE, last values kept: .*HTTP 503/],
		['garbage', /STALE, last values kept: .*no metric samples/],
		['refuse', /STALE, last values kept: .*connection refused/],
	] as const) {
		test(`${fault}: STALE with the reason, last values on screen, then up again`, async () => {
			await control(fault);
			const screen = await tmux.waitFor(session, s => reason.test(s), `STALE with ${reason}`);
			assert.match(screen.split('\n')[0]!, /STALE/, 'the header says STALE');
			assert.match(screen, /Time per request/, 'the last values stay on screen');
			await control(null);
			await tmux.waitFor(session, s => s.split('\n')[0]!.includes('● up') && !/STALE/.test(s), 'up again');
		});
	}

	test('slow-body: the scrape times out, keys still switch views at once, then recovery', async () => {
		await control('slow-body');
		await tmux.waitFor(session, s => /STALE, last values kept: .*timed out after 1 s/.test(s), 'the timeout');
		// While scrapes hang for a second each, every key is answered well within that.
		for (const [key, expect] of [
			['2', /Latency by phase/],
			['5', /Explorer {2}\d+ families/],
			['1', /Time per request/],
		] as const) {
			const sent = Date.now();
			tmux.keys(session, key);
			await tmux.waitFor(session, s => expect.test(s), `${expect} after ${key}`, 5000);
			assert.ok(Date.now() - sent < 5000);
		}
		assert.match(header(), /STALE/);
		await control(null);
		await tmux.waitFor(session, s => s.split('\n')[0]!.includes('● up') && !/STALE/.test(s), 'up again', 15_000);
	});

	test('a restart (counter reset) shows no negative rate on screen', async () => {
		const response = await fetch(sim.url.replace(/\/metrics$/, '/control'), {method: 'POST', body: JSON.stringify({restart: true})});
		assert.equal(response.status, 200);
		const start = Date.now();
		while (Date.now() - start < 2500) {
			const screen = tmux.capture(session);
			assert.doesNotMatch(screen, /(^|\s)-\d[\d.]*\s*(\/s|req\/s|tok\/s)/m, `a negative rate on screen:\n${screen}`);
			await new Promise(resolve => setTimeout(resolve, 250));
		}
	});

	test('q still quits cleanly after all that', async () => {
		tmux.keys(session, 'q');
		await tmux.waitFor(session, s => s.includes('SHELL-AFTER 0'), 'exit 0');
		assert.deepEqual(tmux.modes(session), {alternate: false, cursor: true});
	});
});
