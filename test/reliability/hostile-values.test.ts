/**
 * Hostile values (issue 13, item 8), run as a user would: `--once` and `--once --json` against an
 * exposition file holding one bad value each. Each gives a warning for the target (text report and
 * JSON `warnings`), the figure it would have fed is absent (`--`; its JSON key missing), and every
 * other figure stays as it was. Non-monotonic buckets keep their percentiles (as Prometheus does)
 * with a warning.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fixtureText, requireBuild, runCli} from './helpers.js';

let dir = '';
before(() => {
	requireBuild();
	dir = mkdtempSync(join(tmpdir(), 'fdtop-hostile-values-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

const BASE = fixtureText('fastdeploy-2.3.txt');

/** The fixture with one line replaced (`from` must occur once). */
function variant(from: string, to: string): string {
	assert.equal(BASE.split(from).length, 2, `${from} occurs once in the fixture`);
	return BASE.replace(from, to);
}

interface Case {
	name: string;
	text: string;
	/** The JSON metric key that must be absent; null when the figure is kept. */
	key: string | null;
	warning: RegExp;
	/** A line the text report must (not) hold. */
	report?: RegExp;
	absentLine?: RegExp;
}

const TTFT_P = 'fastdeploy:time_to_first_token_seconds';
const CASES: Case[] = [
	{
		name: '1e308 tokens',
		text: variant('fastdeploy:generation_tokens_total 31580.0\n', 'fastdeploy:generation_tokens_total 1e308\n'),
		key: 'generationTokensTotal',
		warning: /fastdeploy:generation_tokens_total: 1e\+308 is beyond 2\^53, where counting is no longer exact; not shown/,
		absentLine: /^Gen tokens/m,
	},
	{
		name: 'a KV cache gauge of 1e308',
		text: variant('fastdeploy:gpu_cache_usage_perc 0.375\n', 'fastdeploy:gpu_cache_usage_perc 1e308\n'),
		key: 'kvCacheUsage',
		warning: /fastdeploy:gpu_cache_usage_perc: 1e\+308 is beyond 2\^53/,
		absentLine: /Infinity|^KV cache\s+\S+ %/m,
	},
	{
		name: 'a KV cache gauge of 3 (not a ratio)',
		text: variant('fastdeploy:gpu_cache_usage_perc 0.375\n', 'fastdeploy:gpu_cache_usage_perc 3\n'),
		key: 'kvCacheUsage',
		warning: /fastdeploy:gpu_cache_usage_perc: 3 is not a ratio between 0 and 1; not shown/,
		absentLine: /^KV cache\s+\S+ %/m,
	},
	{
		name: 'a negative counter',
		text: variant('fastdeploy:request_success_total 120.0\n', 'fastdeploy:request_success_total -5\n'),
		key: 'requestSuccessTotal',
		warning: /fastdeploy:request_success_total: -5 is negative, which a counter never is; not shown/,
		absentLine: /^Finished/m,
	},
	{
		name: 'a negative histogram count',
		text: variant(`${TTFT_P}_count 124.0\n`, `${TTFT_P}_count -124\n`),
		key: 'ttft',
		warning: /fastdeploy:time_to_first_token_seconds: -124 is negative, which a histogram never is \(fastdeploy:time_to_first_token_seconds_count\); not shown/,
		absentLine: /^TTFT/m,
	},
	{
		name: 'a NaN gauge',
		text: variant('fastdeploy:num_requests_running 4.0\n', 'fastdeploy:num_requests_running NaN\n'),
		key: 'running',
		warning: /fastdeploy:num_requests_running: NaN is not a value; not shown/,
		absentLine: /^Running/m,
	},
	{
		name: 'a duplicate series',
		text: variant('fastdeploy:num_requests_running 4.0\n', 'fastdeploy:num_requests_running 4.0\nfastdeploy:num_requests_running 9.0\n'),
		key: 'running',
		warning: /fastdeploy:num_requests_running: a series is written more than once \(the last value is kept in the list\); its figures are not shown/,
		absentLine: /^Running/m,
	},
	{
		name: 'a duplicate le (same text)',
		text: variant(`${TTFT_P}_bucket{le="0.1"} 26.0\n`, `${TTFT_P}_bucket{le="0.1"} 26.0\n${TTFT_P}_bucket{le="0.1"} 90.0\n`),
		key: 'ttft',
		warning: /fastdeploy:time_to_first_token_seconds: a series is written more than once/,
		absentLine: /^TTFT/m,
	},
	{
		name: 'a duplicate le ("0.1" and "0.10")',
		text: variant(`${TTFT_P}_bucket{le="0.1"} 26.0\n`, `${TTFT_P}_bucket{le="0.1"} 26.0\n${TTFT_P}_bucket{le="0.10"} 90.0\n`),
		key: 'ttft',
		warning: /fastdeploy:time_to_first_token_seconds: bucket le=0\.1 is written more than once in one series; not shown/,
		absentLine: /^TTFT/m,
	},
	{
		name: 'non-monotonic buckets',
		text: variant(`${TTFT_P}_bucket{le="0.5"} 109.0\n`, `${TTFT_P}_bucket{le="0.5"} 50.0\n`),
		key: null,
		warning: /fastdeploy:time_to_first_token_seconds: bucket counts fall as the bound rises \(le 0\.25: 78, le 0\.5: 50\); percentiles use the counts made monotonic, as Prometheus does/,
		report: /^TTFT .*124/m,
	},
];

describe('hostile values: a warning, the figure absent, the rest intact', () => {
	for (const c of CASES) {
		test(c.name, async () => {
			const file = join(dir, `${c.name.replace(/\W+/g, '-')}.txt`);
			writeFileSync(file, c.text);
			const json = await runCli(['--once', '--json', file]);
			assert.equal(json.code, 0, json.stderr);
			const target = JSON.parse(json.stdout).targets[0];
			assert.ok(target.warnings.some((w: string) => c.warning.test(w)), `warnings: ${JSON.stringify(target.warnings)}`);
			if (c.key) assert.equal(target.metrics[c.key], undefined, `${c.key} is absent`);
			else assert.equal(typeof target.metrics.ttft.lifetime.p50.value, 'number');
			// Everything else is still read: the other figures of the fixture stay.
			for (const other of ['tpot', 'promptTokensTotal', 'maxBatchSize']) assert.ok(target.metrics[other], `${other} kept`);
			for (const value of Object.values(target.metrics) as {value?: unknown}[]) assert.notEqual(typeof value.value, 'string', 'no non-finite figure reaches a metric');

			const text = await runCli(['--once', file]);
			assert.equal(text.code, 0, text.stderr);
			const warningLine = text.stdout.split('\n').find(l => l.startsWith('  warning: ') && c.warning.test(l));
			assert.ok(warningLine, `a warning line in:\n${text.stdout}`);
			if (c.absentLine) assert.doesNotMatch(text.stdout, c.absentLine);
			if (c.report) assert.match(text.stdout, c.report);
			assert.doesNotMatch(text.stdout, /Infinity|e\+\d{3}[A-Z]|NaN %/);
		});
	}
});
