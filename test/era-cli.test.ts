/**
 * The version guess and a dead target as a user meets them: `fdtop --once` as a process
 * (issue 14 §1, and §4 "`--once` against a dead target prints its error twice and says
 * `unknown engine`").
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {generateScrapes} from '../demo/sim/generate.js';
import {runCli} from './helpers/cli.js';

function simulated(era: '2.0' | '2.3'): string {
	return [...generateScrapes({scenario: 'steady', era, seed: 3, intervalSeconds: 1, count: 2, warmupSeconds: 120})].at(-1)!.text;
}

/** The 2.3 multiprocess collector's part alone: no `_created`, `_sum` first, spec gauges with pid. */
function collectorOnly(text: string): string {
	const keep: string[] = [];
	let drop = false;
	for (const line of text.split('\n')) {
		const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
		if (m) drop = m[1]!.startsWith('http_') || /^fastdeploy:(num_requests_|gpu_cache_usage_perc|batch_size|max_batch_size|available_|free_gpu|max_gpu|hit_|cpu_hit|gpu_hit)/.test(m[1]!);
		if (!drop) keep.push(line);
	}
	return keep.join('\n');
}

describe('fdtop --once: the FastDeploy version', () => {
	test('a 2.3 multiprocess exposition is 2.3 (likely), without the 2.0–2.2 TTFT note', async () => {
		const r = await runCli(['--once', '-'], {}, collectorOnly(simulated('2.3')));
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^stdin {2}- {2}up {2}fastdeploy 2\.3\?$/m);
		assert.match(r.stdout, /^ {2}FastDeploy version: 2\.3\? \(likely\), from:\n {4}multiprocess exposition \(no `_created` samples, `_sum` before `_bucket`/m);
		assert.doesNotMatch(r.stdout, /TTFT.*(inference start|queue time)/);
	});

	test('--once --json: era, eraConfidence and eraEvidence; --era overrides and says so', async () => {
		const guessed = JSON.parse((await runCli(['--once', '--json', '-'], {}, simulated('2.3'))).stdout).targets[0];
		assert.equal(guessed.era, '2.3');
		assert.equal(guessed.eraConfidence, 'certain');
		assert.ok(guessed.eraEvidence.some((e: string) => /http_requests_total.*added in 2\.3/.test(e)), guessed.eraEvidence.join('\n'));
		const r = await runCli(['--once', '--json', '--era', '2.2', '-'], {}, simulated('2.3'));
		const given = JSON.parse(r.stdout).targets[0];
		assert.deepEqual([given.era, given.eraConfidence, given.eraEvidence[0]], ['2.2', 'given', '--era 2.2 (the metrics alone say 2.3)']);
		const text = await runCli(['--once', '--era', '2.2', '-'], {}, simulated('2.3'));
		assert.match(text.stdout, /note: Assuming FastDeploy 2\.2 \(--era\): TTFT is measured from inference start/);
	});

	test('a bad --era exits 2 naming the valid versions, with the usage text', async () => {
		for (const bad of ['3', '2.4', '']) {
			const r = await runCli(['--once', '--era', bad, '-'], {}, simulated('2.0'));
			assert.equal(r.code, 2, r.stderr);
			assert.match(r.stderr, /^fdtop: --era .*: choose one of 2\.0, 2\.1, 2\.2, 2\.3, 2\.4\+ /);
			assert.match(r.stderr, /Usage/);
			assert.equal(r.stdout, '');
		}
		assert.match((await runCli(['--help'])).stdout, /--era VERSION/);
	});
});

describe('fdtop --once against a dead target', () => {
	const url = 'http://127.0.0.1:1/metrics';
	test('the error is printed once and nothing is said about an engine', async () => {
		const r = await runCli(['--once', '--interval', '100ms', url]);
		assert.equal(r.code, 1);
		const all = r.stdout + r.stderr;
		assert.equal(all.split('connection refused').length - 1, 1, all);
		assert.doesNotMatch(all, /unknown engine/);
		assert.match(r.stdout, /^http:\/\/127\.0\.0\.1:1\/metrics {2}DOWN {2}no data$/m);
		assert.match(r.stderr, /^fdtop: http:\/\/127\.0\.0\.1:1\/metrics: connection refused/);
	});

	test('--json: one line on stderr, the error in the JSON, no engine', async () => {
		const r = await runCli(['--once', '--json', '--interval', '100ms', url]);
		assert.equal(r.code, 1);
		assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
		const t = JSON.parse(r.stdout).targets[0];
		assert.match(t.error, /connection refused/);
		assert.deepEqual([t.engine, t.era, t.eraConfidence, t.eraEvidence], [null, null, 'unknown', []]);
		assert.doesNotMatch(r.stdout + r.stderr, /unknown engine/);
	});
});
