/**
 * Parser robustness beyond test/prom/parse.test.ts (which has the fast-check properties over
 * random text): cost grows linearly with input size, and pathological inputs finish.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {parseExposition} from '../../source/prom/parse.js';
import {fixtureText} from './helpers.js';

/**
 * The process's CPU time in ms (user + system, every thread). Not the wall clock: on a loaded CI
 * machine a run also waits for a core, and a 90 ms run waits more often than a 4 ms one, which
 * read as non-linear (a fixture ratio of 31x, against 15-27x on an idle machine and 16-23x in CPU time
 * beside two busy loops on the two cores).
 */
function cpuMs(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

/** Least CPU time of `runs` runs of `fn`: the run least disturbed by GC and cache effects. */
function fastest(fn: () => unknown, runs = 7): number {
	let best = Number.POSITIVE_INFINITY;
	for (let i = 0; i < runs; i++) {
		const start = cpuMs();
		fn();
		best = Math.min(best, cpuMs() - start);
	}
	return best;
}

/**
 * Not an assertion of absolute time: a shared CI machine can be any speed. The ratio of the
 * cheapest runs (in CPU time) for a 10x larger input cancels the machine's speed; linear parsing gives ~10,
 * quadratic ~100. The bound (30) leaves room for GC and cache effects of multi-megabyte inputs
 * without letting quadratic through. (Medians were too noisy on a loaded machine: one read 31.)
 */
function assertLinear(name: string, make: (n: number) => string, n: number, t: {diagnostic(m: string): void}): void {
	const small = make(n);
	const large = make(n * 10);
	parseExposition(small);
	parseExposition(large);
	// Interleaved, fastest of 15 each: a burst of load on the shared machine hits both sizes alike,
	// and a 40 ms run needs more tries than a 0.4 ms one to find a slice without preemption or GC.
	let a = Number.POSITIVE_INFINITY;
	let b = Number.POSITIVE_INFINITY;
	for (let i = 0; i < 15; i++) {
		a = Math.min(a, fastest(() => parseExposition(small), 1));
		b = Math.min(b, fastest(() => parseExposition(large), 1));
	}
	const ratio = b / Math.max(a, 0.05);
	t.diagnostic(`${name}: ${a.toFixed(2)} ms for ${small.length} chars, ${b.toFixed(2)} ms for ${large.length} chars, ratio ${ratio.toFixed(1)}`);
	assert.ok(ratio < 30, `${name}: 10x the input took ${ratio.toFixed(1)}x the time`);
}

describe('parse cost grows linearly with input size (ratio of the cheapest runs for 10x input < 30)', () => {
	const real = fixtureText('fastdeploy-2.3.txt');
	test('repeated real expositions (distinct series)', t => {
		assertLinear('fixture', n => Array.from({length: n}, (_, i) => real.replace(/\{/g, `{copy="${i}",`)).join(''), 20, t);
	});
	test('one very long label value', t => {
		assertLinear('long label', n => `m{a="${'x'.repeat(n)}"} 1\n`, 100_000, t);
	});
	test('many labels on one line', t => {
		// From 10,000 labels: a label set is an object, and one of 100,000 keys outgrows the caches, so
		// per-label cost rises mildly with size (19-22x for 10x, not the 100x of a quadratic scan). At
		// 2,000 the small run took 0.4 ms, and one CI run read 37x from that alone.
		assertLinear('many labels', n => `m{${Array.from({length: n}, (_, i) => `l${i}="v"`).join(',')}} 1\n`, 10_000, t);
	});
	test('lines of repeated "{"', t => {
		assertLinear('braces', n => `${'m{'.repeat(n)}\n`.repeat(10), 10_000, t);
	});
	test('commas', t => {
		assertLinear('commas', n => `m{${','.repeat(n)}} 1\n`, 100_000, t);
	});
	test('series that differ only mid-key (defeats the sampled series prints)', t => {
		const pad = 'x'.repeat(100);
		assertLinear('mid-key series', n => Array.from({length: n}, (_, i) => `m{a="${pad}${i}${pad}"} ${i}\n`).join(''), 2000, t);
	});
	test('many unterminated HELP escapes', t => {
		assertLinear('help escapes', n => `# HELP m ${'\\'.repeat(n)}\n`, 100_000, t);
	});
});

describe('pathological inputs finish and never throw', () => {
	const cases: [string, () => string][] = [
		['1e6 commas in a label set', () => `m{${','.repeat(1_000_000)}} 1\n`],
		['1e6 "{" on one line', () => `m${'{'.repeat(1_000_000)}\n`],
		['1e5 lines of "{"', () => '{\n'.repeat(100_000)],
		['a 5 MB label value without a closing quote', () => `m{a="${'y'.repeat(5_000_000)}\n m 1\n`],
		['1e6 "=" and quotes alternating', () => `m{${'a="",'.repeat(200_000)}} 1\n`],
		['a 2 MB HELP line of escapes', () => `# HELP m ${'\\n'.repeat(1_000_000)}\nm 1\n`],
		['1e5 TYPE lines for one family', () => '# TYPE m counter\n'.repeat(100_000) + 'm 1\n'],
		['NUL bytes and invalid surrogates', () => `m{a="\u0000\ud800"} 1\n`.repeat(10_000)],
	];
	for (const [name, make] of cases) {
		test(name, t => {
			const text = make();
			const start = performance.now();
			const result = parseExposition(text);
			t.diagnostic(`${name}: ${(performance.now() - start).toFixed(0)} ms, ${result.sampleCount} samples, ${result.skippedLines} lines skipped`);
			assert.ok(result.sampleCount >= 0);
		});
	}
});
