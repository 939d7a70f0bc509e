/**
 * The class behind issue 13 item 3: a file written through a stream whose errors nobody keeps
 * (a `once('error')` for the open only, or none at all) fails without a word. Every write stream
 * fdtop creates in source/ must have a persistent `.on('error', …)` in the same file, where the
 * error is kept and reported (tested as processes in recording-failures.test.ts).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {ROOT} from './helpers.js';

function sources(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

test('every write stream in source/ has a persistent error listener in its file', () => {
	const offenders: string[] = [];
	let streams = 0;
	for (const file of sources(join(ROOT, 'source'))) {
		const text = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
		const created = count(text, /\bcreateWriteStream\(|\bcreateGzip\(/g);
		const listened = count(text, /\.on\(\s*'error'/g);
		streams += created;
		if (created > listened) offenders.push(`${file.slice(ROOT.length)}: ${created} write stream(s), ${listened} .on('error', …)`);
	}
	assert.ok(streams >= 3, `the scan found ${streams} write streams: the pattern is stale`);
	assert.deepEqual(offenders, []);
});
