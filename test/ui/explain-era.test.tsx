/** Explain says which FastDeploy version its version-bound notes assume, and why (issue 14 §1). */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildStore, fixture, renderApp, type Rendered} from './helpers.js';

const ESC = '\u001b';

let open: Rendered | null = null;
afterEach(() => {
	open?.unmount();
	open = null;
});

/** The Explain overlay of the Latency view (TTFT in focus), scrolled through to its end. */
async function explainLatency(text: string): Promise<string> {
	const built = buildStore({text});
	open = await renderApp(built.store, {columns: 100, rows: 200});
	await open.press('2');
	await open.press('e');
	return open.frame();
}

describe('Explain and the FastDeploy version', () => {
	test('2.3: the version, what it rests on, and what TTFT, queue and prefill mean there', async () => {
		const f = await explainLatency(fixture('fastdeploy-2.3.txt'));
		assert.match(f, /FastDeploy version {2}2\.3 {2}\(certain\)/);
		assert.match(f, /Guessed from the metrics \(--era sets it\)\. What the guess rests on:/);
		assert.match(f, /● http_requests_total, http_request_duration_seconds: added in 2\.3/);
		assert.match(f, /On this server \(FastDeploy 2\.3\): timed from request arrival: tokenization and queueing are in it\./);
		assert.match(f, /On this server \(FastDeploy 2\.3\): inference start − preprocess end\./);
		// TTFT (the row in focus) stays first.
		assert.match(f, /Explain[^\n]*\n\s*TTFT/);
		await open!.press(ESC);
	});

	test('2.0 (likely): the notes say 2.0? and what 2.0 measures', async () => {
		const f = await explainLatency(fixture('fastdeploy-2.0.txt'));
		assert.match(f, /FastDeploy version {2}2\.0\? {2}\(likely\)/);
		assert.match(f, /On this server \(FastDeploy 2\.0\?\): timed from inference start: queueing and tokenization are not in\s+it\./);
	});

	test('a version the metrics leave open: said so, and no note claims a version', async () => {
		const sparse = ['# TYPE fastdeploy:time_to_first_token_seconds histogram', 'fastdeploy:time_to_first_token_seconds_bucket{le="0.1"} 3', 'fastdeploy:time_to_first_token_seconds_bucket{le="+Inf"} 4', 'fastdeploy:time_to_first_token_seconds_sum 0.5', 'fastdeploy:time_to_first_token_seconds_count 4', '# TYPE fastdeploy:batch_size gauge', 'fastdeploy:batch_size 3', ''].join('\n');
		const f = await explainLatency(sparse);
		assert.match(f, /FastDeploy version {2}unknown: the metrics fit several versions/);
		assert.match(f, /could be 2\.2\+/);
		assert.doesNotMatch(f, /On this server/);
	});
});
