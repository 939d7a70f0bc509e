/**
 * The bundle `npm run build` makes (scripts/build.mjs): an executable bin (dist/cli.js, a loader)
 * that runs dist/main.js with a V8 code cache (dist/main.cache) when this node takes it and
 * without when it does not, and reports that never load the live UI (dist/*.mjs). Only the
 * loader, main.js and the cache are kept in a copy of dist/; `--once`, `--json`, `--version` and a
 * replayed demo must still work from it, and none of it may hold React, Ink or Yoga.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, ROOT} from './helpers/cli.js';

const DIST = join(ROOT, 'dist');

/** `node [nodeArgs] cli args` (the bin's own flags only when given here). */
function run(cli: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(process.execPath, [...nodeArgs, cli, ...args], {env: {...process.env, NO_COLOR: '1', ...env}, timeout: 30_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

/** The node flags dist/cli.js's exec line (line 2 of the sh/JS polyglot) starts node with. */
function binFlags(): string[] {
	const [first, second] = readFileSync(CLI, 'utf8').split('\n', 2);
	assert.equal(first, '#!/bin/sh');
	const exec = /^":" \/\/; (?:.*; )?exec node((?: --[a-z-]+=\S+)*) "\$0" "\$@"$/.exec(second ?? '');
	assert.ok(exec, `line 2 is not the exec line: ${second}`);
	return exec[1]!.trim().split(' ');
}

test('dist/cli.js is an executable sh/JS polyglot that execs node with memory flags', () => {
	assert.ok((statSync(CLI).mode & 0o111) !== 0, 'dist/cli.js is not executable');
	assert.deepEqual(binFlags(), ['--max-semi-space-size=1', '--heap-growing-percent=50']);
});

test('npm start runs node with the same flags as the bin', () => {
	const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts['start'];
	assert.equal(start, `node ${binFlags().join(' ')} dist/cli.js --demo`);
});

test('run through a symlink elsewhere (as npm links bins), the bin runs node with its flags', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-bin-'));
	const link = join(dir, 'fdtop');
	symlinkSync(CLI, link);
	const server = createServer(() => {}); // never answers: fdtop waits, so its command line can be read
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	try {
		const version = await new Promise<string>((resolve, reject) => execFile(link, ['--version'], (error, stdout) => (error ? reject(error) : resolve(stdout))));
		assert.match(version, /^\d+\.\d+\.\d+/);
		const child = spawn(link, ['--once', '--timeout', '20s', `http://127.0.0.1:${port}/metrics`], {stdio: 'ignore'});
		try {
			// sh execs node in place, so the child's pid becomes node with the flags.
			let cmdline = '';
			for (let i = 0; i < 200 && !cmdline.includes('node'); i++) {
				await new Promise(resolve => setTimeout(resolve, 50));
				cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
			}
			assert.match(cmdline, /node --max-semi-space-size=1 --heap-growing-percent=50 \S*fdtop --once/);
		} finally {
			child.kill();
		}
	} finally {
		server.close();
		rmSync(dir, {recursive: true, force: true});
	}
});

/** The source files a built file was made from, from its source map. */
function sources(file: string): string[] {
	const map = JSON.parse(readFileSync(join(DIST, `${file}.map`), 'utf8')) as {sources: string[]};
	// Relative to the map: source/… or node_modules/… (wherever node_modules really is).
	return map.sources.map(s => (s.includes('node_modules/') ? s.slice(s.lastIndexOf('node_modules/')) : s.replace(/^(\.\.\/)+/, '')));
}

test('each module is built into one bundle: main.js, ui-vendor.js (React, Yoga\'s loader) or the UI (dist/*.mjs)', () => {
	const ui = readdirSync(DIST).filter(f => f.endsWith('.mjs'));
	assert.ok(ui.includes('ui.mjs'), `no dist/ui.mjs: ${ui.join(', ')}`);
	const main = sources('main.js');
	assert.ok(main.includes('source/cli.tsx') && main.includes('source/format.ts'), main.filter(s => s.startsWith('source/')).join(', '));
	assert.ok(!main.some(s => s.startsWith('source/ui/')), 'main.js holds a module of source/ui/');
	const vendor = sources('ui-vendor.js');
	for (const name of ['react', 'react-reconciler', 'scheduler', 'yoga-layout']) assert.ok(vendor.some(s => s.startsWith(`node_modules/${name}/`)), `ui-vendor.js holds no ${name}`);
	assert.ok(!vendor.some(s => s.startsWith('source/')), 'ui-vendor.js holds a module of source/');
	const uiSources = ui.flatMap(file => sources(file));
	assert.ok(uiSources.includes('source/ui/app.tsx') && uiSources.some(s => s.startsWith('node_modules/ink/')));
	assert.deepEqual(uiSources.filter(s => s.startsWith('source/') && !s.startsWith('source/ui/')), [], 'a module outside source/ui/ is bundled a second time into the UI');
	assert.deepEqual(uiSources.filter(s => vendor.includes(s) || main.includes(s)), [], 'a module is bundled twice');
	assert.ok(!main.some(s => vendor.includes(s)), 'a module is in both main.js and ui-vendor.js');
});

test('what only a subcommand or a config file needs is in dist/lazy/, not in main.js, which every start reads', () => {
	const main = sources('main.js');
	const text = readFileSync(join(DIST, 'main.js'), 'utf8');
	for (const dependency of ['yaml', 'zod', 'uplot']) assert.ok(!main.some(s => s.startsWith(`node_modules/${dependency}/`)), `main.js holds ${dependency}`);
	assert.ok(!text.includes('Leon Sorokin'), "main.js holds uPlot's text (its licence)");
	for (const file of ['config-file.ts', 'report-html-cli.ts', 'html-report.ts', 'check.ts', 'compare-command.ts', 'config-command.ts']) assert.ok(!main.includes(`source/${file}`), `main.js holds source/${file}`);
	const lazy = readdirSync(join(DIST, 'lazy')).filter(f => f.endsWith('.mjs'));
	const lazySources = lazy.flatMap(file => sources(join('lazy', file)));
	assert.ok(lazySources.some(s => s.startsWith('node_modules/yaml/')) && lazySources.includes('source/report-html-cli.ts'), lazy.join(', '));
	assert.deepEqual(lazySources.filter(s => main.includes(s) && s.startsWith('source/')), [], 'a module of main.js is bundled a second time into dist/lazy/');
	// uPlot's text only in the report's module: a config file's start does not read it.
	assert.deepEqual(lazy.filter(file => readFileSync(join(DIST, 'lazy', file), 'utf8').includes('Leon Sorokin')), ['report.mjs']);
});

/** A copy of dist/ with only the loader, main.js and (unless `cache` is false) its cache, package.json and demo/ next to it. */
function reportsOnlyCopy(cache: Buffer | false = readFileSync(join(DIST, 'main.cache'))): {dir: string; cli: string} {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-build-'));
	mkdirSync(join(dir, 'dist'));
	for (const file of ['cli.js', 'main.js', 'package.json']) copyFileSync(join(DIST, file), join(dir, 'dist', file));
	if (cache) writeFileSync(join(dir, 'dist', 'main.cache'), cache);
	chmodSync(join(dir, 'dist', 'cli.js'), 0o755);
	copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
	symlinkSync(join(ROOT, 'demo'), join(dir, 'demo'));
	return {dir, cli: join(dir, 'dist', 'cli.js')};
}

test('reports run from the loader and main.js alone, which hold no React, Ink or Yoga', async () => {
	for (const file of ['cli.js', 'main.js']) {
		const text = readFileSync(join(DIST, file), 'utf8');
		assert.ok(!text.includes('react.transitional.element'), `${file}, loaded by every run, holds React`);
		assert.ok(!text.includes('data:application/octet-stream;base64'), `${file}, loaded by every run, holds Yoga's wasm`);
	}
	const {dir, cli} = reportsOnlyCopy();
	try {
		const fixture = join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt');

		const version = await run(cli, ['--version']);
		assert.equal(version.code, 0, version.stderr);
		assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version);

		const text = await run(cli, ['--once', fixture]);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, /fastdeploy 2\.3/);

		const json = await run(cli, ['--once', '--json', fixture]);
		assert.equal(json.code, 0, json.stderr);
		assert.equal((JSON.parse(json.stdout) as {targets: unknown[]}).targets.length, 1);

		const demo = await run(cli, ['--demo', '--once']);
		assert.equal(demo.code, 0, demo.stderr);
		assert.match(demo.stdout, /demo burst-2\.3/);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

/** What NODE_DEBUG=fdtop says the loader did with a bundle's code cache. */
function cacheUse(stderr: string, bundle = 'main'): string | undefined {
	return new RegExp(`^FDTOP \\d+: ${bundle}: code cache (.+)$`, 'm').exec(stderr)?.[1];
}

test('the bin runs main.js with its code cache under its own node flags, and the same report without', async () => {
	const fixture = join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt');
	const debug = {NODE_DEBUG: 'fdtop'};
	const withCache = await run(CLI, ['--once', fixture], debug, binFlags());
	assert.equal(withCache.code, 0, withCache.stderr);
	assert.equal(cacheUse(withCache.stderr), 'used');
	// Other V8 flags than the cache was made with: V8 rejects it and main.js is compiled from source.
	const plain = await run(CLI, ['--once', fixture], debug);
	assert.equal(plain.code, 0, plain.stderr);
	assert.equal(cacheUse(plain.stderr), 'rejected');
	assert.match(withCache.stdout, /fastdeploy 2\.3/);
	assert.equal(plain.stdout, withCache.stdout);
	// Run as a program (sh execs node with the flags): the cache is used too.
	const bin = await new Promise<string>((resolve, reject) => execFile(CLI, ['--version'], {env: {...process.env, ...debug}}, (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr))));
	assert.equal(cacheUse(bin), 'used');
});

test('a damaged, foreign or missing code cache only costs time: the bin runs the same', async () => {
	const fixture = join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt');
	const expected = await run(CLI, ['--once', fixture]);
	assert.equal(expected.code, 0, expected.stderr);
	const real = readFileSync(join(DIST, 'main.cache'));
	const damaged = Buffer.from(real);
	for (let i = 0; i < damaged.length; i += 97) damaged[i] = damaged[i]! ^ 0xff;
	// The header intact (V8's magic number, version and flags hashes, length), the code not: V8
	// rejects it only on its checksum (which V8 skips unless the loader asks for it: node crashed).
	const payload = Buffer.from(real);
	for (let i = 200; i < payload.length; i += 1013) payload[i] = payload[i]! ^ 0x5a;
	const cases: [string, Buffer | false, string][] = [
		['damaged', damaged, 'rejected'],
		['payload damaged', payload, 'rejected'],
		['garbage', Buffer.from('not a V8 code cache'), 'rejected'],
		['empty', Buffer.alloc(0), 'rejected'],
		['missing', false, 'absent'],
	];
	for (const [what, cache, use] of cases) {
		const {dir, cli} = reportsOnlyCopy(cache);
		try {
			const result = await run(cli, ['--once', fixture], {NODE_DEBUG: 'fdtop'}, binFlags());
			assert.equal(result.code, 0, `${what}: ${result.stderr}`);
			assert.equal(cacheUse(result.stderr), use, what);
			assert.equal(result.stdout, expected.stdout, what);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	}
});

test('with --enable-source-maps the bin loads main.js through require(), so stack traces map to source/', async () => {
	const result = await run(CLI, ['--version'], {NODE_DEBUG: 'fdtop'}, ['--enable-source-maps', ...binFlags()]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(cacheUse(result.stderr), 'not used: source maps are enabled');
	assert.match(result.stdout, /^\d+\.\d+\.\d+/);
});

/** The bin's live UI on pipes made to look like a terminal (scripts/train-tty.cjs), quit with q after its first full frame. */
function runUi(nodeArgs: string[], args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...nodeArgs, '--require', join(ROOT, 'scripts', 'train-tty.cjs'), CLI, ...args], {env: {...process.env, NODE_DEBUG: 'fdtop', LANG: 'C.UTF-8', CI: 'false'}});
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => child.kill(), 20_000);
		child.stdout.on('data', chunk => {
			const drawn = stdout.includes('space pause');
			stdout += chunk;
			if (!drawn && stdout.includes('space pause')) child.stdin.write('q');
		});
		child.stderr.on('data', chunk => (stderr += chunk));
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

test('the live UI runs ui-vendor.js (React, Yoga) with its code cache under the bin\'s flags, and draws the same without', async () => {
	const cached = await runUi(binFlags(), ['--demo']);
	assert.equal(cached.code, 0, cached.stderr);
	assert.match(cached.stdout, /Trends/);
	assert.equal(cacheUse(cached.stderr), 'used');
	assert.equal(cacheUse(cached.stderr, 'ui-vendor'), 'used');
	const plain = await runUi([], ['--demo']);
	assert.equal(plain.code, 0, plain.stderr);
	assert.match(plain.stdout, /Trends/);
	assert.equal(cacheUse(plain.stderr, 'ui-vendor'), 'rejected');
	// Reports never load the UI's bundles.
	const report = await run(CLI, ['--demo', '--once'], {NODE_DEBUG: 'fdtop'}, binFlags());
	assert.equal(report.code, 0, report.stderr);
	assert.equal(cacheUse(report.stderr, 'ui-vendor'), undefined);
});
