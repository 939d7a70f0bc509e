/** Regenerate the generated tables in README.md (metrics from the catalog, keys from the key map): `npm run docs`. */
import {readFileSync, writeFileSync} from 'node:fs';
import {catalogMarkdown} from '../source/metrics/catalog-markdown.js';
import {keymapMarkdown} from '../source/ui/keymap.js';

const path = new URL('../README.md', import.meta.url);
let readme = readFileSync(path, 'utf8');

function replace(name: string, content: string): void {
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const a = readme.indexOf(start);
	const b = readme.indexOf(end);
	if (a === -1 || b === -1) throw new Error(`README.md lacks the ${name} markers`);
	readme = `${readme.slice(0, a + start.length)}\n${content}\n${readme.slice(b)}`;
}

replace('metric-table', catalogMarkdown());
replace('key-table', keymapMarkdown());
writeFileSync(path, readme);
