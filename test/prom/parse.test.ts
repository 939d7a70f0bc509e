import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {parseExposition, parseGoFloat, sampleLabel, sampleLabelCount, type Family, type ParseResult, type Sample} from '../../source/prom/index.js';

function family(result: ParseResult, name: string): Family {
	const found = result.families.find((f) => f.name === name);
	assert.ok(found, `family ${name} not found in ${result.families.map((f) => f.name).join(', ')}`);
	return found;
}

/** The only sample of a one-line scrape, asserting the line parsed cleanly. */
function single(line: string): Sample {
	const result = parseExposition(line);
	assert.equal(result.firstError, null, JSON.stringify(result.firstError));
	assert.equal(result.sampleCount, 1);
	const sample = result.families[0]?.samples[0];
	assert.ok(sample);
	return sample;
}

/** A one-line scrape that must fail: returns the error message. */
function failure(text: string): string {
	const result = parseExposition(text);
	assert.equal(result.skippedLines, 1, `expected one skipped line for ${JSON.stringify(text)}`);
	assert.equal(result.sampleCount, 0);
	assert.ok(result.firstError);
	return result.firstError.message;
}

describe('parseExposition: comments, HELP, TYPE, UNIT, EOF', () => {
	test('HELP and TYPE in either order, with tabs', () => {
		const result = parseExposition('# TYPE a gauge\n# HELP a First.\na 1\n#\tHELP\tb\tSecond.\n# \tTYPE b\tcounter\nb 2\n');
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.help]),
			[
				['a', 'gauge', 'First.'],
				['b', 'counter', 'Second.'],
			],
		);
	});

	test('HELP decodes only \\\\ and \\n; missing or blank text is empty', () => {
		const result = parseExposition('# HELP a x\\\\y\\nz \\"q\\" \\t\n# HELP nohelp1\n# HELP nohelp2 \n# HELP metric foo\u0000bar\n');
		assert.equal(family(result, 'a').help, 'x\\y\nz \\"q\\" \\t');
		assert.equal(family(result, 'nohelp1').help, '');
		assert.equal(family(result, 'nohelp2').help, '');
		assert.equal(family(result, 'metric').help, 'foo\u0000bar');
		assert.equal(result.skippedLines, 0);
	});

	test('#HELP, # help and other # lines are plain comments', () => {
		const result = parseExposition(
			'#HELP a not help\n# help a lower case\n# Hrandom comment starting with prefix of HELP\n#\n# comment with escaped \\n newline\n# TYPEX a gauge\na 1\n',
		);
		assert.equal(result.skippedLines, 0);
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.help]),
			[['a', 'untyped', '']],
		);
	});

	test('UNIT is kept; EOF ends parsing', () => {
		const result = parseExposition('# TYPE t_seconds gauge\n# UNIT t_seconds seconds\nt_seconds 1\n# EOF\nafter_eof 2\nbroken{\n');
		assert.equal(family(result, 't_seconds').unit, 'seconds');
		assert.equal(result.sampleCount, 1);
		assert.equal(result.skippedLines, 0);
	});

	test('an unknown TYPE is an error; its samples still arrive as untyped', () => {
		const result = parseExposition('# TYPE a gaugehistogram\na 1\n# TYPE b\nb 2\n# TYPE c unknown\nc 3\n');
		assert.equal(result.skippedLines, 2);
		assert.deepEqual(result.firstError, {line: 1, message: 'unknown metric type "gaugehistogram" in TYPE a'});
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.samples.length]),
			[
				['a', 'untyped', 1],
				['b', 'untyped', 1],
				['c', 'untyped', 1],
			],
		);
	});

	test('TYPE and HELP errors name what was expected', () => {
		assert.match(failure('# TYPE #\n'), /^expected metric name after TYPE/);
		assert.match(failure('# HELP #\n'), /^expected metric name after HELP/);
		assert.match(failure('# TYPE a gauge extra\n'), /^unexpected text after TYPE a gauge/);
		assert.match(failure('# HELP a-b text\n'), /^expected whitespace after metric name "a"/);
	});
});

describe('parseExposition: names and label sets', () => {
	test('metric names allow colons and a leading underscore', () => {
		assert.equal(single('fastdeploy:zmq:latency_count 3').name, 'fastdeploy:zmq:latency_count');
		assert.equal(single('some:aggregate:rate5m{a_b="c"}\t1').labels['a_b'], 'c');
		assert.equal(single('_metric_starting_with_underscore 1').name, '_metric_starting_with_underscore');
		assert.equal(single('testmetric{_label_starting_with_underscore="foo"} 1').labels['_label_starting_with_underscore'], 'foo');
	});

	test('whitespace around { } = , and between the name and { (TestPromParse lines)', () => {
		const lines = [
			'go_gc_duration_seconds{quantile="1.0",a="b"} 8.3835e-05',
			'go_gc_duration_seconds{quantile="1.0", a="b"} 8.3835e-05',
			'go_gc_duration_seconds{ quantile="1.0", a="b"} 8.3835e-05',
			'go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05',
			'go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05',
			'go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05',
			'go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05',
			'go_gc_duration_seconds\t{\tquantile\t=\t"1.0"\t,\ta="b"\t}\t8.3835e-05',
			// Prometheus also accepts a missing comma between pairs; so do we.
			'go_gc_duration_seconds { quantile = "1.0" a = "b" } 8.3835e-05',
		];
		for (const line of lines) {
			const sample = single(line);
			assert.deepEqual({...sample.labels}, {quantile: '1.0', a: 'b'}, line);
			assert.equal(sample.value, 8.3835e-5, line);
		}
	});

	test('empty braces, trailing comma; {,} and doubled commas are errors', () => {
		assert.deepEqual({...single('a{} 1').labels}, {});
		assert.deepEqual({...single('a{b="c",} 1').labels}, {b: 'c'});
		assert.match(failure('a{,} 1'), /^expected label name, got ","/);
		assert.match(failure('a{b="c",,} 1'), /^expected label name, got ","/);
	});

	test('label-less samples share one frozen empty labels object', () => {
		const result = parseExposition('a 1\nb{} 2\nc 3\n');
		const [a, b, c] = result.families.map((f) => f.samples[0]?.labels);
		assert.ok(Object.isFrozen(a));
		assert.equal(a, b);
		assert.equal(b, c);
	});

	test('label values are quote-aware and decode \\\\, \\" and \\n only', () => {
		const sample = single('m{a="{x=1, y=#2}",b="say \\"hi\\"",c="C:\\\\dir\\\\",d="line1\\nline2",e="tab\\t and \\x",f="日本語 ✓"} 1');
		assert.deepEqual(
			{...sample.labels},
			{a: '{x=1, y=#2}', b: 'say "hi"', c: 'C:\\dir\\', d: 'line1\nline2', e: 'tab\\t and \\x', f: '日本語 ✓'},
		);
		assert.equal(single('testmetric{label="\\"bar\\""} 1').labels['label'], '"bar"');
		assert.equal(single('null_byte_metric{a="abc\u0000"} 1').labels['a'], 'abc\u0000');
	});

	test('a label named __proto__ is an ordinary own property', () => {
		const labels = single('m{__proto__="x",constructor="y"} 1').labels;
		assert.deepEqual(Object.keys(labels), ['__proto__', 'constructor']);
		assert.equal(labels['__proto__'], 'x');
		assert.equal(Object.getPrototypeOf(labels), Object.prototype);
	});

	test('label name errors', () => {
		assert.match(failure('a{b:c="d"} 1'), /^expected '=' after label name "b", got ":"/);
		assert.match(failure('a{1b="c"} 1'), /^expected label name, got "1"/);
		assert.match(failure('empty_label_name{=""} 0'), /^expected label name, got "="/);
		assert.match(failure("a{b='c'} 1"), /^expected '"' to start the value of label "b", got "'"/);
		assert.match(failure('a{b="c" 1'), /^expected ',' or '}' after label value, got "1"/);
		assert.match(failure('a{b="1",b="2"} 1'), /^duplicate label name "b"/);
		assert.match(failure('a{b\u0000="hiih"}\t1'), /^expected '=' after label name "b"/);
		assert.match(failure('a\u0000{b="ddd"} 1'), /^expected whitespace or '\{' after metric name/);
	});

	test('Prometheus 3 quoted metric and label names', () => {
		const result = parseExposition(
			[
				'# HELP "go.gc_duration_seconds" A summary.',
				'# \tTYPE "go.gc_duration_seconds" summary',
				'{"go.gc_duration_seconds",quantile="0"} 4.9351e-05',
				'{ "go.gc_duration_seconds", quantile = "1.0", a="b" } 8.3835e-05',
				'{"go.gc_duration_seconds_count"} 99',
				'{"Heizölrückstoßabdämpfung 10€ metric with \\"interesting\\" {character\\nchoices}","strange©™\\n\'quoted\' \\"name\\""="6"} 10.0',
			].join('\n'),
		);
		assert.equal(result.firstError, null);
		const summary = family(result, 'go.gc_duration_seconds');
		assert.equal(summary.type, 'summary');
		assert.equal(summary.help, 'A summary.');
		assert.deepEqual(
			summary.samples.map((s) => [s.name, s.value]),
			[
				['go.gc_duration_seconds', 4.9351e-5],
				['go.gc_duration_seconds', 8.3835e-5],
				['go.gc_duration_seconds_count', 99],
			],
		);
		const odd = result.families[1]?.samples[0];
		assert.equal(odd?.name, 'Heizölrückstoßabdämpfung 10€ metric with "interesting" {character\nchoices}');
		assert.deepEqual({...odd?.labels}, {'strange©™\n\'quoted\' "name"': '6'});
		assert.equal(failure('{a="ok"} 1'), 'metric name not set');
		assert.match(failure('a{"b"} 1'), /^metric name given both/);
	});
});

describe('parseExposition: values, timestamps, exemplars, line ends', () => {
	test('values use Go float syntax', () => {
		assert.equal(single('a +Inf').value, Infinity);
		assert.equal(single('a -Inf').value, -Infinity);
		assert.ok(Number.isNaN(single('a NaN').value));
		assert.equal(single('a 1e3').value, 1000);
		assert.equal(single('a .5').value, 0.5);
		assert.equal(failure('a abc'), 'invalid value "abc"');
		assert.equal(failure('a true\n'), 'invalid value "true"');
		assert.equal(failure('foo 1_2\n'), 'invalid value "1_2"');
		assert.equal(failure('foo 0x1p-3\n'), 'invalid value "0x1p-3"');
		assert.equal(failure('foo 1e400'), 'invalid value "1e400"');
		assert.match(failure('a\n'), /^expected value after metric "a"/);
		assert.match(failure('a{b="c"}   '), /^expected value after metric "a"/);
	});

	test('timestamps are accepted and ignored; junk after them is an error', () => {
		assert.equal(single('go_goroutines 33  \t123123').value, 33);
		assert.equal(single('something_weird{problem="division by zero"} +Inf -3982045').value, Infinity);
		assert.equal(single('om_style 1 1520879607.789').value, 1);
		assert.match(failure('foo 0 1_2\n'), /^invalid timestamp "1_2"/);
		assert.match(failure('a 0 1\u0000'), /^invalid timestamp/);
		assert.match(failure('a 1 2 3'), /^unexpected text after timestamp/);
	});

	test('an OpenMetrics exemplar is ignored', () => {
		assert.equal(single('foo_bucket{le="0.5"} 12 # {trace_id="KOO5S4vxi0o"} 0.67').value, 12);
		assert.equal(single('foo_total 17 1520879607 # {trace_id="x"} 1.0 1520879607.789').value, 17);
	});

	test('CRLF, a missing final newline, blank and indented lines', () => {
		const result = parseExposition('\r\n# TYPE a gauge\r\na{b="c"} 1\r\n\n   \n\t a 2\r\nb 3');
		assert.equal(result.firstError, null);
		assert.deepEqual(
			result.families.flatMap((f) => f.samples.map((s) => [s.name, s.value])),
			[
				['a', 1],
				['a', 2],
				['b', 3],
			],
		);
	});
});

describe('parseExposition: samples join families by suffix, not position', () => {
	test('histogram owns _bucket, _sum, _count in any order, even interleaved with other families', () => {
		const result = parseExposition(
			[
				'# TYPE h histogram',
				'h_sum{x="1"} 3',
				'h_sum{x="2"} 4',
				'h_bucket{x="1",le="1.0"} 1',
				'other 7',
				'h_bucket{x="1",le="+Inf"} 2',
				'h_count{x="1"} 2',
				'h_bucket{x="2",le="+Inf"} 1',
				'h_count{x="2"} 1',
			].join('\n'),
		);
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.samples.length]),
			[
				['h', 'histogram', 7],
				['other', 'untyped', 1],
			],
		);
	});

	test('summary owns x, x_sum and x_count', () => {
		const result = parseExposition('# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n');
		assert.deepEqual(
			family(result, 's').samples.map((x) => x.name),
			['s', 's_sum', 's_count'],
		);
		assert.equal(result.families.length, 1);
	});

	test('counters: OpenMetrics style owns foo_total and foo; prometheus_client style owns foo_total', () => {
		const om = parseExposition('# TYPE foo counter\nfoo_total 1\nfoo 2\n');
		assert.deepEqual(
			om.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
			[['foo', 'counter', ['foo_total', 'foo']]],
		);
		const client = parseExposition('# TYPE foo_total counter\nfoo_total 1\nfoo 2\n');
		assert.deepEqual(
			client.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
			[
				['foo_total', 'counter', ['foo_total']],
				['foo', 'untyped', ['foo']],
			],
		);
	});

	test('a gauge may end in _total; a _bucket not owned by a histogram is its own family', () => {
		const result = parseExposition('# TYPE g_total gauge\ng_total 5\n# TYPE x gauge\nx 1\nx_bucket{le="1"} 1\n');
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.samples.length]),
			[
				['g_total', 'gauge', 1],
				['x', 'gauge', 1],
				['x_bucket', 'untyped', 1],
			],
		);
	});

	test('samples without TYPE are untyped families named after the sample', () => {
		const result = parseExposition('# HELP lonely Has help only.\nlonely 1\nh_bucket{le="1"} 1\nh_sum 1\n');
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.help]),
			[
				['lonely', 'untyped', 'Has help only.'],
				['h_bucket', 'untyped', ''],
				['h_sum', 'untyped', ''],
			],
		);
	});

	test('a late TYPE adopts earlier untyped samples and takes their place in the order', () => {
		const result = parseExposition('first 0\nh_bucket{le="+Inf"} 2\nh_sum 5\nh 9\n# TYPE h histogram\nh_count 2\n# TYPE g gauge\ng 1\n# TYPE first gauge\n');
		assert.equal(result.firstError, null);
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
			[
				['first', 'gauge', ['first']],
				['h', 'histogram', ['h', 'h_bucket', 'h_sum', 'h_count']],
				['g', 'gauge', ['g']],
			],
		);
	});

	test('a conflicting second TYPE is an error and the first one stays', () => {
		const result = parseExposition('# TYPE a gauge\na 1\n# TYPE a counter\n# TYPE a gauge\na{b="c"} 2\n');
		assert.equal(result.skippedLines, 1);
		assert.deepEqual(result.firstError, {line: 3, message: 'TYPE counter for a conflicts with the earlier TYPE gauge'});
		assert.equal(family(result, 'a').type, 'gauge');
		assert.equal(family(result, 'a').samples.length, 2);
	});

	test('families declared without samples are kept, empty', () => {
		const result = parseExposition('# HELP http_requests_total Total.\n# TYPE http_requests_total counter\n');
		assert.deepEqual(
			result.families.map((f) => [f.name, f.type, f.samples.length]),
			[['http_requests_total', 'counter', 0]],
		);
	});

	test('_created samples and families are dropped and counted, not errors', () => {
		const result = parseExposition(
			[
				'# HELP c_total Help.',
				'# TYPE c_total counter',
				'c_total 3.0',
				'# HELP c_created Help.',
				'# TYPE c_created gauge',
				'c_created 1.7513551218838148e+09',
				'# TYPE om counter',
				'om_total 1',
				'om_created{a="b"} 1.7e9',
				'{"quoted_created"} 1',
			].join('\n'),
		);
		assert.equal(result.createdSamples, 3);
		assert.equal(result.skippedLines, 0);
		assert.deepEqual(
			result.families.map((f) => f.name),
			['c_total', 'om'],
		);
	});

	test('a duplicate series keeps the last value in the first position and is counted', () => {
		const result = parseExposition('g{a="1"} 1\ng{a="2"} 2\ng{a="1"} 3\ng 4\ng 5\n');
		assert.deepEqual(
			family(result, 'g').samples.map((s) => [s.labels['a'], s.value]),
			[
				['1', 3],
				['2', 2],
				[undefined, 5],
			],
		);
		assert.equal(result.duplicateSamples, 2);
		assert.equal(result.sampleCount, 3);
	});
});

describe('parseExposition: properties', () => {
	const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

	test('any label value and HELP text written the prometheus_client way reads back unchanged', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), (value, help) => {
				const text = `# HELP m ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\nm{a="${escapeValue(value)}",b="x"} 1\n`;
				const result = parseExposition(text);
				assert.equal(result.skippedLines, 0);
				assert.equal(result.families[0]?.samples[0]?.labels['a'], value);
				// HELP keeps trailing but not leading blanks (the separator run is skipped).
				assert.equal(result.families[0]?.help, help.replace(/^[ \t]+/, '').replace(/\r$/, ''));
			}),
			{numRuns: 300},
		);
	});

	test('never throws, and the counts add up, for arbitrary text', () => {
		const piece = fc.constantFrom('a', 'b_sum', 'c_bucket', '{', '}', '"', '\\', '=', ',', ' ', '\t', '\n', '\r\n', '#', '# TYPE ', ' histogram', ' counter', '# HELP ', 'le', '1', '+Inf', '_created', 'x');
		fc.assert(
			fc.property(fc.array(fc.oneof(piece, fc.string({unit: 'binary', maxLength: 4})), {maxLength: 60}), (pieces) => {
				const result = parseExposition(pieces.join(''));
				assert.equal(result.sampleCount, result.families.reduce((n, f) => n + f.samples.length, 0));
				assert.equal(result.firstError === null, result.skippedLines === 0);
			}),
			{numRuns: 2000},
		);
	});
});

describe('parseExposition: the fast path and the full grammar agree', () => {
	/** Everything a consumer can see, labels decoded (the fast path decodes them on first read). */
	const view = (text: string, fastPath: boolean) => {
		const result = parseExposition(text, {fastPath});
		return {
			...result,
			families: result.families.map((f) => ({
				...f,
				samples: f.samples.map((s) => {
					// The single-label accessors first: on the fast path they read the text, not decoded labels.
					const probe = {le: sampleLabel(s, 'le'), b: sampleLabel(s, 'b'), c: sampleLabel(s, 'c'), count: sampleLabelCount(s)};
					return {name: s.name, labels: {...s.labels}, value: s.value, probe};
				}),
			})),
		};
	};
	const agree = (text: string) => assert.deepStrictEqual(view(text, true), view(text, false), JSON.stringify(text.slice(0, 300)));

	test('on the FastDeploy fixtures, the article scrape and a 200 KB mixed exposition', async () => {
		for (const name of ['fastdeploy-2.0.txt', 'fastdeploy-2.3.txt', 'article-fastdeploy-2.0.txt']) {
			agree(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
		}
		const {buildMixedExposition} = await import('../../bench/parser.js');
		agree(buildMixedExposition(200 * 1024));
	});

	test('on lines near the fast shape: duplicates, escapes, odd spacing, repeated label names, timestamps', () => {
		const line = fc.constantFrom(
			'a 1', 'a{b="1"} 2', 'a{b="1"} 3', 'a{b="1",} 4', 'a{b="1",c="2"} 5', 'a{c="2",b="1"} 6', 'a{b="1",b="2"} 7',
			'a{b="x\\"y"} 8', 'a{b="x\\\\y"} 9', 'a{b="x\\ny"} 1', 'a{b="1"}  2', 'a {b="1"} 3', 'a{b="1"} 4 1000', 'a{b="1"} 5 # {x="y"} 1',
			'a{} 6', 'a{b="1"}\t7', 'a{b="1"} NaN', 'a{b="1"} +Inf', 'a{b="1"} 0x10', 'a{b="1"}', 'a{b="1" 2', 'a{"q.name",b="1"} 3',
			'{"a",b="1"} 4', 'a_created{b="1"} 5', 'a_total 1', 'a_bucket{le="1"} 1', 'a_bucket{le="+Inf"} 2', 'a_sum 3', 'a_count 2',
			'# TYPE a histogram', '# TYPE a counter', '# HELP a x', 'ab 1', 'a:b{c="d"} 2', 'a{b="é"} 3', 'a{__proto__="p"} 1',
			'a{b="}"} 2', 'a{b="1",c="2",b="3"} 4', '', '#', 'a{b="1"} 5\r', 'a{b=""} 0', 'a{B="1"} 1', 'a{b_1="1"} 1',
		);
		fc.assert(
			fc.property(fc.array(line, {maxLength: 40}), fc.boolean(), (lines, crlf) => agree(lines.join(crlf ? '\r\n' : '\n'))),
			{numRuns: 3000},
		);
	});

	test('on arbitrary text', () => {
		const piece = fc.constantFrom('a', 'b_sum', 'c_bucket', '{', '}', '"', '\\', '=', ',', ' ', '\t', '\n', '\r\n', '#', '# TYPE ', ' histogram', 'le', '1', '+Inf', '_created', 'x', 'b="1"', '{le="1"} 2\n');
		fc.assert(
			fc.property(fc.array(fc.oneof(piece, fc.string({unit: 'binary', maxLength: 4})), {maxLength: 60}), (pieces) => agree(pieces.join(''))),
			{numRuns: 3000},
		);
	});

	test('a key shape built to defeat the sampled series prints still parses in linear time and keeps every series', () => {
		// 20,000 series that differ only in the middle of a long label value.
		const pad = 'x'.repeat(200);
		const lines = Array.from({length: 20_000}, (_, i) => `m{a="${pad}${String(i).padStart(5, '0')}${pad}"} ${i}`);
		const result = parseExposition(lines.join('\n') + '\n' + lines[123] + '\n');
		assert.equal(result.sampleCount, 20_000);
		assert.equal(result.duplicateSamples, 1);
		assert.equal(result.families[0]?.samples[123]?.value, 123);
	});
});

describe('parseExposition: a bad line never loses the rest of the scrape', () => {
	test('errors are skipped, counted, and the first one is reported with its line number', () => {
		const result = parseExposition(['ok 1', 'x_bucket{le "1"} 1', 'ok2 2', 'bad abc', '', 'ok3 3'].join('\n'));
		assert.equal(result.skippedLines, 2);
		assert.deepEqual(result.firstError, {line: 2, message: `expected '=' after label name "le", got "\\"" `.trim()});
		assert.deepEqual(
			result.families.map((f) => f.name),
			['ok', 'ok2', 'ok3'],
		);
	});

	test('an unterminated quote ends at the end of its line, which is an error', () => {
		const result = parseExposition('a{b="oops} 1\nc 2\nd{e="f\\"} 3\ng 4\nh{i="');
		assert.equal(result.skippedLines, 3);
		assert.deepEqual(result.firstError, {line: 1, message: 'unterminated label value for label "b"'});
		assert.deepEqual(
			result.families.map((f) => f.name),
			['c', 'g'],
		);
	});

	test('hostile input: random binary, NUL bytes, invalid UTF-16, non-strings', () => {
		let seed = 1;
		const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
		for (let round = 0; round < 20; round++) {
			const codes = Array.from({length: 50_000}, () => (round % 2 === 0 ? next() % 256 : next() % 0x10000));
			const result = parseExposition(String.fromCharCode(...codes));
			assert.equal(result.sampleCount, result.families.reduce((n, f) => n + f.samples.length, 0));
		}
		const nuls = parseExposition('\u0000\n\u0000 1\na\u0000 1\n#\u0000\n# TYPE \u0000 gauge\nok 1\n');
		assert.equal(nuls.sampleCount, 1);
		assert.equal(nuls.skippedLines, 4);
		assert.equal(parseExposition('a{b="\ud800"} 1\n\udc00 2\n').sampleCount, 1);
		assert.equal(parseExposition(undefined as unknown as string).sampleCount, 0);
		assert.equal(parseExposition(42 as unknown as string).skippedLines, 1);
	});

	test('a 10 MB single line: a huge label value, and a huge name without a value', () => {
		const big = 'y'.repeat(10 * 1024 * 1024);
		const ok = parseExposition(`before 1\nhuge{a="${big}"} 2\nafter 3`);
		assert.equal(ok.sampleCount, 3);
		assert.equal(family(ok, 'huge').samples[0]?.labels['a']?.length, big.length);
		const bad = parseExposition(`x${big}`);
		assert.equal(bad.skippedLines, 1);
		assert.ok((bad.firstError?.message.length ?? 0) < 200);
		const open = parseExposition(`m{a="${big}\nnext 1\n`);
		assert.equal(open.skippedLines, 1);
		assert.equal(open.sampleCount, 1);
	});

	test('many unterminated quotes stay linear and independent', () => {
		const text = 'a{b="\n'.repeat(50_000) + 'z 1\n';
		const result = parseExposition(text);
		assert.equal(result.skippedLines, 50_000);
		assert.equal(result.sampleCount, 1);
	});

	test('a 100,000-series scrape', () => {
		const lines = ['# HELP big_total Many series.', '# TYPE big_total counter'];
		for (let i = 0; i < 100_000; i++) lines.push(`big_total{shard="${i % 100}",id="${i}"} ${i}`);
		const result = parseExposition(lines.join('\n'));
		assert.equal(result.families.length, 1);
		assert.equal(result.sampleCount, 100_000);
		assert.equal(result.duplicateSamples, 0);
		const samples = family(result, 'big_total').samples;
		assert.deepEqual({...samples[99_999]?.labels}, {shard: '99', id: '99999'});
		assert.equal(samples[12_345]?.value, 12_345);
	});
});

describe('parseExposition: FastDeploy fixtures', () => {
	const fixture = (name: string) => parseExposition(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
	const v20 = fixture('fastdeploy-2.0.txt');
	const v23 = fixture('fastdeploy-2.3.txt');

	/** Every histogram series (labels minus le) has _sum, _count and a cumulative +Inf bucket equal to _count. */
	function assertCompleteHistograms(result: ParseResult): number {
		let checked = 0;
		for (const f of result.families.filter((x) => x.type === 'histogram')) {
			const series = new Map<string, {buckets: [number, number][]; sum?: number; count?: number}>();
			for (const s of f.samples) {
				const {le, ...rest} = s.labels;
				const key = JSON.stringify(Object.entries(rest).sort());
				const entry = series.get(key) ?? {buckets: []};
				series.set(key, entry);
				if (s.name === `${f.name}_bucket`) entry.buckets.push([parseGoFloat(le ?? '') ?? NaN, s.value]);
				else if (s.name === `${f.name}_sum`) entry.sum = s.value;
				else if (s.name === `${f.name}_count`) entry.count = s.value;
				else assert.fail(`unexpected sample ${s.name} in ${f.name}`);
			}
			assert.ok(series.size > 0, f.name);
			for (const [key, entry] of series) {
				const where = `${f.name} ${key}`;
				assert.equal(typeof entry.sum, 'number', `${where}: _sum`);
				assert.equal(typeof entry.count, 'number', `${where}: _count`);
				const bounds = entry.buckets.map(([le]) => le);
				assert.deepEqual(bounds, [...bounds].sort((a, b) => a - b), `${where}: le ascending`);
				assert.equal(bounds.at(-1), Infinity, `${where}: +Inf bucket`);
				entry.buckets.forEach(([, v], i) => assert.ok(i === 0 || v >= (entry.buckets[i - 1]?.[1] ?? 0), `${where}: cumulative`));
				assert.equal(entry.buckets.at(-1)?.[1], entry.count, `${where}: +Inf == _count`);
				checked++;
			}
		}
		return checked;
	}

	test('2.0 (in-memory order, _created families): 16 families, no errors', () => {
		assert.equal(v20.skippedLines, 0);
		assert.equal(v20.firstError, null);
		assert.equal(v20.duplicateSamples, 0);
		assert.equal(v20.createdSamples, 13);
		assert.deepEqual(
			v20.families.map((f) => `${f.type} ${f.name}`),
			[
				'gauge fastdeploy:num_requests_running',
				'gauge fastdeploy:num_requests_waiting',
				'histogram fastdeploy:time_to_first_token_seconds',
				'histogram fastdeploy:time_per_output_token_seconds',
				'histogram fastdeploy:request_inference_time_seconds',
				'histogram fastdeploy:request_queue_time_seconds',
				'gauge fastdeploy:gpu_cache_usage_perc',
				'counter fastdeploy:generation_tokens_total',
				'histogram fastdeploy:request_prefill_time_seconds',
				'histogram fastdeploy:request_decode_time_seconds',
				'histogram fastdeploy:request_generation_tokens',
				'counter fastdeploy:request_success_total',
				'histogram fastdeploy:e2e_request_latency_seconds',
				'histogram fastdeploy:request_params_max_tokens',
				'counter fastdeploy:prompt_tokens_total',
				'histogram fastdeploy:request_prompt_tokens',
			],
		);
		assert.equal(v20.sampleCount, 207);
		assert.equal(assertCompleteHistograms(v20), 10);
	});

	test('no sample line is lost silently', () => {
		for (const [name, result] of [
			['fastdeploy-2.0.txt', v20],
			['fastdeploy-2.3.txt', v23],
		] as const) {
			const lines = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').split('\n');
			const sampleLines = lines.filter((line) => line !== '' && !line.startsWith('#'));
			assert.equal(result.sampleCount + result.createdSamples, sampleLines.length, name);
		}
	});

	test('2.0 details: HELP text, Python le reprs, all-zero prefill time', () => {
		const ttft = family(v20, 'fastdeploy:time_to_first_token_seconds');
		assert.equal(ttft.help, 'Time to first token in seconds');
		assert.deepEqual(
			ttft.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels['le']),
			['0.001', '0.005', '0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1.0', '+Inf'],
		);
		assert.deepEqual(
			ttft.samples.slice(-2).map((s) => s.name),
			['fastdeploy:time_to_first_token_seconds_count', 'fastdeploy:time_to_first_token_seconds_sum'],
		);
		const tokens = family(v20, 'fastdeploy:request_prompt_tokens').samples;
		assert.deepEqual(tokens.slice(0, 3).map((s) => s.labels['le']), ['1.0', '2.0', '5.0']);
		assert.ok(family(v20, 'fastdeploy:request_prefill_time_seconds').samples.every((s) => s.value === 0));
		assert.equal(family(v20, 'fastdeploy:request_success_total').samples[0]?.value, 30);
		assert.equal(family(v20, 'fastdeploy:gpu_cache_usage_perc').samples[0]?.value, 0.4375);
	});

	test('2.3 (multiprocess order: _sum first, no _created): no errors, every histogram complete', () => {
		assert.equal(v23.skippedLines, 0);
		assert.equal(v23.firstError, null);
		assert.equal(v23.createdSamples, 0);
		assert.equal(v23.duplicateSamples, 0);
		assert.equal(v23.families.length, 49);
		assert.equal(v23.sampleCount, 360);
		for (const f of v23.families.filter((x) => x.type === 'histogram')) {
			assert.equal(f.samples[0]?.name, `${f.name}_sum`, `${f.name} starts with _sum`);
		}
		assert.equal(assertCompleteHistograms(v23), 15);
	});

	test('2.3 labels: http_requests_total, zmq latency by address, pid on spec gauges', () => {
		const http = family(v23, 'http_requests_total');
		assert.equal(http.type, 'counter');
		assert.deepEqual({...http.samples[0]?.labels}, {method: 'GET', path: '/v1/models', status_code: '200'});
		const zmq = family(v23, 'fastdeploy:zmq:latency');
		assert.equal(zmq.type, 'histogram');
		assert.deepEqual(
			[...new Set(zmq.samples.map((s) => s.labels['address']))],
			['ipc:///dev/shm/router_8296.ipc', 'ipc:///dev/shm/stream_8296.ipc'],
		);
		const accepted = family(v23, 'fastdeploy:spec_decode_num_accepted_tokens_total');
		assert.equal(accepted.type, 'gauge');
		assert.deepEqual(
			accepted.samples.map((s) => [s.labels['pid'], s.value]),
			[
				['2241', 8790],
				['2563', 8435],
			],
		);
		const emitted = family(v23, 'fastdeploy:spec_decode_num_emitted_tokens_total').samples.reduce((n, s) => n + s.value, 0);
		assert.equal(emitted, family(v23, 'fastdeploy:generation_tokens_total').samples[0]?.value);
	});

	test('2.3 cache_config_info: many labels, model_cfg with escaped quotes, braces and commas', () => {
		const info = family(v23, 'fastdeploy:cache_config_info');
		const labels = info.samples[0]?.labels ?? {};
		assert.equal(Object.keys(labels).length, 25);
		assert.equal(labels['block_size'], '64');
		assert.equal(labels['total_block_num'], '8192');
		const modelCfg = labels['model_cfg'] ?? '';
		assert.ok(modelCfg.startsWith('{"model": "/models/ERNIE-4.5-0.3B-Paddle", "architectures": ["Ernie4_5_ForCausalLM"]'));
		const parsed = JSON.parse(modelCfg) as {rope_scaling: unknown; chat_template: string};
		assert.deepEqual(parsed.rope_scaling, {type: 'default', factor: 1.0});
		assert.ok(parsed.chat_template.includes('\n<|'));
		assert.equal(info.samples[0]?.value, 1);
	});
});
