/**
 * `fdtop compare A B` as a user runs it: the bundled demo recordings (healthy against overloaded,
 * two halves of one steady run, two FastDeploy versions), ranges on a recording, usage errors, and
 * a live simulator against a recording.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {runCli} from './helpers/cli.js';
import {startSimulatorProcess} from './helpers/prometheus-server.js';

const REC = 'demo/recordings';

interface Figure {
	id: string;
	a: number | null;
	b: number | null;
	significant: boolean;
	test: string;
	pValue?: number;
	windowTest: {test: string; pValue: number} | null;
	requests: number | null;
}

async function compareJson(...args: string[]): Promise<{a: {scrapes: number; from: string; to: string; era: string | null}; b: {scrapes: number; from: string; to: string; era: string | null}; eraNote: string | null; figures: Figure[]; distributions: {key: string; bins: {shareA: number; shareB: number}[]}[]}> {
	const r = await runCli(['compare', ...args, '--json']);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout).compare;
}

const figure = (c: {figures: Figure[]}, id: string): Figure => {
	const f = c.figures.find(x => x.id === id);
	assert.ok(f, `figure ${id} in ${c.figures.map(x => x.id).join(', ')}`);
	return f;
};

describe('fdtop compare: recordings', () => {
	test('healthy against overloaded: queue time and TTFT differ significantly, by a chi-square test and the window means', async () => {
		const c = await compareJson(`${REC}/steady-2.3.jsonl.gz`, `${REC}/overload-2.3.jsonl.gz`);
		for (const id of ['queueTime.mean', 'ttft.mean']) {
			const f = figure(c, id);
			assert.equal(f.significant, true, `${id} differs`);
			assert.equal(f.test, 'chi-square');
			assert.ok(f.pValue! < 1e-6 && f.windowTest!.pValue < 0.01, `${id}: p ${f.pValue}, windows p ${f.windowTest?.pValue}`);
			assert.ok(f.b! > 10 * f.a!, `${id}: overloaded ${f.b} against healthy ${f.a}`);
			assert.ok(f.requests! > 1000);
		}
		// The bucket bars: shares of each side add up to one.
		const ttft = c.distributions.find(d => d.key === 'ttft')!;
		for (const side of ['shareA', 'shareB'] as const) assert.ok(Math.abs(ttft.bins.reduce((s, b) => s + b[side], 0) - 1) < 1e-9);
	});

	test('SLO attainment with --slo: compared on the requests within and beyond the threshold; above the top bucket only a bound', async () => {
		const c = await compareJson(`${REC}/steady-2.3.jsonl.gz`, `${REC}/overload-2.3.jsonl.gz`, '--slo', 'e2e<=30s:95%', '--slo', 'ttft<=2s:99%');
		const e2e = figure(c, 'slo.e2e<=30s:95%');
		assert.equal(e2e.significant, true);
		assert.equal(e2e.test, 'chi-square');
		assert.ok(e2e.a! > 0.99 && e2e.b! < 0.5, `${e2e.a} → ${e2e.b}`);
		const ttft = figure(c, 'slo.ttft<=2s:99%') as Figure & {bAbove: boolean; change: number | null};
		assert.equal(ttft.bAbove, true, 'TTFT buckets stop at 1 s: 2 s is above them');
		assert.equal(ttft.change, null);
		const r = await runCli(['compare', `${REC}/steady-2.3.jsonl.gz`, `${REC}/overload-2.3.jsonl.gz`, '--slo', 'ttft<=2s:99%']);
		assert.match(r.stdout, /^SLO ttft<=2s:99% +100 % +>= \d/m);
	});

	test('two halves of one steady recording: no figure differs', async () => {
		const c = await compareJson(`${REC}/steady-2.3.jsonl.gz,0/2m`, `${REC}/steady-2.3.jsonl.gz,2m`);
		assert.equal(c.a.to, c.b.from, 'the halves meet at 2 m');
		assert.equal((c.a as unknown as {label: string}).label, `${REC}/steady-2.3.jsonl.gz,0/2m`, 'the range is no credential: nothing redacted');
		assert.ok(c.a.scrapes > 100 && c.b.scrapes > 100);
		const differing = c.figures.filter(f => f.significant).map(f => f.id);
		assert.deepEqual(differing, []);
		assert.equal(figure(c, 'ttft.mean').test, 'chi-square');
	});

	test('the text names the tests and says "no difference detectable with N requests" instead of a percentage', async () => {
		const r = await runCli(['compare', `${REC}/steady-2.3.jsonl.gz,0/2m`, `${REC}/steady-2.3.jsonl.gz,-2m`]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /chi-square test of homogeneity/);
		assert.match(r.stdout, /Welch's t-test/);
		const ttft = r.stdout.split('\n').find(l => l.startsWith('TTFT mean'))!;
		assert.match(ttft, /no difference detectable with \d+ requests \(p 0\.\d+, chi-square, \d+ bins/);
		assert.doesNotMatch(ttft, /%/);
		assert.match(r.stdout, /^TTFT +A \d+ req, B \d+ req/m, 'bucket bars of TTFT');
	});

	test('FastDeploy 2.0 against 2.3: the versions are named; a figure only 2.3 exports is -- on the 2.0 side', async () => {
		const c = await compareJson(`${REC}/steady-2.0.jsonl.gz`, `${REC}/steady-2.3.jsonl.gz`);
		assert.match(c.eraNote ?? '', /FastDeploy versions differ \(A 2\.0, B 2\.3\)/);
		const arrivals = figure(c, 'rate.requestsReceived');
		assert.equal(arrivals.a, null);
		assert.ok(arrivals.b! > 0);
		const r = await runCli(['compare', `${REC}/steady-2.0.jsonl.gz`, `${REC}/steady-2.3.jsonl.gz`]);
		assert.match(r.stdout, /^arrivals req\/s +-- +\d/m);
	});

	test('usage errors name the problem and what to write (exit 2)', async () => {
		const cases: [string[], RegExp][] = [
			[['compare', `${REC}/steady-2.3.jsonl.gz`], /compare needs two sides/],
			[['compare', `${REC}/steady-2.3.jsonl.gz,5m/0s`, `${REC}/steady-2.3.jsonl.gz`], /a range needs a positive duration, e\.g\. ,5m\/5m/],
			[['compare', `${REC}/steady-2.3.jsonl.gz,2026-13-45T10:00Z/1m`, `${REC}/steady-2.3.jsonl.gz`], /"2026-13-45T10:00Z" is not a date/],
			[['compare', `${REC}/steady-2.3.jsonl.gz,soon`, `${REC}/steady-2.3.jsonl.gz`], /no such file/],
			[['compare', 'prom+http://127.0.0.1:9', `${REC}/steady-2.3.jsonl.gz`], /needs a time range after a comma: prom\+URL,-1h\/30m/],
			[['compare', '127.0.0.1:9,-1m/1m', `${REC}/steady-2.3.jsonl.gz`], /a live target has no past/],
			[['compare', `${REC}/steady-2.3.jsonl.gz`, `${REC}/steady-2.3.jsonl.gz`, '--alpha', '2'], /--alpha takes a significance level/],
		];
		for (const [args, message] of cases) {
			const r = await runCli(args);
			assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, message);
		}
	});

	test('a range with no scrapes in it cannot be compared (exit 0, said on its side)', async () => {
		const r = await runCli(['compare', `${REC}/steady-2.3.jsonl.gz,1h/1m`, `${REC}/steady-2.3.jsonl.gz`]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^A .*fewer than two scrapes: nothing to compare/m);
	});
});

describe('--baseline with --once', () => {
	test('the report gains a compare key: the replayed window against the baseline, nothing else changed', async () => {
		const plain = await runCli(['--demo', 'overload-2.3', '--once', '--json']);
		const r = await runCli(['--demo', 'overload-2.3', '--baseline', 'demo:steady-2.3', '--once', '--json']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.deepEqual(Object.keys(report), [...Object.keys(JSON.parse(plain.stdout)), 'compare']);
		assert.equal(report.compare.a.label, 'baseline demo:steady-2.3');
		assert.match(report.compare.b.label, /^live demo overload-2\.3, last 1 m$/);
		assert.equal(figure(report.compare, 'queueTime.mean').significant, true);
		const text = await runCli(['--demo', 'overload-2.3', '--baseline', 'demo:steady-2.3', '--once']);
		assert.match(text.stdout, /^fdtop compare\n^A {2}baseline demo:steady-2\.3/m);
	});

	test('a baseline that is not a recording is refused, saying what to give (exit 1)', async () => {
		const r = await runCli(['--demo', 'overload-2.3', '--baseline', '127.0.0.1:9', '--once']);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /--baseline 127\.0\.0\.1:9: give a recording \(run\.jsonl\.gz or demo:NAME, optionally ,START\/DURATION\), made with --record/);
	});
});

describe('fdtop compare: live against a recording', {timeout: 60_000}, () => {
	test('a live simulator watched over --window against the bundled overloaded run', async () => {
		const sim = await startSimulatorProcess({scenario: 'steady', era: '2.3', seed: 5});
		try {
			const r = await runCli(['compare', sim.url, `${REC}/overload-2.3.jsonl.gz`, '--window', '4s', '--windows', '4', '--json']);
			assert.equal(r.code, 0, r.stderr);
			const c = JSON.parse(r.stdout).compare;
			assert.equal(c.a.scrapes, 5, 'windows + 1 scrapes of the live side');
			assert.equal(c.a.windows, 4);
			assert.ok(c.a.seconds >= 3 && c.a.seconds < 10, `live side spans about 4 s: ${c.a.seconds}`);
			assert.match(r.stderr, /scrape 1 of 5/);
			const queue = figure(c, 'queueTime.mean');
			assert.ok(queue.a !== null && queue.b !== null && queue.b > queue.a);
		} finally {
			await sim.kill();
		}
	});
});
