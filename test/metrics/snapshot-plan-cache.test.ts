/**
 * The scrape cache gives exactly what the full path gives: every scrape of a sequence, fed through
 * one ScrapeCache, must read the same as parseExposition (every family, sample, label and count)
 * and snapshot the same as the snapshot builder before plans (test/helpers/reference-snapshot.ts)
 * and as buildSnapshot. Sequences: the demo recordings, simulator runs, and mutated scrapes (new
 * values valid or not, lines added, dropped, swapped, relabelled, timestamps, CRLF, final newline,
 * duplicates, a maxSeries cap). Hit counts are checked too: a cache that never hit would pass the
 * equality checks trivially.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import fc from 'fast-check';
import {generateScrapes} from '../../demo/sim/generate.js';
import {ScrapeCache} from '../../source/metrics/snapshot-plan-cache.js';
import {buildSnapshot, type MetricData, type Snapshot} from '../../source/metrics/snapshot.js';
import {ParseCache, sampleValues} from '../../source/prom/parse-template-cache.js';
import {parseExposition, sampleLabel, sampleLabelCount} from '../../source/prom/parse.js';
import type {ParseResult, Sample} from '../../source/prom/types.js';
import {readAllRecords} from '../../source/sources/recording.js';
import {Store} from '../../source/store.js';
import {referenceSnapshot} from '../helpers/reference-snapshot.js';
import {seededRandom} from '../helpers/random.js';

/** A number as text that tells NaN, ±Infinity and -0 apart. */
const num = (n: number) => (Object.is(n, -0) ? '-0' : String(n));

/**
 * Everything a consumer can see of a parse, labels decoded (single-label reads first: they work
 * undecoded), as strings (deepStrictEqual on thousands of objects is slow).
 */
function view(result: ParseResult): unknown {
	return {
		...result,
		families: result.families.map(f => ({
			...f,
			samples: f.samples.map((s: Sample) => {
				const probe = [sampleLabel(s, 'le'), sampleLabel(s, 'pid'), sampleLabel(s, 'a'), sampleLabel(s, '__proto__'), sampleLabelCount(s)];
				const own = Object.keys(s).join(',');
				return JSON.stringify([s.constructor.name, own, s.name, num(s.value), probe, Object.entries(s.labels), Object.getPrototypeOf(s.labels) === Object.prototype]);
			}),
		})),
	};
}

/** A snapshot as plain data (histogram and map classes differ between the reference and the plans). */
function plain(snapshot: Snapshot): unknown {
	const data = (d: MetricData) => {
		switch (d.kind) {
			case 'histogram':
				return {kind: d.kind, les: [...d.hist.les], counts: [...d.hist.counts], sum: d.hist.sum, count: d.hist.count};
			case 'counter':
				return {kind: d.kind, value: d.value, series: d.series ? [...d.series] : 'none'};
			case 'gauge':
				// The oracle predates the spread of multi-series gauges (issue 14); the value must match.
				return {kind: d.kind, value: d.value};
			case 'info':
				return {kind: d.kind, labels: Object.entries(d.labels)};
		}
	};
	return {t: snapshot.t, engine: snapshot.engine, metrics: [...snapshot.metrics].map(([k, d]) => [k, data(d)]), wireNames: [...snapshot.wireNames], warnings: snapshot.warnings.filter(w => !/ series disagree \(/.test(w))};
}

/** Feeds `texts` through one cache, checking each scrape against the full path; returns the cache. */
function checkSequence(texts: readonly string[], maxSeries = Number.POSITIVE_INFINITY, what = ''): ScrapeCache {
	const cache = new ScrapeCache(maxSeries);
	texts.forEach((text, i) => {
		const full = parseExposition(text, {maxSeries});
		const cached = cache.parse(text);
		const where = `${what} scrape ${i}: ${JSON.stringify(text.slice(0, 200))}`;
		// The snapshot first, as the Store takes it: a hit hands its values over before (or without) building families.
		const t = 1_000 * (i + 1);
		const snapshot = cache.snapshot(cached, t);
		// What the snapshot read: every family's values by line, as the full parse's samples hold them.
		const {values, lines} = sampleValues(cached);
		assert.deepStrictEqual(
			lines.map(index => Array.from(index, k => num(values[k]!))),
			full.families.map(f => f.samples.map(s => num(s.value))),
			where,
		);
		assert.deepStrictEqual(view(cached), view(full), where);
		assert.deepStrictEqual(plain(snapshot), plain(referenceSnapshot(parseExposition(text, {maxSeries}), t)), where);
		assert.deepStrictEqual(snapshot, buildSnapshot(full, t), where);
	});
	return cache;
}

const FIXTURES = ['fastdeploy-2.0.txt', 'fastdeploy-2.3.txt', 'article-fastdeploy-2.0.txt'].map(name => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

/** The shapes the fixtures lack: escapes, timestamps, exemplars, _created, TYPE after samples, quoted names, duplicates, errors, labelled and vLLM histograms, info. */
const TRICKY = [
	'# HELP fastdeploy:cache_config_info Info with \\\\ and \\n escapes',
	'# TYPE fastdeploy:cache_config_info gauge',
	'fastdeploy:cache_config_info{block_size="64",note="a \\"quoted\\" \\\\ value",__proto__="p"} 1',
	'# TYPE fastdeploy:num_requests_running gauge',
	'fastdeploy:num_requests_running{pid="1"} 3 1700000000000',
	'fastdeploy:num_requests_running{pid="2"} 4',
	'fastdeploy:num_requests_running{pid="1"} 5',
	'fastdeploy:num_requests_waiting 2',
	'# TYPE fastdeploy:num_requests_waiting gauge',
	'# TYPE vllm:time_to_first_token_seconds histogram',
	'vllm:time_to_first_token_seconds_bucket{le="0.1",model="a"} 1',
	'vllm:time_to_first_token_seconds_bucket{le="1",model="a"} 2',
	'vllm:time_to_first_token_seconds_bucket{le="+Inf",model="a"} 3',
	'vllm:time_to_first_token_seconds_bucket{le="0.5",model="b"} 1 # {trace="x"} 0.2 1700000000.5',
	'vllm:time_to_first_token_seconds_bucket{le="+Inf",model="b"} 4',
	'vllm:time_to_first_token_seconds_sum{model="a"} 1.5',
	'vllm:time_to_first_token_seconds_count{model="a"} 3',
	'vllm:time_to_first_token_seconds_count{model="b"} 4',
	'# TYPE vllm:prompt_tokens counter',
	'vllm:prompt_tokens_total{model="a"} 10',
	'vllm:prompt_tokens_total{model="b"} 20',
	'vllm:prompt_tokens_created{model="a"} 1.7e9',
	'{"vllm:generation_tokens_total",model="a"} 7',
	'fastdeploy:time_to_first_token_seconds_bucket{le="1"} 1',
	'fastdeploy:time_to_first_token_seconds_bucket{le="0.5"} 1',
	'fastdeploy:time_to_first_token_seconds_bucket{le="+Inf"} 2',
	'fastdeploy:time_to_first_token_seconds_sum 0.7',
	'# TYPE fastdeploy:time_to_first_token_seconds histogram',
	'fastdeploy:time_to_first_token_seconds_count 2',
	'bad line here',
	'fastdeploy:request_success_total\t9',
	'fastdeploy:request_success_total  10  ',
	'',
	'# EOF',
	'after_eof 1',
].join('\n');

/** A few scrapes of each scenario and era, every scrape of the first run. */
function simulatorRuns(): {what: string; texts: string[]}[] {
	const runs: {what: string; texts: string[]}[] = [];
	for (const era of ['2.0', '2.3'] as const) {
		for (const scenario of ['steady', 'burst', 'overload', 'kv-pressure', 'restart'] as const) {
			const texts = [...generateScrapes({scenario, era, seed: 3, intervalSeconds: 1, count: scenario === 'restart' ? 90 : 25, warmupSeconds: 60})].map(s => s.text);
			runs.push({what: `${scenario} ${era}`, texts});
		}
	}
	return runs;
}

describe('scrape cache: same results as the full path', () => {
	test('every scrape of every demo recording, and most of them hit', async () => {
		const dir = new URL('../../demo/recordings/', import.meta.url);
		const files = readdirSync(dir).filter(f => f.endsWith('.jsonl.gz'));
		assert.ok(files.length >= 8);
		for (const file of files) {
			const {header, records} = await readAllRecords(new URL(file, dir).pathname);
			for (let i = 0; i < header.targets.length; i++) {
				const texts = records.filter(r => r.i === i && r.text !== undefined).map(r => r.text!);
				const {hits, misses, planReuses} = checkSequence(texts, Number.POSITIVE_INFINITY, file).stats;
				assert.equal(hits + misses, texts.length);
				assert.equal(planReuses, hits, file);
				// Measured: every recording hits on at least 95% of its scrapes (a restart changes the shape).
				assert.ok(hits >= 0.9 * texts.length, `${file}: ${hits} hits of ${texts.length}`);
			}
		}
	});

	test('simulator runs of every scenario and era', () => {
		for (const {what, texts} of simulatorRuns()) {
			const {hits} = checkSequence(texts, Number.POSITIVE_INFINITY, what).stats;
			assert.ok(hits >= texts.length - 5, `${what}: ${hits} hits of ${texts.length}`);
		}
	});

	test('a steady simulator run hits on every scrape after the first', () => {
		const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 5, intervalSeconds: 1, count: 40, warmupSeconds: 300})].map(s => s.text);
		assert.deepStrictEqual(checkSequence(texts).stats, {hits: 39, misses: 1, planReuses: 39});
	});

	test('a changed line misses once, then the new shape hits', () => {
		const a = 'a{x="1"} 1\nb 2\n';
		const b = 'a{x="2"} 1\nb 2\n';
		const cache = checkSequence([a, a.replace('1\n', '5\n'), b, b.replace('2\n', '3\n'), b]);
		assert.deepStrictEqual(cache.stats, {hits: 3, misses: 2, planReuses: 3});
	});

	test('results share nothing a consumer could change with later results', () => {
		const text = 'm{a="1"} 1\nm{a="2"} 2\n# TYPE q gauge\nq{note="x\\"y"} 3\nbad line\n';
		const cache = new ParseCache();
		const first = cache.parse(text);
		const second = cache.parse(text.replace(' 1\n', ' 9\n'));
		assert.ok(cache.lastHit);
		// Mutate everything the first two results hand out (their types say readonly; a consumer might not care).
		for (const result of [first, second]) {
			(result.families as unknown[]).push('junk');
			for (const family of result.families.slice(0, 2)) {
				(family.samples[0]!.labels as Record<string, string>)['a'] = 'changed';
				(family.samples as unknown[]).length = 0;
			}
			if (result.firstError) (result.firstError as {line: number}).line = -1;
		}
		const third = cache.parse(text.replace(' 1\n', ' 8\n'));
		assert.equal(cache.hits, 2);
		assert.deepStrictEqual(third.firstError, {line: 5, message: 'invalid value "line"'});
		assert.deepStrictEqual(view(third), view(parseExposition(text.replace(' 1\n', ' 8\n'))));
	});

	test('the Store keeps each scrape its own families, and its cache hits', () => {
		const store = new Store({targets: [{name: 't', location: 'x'}], intervalMs: 1000, windowMs: 60_000});
		const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 2, intervalSeconds: 1, count: 12, warmupSeconds: 60})].map(s => s.text);
		const kept: {families: ParseResult['families']; seen: unknown}[] = [];
		texts.forEach((text, i) => {
			store.ingest(0, {target: 'x', t: 1000 * (i + 1), text, durationMs: 1, bytes: text.length});
			const {families} = store.getSnapshot().targets[0]!;
			const seen = view({...parseExposition(text), families});
			assert.deepStrictEqual(seen, view(parseExposition(text)));
			kept.push({families, seen});
		});
		// Later scrapes left every earlier status's families as they were.
		for (const {families, seen} of kept) assert.deepStrictEqual(view({...parseExposition(''), families}), {...(seen as object), ...(view(parseExposition('')) as object), families: (seen as {families: unknown}).families});
		assert.deepStrictEqual(store.cacheStats(0), {hits: texts.length - 1, misses: 1, planReuses: texts.length - 1});
	});

	test('the Store publishes the families of the last good scrape taken in without publishing', () => {
		const store = new Store({targets: [{name: 't', location: 'x'}], intervalMs: 1000, windowMs: 60_000});
		const texts = [...generateScrapes({scenario: 'steady', era: '2.0', seed: 4, intervalSeconds: 1, count: 6, warmupSeconds: 60})].map(s => s.text);
		const scrape = (i: number) => ({target: 'x', t: 1000 * (i + 1), text: texts[i]!, durationMs: 1, bytes: 1});
		store.ingestMany(0, [scrape(0), scrape(1)], {publish: false});
		store.ingestMany(0, [scrape(2), scrape(3), {target: 'x', t: 4500, error: 'timeout', durationMs: 1, bytes: 0}], {publish: false});
		assert.deepStrictEqual(store.getSnapshot().targets[0]!.families, []);
		store.publish();
		const target = store.getSnapshot().targets[0]!;
		assert.deepStrictEqual(view({...parseExposition(''), families: target.families}), view({...parseExposition(''), families: parseExposition(texts[3]!).families}));
		assert.deepStrictEqual([target.scrapes, target.failures, target.state], [4, 1, 'stale']);
		store.ingestMany(0, [scrape(4), scrape(5)]);
		assert.deepStrictEqual(view({...parseExposition(''), families: store.getSnapshot().targets[0]!.families}), view({...parseExposition(''), families: parseExposition(texts[5]!).families}));
		assert.deepStrictEqual(store.cacheStats(0), {hits: 5, misses: 1, planReuses: 5});
	});
});

// ---- Mutated sequences -------------------------------------------------------------------------

const TOKENS = [
	'0', '1', '-1', '+1', '1.5', '-0', '0.0', '1e3', '1E-3', '2.5e+10', '.5', '5.', 'NaN', 'nan', 'NAN', '+Inf', '-Inf', 'Inf', 'inf', '+inf', 'Infinity', '-infinity',
	'12345678901234567890', '0.1234567890123456789', '1e308', '1e-400', '4.9e-324',
	// What Go refuses and JS Number() may take, and plain junk.
	'0x10', '0b11', '0o7', '1_000', '', ' 1', '1 ', '+', '-', '.', 'e5', '1e', '1e+', '--1', '+-1', '+NaN', '-NaN', '1.2.3', 'Infx', 'NaNa', '1e400', '-1e400', 'x', '١', '1\r', '\t2',
	// A token and more: a timestamp (good or bad), an exemplar, trailing text.
	'1 1700000000000', '2 -1', '3 NaN', '4 +Inf', '5 1.5e12', '6 x', '7 1 2', '8 # {a="b"} 1', '9 1 # {a="b"} 2 3', '10  ', '11\t12',
];

const EXTRA_LINES = [
	'# HELP fastdeploy:num_requests_running Running.', '# TYPE fastdeploy:num_requests_running gauge', 'fastdeploy:num_requests_running 3',
	'fastdeploy:num_requests_running{pid="9"} 1', 'fastdeploy:gpu_cache_usage_perc 0.5', 'new_metric{a="1"} 1', 'new_metric{a="1"} 2', '# TYPE new_metric counter',
	'x_created 1.7e9', 'broken{', '', '   ', '#', '# comment', '# EOF', 'a{b="c"} 1 1700000000000', '{"quoted.name"} 2', 'dup 1', 'dup 2',
];

type Mutation =
	| {kind: 'value'; line: number; token: string}
	| {kind: 'insert'; line: number; text: string}
	| {kind: 'delete'; line: number}
	| {kind: 'swap'; line: number; other: number}
	| {kind: 'duplicate'; line: number}
	| {kind: 'label'; line: number; value: string}
	| {kind: 'crlf'; line: number}
	| {kind: 'allCrlf'}
	| {kind: 'finalNewline'};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	{weight: 8, arbitrary: fc.record({kind: fc.constant('value' as const), line: fc.nat(), token: fc.oneof({weight: 3, arbitrary: fc.constantFrom(...TOKENS)}, fc.double().map(String), fc.integer().map(String))})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('insert' as const), line: fc.nat(), text: fc.oneof(fc.constantFrom(...EXTRA_LINES), fc.string({maxLength: 12}))})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('delete' as const), line: fc.nat()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('swap' as const), line: fc.nat(), other: fc.nat()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('duplicate' as const), line: fc.nat()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('label' as const), line: fc.nat(), value: fc.constantFrom('1', '0.5', '+Inf', 'x', 'x\\"y', 'é', '')})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('crlf' as const), line: fc.nat()})},
	{weight: 1, arbitrary: fc.constant({kind: 'allCrlf' as const})},
	{weight: 1, arbitrary: fc.constant({kind: 'finalNewline' as const})},
);

/** The value token of a sample line: after the label block, or after the name. */
function replaceValue(line: string, token: string): string {
	if (line.startsWith('#')) return line;
	const close = line.lastIndexOf('}');
	const from = close >= 0 ? close + 1 : Math.max(0, line.search(/[ \t]/));
	const start = from + (line.slice(from).match(/^[ \t]*/)?.[0].length ?? 0);
	const rest = line.slice(start).search(/[ \t\r]|$/);
	return line.slice(0, start) + token + line.slice(start + rest);
}

function mutate(text: string, m: Mutation): string {
	const ended = text.endsWith('\n');
	const lines = (ended ? text.slice(0, -1) : text).split('\n');
	const at = (n: number) => n % lines.length;
	switch (m.kind) {
		case 'value':
			lines[at(m.line)] = replaceValue(lines[at(m.line)]!, m.token);
			break;
		case 'insert':
			lines.splice(m.line % (lines.length + 1), 0, m.text);
			break;
		case 'delete':
			lines.splice(at(m.line), 1);
			break;
		case 'swap': {
			const [a, b] = [at(m.line), at(m.other)];
			[lines[a], lines[b]] = [lines[b]!, lines[a]!];
			break;
		}
		case 'duplicate':
			lines.splice(at(m.line), 0, lines[at(m.line)]!);
			break;
		case 'label':
			lines[at(m.line)] = lines[at(m.line)]!.replace(/="[^"]*"/, `="${m.value}"`);
			break;
		case 'crlf':
			lines[at(m.line)] += '\r';
			break;
		case 'allCrlf':
			return text.replace(/\r?\n/g, '\r\n');
		case 'finalNewline':
			return ended ? text.slice(0, -1) : `${text}\n`;
	}
	return lines.join('\n') + (ended ? '\n' : '');
}

/** Small bases, so that mutations (which pick lines at random) often touch the interesting ones. */
function excerpt(text: string, from: number, lines: number): string {
	return `${text.split('\n').slice(from, from + lines).join('\n')}\n`;
}

const BASES = [
	TRICKY,
	excerpt(FIXTURES[0]!, 0, 60),
	excerpt(FIXTURES[1]!, 100, 80),
	excerpt(FIXTURES[2]!, 30, 60),
	'a 1\nb{c="d"} 2\n',
	...FIXTURES,
];

describe('scrape cache: mutated sequences', () => {
	test('values, lines, labels, timestamps, line ends and caps: always the full path result, with hits', () => {
		let hits = 0;
		let misses = 0;
		fc.assert(
			fc.property(
				fc.constantFrom(...BASES.keys()),
				// Each step mutates the scrape before it, or (most often) only changes one value of it.
				fc.array(fc.tuple(fc.boolean(), mutation), {minLength: 1, maxLength: 12}),
				fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.nat(40)),
				(base, steps, maxSeries) => {
					const texts = [BASES[base]!];
					for (const [fromBase, m] of steps) texts.push(mutate(fromBase ? BASES[base]! : texts.at(-1)!, m));
					const stats = checkSequence(texts, maxSeries, `base ${base}, maxSeries ${maxSeries}`).stats;
					hits += stats.hits;
					misses += stats.misses;
				},
			),
			{numRuns: 400},
		);
		// Honest hits: a good share of the value-only steps must have reused the shape.
		assert.ok(hits > 300 && misses > 300, `${hits} hits, ${misses} misses`);
	});

	test('every token in place of one value: a hit exactly when Go would parse it', () => {
		const base = 'a{b="1"} 1\nc 2 1700000000000\n';
		const cache = new ParseCache();
		cache.parse(base);
		for (const token of TOKENS) {
			for (const text of [base.replace(' 1\n', ` ${token}\n`), base.replace(' 2 ', ` ${token} `), base.replace(' 1700000000000', ` ${token}`)]) {
				const full = parseExposition(text);
				const before = cache.hits;
				const cached = cache.parse(text);
				assert.deepStrictEqual(view(cached), view(full), JSON.stringify(text));
				// A miss re-primes the cache with the text; go back to the base shape for the next token.
				if (cache.hits === before) cache.parse(base);
				else assert.equal(full.skippedLines, 0, JSON.stringify(text));
			}
		}
	});

	test('random values in long simulator runs, with a seeded random', () => {
		const random = seededRandom(7);
		const texts = [...generateScrapes({scenario: 'restart', era: '2.0', seed: 9, intervalSeconds: 1, count: 60})].map(s => s.text);
		const mutated = texts.map(text => (random() < 0.3 ? mutate(text, {kind: 'value', line: Math.floor(random() * 400), token: TOKENS[Math.floor(random() * TOKENS.length)]!}) : text));
		const {hits} = checkSequence(mutated, 150, 'restart 2.0, maxSeries 150').stats;
		assert.ok(hits > 20, `${hits} hits`);
	});
});
