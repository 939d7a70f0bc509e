/**
 * Build dist/ for the bin: one ESM bundle of source/cli.tsx (esbuild), split so that the live UI
 * (Ink, React, Yoga, the views) is a chunk of its own that only source/cli.tsx's lazy import of
 * ./ui/run.js loads: `--once`, `--json`, `--version` and `export` never read it. Bundling is for
 * start-up: Node's loader resolving, reading and lexing a few hundred CommonJS and ESM files of
 * node_modules cost more than the rest of the first frame. Type checking stays with
 * `npm run typecheck` (tsc); tsc emits nothing.
 *
 * Run: npm run build [-- --sizes] [-- --outdir DIR]   (DIR must sit next to package.json and demo/)
 */
import {chmodSync, existsSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {basename, join, resolve} from 'node:path';
import process from 'node:process';
import {fileURLToPath, URL} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';

/**
 * Node flags the bin starts with. A 1 MiB young generation and a slower old-generation growth keep the
 * resident set flat and under 100 MB (BENCHMARKS.md (5)); a shebang cannot carry them portably
 * (`env -S` is missing from BusyBox), so dist/cli.js is a sh/JS polyglot that execs node with
 * them. package.json's start script passes the same flags (test/build.test.ts checks).
 */
const NODE_FLAGS = '--max-semi-space-size=1 --heap-growing-percent=50';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values} = parseArgs({options: {outdir: {type: 'string', default: join(root, 'dist')}, sizes: {type: 'boolean', default: false}}});
const outdir = resolve(values.outdir);

/** `import … from 'undici'` gets Agent and request only, not all of undici's index (see scripts/undici-lean.mjs). */
const undiciLean = {
	name: 'undici-lean',
	setup(build) {
		build.onResolve({filter: /^undici$/}, () => ({path: join(root, 'scripts', 'undici-lean.mjs')}));
	},
};

/**
 * Yoga's Emscripten loader (Ink's layout engine) reads its wasm, inlined as a base64 data: URL,
 * with fetch() whenever a global fetch exists. In Node that loads Node's own copy of undici and
 * decodes the URL through it: ~150 ms of compiling and decoding before the first frame. With
 * fetch shadowed in that one module it takes its other path (atob): the same bytes.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			if (!text.includes('typeof fetch')) throw new Error(`${args.path} no longer reads fetch: review the yoga-without-fetch plugin`);
			return {contents: `const fetch = undefined;\n${text}`, loader: 'js'};
		});
	},
};

// Built next to the old dist/ and swapped in at the end, so a run of the old build is not left
// with half of its files gone.
const staging = `${outdir}.build-${process.pid}`;
rmSync(staging, {recursive: true, force: true});
const result = await build({
	absWorkingDir: root,
	entryPoints: ['source/cli.tsx'],
	outdir: staging,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Chunks sit next to cli.js: source/version.ts and source/demo.ts find ../package.json and
	// ../demo/recordings relative to their own module, whichever chunk they end up in.
	chunkNames: '[name]-[hash]',
	// Minified: a little less to read and compile at start-up (within the noise here) and a
	// smaller package. For readable stack traces: NODE_OPTIONS=--enable-source-maps fdtop …
	sourcemap: true,
	minify: true,
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
	// React and Ink pick their production build from NODE_ENV when they load; fixed here, the
	// development builds are not even in the bundle (source/ui/run.tsx sets it when run unbundled).
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink imports it only with DEV=true (React DevTools); it is not a dependency.
	external: ['react-devtools-core'],
	plugins: [undiciLean, yogaWithoutFetch],
	// Line 2 (after source/cli.tsx's `#!/bin/sh`): run as a program, sh execs node with NODE_FLAGS
	// on this same file; node itself reads the line as a no-op string and a comment.
	// Bundled CommonJS (React, the reconciler, undici) calls require() for Node's own modules.
	banner: {js: `":" //; exec node ${NODE_FLAGS} "$0" "$@"\nimport{createRequire as __fdtopRequire}from'node:module';const require=__fdtopRequire(import.meta.url);`},
});
chmodSync(join(staging, 'cli.js'), 0o755);
const old = `${outdir}.old-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, {recursive: true, force: true});

if (values.sizes) {
	for (const [file, out] of Object.entries(result.metafile.outputs)) {
		if (!file.endsWith('.map')) process.stdout.write(`${(out.bytes / 1024).toFixed(0).padStart(6)} KiB  ${join(outdir, basename(file))}\n`);
	}
}
