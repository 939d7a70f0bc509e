/**
 * Data-sized arrays never reach the call stack (issue 13, item 2). `Math.max(...values)` over the
 * 150,000 series of a gauge that combines by max threw `RangeError: Maximum call stack size
 * exceeded` (exit 70) below the default --max-series; the Explorer did the same on a family of
 * 130,000 series. Everything under the caps must work, with 1,000,000 series when they are raised.
 * The lint rule in eslint.config.js (CallExpression > SpreadElement) keeps such spreads out.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {widenGauge} from '../helpers/exposition.js';
import {fixtureText, requireBuild, runCli} from './helpers.js';

let dir = '';
before(() => {
	requireBuild();
	dir = mkdtempSync(join(tmpdir(), 'fdtop-data-sized-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** The FastDeploy fixture with its one `max_batch_size` sample replaced by `n` series, one per pid (one of them 512). */
function wideGauge(n: number): string {
	return widenGauge(fixtureText('fastdeploy-2.3.txt'), 'fastdeploy:max_batch_size', n, i => (i === n - 7 ? 512 : i % 64));
}

/** A TTFT histogram of one labelled series (merged by bound) with `n` finite buckets and no `_count` sample. */
function wideHistogram(n: number): string {
	const base = fixtureText('fastdeploy-2.3.txt').replace(/^fastdeploy:time_to_first_token_seconds_(bucket|sum|count)\b.*\n/gm, '');
	const out = ['# HELP fastdeploy:time_to_first_token_seconds ttft', '# TYPE fastdeploy:time_to_first_token_seconds histogram'];
	for (let i = 1; i <= n; i++) out.push(`fastdeploy:time_to_first_token_seconds_bucket{model="m",le="${(i / n).toFixed(7)}"} ${i}`);
	out.push(`fastdeploy:time_to_first_token_seconds_bucket{model="m",le="+Inf"} ${n}`, `fastdeploy:time_to_first_token_seconds_sum ${n / 2}`);
	return `${base.replace(/^# (HELP|TYPE) fastdeploy:time_to_first_token_seconds .*\n/gm, '')}\n${out.join('\n')}\n`;
}

function write(name: string, text: string): string {
	const file = join(dir, name);
	writeFileSync(file, text);
	return file;
}

test('--once: 150,000 series of a max-combined gauge (below the default --max-series) report their max', async () => {
	const file = write('150k.txt', wideGauge(150_000));
	const text = await runCli(['--once', file]);
	assert.equal(text.code, 0, text.stderr.slice(0, 2000));
	assert.match(text.stdout, /Max batch\s+512\b/);
	const json = await runCli(['--once', '--json', '--families', file]);
	assert.equal(json.code, 0, json.stderr.slice(0, 2000));
	const target = JSON.parse(json.stdout).targets[0];
	assert.equal(target.metrics.maxBatchSize.value, 512);
	assert.equal(target.families.find((f: {name: string}) => f.name === 'fastdeploy:max_batch_size').samples.length, 150_000);
});

test('--once: a histogram with 150,000 buckets (and no _count) is read', async () => {
	const file = write('buckets.txt', wideHistogram(150_000));
	const result = await runCli(['--once', '--json', file]);
	assert.equal(result.code, 0, result.stderr.slice(0, 2000));
	const ttft = JSON.parse(result.stdout).targets[0].metrics.ttft;
	assert.equal(ttft.topBucket, 1, 'the largest finite bound of 150,000');
});

test('--once --json: 1,000,000 series with the caps raised', async () => {
	const file = write('1m.txt', wideGauge(1_000_000));
	const result = await runCli(['--once', '--json', '--max-series', '1100000', '--max-bytes', '256MiB', file]);
	assert.equal(result.code, 0, result.stderr.slice(0, 2000));
	const target = JSON.parse(result.stdout).targets[0];
	assert.equal(target.metrics.maxBatchSize.value, 512);
	assert.deepEqual(
		target.warnings.filter((w: string) => /max-series|max-bytes/.test(w)),
		[],
		'nothing was dropped',
	);
});
