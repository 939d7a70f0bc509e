/**
 * `fdtop config init` and `fdtop config check`, as processes: init writes an example that check
 * accepts, never replaces a file without --force; check prints what a file holds with every secret
 * [redacted], and the problems (exit 2) of a bad one.
 */
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, ROOT} from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-config-cmd-'));
after(() => rmSync(dir, {recursive: true, force: true}));
let n = 0;
const fresh = () => {
	const root = join(dir, `h${n++}`);
	mkdirSync(root);
	return {XDG_CONFIG_HOME: join(root, 'xdg'), HOME: root, LANG: 'C.UTF-8', LC_ALL: '', TERM: 'xterm'};
};

test('config init writes the example where fdtop looks (0600), and config check accepts it', async () => {
	const env = fresh();
	const init = await runCli(['config', 'init'], env);
	assert.equal(init.code, 0, init.stderr);
	const file = join(env.XDG_CONFIG_HOME, 'fdtop', 'config.yaml');
	assert.match(init.stdout, new RegExp(`wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	assert.equal(statSync(file).mode & 0o777, 0o600);
	assert.match(readFileSync(file, 'utf8'), /^# fdtop config file/);
	const check = await runCli(['config', 'check'], env);
	assert.equal(check.code, 0, check.stderr);
	assert.match(check.stdout, /: valid\n/);
	assert.match(check.stdout, /^targets \(1\)/m);
	assert.match(check.stdout, /^ {2}local {2}http:\/\/localhost:8000\/metrics {2}headers X-Tenant: \[redacted\]$/m);
	assert.match(check.stdout, /^objectives \(2\)\n {2}TTFT ≤ 2 s for 99 %/m);
	assert.match(check.stdout, /^alerts \(3\)\n {2}kv_cache >= 90% for 30s\n {2}waiting > 50 for 1m\n {2}rate\(send_cache_failed\) > 0$/m);
	assert.match(check.stdout, /^defaults \(2\).*\n {2}interval: 1s\n {2}window: 1m$/m);
	assert.doesNotMatch(check.stdout, /llm-team/, 'a header value is never printed');
	// And fdtop itself runs with it (a saved exposition named on the command line).
	const run = await runCli(['--once', '--json', join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt')], env);
	assert.equal(run.code, 0, run.stderr);
	assert.equal(JSON.parse(run.stdout).slo.objectives.length, 2);
});

test('config init never replaces a file without --force', async () => {
	const env = fresh();
	const file = join(dir, `mine-${n}.yaml`);
	writeFileSync(file, 'window: 5m\n');
	const refused = await runCli(['config', 'init', file], env);
	assert.equal(refused.code, 2);
	assert.equal(refused.stderr, `fdtop config: ${file} exists: keep it, or replace it with fdtop config init --force\n`);
	assert.equal(readFileSync(file, 'utf8'), 'window: 5m\n', 'untouched');
	const forced = await runCli(['config', 'init', '--force', file], env);
	assert.equal(forced.code, 0, forced.stderr);
	assert.match(readFileSync(file, 'utf8'), /^# fdtop config file/);
});

test('config check of a bad file: each problem with its line, exit 2', async () => {
	const env = fresh();
	const file = join(dir, 'bad.yaml');
	writeFileSync(file, 'targets:\n  a:\n    url: :8001\n    headers:\n      Authorization: Bearer sk-live-abcdef123\nwindw: 5m\n');
	const r = await runCli(['config', 'check', file], env);
	assert.equal(r.code, 2);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, /^fdtop config: \S+bad\.yaml:6:1: windw: unknown key: did you mean "window"\?/);
	assert.doesNotMatch(r.stderr, /sk-live/);
});

test('config check names token files and headers, never their secrets', async () => {
	const env = fresh();
	const token = join(env.HOME, 'prod.token');
	writeFileSync(token, 'tok-5e6f7a8b9c\n');
	const file = join(env.HOME, 'c.yaml');
	writeFileSync(file, 'targets:\n  prod:\n    url: https://gpu1.example.com/metrics\n    token-file: prod.token\n    headers:\n      X-Api-Key: key-1234abcd\n');
	const r = await runCli(['config', 'check', file], env);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^ {2}prod {2}https:\/\/gpu1\.example\.com\/metrics {2}headers X-Api-Key: \[redacted\] {2}token \[redacted\] from \S+\/prod\.token$/m, 'a relative token-file is beside the config file');
	assert.doesNotMatch(r.stdout + r.stderr, /tok-5e6f7a8b9c|key-1234abcd/);
});

test('config check with no file at the default path: says where it looked and how to make one', async () => {
	const env = fresh();
	const r = await runCli(['config', 'check'], env);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /^fdtop config: \S+\/xdg\/fdtop\/config\.yaml: no such file; write one with: fdtop config init /);
});

test('config with no action, or an unknown one: the usage line, exit 2', async () => {
	for (const args of [['config'], ['config', 'lint'], ['config', 'check', 'a', 'b']]) {
		const r = await runCli(args, fresh());
		assert.equal(r.code, 2, args.join(' '));
		assert.match(r.stderr, /usage: fdtop config init \[FILE\] \[--force\] {2}\| {2}fdtop config check \[FILE\]/);
	}
});

test("README's config example passes config check", async () => {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Config file'));
	const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
	const env = fresh();
	mkdirSync(join(env.HOME, '.config', 'fdtop'), {recursive: true});
	writeFileSync(join(env.HOME, '.config', 'fdtop', 'prod-a.token'), 'tok-readme-1\n');
	const file = join(env.HOME, 'readme.yaml');
	writeFileSync(file, example);
	const r = await runCli(['config', 'check', file], env);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^targets \(2\)/m);
	assert.match(r.stdout, /^alerts \(3\)/m);
});
