import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {catalogMarkdown} from '../source/metrics/catalog-markdown.js';
import {keymapMarkdown} from '../source/ui/keymap.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README starts with the two set-up commands', () => {
	const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
	assert.match(firstBlock, /^npm install && npm start/m);
	assert.match(firstBlock, /^npm test/m);
	assert.ok(readme.indexOf('npm install && npm start') < 200, 'at the top');
});

test('the README metric table matches the catalog (npm run docs regenerates it)', () => {
	assert.ok(readme.includes(catalogMarkdown()), 'README metric table is stale: run npm run docs');
});

test('the README key table matches the key map the app uses (npm run docs regenerates it)', () => {
	assert.ok(readme.includes(keymapMarkdown()), 'README key table is stale: run npm run docs');
});

test('the JSON contract names each histogram key where --once --json puts it (entry, or lifetime and window)', async () => {
	const {runCli} = await import('./helpers/cli.js');
	const r = await runCli(['--once', '--json', '--demo', 'burst-2.3']);
	assert.equal(r.code, 0, r.stderr);
	const ttft = JSON.parse(r.stdout).targets[0].metrics.ttft;
	const contract = readme.slice(readme.indexOf('### JSON contract'), readme.indexOf('## What fdtop promises'));
	const keys = (from: string, to: string) => [...contract.slice(contract.indexOf(from) + from.length, contract.indexOf(to, contract.indexOf(from))).matchAll(/`([a-z]\w*)`/g)].map(m => m[1]!);
	const entry = keys('per entry ', '; in `lifetime` and `window`');
	const stats = keys('in `lifetime` and `window`, ', '); counters');
	assert.ok(entry.includes('reset') && stats.includes('rate') && stats.includes('quantileBuckets'), `${entry} / ${stats}`);
	for (const key of entry.filter(k => k !== 'unit' || 'unit' in ttft)) assert.ok(key in ttft, `README: entry key ${key}, not in ${Object.keys(ttft)}`);
	for (const key of stats.filter(k => !['bounds', 'coarse', 'p50', 'p90', 'p99', 'pN', 'hi', 'null', 'lo'].includes(k))) {
		assert.ok(key in ttft.window && key in ttft.lifetime, `README: lifetime/window key ${key}, not in ${Object.keys(ttft.window)}`);
	}
});
