import {readdirSync} from 'node:fs';
import {posix} from 'node:path';
import {URL} from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of source/, bottom first (docs/ARCHITECTURE.md). A module imports from its own layer
 * and the layers below it, never from one above: data flows source → parse → snapshot → history →
 * derive → store → view, and each stage builds on the ones before it. A file named here belongs to
 * its layer even inside a folder of another (the catalog is in metrics/ but is vocabulary that
 * sources/ uses too); a folder takes every other file under it. A file in no layer is an error:
 * give it one.
 */
export const LAYERS = [
	{name: 'helpers', modules: ['arrays.ts', 'charset.ts', 'did-you-mean.ts', 'redact.ts', 'text.ts', 'version.ts', 'i18n/'], why: 'plain helpers with no domain, used everywhere'},
	{name: 'vocabulary', modules: ['prom/float.ts', 'metrics/catalog.ts', 'metrics/catalog-types.ts'], why: "Go's float grammar and the metric catalog: every stage speaks them"},
	{name: 'sources', modules: ['sources/'], why: 'the only I/O: scrapes in'},
	{name: 'parse', modules: ['prom/'], why: 'exposition text → families (pure)'},
	{name: 'metrics', modules: ['metrics/'], why: 'snapshot, history, derive (pure)'},
	{name: 'store', modules: ['store.ts', 'controls.ts', 'store/'], why: 'the poll loop and AppState'},
	{name: 'reports', modules: ['format.ts', 'report.ts', 'export.ts', 'failures.ts', 'output.ts', 'slo-report.ts', 'html-report.ts', 'html-report-model.ts', 'compare-report.ts', 'alert-report.ts', 'event-words.ts'], why: 'text and JSON out of AppState and recordings'},
	{name: 'ui', modules: ['ui/'], why: 'Ink views of AppState'},
	{name: 'entry', modules: ['cli.tsx', 'config.ts', 'help-text.ts', 'demo.ts', 'check.ts', 'slo-backfill.ts', 'report-html-cli.ts', 'compare-command.ts', 'compare-sides.ts', 'config-read.ts', 'config-file.ts', 'config-command.ts'], why: 'flags → Config → sources, store, then the UI or a report'},
];
/** Pure layers (no I/O) take only these from sources/: data shapes, never a source. */
const PURE = new Set(['parse', 'metrics']);
const PURE_FROM_SOURCES = new Set(['sources/types.ts']);

const SOURCE = new URL('./source/', import.meta.url);
function sourceFiles(dir = '') {
	return readdirSync(new URL(dir, SOURCE), {withFileTypes: true}).flatMap(e =>
		e.isDirectory() ? sourceFiles(`${dir}${e.name}/`) : /\.tsx?$/.test(e.name) ? [`${dir}${e.name}`] : [],
	);
}

/** The layer index of a path under source/ ('metrics/derive.ts'), or -1. */
export function layerOf(file) {
	const named = LAYERS.findIndex(l => l.modules.includes(file));
	if (named >= 0) return named;
	return LAYERS.findIndex(l => l.modules.some(m => m.endsWith('/') && file.startsWith(m)));
}

/** One no-restricted-imports override per directory: each file there may not name a module of a layer above its own. */
function layerRules() {
	const files = sourceFiles();
	const unplaced = files.filter(f => layerOf(f) < 0);
	if (unplaced.length > 0) throw new Error(`eslint.config.js: ${unplaced.map(f => `source/${f}`).join(', ')} in no layer: add to LAYERS (docs/ARCHITECTURE.md)`);
	const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const specifier = (dir, file) => {
		const path = posix.relative(dir, file).replace(/\.tsx?$/, '');
		return path.startsWith('.') ? path : `./${path}`;
	};
	const groups = new Map();
	for (const f of files) {
		const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
		const key = `${dir}\0${layerOf(f)}`;
		if (!groups.has(key)) groups.set(key, {dir, layer: layerOf(f), files: []});
		groups.get(key).files.push(f);
	}
	const configs = [];
	for (const {dir, layer, files: own} of groups.values()) {
		const name = LAYERS[layer].name;
		const patterns = [];
		for (let above = layer + 1; above < LAYERS.length; above++) {
			const targets = files.filter(f => layerOf(f) === above);
			if (targets.length === 0) continue;
			patterns.push({
				regex: `^(?:${targets.map(t => escape(specifier(dir, t))).join('|')})(?:\\.[jt]sx?)?$`,
				message: `layer '${LAYERS[above].name}' is above '${name}': imports point down the flow (docs/ARCHITECTURE.md, LAYERS in eslint.config.js)`,
			});
		}
		if (PURE.has(name)) {
			const io = files.filter(f => layerOf(f) === LAYERS.findIndex(l => l.name === 'sources') && !PURE_FROM_SOURCES.has(f));
			patterns.push({regex: `^(?:${io.map(t => escape(specifier(dir, t))).join('|')})(?:\\.[jt]sx?)?$`, message: `'${name}' is pure: from sources/ it takes only ${[...PURE_FROM_SOURCES].join(', ')} (docs/ARCHITECTURE.md)`});
		}
		// A folder's override covers files added to it later too; a named file, only itself.
		const folder = LAYERS[layer].modules.some(m => m.endsWith('/') && `${dir}/`.startsWith(m));
		const others = folder ? files.filter(f => posix.dirname(f) === (dir || '.') && layerOf(f) !== layer) : [];
		configs.push({
			files: folder ? [`source/${dir}/*.ts`, `source/${dir}/*.tsx`] : own.map(f => `source/${f}`),
			...(others.length > 0 && {ignores: others.map(f => `source/${f}`)}),
			rules: {'no-restricted-imports': ['error', {patterns}]},
		});
	}
	return configs;
}

export default tseslint.config(
	{ignores: ['dist/**', 'release/**', '.dist-sea/**', '.dist-pack/**', 'node_modules/**', 'demo/recordings/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
			eqeqeq: ['error', 'always', {null: 'ignore'}],
			'prefer-const': 'error',
		},
	},
	{
		// Series, buckets, families and lines are data-sized: a spread into a call puts every
		// element on the stack and throws "Maximum call stack size exceeded" past ~120,000
		// (issue 13: Math.max(...values) over 150,000 series). Loop, or use source/arrays.ts.
		files: ['source/**/*.ts', 'source/**/*.tsx'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{selector: 'CallExpression > SpreadElement', message: 'No spread into a call: data-sized arrays overflow the stack. Use maxOf/minOf/append from source/arrays.ts or a loop.'},
				{selector: 'NewExpression > SpreadElement', message: 'No spread into a constructor: data-sized arrays overflow the stack. Use a loop.'},
			],
		},
	},
	...layerRules(),
);
