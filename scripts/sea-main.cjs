'use strict';
/*
 * The start of the single executable's main script (scripts/dist.mjs puts dist/main.js after it):
 * what scripts/loader.cjs does for dist/cli.js, from the executable's own assets. Node 20 runs a
 * single executable's main script as CommonJS with a require() for Node's own modules only, and
 * without import(): the UI's ES module (one file, dist/ui.mjs built with --single-ui) is imported
 * from a data: URL by a script compiled with the main context's module loader.
 */
/* global require, __dirname, process, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: a single executable's main script */
const sea = require('node:sea');
const vm = require('node:vm');

// The demo recordings (source/demo.ts reads them from here).
globalThis[Symbol.for('fdtop.demos')] = {
	names: JSON.parse(sea.getAsset('demos.json', 'utf8')),
	read: name => new Uint8Array(sea.getAsset(`demo/${name}`)),
};

/** Silences Node's warning that USE_MAIN_CONTEXT_DEFAULT_LOADER (Node 20.12+) is experimental: a word for developers only. */
let quiet = false;
function quietLoaderWarning() {
	if (quiet) return;
	quiet = true;
	const emitWarning = process.emitWarning;
	process.emitWarning = (warning, ...rest) => (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER') ? undefined : emitWarning.call(process, warning, ...rest));
}

/** Import the ES module asset `name` (one file, built with --single-ui) from a data: URL. */
function importAsset(name) {
	quietLoaderWarning();
	const url = `data:text/javascript;base64,${Buffer.from(sea.getAsset(name)).toString('base64')}`;
	return new vm.Script(`import(${JSON.stringify(url)})`, {filename: `${__dirname}/${name}`, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER}).runInThisContext();
}

let ui;
globalThis[Symbol.for('fdtop.importUi')] = () =>
	(ui ??= new Promise(resolve => {
		// React, its reconciler and Yoga's loader, CommonJS, as scripts/loader.cjs runs them.
		const file = `${__dirname}/ui-vendor.js`;
		const vendor = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${sea.getAsset('ui-vendor.js', 'utf8')}\n})`, {filename: file});
		const module = {exports: {}};
		vendor.runInThisContext()(module.exports, require, module, file, __dirname);
		resolve(importAsset('ui.mjs'));
	}));
// What only a subcommand or a config file needs (dist/lazy/NAME.mjs, scripts/build.mjs), as the loader imports it.
const lazy = new Map();
globalThis[Symbol.for('fdtop.importLazy')] = name => {
	if (!lazy.has(name)) lazy.set(name, new Promise(resolve => resolve(importAsset(`lazy/${name}.mjs`))));
	return lazy.get(name);
};
