/**
 * What scripts/build.mjs (and scripts/dist.mjs) change in dependencies at bundle time, each for a
 * start-up gain that `npm run bench:build-edits` measures with and without it (BENCHMARKS.md,
 * issue 16); an edit whose gain two such runs did not show was dropped. Each that edits text
 * checks it and fails the build loudly when a dependency update changed it.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {fileURLToPath, URL} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const requireBuiltin = createRequire(import.meta.url);

/** `import … from 'undici'` gets Agent, Dispatcher, ProxyAgent and request only, not all of undici's index (see scripts/undici-lean.mjs). */
export const undiciLean = {
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
export const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			if (!text.includes('typeof fetch')) throw new Error(`${args.path} no longer reads fetch: review the yoga-without-fetch plugin`);
			return {contents: `const fetch = undefined;\n${text}`, loader: 'js'};
		});
	},
};

/**
 * meow's bundled dependencies evaluate normalize-package-data at load (and with it semver,
 * hosted-git-info, the SPDX lists): ~15 ms of every start, for the one use of it, `cli.pkg`, which
 * fdtop never reads. Made lazy: the same function, loaded on its first call. So is @babel/code-frame.
 */
export const meowLazyNormalize = {
	name: 'meow-lazy-normalize',
	setup(build) {
		build.onLoad({filter: /[\\/]meow[\\/]build[\\/]dependencies\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			const eager = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
			// And a leftover of its bundling: `promisify(execFile)`, whose result nothing uses, loads child_process (~20 ms).
			const childProcess = "import { execFile } from 'node:child_process';\n";
			const leftover = '\npromisify(execFile);\n';
			if (!text.includes(eager) || !text.includes(childProcess) || !text.includes(leftover) || text.split('execFile').length !== 3) {
				throw new Error(`${args.path} no longer loads normalize-package-data or child_process as expected: review the meow-lazy-normalize plugin`);
			}
			// And @babel/code-frame (with picocolors, js-tokens), evaluated at load for parse-json's error messages.
			const codeFrame = 'var libExports = requireLib$1();';
			if (!text.includes(codeFrame) || text.split('libExports').length !== 3 || !text.includes('libExports.codeFrameColumns(')) throw new Error(`${args.path}: @babel/code-frame is no longer used as expected: review the meow-lazy-normalize plugin`);
			return {
				contents: text
					.replace(eager, 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);')
					.replace(childProcess, '')
					.replace(leftover, '\n')
					.replace(codeFrame, 'var libExports = {get codeFrameColumns() {\n\treturn requireLib$1().codeFrameColumns;\n}};'),
				loader: 'js',
			};
		});
	},
};

/**
 * Node's http2 (and tls with it) costs ~25 ms to load; undici's HTTP/2 client requires it at load
 * for its header constants and connect(), which only an HTTP/2 connection (allowH2, never set by
 * fdtop) reaches. The constants are inlined from this node's http2 (the HTTP/2 protocol's own
 * names and codes), connect() loads http2 on its first call.
 */
export const undiciLazyHttp2 = {
	name: 'undici-lazy-http2',
	setup(build) {
		build.onLoad({filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			const eager = "let http2\ntry {\n  http2 = require('node:http2')\n} catch {\n  // @ts-ignore\n  http2 = { constants: {} }\n}\n";
			const uses = [...text.matchAll(/\bhttp2\.(\w+)/g)].map(m => m[1]);
			const names = /const {\n {2}constants: {\n([^}]*)}\n} = http2/.exec(text)?.[1].split(',').map(n => n.trim()).filter(Boolean);
			if (!text.includes(eager) || !names || uses.some(u => u !== 'connect')) throw new Error(`${args.path} no longer loads http2 as expected: review the undici-lazy-http2 plugin`);
			const constants = Object.fromEntries(names.map(n => [n, requireBuiltin('node:http2').constants[n]]));
			if (Object.values(constants).some(v => v === undefined)) throw new Error(`undici-lazy-http2: an http2 constant is missing: ${JSON.stringify(constants)}`);
			const lazy = `let http2Module\nconst http2 = {\n  constants: ${JSON.stringify(constants)},\n  connect (...args) {\n    http2Module ??= require('node:http2')\n    return http2Module.connect(...args)\n  }\n}\n`;
			return {contents: text.replace(eager, lazy), loader: 'js'};
		});
	},
};

/**
 * undici's fetch utilities (loaded with its request API) take `performance` from node:perf_hooks
 * at load, for one performance.now() in a fetch-timing function fdtop never calls: node:perf_hooks
 * (~5 ms) then loads at every start. Node's global performance is the same object, read on use.
 */
export const undiciLazyPerfHooks = {
	name: 'undici-lazy-perf-hooks',
	setup(build) {
		build.onLoad({filter: /[\\/]undici[\\/]lib[\\/]web[\\/]fetch[\\/]util\.js$/}, args => {
			const text = readFileSync(args.path, 'utf8');
			const eager = "const { performance } = require('node:perf_hooks')\n";
			if (!text.includes(eager) || [...text.matchAll(/\bperformance\b(\.\w+)?/g)].some(m => m[0] !== 'performance' && m[0] !== 'performance.now')) throw new Error(`${args.path} no longer uses perf_hooks as expected: review the undici-lazy-perf-hooks plugin`);
			return {contents: text.replace(eager, 'const performance = { now: () => globalThis.performance.now() }\n'), loader: 'js'};
		});
	},
};

/**
 * `const NAME = EXPRESSION;`, once at the top level of a module's text, and NAME used only as
 * `NAME.METHOD(…)`: the same, with EXPRESSION evaluated on the first call. Undefined when the
 * module has no such declaration; an error when NAME is used otherwise.
 */
function lazyConstant(text, file, expression, method) {
	const declarations = [...text.matchAll(new RegExp(`^const (\\w+) = (${expression});$`, 'gm'))];
	if (declarations.length === 0) return undefined;
	const [[declaration, name, value]] = declarations;
	const rest = text.replace(declaration, '').replace(/\/\/.*$/gm, '');
	if (declarations.length > 1 || [...rest.matchAll(new RegExp(`\\b${name}\\b(\\.\\w+\\()?`, 'g'))].some(m => m[1] !== `.${method}(`)) {
		throw new Error(`${file}: ${name} is not used only through .${method}(): review the lazy-text-helpers plugin`);
	}
	return text.replace(declaration, `let ${name}Instance;\nconst ${name} = {${method}: text => (${name}Instance ??= ${value}).${method}(text)};`);
}

/**
 * Ink's text helpers (string-width, twice; slice-ansi; ansi-tokenize) each make an
 * Intl.Segmenter at load, the first one loading ICU's break iterators (~20 ms), and string-width
 * builds its RGI_Emoji regular expression (~20 ms more: a class of strings from ICU). fdtop's App
 * composes its own lines (direct mode), so the live UI never calls them; each is made on first use.
 */
export const lazyTextHelpers = {
	name: 'lazy-text-helpers',
	setup(build) {
		build.onLoad({filter: /[\\/](string-width[\\/]index|slice-ansi[\\/]tokenize-ansi|ansi-tokenize[\\/]build[\\/]tokenize)\.js$/}, args => {
			let text = readFileSync(args.path, 'utf8');
			text = lazyConstant(text, args.path, 'new Intl\\.Segmenter\\([^)]*\\)', 'segment');
			if (text === undefined) throw new Error(`${args.path} no longer makes one Intl.Segmenter: review the lazy-text-helpers plugin`);
			text = lazyConstant(text, args.path, '\\/\\^\\\\p\\{RGI_Emoji\\}\\$\\/v', 'test') ?? text;
			return {contents: text, loader: 'js'};
		});
	},
};


/**
 * Ink imports React DevTools only with DEV=true; it is not a dependency. In its place, a module that
 * fails when evaluated, which Ink reports as a missing react-devtools-core.
 */
export const withoutDevtools = {
	name: 'without-react-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'without-devtools'}));
		b.onLoad({filter: /.*/, namespace: 'without-devtools'}, () => ({contents: "throw Object.assign(new Error('fdtop is built without react-devtools-core'), {code: 'ERR_MODULE_NOT_FOUND'});\n", loader: 'js'}));
	},
};
