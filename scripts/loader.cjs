'use strict';
/*
 * fdtop's bin (scripts/loader.cjs, copied into dist/cli.js by scripts/build.mjs after its sh line).
 * It runs dist/main.js, the bundle of source/cli.tsx, compiled with the V8 code cache the build
 * made by running it (dist/main.cache): parsing and compiling it, and the functions a run calls,
 * would otherwise cost every start tens of milliseconds. The live UI is imported from here for
 * main.js: first dist/ui-vendor.js (React, its reconciler and Yoga's loader, CommonJS) the same
 * way with dist/ui-vendor.cache, then dist/ui.mjs (Ink and the App, ES modules).
 *
 * V8 uses a cache only when it matches this node (version and flags: the bin's own, as the build
 * ran it) and the source; when it does not, it compiles from the source as require() would: the
 * same program, a little slower. NODE_DEBUG=fdtop says which. With --enable-source-maps the
 * bundles are require()d instead: Node applies source maps only to what its own loader compiles.
 */
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the bin is not an ES module (see above) */
const {readFileSync, writeFileSync} = require('node:fs');
const {join} = require('node:path');
const {debuglog} = require('node:util');
const {Script} = require('node:vm');
const {createRequire} = require('node:module');
const process = require('node:process');

const log = debuglog('fdtop');
// V8 checks a code cache's checksum only with this flag (set as well when the build makes them, so
// the caches' flags match): without it, a damaged cache whose header still reads right crashes
// node instead of being rejected. ~2 ms for node:v8.
if (!process.sourceMapsEnabled) require('node:v8').setFlagsFromString('--verify-snapshot-checksum');
// Set by scripts/build.mjs only: a directory to write the caches into when the run ends.
const out = process.env.FDTOP_CODE_CACHE_OUT;

/** Run dist/NAME.js as a CommonJS module, compiled with dist/NAME.cache when V8 takes it. */
function run(name) {
	const file = join(__dirname, `${name}.js`);
	if (process.sourceMapsEnabled) {
		log('%s: code cache not used: source maps are enabled', name);
		require(file);
		return;
	}
	let cachedData;
	if (out === undefined) {
		try {
			cachedData = readFileSync(join(__dirname, `${name}.cache`));
		} catch {
			cachedData = undefined;
		}
	}
	// The function wrapper goes on the bundle's first line, a comment, so the lines stay as built.
	const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {filename: file, cachedData});
	log('%s: code cache %s', name, cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used');
	if (out !== undefined) process.once('exit', () => writeFileSync(join(out, `${name}.cache`), script.createCachedData()));
	const module = {exports: {}};
	script.runInThisContext()(module.exports, createRequire(file), module, file, __dirname);
}

let vendor = false;
// main.js imports the UI through this (scripts/build.mjs): a script compiled by node:vm cannot import().
globalThis[Symbol.for('fdtop.importUi')] = () => {
	try {
		if (!vendor) {
			vendor = true;
			run('ui-vendor');
		}
	} catch (error) {
		// As import() fails: through the promise.
		return Promise.reject(error);
	}
	return import('./ui.mjs');
};
// main.js's import() of a module only a subcommand or a config file needs (dist/lazy/, scripts/build.mjs).
globalThis[Symbol.for('fdtop.importLazy')] = name => import(`./lazy/${name}.mjs`);
run('main');
