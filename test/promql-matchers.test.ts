import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {canonicalMatch, formatMatchers, MatcherError, parseMatchers} from '../source/sources/promql-matchers.js';

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const PIECES = ['{', '}', '(', ')', ',', ' ', '=', '!=', '=~', '!~', '"', "'", '`', '\\', '\\"', '\\n', '\\u00e9', '\\x41', 'job', 'instance', 'up', 'or', 'vector(1)', 'offset 1h', '#', '\n', '"x"', "'y'", '`z`', '.', '*', 'é', '\u001b', '__name__'];

test('--match round trip: whatever is accepted is only matchers, and its canonical text parses to the same matchers', () => {
	let accepted = 0;
	for (let seed = 1; seed <= 20_000; seed++) {
		const random = rng(seed);
		const length = 1 + Math.floor(random() * 12);
		let input = '';
		for (let i = 0; i < length; i++) input += PIECES[Math.floor(random() * PIECES.length)];
		// Bias a share of the inputs toward well-formed lists.
		if (seed % 3 === 0) input = `{job=${input.includes('"') ? `'${input.replace(/['\\]/g, '')}'` : `"${input.replace(/["\\\n]/g, '')}"`}}`;
		let matchers;
		try {
			matchers = parseMatchers(input);
		} catch (error) {
			assert.ok(error instanceof MatcherError, `seed ${seed}: ${JSON.stringify(input)} threw ${String(error)}`);
			assert.doesNotMatch(error.problem, /\n/, `seed ${seed}: one line`);
			continue;
		}
		accepted++;
		const canonical = formatMatchers(matchers);
		assert.deepEqual(parseMatchers(canonical), matchers, `seed ${seed}: ${JSON.stringify(input)} → ${canonical}`);
		assert.deepEqual(parseMatchers(`{${canonical}}`), matchers, `seed ${seed}: braced`);
		// Spliced as fdtop does, the selector is still exactly one selector of these matchers.
		const spliced = `{__name__=~"x"${canonical ? `, ${canonical}` : ''}}`;
		assert.deepEqual(parseMatchers(spliced).slice(1), matchers, `seed ${seed}: spliced ${spliced}`);
		assert.doesNotMatch(canonical, /[\u0000-\u001f\u007f]/, `seed ${seed}: no raw control characters`);
	}
	assert.ok(accepted > 1000, `enough accepted inputs (${accepted})`);
});

test('canonical forms', () => {
	assert.equal(canonicalMatch(''), '');
	assert.equal(canonicalMatch('  {  }  '), '');
	assert.equal(canonicalMatch('{ job = "a" , }'), 'job="a"');
	assert.equal(canonicalMatch("job='a\"b',instance!~`x\\y`"), 'job="a\\"b", instance!~"x\\\\y"');
	assert.equal(canonicalMatch('{"service.name"="a", "job"="b"}'), '"service.name"="a", job="b"');
	assert.equal(canonicalMatch('{a="\\101\\x42\\u0043\\U00000044\\a\\v"}'), 'a="ABCD\\u0007\\u000b"');
	assert.equal(canonicalMatch('{a="\u001b"}'), 'a="\\u001b"');
	for (const bad of ['{"up"}', '{a="\\U00110000"}', '{a="\\ud800"}', '{a="\\u12"}', '{a="\\8"}', '{a=`x}', '{,}', ',', '{a="b"}{c="d"}']) {
		assert.throws(() => canonicalMatch(bad), MatcherError, bad);
	}
});

test('guard: every Prometheus API body is read through the capped reader and every answer through the schema', () => {
	const dir = new URL('../source/sources/', import.meta.url);
	for (const file of readdirSync(dir).filter(f => f.endsWith('.ts'))) {
		const text = readFileSync(new URL(file, dir), 'utf8');
		assert.doesNotMatch(text, /\.body\.(text|json|arrayBuffer|blob)\(\)/, `${file}: an uncapped body read; use a capped reader`);
	}
	const api = readFileSync(new URL('prometheus-api.ts', dir), 'utf8');
	const calls = api.match(/await this\.#call\(/g)?.length ?? 0;
	const checked = api.match(/this\.#checked\('[a-z_]+', \(\) => schema\.[a-zA-Z]+\(data/g)?.length ?? 0;
	assert.ok(calls > 0);
	assert.equal(checked, calls, 'each #call answer is converted by a schema function inside #checked');
	assert.doesNotMatch(api, /this\.#call\([^;]*\)\)\s*as\b/, 'no casts of API answers to an assumed shape');
});
