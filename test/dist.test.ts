/**
 * `npm run dist` (scripts/dist.mjs): each artefact in release/ copied into an empty directory
 * outside the checkout, with no node_modules in it or above it, and run from there as a user on an
 * offline host would: `--version`, `--once --json` against a test server, `--demo` drawn in tmux for
 * two seconds, `export` and `report` of a recording. The single executable runs with no node on PATH; the .tgz
 * is installed into a throw-away prefix with an empty npm cache and an unreachable registry.
 * Built once for the file (about a minute).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {ROOT, serve, type TestServer} from './helpers/cli.js';
import {HAS_TMUX, shellQuote, Tmux} from './reliability/helpers.js';

const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string};
const RELEASE = join(ROOT, 'release');
const SEA = `fdtop-${version}-linux-${process.arch}`;
const MJS = `fdtop-${version}.mjs`;
const TGZ = `fdtop-${version}.tgz`;

/** A PATH with no node on it (a directory holding only a link to sh, which the pane's shell needs no more than that). */
let noNodePath = '';
let work = '';
let server: TestServer;
let tmux: Tmux | undefined;

interface Artefact {
	readonly name: string;
	/** The command line that runs it, shell-quoted, and its environment. */
	command: string[];
	env: Record<string, string>;
}

function run(argv: readonly string[], env: Record<string, string>, cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(argv[0]!, argv.slice(1), {cwd, env: {NO_COLOR: '1', LANG: 'C.UTF-8', HOME: cwd, ...env}, timeout: 60_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

/** No node_modules in `dir` or any directory above it. */
function assertNoNodeModulesAbove(dir: string): void {
	for (let d = dir; ; d = dirname(d)) {
		assert.ok(!existsSync(join(d, 'node_modules')), `${d}/node_modules exists: the test would not show that the artefact is self-contained`);
		if (dirname(d) === d) break;
	}
}

const artefacts: Artefact[] = [];

before(async () => {
	execFileSync(process.execPath, [join(ROOT, 'scripts', 'dist.mjs')], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']});
	work = mkdtempSync(join(tmpdir(), 'fdtop-dist-'));
	assertNoNodeModulesAbove(work);
	const bin = join(work, 'bin');
	mkdirSync(bin);
	noNodePath = bin;
	// What a host with no node has: the coreutils the pane's shell uses, but not node.
	for (const tool of ['sh', 'bash', 'env', 'sleep', 'clear', 'cat']) {
		const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim();
		if (found && !found.includes('node')) execFileSync('ln', ['-s', found, join(bin, tool)]);
	}
	assert.notEqual(spawnSync('sh', ['-c', 'command -v node'], {env: {PATH: noNodePath}}).status, 0, 'node is on the test PATH');

	// 1. The single executable, alone in its directory, with no node on PATH.
	const seaDir = join(work, 'sea');
	mkdirSync(seaDir);
	copyFileSync(join(RELEASE, SEA), join(seaDir, SEA));
	execFileSync('chmod', ['+x', join(seaDir, SEA)]);
	artefacts.push({name: SEA, command: [join(seaDir, SEA)], env: {PATH: noNodePath}});

	// 2. The one-file module, with this node.
	const mjsDir = join(work, 'mjs');
	mkdirSync(mjsDir);
	copyFileSync(join(RELEASE, MJS), join(mjsDir, MJS));
	artefacts.push({name: MJS, command: [process.execPath, join(mjsDir, MJS)], env: {PATH: `${dirname(process.execPath)}:/usr/bin:/bin`}});

	// 3. The package, installed with no registry to reach and nothing in npm's cache.
	const prefix = join(work, 'prefix');
	const cache = join(work, 'npm-cache');
	mkdirSync(cache);
	copyFileSync(join(RELEASE, TGZ), join(work, TGZ));
	const npmEnv = {
		PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
		HOME: work,
		npm_config_cache: cache,
		npm_config_registry: 'http://127.0.0.1:9/',
		npm_config_fetch_retries: '0',
		npm_config_fetch_timeout: '2000',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
	};
	const installed = spawnSync('npm', ['install', '-g', '--prefix', prefix, `./${TGZ}`], {cwd: work, env: npmEnv, encoding: 'utf8', timeout: 120_000});
	assert.equal(installed.status, 0, `npm install -g ./${TGZ} offline failed:\n${installed.stdout}\n${installed.stderr}`);
	// (npm puts the local tarball itself in its cache; the cache was empty and the registry unreachable, so nothing came from either.)
	artefacts.push({name: TGZ, command: [join(prefix, 'bin', 'fdtop')], env: {PATH: `${dirname(process.execPath)}:/usr/bin:/bin`}});

	const text = readFileSync(join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt'));
	server = await serve((_n, _req, res) => res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(text));
	if (HAS_TMUX) {
		tmux = new Tmux();
		tmux.start();
	}
});

after(async () => {
	tmux?.kill();
	await server?.close();
	if (work) rmSync(work, {recursive: true, force: true});
});

test('release/ holds the three artefacts and a SHA256SUMS that sha256sum -c accepts', () => {
	const sums = readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8');
	const lines = sums.trim().split('\n');
	assert.deepEqual(lines.map(l => l.split('  ')[1]).sort(), [MJS, SEA, TGZ].sort());
	for (const line of lines) {
		const [hash, file] = line.split('  ');
		assert.equal(createHash('sha256').update(readFileSync(join(RELEASE, file!))).digest('hex'), hash, file);
	}
	assert.equal(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], {cwd: RELEASE}).status, 0);
});

for (const name of [SEA, MJS, TGZ]) {
	describe(`${name}, run from an empty directory outside the checkout`, () => {
		const artefact = () => artefacts.find(a => a.name === name)!;
		let cwd = '';
		before(() => {
			cwd = mkdtempSync(join(work, 'run-'));
			assertNoNodeModulesAbove(cwd);
		});

		test('--version', async () => {
			const r = await run([...artefact().command, '--version'], artefact().env, cwd);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stdout.trim(), version);
		});

		test('--once --json against a server', async () => {
			const r = await run([...artefact().command, '--once', '--json', server.url], artefact().env, cwd);
			assert.equal(r.code, 0, r.stderr);
			const target = (JSON.parse(r.stdout) as {targets: {up: boolean; metrics: unknown}[]}).targets[0]!;
			assert.equal(target.up, true);
			assert.ok(target.metrics);
			assert.equal(r.stderr, '');
		});

		test('export of a recording', async () => {
			const recording = join(cwd, 'steady.jsonl.gz');
			copyFileSync(join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz'), recording);
			const r = await run([...artefact().command, 'export', recording, '--format', 'openmetrics'], artefact().env, cwd);
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, /^# TYPE fastdeploy:/m);
			assert.ok(r.stdout.trimEnd().endsWith('# EOF'));
			assert.match(r.stderr, /exported \d+ scrapes/);
		});

		test('report of a recording: one page with uPlot and its licence inside', async () => {
			const recording = join(cwd, 'steady.jsonl.gz');
			copyFileSync(join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz'), recording);
			const r = await run([...artefact().command, 'report', recording, '-o', 'report.html'], artefact().env, cwd);
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stderr, /wrote report\.html \(\d+ KiB, 7 charts, 6 distributions/);
			const html = readFileSync(join(cwd, 'report.html'), 'utf8');
			assert.match(html, /var uPlot=function\(\)/);
			assert.match(html, /Copyright \(c\) 2022 Leon Sorokin/);
		});

		test('--demo draws the overview in a terminal for two seconds, and q quits', {skip: !HAS_TMUX && 'no tmux'}, async () => {
			const env = artefact().env;
			const session = tmux!.launch(`cd ${shellQuote(cwd)} && ${artefact().command.map(shellQuote).join(' ')} --demo`, {env: {...env, LANG: 'C.UTF-8'}});
			const screen = await tmux!.waitFor(session, s => s.includes('Trends') && s.includes('DEMO'), 'the demo overview', 30_000);
			await new Promise(resolve => setTimeout(resolve, 2000));
			const later = tmux!.capture(session);
			assert.match(later, /DEMO burst-2\.3/, `after two seconds:\n${later}`);
			assert.match(later, /Trends/);
			assert.doesNotMatch(later, /SHELL-AFTER|Error|error/, later);
			tmux!.keys(session, 'q');
			const done = await tmux!.waitFor(session, s => s.includes('SHELL-AFTER'), 'fdtop to exit');
			assert.match(done, /SHELL-AFTER 0/, `${screen}\n---\n${done}`);
		});
	});
}

test('the demo of the one-file module is inside it: it runs with no demo/ anywhere', async () => {
	const dir = mkdtempSync(join(work, 'alone-'));
	copyFileSync(join(RELEASE, MJS), join(dir, 'fdtop.mjs'));
	writeFileSync(join(dir, 'package.json'), '{}');
	const r = await run([process.execPath, join(dir, 'fdtop.mjs'), '--once', '--json', '--demo', 'steady-2.0'], {PATH: '/usr/bin:/bin'}, dir);
	assert.equal(r.code, 0, r.stderr);
	assert.equal((JSON.parse(r.stdout) as {targets: {up: boolean}[]}).targets[0]!.up, true);
});
