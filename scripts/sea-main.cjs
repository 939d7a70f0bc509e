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

let ui;
globalThis[Symbol.for('fdtop.importUi')] = () =>
	(ui ??= new Promise(resolve => {
		// React, its reconciler and Yoga's loader, CommonJS, as scripts/loader.cjs runs them.
		const file = `${__dirname}/ui-vendor.js`;
		const vendor = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${sea.getAsset('ui-vendor.js', 'utf8')}\n})`, {filename: file});
		const module = {exports: {}};
		vendor.runInThisContext()(module.exports, require, module, file, __dirname);
		// Node 20.12+ has the option; it warns that it is experimental, a word for developers only.
		const emitWarning = process.emitWarning;
		process.emitWarning = (warning, ...rest) => (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER') ? undefined : emitWarning.call(process, warning, ...rest));
		const url = `data:text/javascript;base64,${Buffer.from(sea.getAsset('ui.mjs')).toString('base64')}`;
		resolve(new vm.Script(`import(${JSON.stringify(url)})`, {filename: `${__dirname}/ui.mjs`, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER}).runInThisContext());
	}));
