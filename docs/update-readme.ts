/** Regenerate the metric table in README.md from the catalog: `npm run docs`. */
import {readFileSync, writeFileSync} from 'node:fs';
import {catalogMarkdown} from '../source/metrics/catalog-markdown.js';

const START = '<!-- metric-table:start -->';
const END = '<!-- metric-table:end -->';
const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a === -1 || b === -1) throw new Error('README.md lacks the metric-table markers');
writeFileSync(path, `${readme.slice(0, a + START.length)}\n${catalogMarkdown()}\n${readme.slice(b)}`);
