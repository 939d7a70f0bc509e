/**
 * Build dist/ for the bin. Bundling is for start-up: Node's loader resolving, reading and lexing a
 * few hundred CommonJS and ESM files of node_modules cost more than the rest of the first frame.
 * Type checking stays with `npm run typecheck` (tsc emits nothing). The steps, each below with its
 * reason:
 *
 * 1. dist/ui.mjs: the live UI (Ink, the views), ES modules, loaded only by source/cli.tsx's lazy
 *    import of ./ui/run.js: `--once`, `--json`, `--version` and `export` never read it.
 * 2. dist/lazy/NAME.mjs: what only a subcommand or a config file needs (yaml and zod, uPlot's text,
 *    check, compare, config), ES modules, loaded by the loader for main.js's lazy import() of them.
 * 3. dist/main.js: everything else (the CLI, meow, undici), CommonJS, so that the loader can
 *    compile it with a V8 code cache.
 * 4. dist/ui-vendor.js: React, its reconciler and Yoga's loader, CommonJS for a code cache too.
 * 5. dist/cli.js: the loader (scripts/loader.cjs) behind a sh line that starts node with the
 *    memory flags.
 * 6. Swap the new dist/ in, then make the code caches by running it once (trainCodeCache).
 *
 * The edits to dependencies' text (scripts/bundle-edits.mjs) are each measured with and without
 * by `npm run bench:build-edits` (BENCHMARKS.md); FDTOP_BUILD_WITHOUT=name,… leaves some out.
 *
 * Run: npm run build [-- --sizes] [-- --outdir DIR]   (DIR must sit next to package.json and demo/)
 *      [-- --single-ui]   (the UI and each lazy module in one file: scripts/dist.mjs, for the single executable)
 */
import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {join, relative, resolve, sep} from 'node:path';
import process from 'node:process';
import {clearTimeout, setTimeout} from 'node:timers';
import {fileURLToPath, URL} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {uplotDefine} from './uplot-define.mjs';
import {lazyTextHelpers, withoutDevtools, meowLazyNormalize, undiciLazyHttp2, undiciLazyPerfHooks, undiciLean, yogaWithoutFetch} from './bundle-edits.mjs';

/**
 * Node flags the bin starts with. A 1 MiB young generation and a slower old-generation growth keep the
 * resident set flat and under 100 MB (BENCHMARKS.md (5)); a shebang cannot carry them portably
 * (`env -S` is missing from BusyBox), so dist/cli.js is a sh/JS polyglot that execs node with
 * them. package.json's start script passes the same flags (test/build.test.ts checks).
 */
const NODE_FLAGS = '--max-semi-space-size=1 --heap-growing-percent=50';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values} = parseArgs({options: {outdir: {type: 'string', default: join(root, 'dist')}, sizes: {type: 'boolean', default: false}, 'single-ui': {type: 'boolean', default: false}}});
const outdir = resolve(values.outdir);

/** Where source/cli.tsx's `import('./ui/run.js')` points in the bundle; the loader (dist/cli.js) makes the import, published under IMPORT_UI. */
const UI_IMPORT = 'import("./ui.mjs")';
const IMPORT_UI = "Symbol.for('fdtop.importUi')";

/**
 * The modules outside source/ui/ that the UI imports (format, text, the catalog…) come, in the
 * UI's bundle, from the main bundle's own instances: one copy of each module and of its state.
 * The main bundle publishes them under SHARED before source/cli.tsx runs.
 */
const SHARED = "Symbol.for('fdtop.shared')";
const sourceDir = join(root, 'source');
const uiDir = join(sourceDir, 'ui');

async function exportNames(file) {
	const out = await build({absWorkingDir: root, entryPoints: [file], bundle: false, write: false, metafile: true, format: 'esm', platform: 'node', logLevel: 'silent', outdir: 'out'});
	return Object.values(out.metafile.outputs).flatMap(o => o.exports ?? []);
}

/**
 * React, its reconciler and scheduler, and Yoga's Emscripten loader: CommonJS (or plain) code with
 * no top-level await, the largest part of the UI to compile. They are bundled apart, as CommonJS
 * (dist/ui-vendor.js), so the loader can compile them with a code cache too; the UI's bundle takes
 * them from there (one copy of React for Ink and the App).
 */
const VENDOR = "Symbol.for('fdtop.vendor')";
const YOGA_LOADER = 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js';
const VENDOR_MODULES = ['react', 'react/jsx-runtime', 'react-reconciler', 'react-reconciler/constants.js', 'scheduler', YOGA_LOADER];
/** Each of VENDOR_MODULES → the file the UI's imports of it resolve to (dist/ui-vendor.js bundles those). */
const vendorFiles = new Map();
const fromVendor = {
	name: 'from-ui-vendor',
	setup(build) {
		const vendored = async (name, args) => {
			if (args.pluginData === 'from-ui-vendor') return undefined;
			const found = await build.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'from-ui-vendor'});
			if (found.errors.length > 0) return {errors: found.errors};
			if (vendorFiles.has(name) && vendorFiles.get(name) !== found.path) throw new Error(`two copies of ${name}: ${vendorFiles.get(name)} and ${found.path}`);
			vendorFiles.set(name, found.path);
			return {path: name, namespace: 'ui-vendor'};
		};
		build.onResolve({filter: /^(react|react-reconciler|scheduler)(\/|$)/}, args => {
			if (args.pluginData !== 'from-ui-vendor' && !VENDOR_MODULES.includes(args.path)) throw new Error(`${args.importer} imports ${args.path}, which dist/ui-vendor.js does not hold: add it to VENDOR_MODULES`);
			return vendored(args.path, args);
		});
		build.onResolve({filter: /[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, args => vendored(YOGA_LOADER, args));
		// CommonJS: named imports read module.exports' properties, a default import is module.exports
		// (Node's rule for the ES modules importing them: Ink, yoga-layout and the App are ES modules).
		build.onLoad({filter: /.*/, namespace: 'ui-vendor'}, args => ({contents: `module.exports = globalThis[${VENDOR}][${JSON.stringify(args.path)}];\n`, loader: 'js'}));
	},
};

/** The edits to dependencies (scripts/bundle-edits.mjs), less those FDTOP_BUILD_WITHOUT names (bench/build-edits.ts measures each). */
const without = new Set((process.env.FDTOP_BUILD_WITHOUT ?? '').split(',').filter(Boolean));
const edits = (...plugins) => plugins.filter(p => !without.has(p.name));

const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: 'node20',
	// Minified: a little less to read and compile at start-up (within the noise here) and a
	// smaller package. For readable stack traces: NODE_OPTIONS=--enable-source-maps fdtop …
	sourcemap: true,
	minify: true,
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
	// React and Ink pick their production build from NODE_ENV when they load; fixed here, the
	// development builds are not even in the bundle (source/ui/run.tsx sets it when run unbundled).
	// The version is part of the bundle: the single-file builds (scripts/dist.mjs) have no package.json beside them.
	define: {'process.env.NODE_ENV': '"production"', FDTOP_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version)},
};

const CACHES = ['main.cache', 'ui-vendor.cache'];

/**
 * dist/main.cache and dist/ui-vendor.cache: V8's code caches for dist/main.js and
 * dist/ui-vendor.js, made by running the bin as a user does (its node flags: V8 takes a cache only
 * from the same flags) on a local copy of test/fixtures/fastdeploy-2.3.txt, in its live UI
 * (scripts/train-tty.cjs makes pipes look like a terminal), until it has drawn a few frames, then
 * q. A cache then holds the functions such a start compiled (flag parsing, undici, the parser,
 * the store, React's first renders), not only the top level.
 */
async function trainCodeCache(dir) {
	const text = readFileSync(join(root, 'test', 'fixtures', 'fastdeploy-2.3.txt'));
	const server = createServer((request, response) => response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(text));
	await new Promise(done => server.listen(0, '127.0.0.1', done));
	const written = join(dir, `.code-cache-${process.pid}`);
	mkdirSync(written);
	try {
		const env = {...process.env, FDTOP_CODE_CACHE_OUT: written, LANG: 'C.UTF-8'};
		// Flags from NODE_OPTIONS would be part of the caches' flags; in CI, Ink draws only the last frame.
		for (const name of Object.keys(env)) if (name === 'NODE_OPTIONS' || name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete env[name];
		const args = [...NODE_FLAGS.split(' '), '--require', join(root, 'scripts', 'train-tty.cjs'), join(dir, 'cli.js'), '--interval', '100ms', `http://127.0.0.1:${server.address().port}/metrics`];
		const child = spawn(process.execPath, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill(), 30_000);
		child.stdout.on('data', chunk => {
			const drawn = stdout.includes('space pause');
			stdout = (stdout + chunk).slice(-100_000);
			// A few frames and scrapes after the first, then quit as a user does.
			if (!drawn && stdout.includes('space pause')) setTimeout(() => child.stdin.write('q'), 1000);
		});
		const code = await new Promise(done => child.on('close', done));
		clearTimeout(timer);
		const missing = CACHES.filter(cache => !existsSync(join(written, cache)) || statSync(join(written, cache)).size === 0);
		if (code !== 0 || missing.length > 0) throw new Error(`making the code caches: the bin exited with ${code}${missing.length ? `, no ${missing.join(', ')}` : ''}: ${stderr}`);
		for (const cache of CACHES) renameSync(join(written, cache), join(dir, cache));
	} finally {
		server.close();
		rmSync(written, {recursive: true, force: true});
	}
}

// Built next to the old dist/ and swapped in at the end, so a run of the old build is not left
// with half of its files gone.
const staging = `${outdir}.build-${process.pid}`;
rmSync(staging, {recursive: true, force: true});
mkdirSync(staging);
// A failed build leaves no staging directory behind (the swap below renames it away on success).
process.once('exit', () => rmSync(staging, {recursive: true, force: true}));

/**
 * An ES module bundle's imports of source/ modules that dist/main.js holds: taken from main's own
 * instances, published under SHARED (one copy of each module and of its state). `inScope(importer)`
 * says which importers this applies to, `fromMain(file)` which imported files main holds.
 */
const shared = new Set();
function sharedWithMain(inScope, fromMain) {
	return {
		name: 'shared-with-main',
		setup(b) {
			b.onResolve({filter: /^\./}, args => {
				if (!inScope(args.importer) || args.kind !== 'import-statement') return undefined;
				const file = resolve(args.resolveDir, args.path).replace(/\.js$/, '');
				const found = ['.ts', '.tsx'].map(ext => file + ext).find(f => existsSync(f));
				if (!found || !fromMain(found)) return undefined;
				const key = relative(root, found).split(sep).join('/');
				shared.add(key);
				return {path: key, namespace: 'shared'};
			});
			b.onLoad({filter: /.*/, namespace: 'shared'}, async args => {
				const names = await exportNames(args.path);
				const named = names.filter(n => n !== 'default');
				return {
					contents: `const m = globalThis[${SHARED}][${JSON.stringify(args.path)}];\nexport const {${named.join(', ')}} = m;\n${names.includes('default') ? 'export default m.default;\n' : ''}`,
					loader: 'js',
				};
			});
		},
	};
}

/** Bundled CommonJS (React, the reconciler, yaml's) calls require() for Node's own modules. */
const ESM_REQUIRE = `import{createRequire as __fdtopRequire}from'node:module';const require=__fdtopRequire(import.meta.url.startsWith('file:')?import.meta.url:process.execPath);`;

/**
 * dist/ui.mjs: the live UI (source/ui/run.tsx with Ink, React, Yoga), ESM (Yoga and Ink await at
 * their top level), loaded only by the lazy import of the UI: `--once`, `--json`, `--version` and
 * `export` never read it.
 */
const ui = await build({
	...common,
	entryPoints: {ui: 'source/ui/run.tsx'},
	outdir: staging,
	outExtension: {'.js': '.mjs'},
	// Split: Ink's import of its React DevTools module (only with DEV=true) stays a chunk of its own.
	// --single-ui: one file (the single executable imports it whole, scripts/dist.mjs).
	splitting: !values['single-ui'],
	chunkNames: '[name]-[hash]',
	format: 'esm',
	plugins: [withoutDevtools, fromVendor, ...edits(lazyTextHelpers), sharedWithMain(importer => importer.startsWith(uiDir + sep), found => !found.startsWith(uiDir + sep))],
	banner: {js: ESM_REQUIRE},
});

/**
 * dist/lazy/NAME.mjs: what only a subcommand or a config file needs, out of dist/main.js, which
 * every start reads and compiles: yaml and zod (config-file: only when a config file exists),
 * uPlot's script and CSS (`fdtop report`), `check`, `compare` (and --baseline), `config`. Each is
 * a module source/ imports only with import(); main.js imports it through the loader (IMPORT_LAZY,
 * as the UI), and its imports of modules main.js holds come from main's instances (SHARED).
 * BENCHMARKS.md ("Start-up after the config file, report and compare") measures the gain.
 */
const LAZY = {'config-file': 'config-file.ts', report: 'report-html-cli.ts', check: 'check.ts', compare: 'compare-command.ts', config: 'config-command.ts'};
const lazyName = new Map(Object.entries(LAZY).map(([name, file]) => [join(sourceDir, file), name]));
const IMPORT_LAZY = "Symbol.for('fdtop.importLazy')";
/** In dist/main.js, source/'s import() of a LAZY module → `import("./lazy/NAME.mjs")`, replaced below by the loader's import. */
const lazyImports = {
	name: 'lazy-imports',
	setup(b) {
		b.onResolve({filter: /^\./}, args => {
			if (args.kind !== 'dynamic-import') return undefined;
			const name = lazyName.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
			return name === undefined ? undefined : {path: `./lazy/${name}.mjs`, external: true};
		});
	},
};
const sharedModule = () => `${[...shared].map((key, i) => `import * as m${i} from ${JSON.stringify(join(root, key))};`).join('\n')}\nglobalThis[${SHARED}] = {${[...shared].map((key, i) => `${JSON.stringify(key)}: m${i}`).join(', ')}};\n`;
const mainEntry = `import 'fdtop:shared';\nimport ${JSON.stringify(join(sourceDir, 'cli.tsx'))};\n`;
const mainOptions = {
	...common,
	stdin: {contents: mainEntry, resolveDir: root, sourcefile: 'fdtop-main.js', loader: 'js'},
	format: 'cjs',
	define: {...common.define, 'import.meta': '__fdtopImportMeta'},
};
const mainEntryPlugin = contents => ({
	name: 'main-entry',
	setup(b) {
		b.onResolve({filter: /^fdtop:shared$/}, () => ({path: 'shared', namespace: 'fdtop'}));
		b.onLoad({filter: /.*/, namespace: 'fdtop'}, () => ({contents, resolveDir: root, loader: 'js'}));
		b.onResolve({filter: /^\.\/ui\/run\.js$/}, () => ({path: './ui.mjs', external: true}));
	},
});
// Which source/ modules main.js holds (a first build, not written): the lazy modules take those from it.
const probe = await build({...mainOptions, write: false, outfile: join(staging, 'main.js'), plugins: [lazyImports, mainEntryPlugin(sharedModule())]});
const inMain = new Set(Object.values(probe.metafile.outputs).flatMap(o => Object.keys(o.inputs)).map(f => resolve(root, f)));
for (const file of lazyName.keys()) if (inMain.has(file)) throw new Error(`dist/main.js holds ${relative(root, file)}: source/ imports it other than by import(); take it out of LAZY or make that import lazy`);
const lazyBuild = (names, define) =>
	build({
		...common,
		entryPoints: Object.fromEntries(names.map(name => [name, join('source', LAZY[name])])),
		outdir: join(staging, 'lazy'),
		outExtension: {'.js': '.mjs'},
		splitting: !values['single-ui'],
		chunkNames: 'chunk-[hash]',
		format: 'esm',
		define: {...common.define, ...define},
		plugins: [sharedWithMain(importer => importer.startsWith(sourceDir + sep) && !importer.startsWith(uiDir + sep), found => inMain.has(found))],
		banner: {js: ESM_REQUIRE},
	});
// uPlot's files ride along for `fdtop report` (scripts/uplot-define.mjs), in its module only: built
// apart, as esbuild puts a large define in a chunk that every entry of a build imports.
const lazy = [await lazyBuild(['report'], uplotDefine()), await lazyBuild(Object.keys(LAZY).filter(name => name !== 'report'), {})];

/**
 * dist/main.js: everything else (source/cli.tsx, meow, undici), CommonJS so that the loader can
 * compile it with a V8 code cache (dist/main.cache, below). Its first line is a comment: the
 * loader's function wrapper goes on it, so the source map's lines stay right.
 */
const main = await build({
	...mainOptions,
	outfile: join(staging, 'main.js'),
	plugins: [...edits(undiciLean, undiciLazyHttp2, undiciLazyPerfHooks, meowLazyNormalize), lazyImports, mainEntryPlugin(sharedModule())],
	banner: {js: `// fdtop: source/cli.tsx bundled, run by dist/cli.js\nvar __fdtopImportMeta={url:require('node:url').pathToFileURL(__filename).href};`},
});
if (vendorFiles.size !== VENDOR_MODULES.length) throw new Error(`the UI no longer imports ${VENDOR_MODULES.filter(m => !vendorFiles.has(m)).join(', ')}: review VENDOR_MODULES`);
const vendorEntry = `const vendor = {};\n${VENDOR_MODULES.map(m => `vendor[${JSON.stringify(m)}] = require(${JSON.stringify(vendorFiles.get(m))})${m === YOGA_LOADER ? '.default' : ''};`).join('\n')}\nglobalThis[${VENDOR}] = vendor;\n`;
const uiVendor = await build({
	...common,
	stdin: {contents: vendorEntry, resolveDir: root, sourcefile: 'fdtop-ui-vendor.js', loader: 'js'},
	outfile: join(staging, 'ui-vendor.js'),
	format: 'cjs',
	define: {...common.define, 'import.meta': '__fdtopImportMeta'},
	plugins: edits(yogaWithoutFetch),
	banner: {js: `// fdtop: React, its reconciler and Yoga's loader for dist/ui.mjs, run by dist/cli.js\nvar __fdtopImportMeta={url:require('node:url').pathToFileURL(__filename).href};`},
});
const mainFile = join(staging, 'main.js');
const mainText = readFileSync(mainFile, 'utf8');
if (mainText.split(UI_IMPORT).length !== 2) throw new Error(`dist/main.js should import the UI once as ${UI_IMPORT}`);
// The loader makes the import (a script compiled by node:vm cannot import() without an experimental flag).
let mainOut = mainText.replace(UI_IMPORT, `globalThis[${IMPORT_UI}]()`);
for (const name of Object.keys(LAZY)) {
	const parts = mainOut.split(`import("./lazy/${name}.mjs")`);
	if (parts.length < 2) throw new Error(`dist/main.js no longer imports ${LAZY[name]}: review LAZY`);
	mainOut = parts.join(`globalThis[${IMPORT_LAZY}](${JSON.stringify(name)})`);
}
writeFileSync(mainFile, mainOut);

// Line 2 (after `#!/bin/sh`): run as a program, sh execs node with NODE_FLAGS on this same file;
// node itself reads the line as a no-op string and a comment. Before that, sh notes a closed stdout
// (`>&-`), which node would silently replace with /dev/null: source/output.ts.
writeFileSync(join(staging, 'cli.js'), `#!/bin/sh\n":" //; true 2>/dev/null 3>&1 || export FDTOP_STDOUT_CLOSED=1; exec node ${NODE_FLAGS} "$0" "$@"\n${readFileSync(join(root, 'scripts', 'loader.cjs'), 'utf8')}`);
chmodSync(join(staging, 'cli.js'), 0o755);
// cli.js and main.js are CommonJS (the package is ESM), ui.mjs ESM.
writeFileSync(join(staging, 'package.json'), '{"type": "commonjs"}\n');

const old = `${outdir}.old-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, {recursive: true, force: true});
// In place: V8 keeps the file name a cache was made under for the stack traces of the code it
// holds (dist/main.js then, wherever the build ran). Until then the bin runs without the cache.
await trainCodeCache(outdir);

if (values.sizes) {
	for (const [file, out] of [main, uiVendor, ui, ...lazy].flatMap(r => Object.entries(r.metafile.outputs))) {
		if (!file.endsWith('.map')) process.stdout.write(`${(out.bytes / 1024).toFixed(0).padStart(6)} KiB  ${join(outdir, relative(staging, resolve(root, file)))}\n`);
	}
	for (const cache of CACHES) process.stdout.write(`${(statSync(join(outdir, cache)).size / 1024).toFixed(0).padStart(6)} KiB  ${join(outdir, cache)}\n`);
}
