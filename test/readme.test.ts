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
