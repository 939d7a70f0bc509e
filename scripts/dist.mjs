/**
 * `npm run dist`: what to copy onto a host, under release/ (git-ignored):
 *
 * 1. fdtop-<version>-linux-<arch>: a single executable (Node's single-executable applications: this
 *    node with the program inside), for a host with no Node at all. Its main script is dist/main.js
 *    behind scripts/sea-main.cjs, compiled with the start-up code cache Node makes at build time
 *    (useCodeCache); the UI (dist/ui-vendor.js and a one-file dist/ui.mjs) and the demo
 *    recordings are assets inside it.
 * 2. fdtop-<version>.mjs: one ES module for any Node ≥ 20 (`node fdtop-<version>.mjs …`), every
 *    dependency and the demo recordings inside it.
 * 3. fdtop-<version>.tgz: `npm pack` of the package (dist/ and demo/recordings/). Every dependency
 *    is bundled into dist/, so package.json has none: `npm install -g ./fdtop-<version>.tgz`
 *    fetches nothing.
 * 4. SHA256SUMS for the three (`sha256sum -c SHA256SUMS`).
 *
 * Run: npm run dist
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath, URL} from 'node:url';
import {build} from 'esbuild';
import {uplotDefine} from './uplot-define.mjs';
import {lazyTextHelpers, meowLazyNormalize, undiciLazyHttp2, undiciLazyPerfHooks, undiciLean, withoutDevtools, yogaWithoutFetch} from './bundle-edits.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const release = join(root, 'release');
const recordings = join(root, 'demo', 'recordings');
const demos = readdirSync(recordings)
	.filter(f => f.endsWith('.jsonl.gz'))
	.sort()
	.map(f => ({name: f.replace(/\.jsonl\.gz$/, ''), file: join(recordings, f)}));
const node = (...args) => execFileSync(process.execPath, args, {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});

rmSync(release, {recursive: true, force: true});
mkdirSync(release);

// 1. The single executable. Its own build of dist/ (the UI in one file: a single executable can
// import() a module only from a data: URL, scripts/sea-main.cjs), next to package.json as the
// build wants, removed after.
const seaDist = join(root, '.dist-sea');
const seaWork = join(release, '.sea');
mkdirSync(seaWork);
try {
	node(join(root, 'scripts', 'build.mjs'), '--outdir', seaDist, '--single-ui');
	// The main script: the loader for a single executable, then dist/main.js in the function wrapper
	// CommonJS gives it (its first line is a comment: the wrapper goes there, as in scripts/loader.cjs).
	const main = join(seaWork, 'main.cjs');
	writeFileSync(main, `${readFileSync(join(root, 'scripts', 'sea-main.cjs'), 'utf8')}\n(function (exports, require, module, __filename, __dirname) {${readFileSync(join(seaDist, 'main.js'), 'utf8')}\n})(module.exports, require, module, __filename, __dirname);\n`);
	const assets = {'ui-vendor.js': join(seaDist, 'ui-vendor.js'), 'ui.mjs': join(seaDist, 'ui.mjs')};
	// What only a subcommand or a config file needs, one file each (--single-ui): imported as the UI is.
	for (const file of readdirSync(join(seaDist, 'lazy')).filter(f => f.endsWith('.mjs'))) assets[`lazy/${file}`] = join(seaDist, 'lazy', file);
	for (const demo of demos) assets[`demo/${demo.name}`] = demo.file;
	writeFileSync(join(seaWork, 'demos.json'), JSON.stringify(demos.map(d => d.name)));
	assets['demos.json'] = join(seaWork, 'demos.json');
	const blob = join(seaWork, 'sea.blob');
	writeFileSync(join(seaWork, 'sea-config.json'), JSON.stringify({main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets}));
	execFileSync(process.execPath, ['--experimental-sea-config', join(seaWork, 'sea-config.json')], {stdio: 'pipe'});
	const exe = join(release, `fdtop-${version}-linux-${process.arch}`);
	copyFileSync(process.execPath, exe);
	chmodSync(exe, 0o755);
	// The fuse is Node's documented sentinel (docs: Single executable applications).
	execFileSync(process.execPath, [join(root, 'node_modules', 'postject', 'dist', 'cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {stdio: 'ignore'});
} finally {
	rmSync(seaDist, {recursive: true, force: true});
	rmSync(seaWork, {recursive: true, force: true});
}

// 2. One ES module: source/cli.tsx with its UI (the dynamic import inlined), the same edits to
// dependencies as dist/, and the demos as base64 in its first lines (source/demo.ts reads them).
const demoTable = `{${demos.map(d => `${JSON.stringify(d.name)}:${JSON.stringify(readFileSync(d.file).toString('base64'))}`).join(',')}}`;
await build({
	absWorkingDir: root,
	entryPoints: ['source/cli.tsx'],
	outfile: join(release, `fdtop-${version}.mjs`),
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	minify: true,
	legalComments: 'none',
	logLevel: 'warning',
	define: {'process.env.NODE_ENV': '"production"', FDTOP_VERSION: JSON.stringify(version), ...uplotDefine()},
	plugins: [undiciLean, undiciLazyHttp2, undiciLazyPerfHooks, meowLazyNormalize, lazyTextHelpers, yogaWithoutFetch, withoutDevtools],
	banner: {
		js: [
			`// fdtop ${version}: one file, for Node >= 20. Run: node fdtop-${version}.mjs --help`,
			// Bundled CommonJS (React, the reconciler) calls require() for Node's own modules.
			"import{createRequire as __fdtopRequire}from'node:module';const require=__fdtopRequire(import.meta.url);",
			`{const d=${demoTable};globalThis[Symbol.for('fdtop.demos')]={names:Object.keys(d),read:n=>Buffer.from(d[n],'base64')};}`,
		].join('\n'),
	},
});
// esbuild keeps source/cli.tsx's first line (#!/bin/sh, for dist/cli.js's polyglot): this file is node's.
const mjs = join(release, `fdtop-${version}.mjs`);
writeFileSync(mjs, readFileSync(mjs, 'utf8').replace(/^#!.*\n/, '#!/usr/bin/env node\n'));
chmodSync(mjs, 0o755);

// 3. The package: its files (package.json's "files") in a directory of their own, with dist/ as
// `npm run build` makes it, built apart so that the checkout's dist/ is left alone (tests run it).
const packDist = join(root, '.dist-pack');
const pack = join(release, '.pack');
try {
	node(join(root, 'scripts', 'build.mjs'), '--outdir', packDist);
	mkdirSync(join(pack, 'demo'), {recursive: true});
	cpSync(packDist, join(pack, 'dist'), {recursive: true});
	cpSync(recordings, join(pack, 'demo', 'recordings'), {recursive: true});
	for (const file of ['package.json', 'README.md', 'LICENSE']) if (existsSync(join(root, file))) copyFileSync(join(root, file), join(pack, file));
	execFileSync('npm', ['pack', '--pack-destination', release, '--silent'], {cwd: pack, stdio: ['ignore', 'ignore', 'inherit']});
} finally {
	rmSync(packDist, {recursive: true, force: true});
	rmSync(pack, {recursive: true, force: true});
}

// 4. The checksums, in sha256sum's format.
const artefacts = [`fdtop-${version}-linux-${process.arch}`, `fdtop-${version}.mjs`, `fdtop-${version}.tgz`];
writeFileSync(join(release, 'SHA256SUMS'), artefacts.map(a => `${createHash('sha256').update(readFileSync(join(release, a))).digest('hex')}  ${a}\n`).join(''));
for (const a of [...artefacts, 'SHA256SUMS']) process.stdout.write(`${(statSync(join(release, a)).size / 1024 / 1024).toFixed(1).padStart(6)} MiB  release/${a}\n`);
