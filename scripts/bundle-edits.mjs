/**
 * What scripts/build.mjs (and scripts/dist.mjs) change in dependencies at bundle time, each for a
 * start-up gain that `npm run bench:build-edits` measures with and without it (BENCHMARKS.md,
 * issue 16): an edit whose gain that run did not show was dropped. Each that edits text checks it
 * and fails the build loudly when a dependency update changed it.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath, URL} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

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
