import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ROOT, runCli} from './helpers/cli.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-export-'));
const article = readFileSync(`${ROOT}test/fixtures/article-fastdeploy-2.0.txt`, 'utf8');
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

async function recordArticle(file: string, scrapes: number): Promise<void> {
	const start = Date.UTC(2026, 10, 1, 12);
	const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(start).toISOString(), fdtop: 'test', targets: [{name: 'gpu1', target: 'http://gpu1:8001/metrics'}], intervalMs: 1000});
	for (let n = 0; n < scrapes; n++) {
		// The counters move between scrapes, as they would live.
		const text = article.replace('fastdeploy:generation_tokens_total 6955.0', `fastdeploy:generation_tokens_total ${6955 + 40 * n}.0`);
		writer.append(0, {target: 'http://gpu1:8001/metrics', t: start + n * 1000, text, durationMs: 2, bytes: text.length});
	}
	writer.append(0, {target: 'http://gpu1:8001/metrics', t: start + scrapes * 1000, error: 'http://gpu1:8001/metrics: connection refused', durationMs: 1, bytes: 0});
	await writer.close();
}

describe('fdtop export --format openmetrics', () => {
	test('writes OpenMetrics with timestamps in seconds, counters without _total in TYPE, and # EOF', async () => {
		const file = join(dir, 'a.jsonl.gz');
		await recordArticle(file, 3);
		const r = await runCli(['export', file, '--format', 'openmetrics']);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /exported 3 scrapes/);
		assert.match(r.stderr, /1 failed scrapes skipped/);
		const out = r.stdout;
		assert.ok(out.endsWith('# EOF\n'));
		assert.match(out, /^# TYPE fastdeploy:generation_tokens counter$/m);
		assert.match(out, /^fastdeploy:generation_tokens_total 6995 1793534401\.000$/m);
		assert.match(out, /^# TYPE fastdeploy:time_to_first_token_seconds histogram$/m);
		assert.match(out, /^fastdeploy:time_to_first_token_seconds_bucket\{le="\+Inf"\} 30 1793534400\.000$/m);
		assert.doesNotMatch(out, /_created/);
		// Every family's samples are together: a TYPE line never repeats.
		const types = out.split('\n').filter(l => l.startsWith('# TYPE '));
		assert.equal(new Set(types).size, types.length);
	});

	test('promtool accepts it and creates TSDB blocks', {skip: hasPromtool ? false : 'promtool not installed (apt-get install prometheus)'}, async () => {
		const file = join(dir, 'b.jsonl');
		await recordArticle(file, 20);
		const om = join(dir, 'b.om');
		const r = await runCli(['export', file, '--format', 'openmetrics', '-o', om]);
		assert.equal(r.code, 0, r.stderr);
		const data = join(dir, 'tsdb');
		const created = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, data], {encoding: 'utf8'});
		assert.equal(created.status, 0, created.stderr + created.stdout);
		const list = execFileSync('promtool', ['tsdb', 'list', data], {encoding: 'utf8'});
		assert.match(list, /BLOCK ULID/);
		assert.ok(list.trim().split('\n').length >= 2, list);
	});

	test('an output file that cannot be written is a clear error, exit 1', async () => {
		const file = join(dir, 'c.jsonl');
		await recordArticle(file, 2);
		const r = await runCli(['export', file, '-o', join(dir, 'no-such-dir', 'x.om')]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /export -o .*x\.om: .*no such file or directory/);
	});

	test('bad export usage exits 2', async () => {
		const r = await runCli(['export']);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /export takes one recording/);
		const f = await runCli(['export', 'x.jsonl', '--format', 'csv']);
		assert.equal(f.code, 2);
		assert.match(f.stderr, /only openmetrics/);
	});
});
