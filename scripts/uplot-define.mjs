/**
 * uPlot's minified script, CSS and licence, for the bundles' `define` (FDTOP_UPLOT): `fdtop report`
 * (source/report-html-cli.ts) writes them into every HTML page, and the built bin, the single `.mjs`
 * and the single executable have no node_modules beside them to read them from.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

export function uplotDefine() {
	const require = createRequire(import.meta.url);
	const dir = require.resolve('uplot/package.json').replace(/package\.json$/, '');
	const read = file => readFileSync(`${dir}${file}`, 'utf8');
	const lib = {js: read('dist/uPlot.iife.min.js'), css: read('dist/uPlot.min.css'), license: read('LICENSE'), version: JSON.parse(read('package.json')).version};
	return {FDTOP_UPLOT: JSON.stringify(lib)};
}
