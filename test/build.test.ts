/**
 * The bundle `npm run build` makes (scripts/build.mjs): an executable bin, and reports that never
 * load the live UI. Only what cli.js imports statically is kept in a copy of dist/; `--once`,
 * `--json`, `--version` and a replayed demo must still work from it, and none of it may hold
 * React, Ink or Yoga (those load only through the lazy import of the UI).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
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

test('dist/cli.js is an executable node script', () => {
	assert.match(readFileSync(CLI, 'utf8').split('\n', 1)[0]!, /^#!\/usr\/bin\/env node\b/);
	assert.ok((statSync(CLI).mode & 0o111) !== 0, 'dist/cli.js is not executable');
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
