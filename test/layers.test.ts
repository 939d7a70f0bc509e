/**
 * The layering of source/ (issue 16, docs/ARCHITECTURE.md): imports point down the flow
 * source → parse → snapshot → history → derive → store → view, and eslint.config.js enforces it
 * with no-restricted-imports per folder. These probes lint text as if it were a file in source/.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {ESLint} from 'eslint';
import {ROOT} from './helpers/cli.js';
// @ts-expect-error: the ESLint config is plain JavaScript, without types.
import {LAYERS, layerOf} from '../eslint.config.js';

const eslint = new ESLint({cwd: ROOT});

async function layerErrors(file: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: join(ROOT, 'source', file)});
	return result!.messages.filter(m => m.ruleId === 'no-restricted-imports' || m.fatal).map(m => `${m.line}: ${m.message}`);
}

test('an upward import is a lint error, type-only or not, from every layer', async () => {
	const upward: [string, string][] = [
		// The imports this issue removed: metrics/ and sources/ took types from the store and controls.
		['metrics/fleet.ts', "import type {TargetStatus} from '../store.js';"],
		['sources/replay.ts', "import type {Store} from '../store.js';"],
		['sources/replay.ts', "import type {Controls} from '../controls.js';"],
		['prom/parse.ts', "import {derive} from '../metrics/derive.js';"],
		['sources/http.ts', "import {parseExposition} from '../prom/parse.js';"],
		['store.ts', "import {render} from './report.js';"],
		['report.ts', "export {App} from './ui/app.js';"],
		['ui/views/fleet.tsx', "import {parseFlags} from '../../config.js';"],
		['text.ts', "import type {AppState} from './store';"],
		['metrics/catalog.ts', "import {History} from './history.js';"],
	];
	for (const [file, line] of upward) {
		const errors = await layerErrors(file, `${line}\nexport const probe = 1;\n`);
		assert.equal(errors.length, 1, `${file}: ${line} → ${JSON.stringify(errors)}`);
		assert.match(errors[0]!, /^1: .*imports point down the flow/);
	}
});

test('pure layers take only data shapes from sources/', async () => {
	assert.deepEqual(await layerErrors('metrics/probe.ts', "import type {TargetState} from '../sources/types.js';\nexport type P = TargetState;\n"), []);
	const errors = await layerErrors('metrics/probe.ts', "import {HttpSource} from '../sources/http.js';\nexport const p = HttpSource;\n");
	assert.equal(errors.length, 1);
	assert.match(errors[0]!, /'metrics' is pure/);
});

test('imports down the flow, and of the shared vocabulary, pass', async () => {
	const downward: [string, string][] = [
		['store.ts', "import {derive} from './metrics/derive.js';"],
		['metrics/probe.ts', "import {parseExposition} from '../prom/parse.js';"],
		['sources/probe.ts', "import {CATALOG} from '../metrics/catalog.js';\nimport {formatGoFloat} from '../prom/float.js';"],
		['ui/views/probe.tsx', "import {fleetRows} from '../../metrics/fleet.js';\nimport type {AppState} from '../../store.js';"],
		['cli.tsx', "import {run} from './ui/run.js';"],
	];
	for (const [file, lines] of downward) assert.deepEqual(await layerErrors(file, `${lines}\nexport const probe = 1;\n`), [], `${file}: ${lines}`);
});

test('every file in source/ is in exactly one layer', () => {
	const walk = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
	const files = walk(join(ROOT, 'source')).map(f => relative(join(ROOT, 'source'), f).split('\\').join('/'));
	const unplaced = files.filter(f => (layerOf as (f: string) => number)(f) < 0);
	assert.deepEqual(unplaced, []);
	// Named files exist (a rename must update the table, or its rule would silently lapse).
	const named = (LAYERS as {modules: string[]}[]).flatMap(l => l.modules.filter(m => !m.endsWith('/')));
	assert.deepEqual(named.filter(m => !files.includes(m)), []);
});

test('no file in source/ is over ~400 lines, but the catalog (data)', () => {
	const LIMIT = 420;
	const DATA = new Set(['metrics/catalog.ts']);
	const walk = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
	const long = walk(join(ROOT, 'source'))
		.map(f => ({file: relative(join(ROOT, 'source'), f).split('\\').join('/'), lines: readFileSync(f, 'utf8').split('\n').length}))
		.filter(f => f.lines > LIMIT && !DATA.has(f.file))
		.map(f => `source/${f.file}: ${f.lines} lines`);
	assert.deepEqual(long, [], 'split these by concern (docs/ARCHITECTURE.md)');
});
