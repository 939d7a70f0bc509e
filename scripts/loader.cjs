'use strict';
/*
 * fdtop's bin (scripts/loader.cjs, copied into dist/cli.js by scripts/build.mjs after its sh line).
 * It runs dist/main.js, the bundle of source/cli.tsx, compiled with the V8 code cache the build
 * made by running it (dist/main.cache): parsing and compiling it, and the functions a run calls,
 * would otherwise cost every start tens of milliseconds. V8 uses the cache only when it matches
 * this node (version and flags; the bin's own flags, as the build ran it) and the source; when it
 * does not, it compiles from the source as require() would: the same program, a little slower.
 * NODE_DEBUG=fdtop says which. The live UI (dist/ui.mjs) is imported from here, for main.js.
 * With --enable-source-maps it is require()d: Node applies source maps only to what its loader compiles.
 */
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the bin is not an ES module (see above) */
const {readFileSync, writeFileSync} = require('node:fs');
const {join} = require('node:path');
const {debuglog} = require('node:util');
const {Script} = require('node:vm');
const {createRequire} = require('node:module');
const process = require('node:process');

const file = join(__dirname, 'main.js');
const log = debuglog('fdtop');
// main.js imports the UI through this (scripts/build.mjs): a script compiled by node:vm cannot import().
globalThis[Symbol.for('fdtop.importUi')] = () => import('./ui.mjs');
if (process.sourceMapsEnabled) {
	// --enable-source-maps: Node maps stack traces only through the modules its own loader compiles.
	log('code cache not used: source maps are enabled');
	require(file);
} else {
	// Set by scripts/build.mjs only: write the cache there when the run ends.
	const out = process.env.FDTOP_CODE_CACHE_OUT;
	let cachedData;
	if (out === undefined) {
		try {
			cachedData = readFileSync(join(__dirname, 'main.cache'));
		} catch {
			cachedData = undefined;
		}
	}
	// The function wrapper goes on main.js's first line, a comment, so the lines stay as built.
	const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {filename: file, cachedData});
	log('code cache %s', cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used');
	if (out !== undefined) process.once('exit', () => writeFileSync(out, script.createCachedData()));
	const main = {exports: {}};
	script.runInThisContext()(main.exports, createRequire(file), main, file, __dirname);
}
