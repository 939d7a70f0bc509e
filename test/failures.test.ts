import {test} from 'node:test';
import assert from 'node:assert/strict';
import {failureLines} from '../source/failures.js';
import type {TargetState, TargetStatus} from '../source/store.js';

function status(name: string, state: TargetState, error: string | null, location = `http://${name}/metrics`): TargetStatus {
	return {name, location, state, error, lastOkAt: null, lastAttemptAt: null, durationMs: null, bytes: null, scrapes: 0, failures: 1, skippedLines: 0, parseError: null, families: [], derived: null, era: null, eraConfidence: 'unknown', eraEvidence: [], warnings: []};
}
const refused = (name: string) => status(name, 'down', `http://${name}/metrics: connection refused`);

test('no line when every target is up', () => {
	assert.deepEqual(failureLines([status('a', 'up', null), status('b', 'up', null)]), []);
});

test('a cause shared by a few targets keeps one line per target, as the error says it', () => {
	assert.deepEqual(failureLines([refused('a:1'), status('ok', 'up', null), refused('b:2')]), ['http://a:1/metrics: connection refused', 'http://b:2/metrics: connection refused']);
});

test('a cause shared by many is one line: count, state, cause, three names and how many more', () => {
	const targets = Array.from({length: 9800}, (_, i) => refused(`h${i}:1`));
	assert.deepEqual(failureLines(targets), ['9,800 down: connection refused (h0:1, h1:1, h2:1 … and 9,797 more)']);
});

test('causes are grouped by state and cause, the commonest first', () => {
	const targets = [
		status('x', 'stale', 'http://x/metrics: timed out after 5 s'),
		...Array.from({length: 5}, (_, i) => refused(`r${i}`)),
		status('y', 'stale', 'http://y/metrics: timed out after 5 s'),
		status('z', 'down', 'http://z/metrics: timed out after 5 s'),
		status('w', 'stale', 'http://w/metrics: timed out after 5 s'),
		status('v', 'stale', 'http://v/metrics: timed out after 5 s'),
	];
	assert.deepEqual(failureLines(targets), ['5 down: connection refused (r0, r1, r2 … and 2 more)', '4 stale: timed out after 5 s (x, y, w … and 1 more)', 'http://z/metrics: timed out after 5 s']);
});

test('an error that does not start with the location is its own cause; a missing one reads "not read"', () => {
	assert.deepEqual(failureLines([status('a', 'down', 'something else'), status('b', 'down', null)]), ['something else', 'http://b/metrics: not read']);
});

test('thousands of distinct causes stay a bounded number of lines', () => {
	const targets = Array.from({length: 5000}, (_, i) => status(`h${i}`, 'down', `http://h${i}/metrics: HTTP 500: error ${i}`));
	const lines = failureLines(targets, {maxLines: 20});
	assert.equal(lines.length, 20);
	assert.equal(lines.at(-1), '… and 4,981 more targets not up, with 4,981 other causes');
});

test('names and causes from outside are escaped', () => {
	const targets = Array.from({length: 4}, (_, i) => status(`n\u001b]2;x\u0007${i}`, 'down', `loc: HTTP 500: \u001b[31mred`, 'loc'));
	for (const line of failureLines(targets)) assert.doesNotMatch(line, /[\u0007\u001b]/);
});
