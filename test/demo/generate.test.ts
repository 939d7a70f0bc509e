import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {DEFAULT_START_TIME, generateScrapes} from '../../demo/sim/generate.js';
import {parseExposition} from '../../source/prom/parse.js';
import {SCENARIOS} from '../../demo/sim/scenarios.js';
import {value} from './wire.js';

describe('generateScrapes', () => {
	test('one scrape per interval, timestamps in unix ms, reproducible', () => {
		const opts = {scenario: 'steady', era: '2.0', seed: 1, intervalSeconds: 15, count: 40} as const;
		const a = [...generateScrapes(opts)];
		const b = [...generateScrapes(opts)];
		assert.equal(a.length, 40);
		assert.deepEqual(a.map((s) => s.t), Array.from({length: 40}, (_, i) => DEFAULT_START_TIME + i * 15_000));
		assert.deepEqual(a, b);
		const success = a.map((s) => value(s.text, 'fastdeploy:request_success_total'));
		assert.equal(success[0], 0, 'a fresh server');
		assert.ok(success.every((v, i) => i === 0 || v >= (success[i - 1] ?? 0)));
		assert.ok((success.at(-1) ?? 0) > 1000);
	});

	test('startTime and warmupSeconds', () => {
		const [first] = generateScrapes({scenario: 'steady', era: '2.0', seed: 1, intervalSeconds: 1, count: 1, startTime: 1_700_000_000_000, warmupSeconds: 600});
		assert.equal(first?.t, 1_700_000_000_000);
		assert.ok(value(first?.text ?? '', 'fastdeploy:request_success_total') > 1000);
		// The server started 600 s before the first scrape.
		const created = value(first?.text ?? '', 'fastdeploy:request_success_created');
		assert.ok(created > 1_700_000_000 - 600 && created < 1_700_000_000 - 590, String(created));
	});

	test('an hour of 1 s scrapes is quick', () => {
		const t0 = performance.now();
		let n = 0;
		for (const s of generateScrapes({scenario: 'steady', era: '2.3', seed: 1, intervalSeconds: 1, count: 3600})) n += s.text.length > 0 ? 1 : 0;
		assert.equal(n, 3600);
		assert.ok(performance.now() - t0 < 20_000);
	});
});

describe('fdtop parser (source/prom/parse.ts) reads the simulator', () => {
	for (const era of ['2.0', '2.3'] as const) {
		test(`every scenario, era ${era}: no skipped lines`, () => {
			for (const scenario of SCENARIOS) {
				for (const fdDebug of [false, true]) {
					const scrapes = [...generateScrapes({scenario, era, seed: 2, intervalSeconds: 200, count: 4, fdDebug})];
					for (const {text} of scrapes) {
						const r = parseExposition(text);
						assert.equal(r.skippedLines, 0, `${scenario}: ${JSON.stringify(r.firstError)}`);
						assert.equal(r.firstError, null);
						assert.equal(r.createdSamples, era === '2.0' ? 13 : 0);
						if (era === '2.0') assert.equal(r.families.length, 16);
					}
				}
			}
		});
	}
});
