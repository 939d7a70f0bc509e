/**
 * The bundle `npm run build` makes (scripts/build.mjs): an executable bin, and reports that never
 * load the live UI. Only what cli.js imports statically is kept in a copy of dist/; `--once`,
 * `--json`, `--version` and a replayed demo must still work from it, and none of it may hold
 * React, Ink or Yoga (those load only through the lazy import of the UI).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, ROOT} from './helpers/cli.js';

const DIST = join(ROOT, 'dist');

/** The chunks a module imports statically (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
function staticImports(file: string): string[] {
	const text = readFileSync(join(DIST, file), 'utf8');
	return [...text.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)].map(m => m[1]!);
}

function staticClosure(entry: string): Set<string> {
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		for (const next of staticImports(file)) visit(next);
	};
	visit(entry);
	return seen;
}

function run(cli: string, args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {env: {...process.env, NO_COLOR: '1'}, timeout: 30_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

/** The node flags dist/cli.js's exec line (line 2 of the sh/JS polyglot) starts node with. */
function binFlags(): string[] {
	const [first, second] = readFileSync(CLI, 'utf8').split('\n', 2);
	assert.equal(first, '#!/bin/sh');
	const exec = /^":" \/\/; exec node((?: --[a-z-]+=\S+)*) "\$0" "\$@"$/.exec(second ?? '');
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

test('reports run from the statically imported chunks alone, which hold no React, Ink or Yoga', async () => {
	const kept = staticClosure('cli.js');
	const all = readdirSync(DIST).filter(f => f.endsWith('.js'));
	assert.ok(all.length > kept.size, `every chunk is imported statically by cli.js: ${[...kept].join(', ')}`);
	for (const file of kept) {
		const text = readFileSync(join(DIST, file), 'utf8');
		assert.ok(!text.includes('react.transitional.element'), `${file}, loaded by every run, holds React`);
		assert.ok(!text.includes('data:application/octet-stream;base64'), `${file}, loaded by every run, holds Yoga's wasm`);
	}

	const copy = mkdtempSync(join(tmpdir(), 'fdtop-build-'));
	try {
		mkdirSync(join(copy, 'dist'));
		for (const file of kept) copyFileSync(join(DIST, file), join(copy, 'dist', file));
		copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
		symlinkSync(join(ROOT, 'demo'), join(copy, 'demo'));
		const cli = join(copy, 'dist', 'cli.js');
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
		rmSync(copy, {recursive: true, force: true});
	}
});
