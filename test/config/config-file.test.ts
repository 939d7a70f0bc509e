/**
 * The config file (issue 15 §4), as a user meets it: the built CLI with XDG_CONFIG_HOME pointed at
 * a temporary directory. Errors name the file, line and column, the key path, what was expected
 * and the nearest key; hostile files (tabs, duplicate keys, a syntax error, an alias bomb, a huge
 * file) are refused in one line, exit 2; secrets are never echoed.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, serve, ROOT, type TestServer} from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-config-'));
const FIXTURE = join(ROOT, 'test', 'fixtures', 'fastdeploy-2.3.txt');
let n = 0;

/** A fresh XDG_CONFIG_HOME holding `text` as fdtop/config.yaml: [env, the file's path]. */
function home(text: string | undefined): [NodeJS.ProcessEnv, string] {
	const xdg = join(dir, `xdg-${n++}`);
	mkdirSync(join(xdg, 'fdtop'), {recursive: true});
	const file = join(xdg, 'fdtop', 'config.yaml');
	if (text !== undefined) writeFileSync(file, text);
	return [{XDG_CONFIG_HOME: xdg, FDTOP_TOKEN: '', LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '', TERM: 'xterm-256color'}, file];
}

after(() => rmSync(dir, {recursive: true, force: true}));

describe('a bad config file: exit 2, one line a problem, file:line:col, key, what was expected', () => {
	const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`)].join('\n');
	const CASES: [string, string, RegExp][] = [
		['a misspelt key', 'interval: 2s\nwindw: 5m\n', /^fdtop: (\S+):2:1: windw: unknown key: did you mean "window"\? \(expected one of targets, interval, window/],
		['a misspelt key in a target', 'targets:\n  prod:\n    url: gpu1:8001\n    tokenfile: x\n', /^fdtop: \S+:4:5: targets\.prod\.tokenfile: unknown key: did you mean "token-file"\?/],
		['a wrong type', 'ascii: yes please\n', /^fdtop: \S+:1:8: ascii: expected true or false; got text "yes please"$/],
		['a list where a mapping goes', 'targets:\n  - gpu1:8001\n', /^fdtop: \S+:2:3: targets: expected a mapping \(key: value lines\); got a list$/],
		['a duration that is none', 'window: soon\n', /^fdtop: \S+:1:9: window: expected a duration, e.g\. 500ms, 2s, 5m; got "soon"$/],
		['an interval out of range', 'interval: 2h\n', /^fdtop: \S+:1:11: interval: expected a duration from 100ms to 1h; got 2h$/],
		['a language fdtop lacks', 'lang: fr\n', /^fdtop: \S+:1:7: lang: expected one of en, zh$/],
		['a bad objective, at its item', 'slo:\n  - ttft <= 2s for 99%\n  - ttft <= fast\n', /^fdtop: \S+:3:5: slo\[1\]: "ttft <= fast": write an objective as METRIC<=THRESHOLD:SHARE%/],
		['an empty alert rule', 'alerts:\n  - kv_cache >= 90% for 30s\n  - ""\n', /^fdtop: \S+:3:5: alerts\[1\]: expected an alert rule, e.g\. 'kv_cache >= 90% for 30s'; got empty text$/],
		['an alert that is not text', 'alerts:\n  - 5\n', /^fdtop: \S+:2:5: alerts\[0\]: expected text; got number 5$/],
		['a bad target url', 'targets:\n  a:\n    url: host:70000\n', /^fdtop: \S+:3:10: targets\.a\.url: "host:70000": port must be 1–65535$/],
		['a target name with a space', 'targets:\n  "a b":\n    url: :8001\n', /^fdtop: \S+:2:3: targets\.a b: a target name is letters, digits/],
		['a missing token file', 'targets:\n  a:\n    url: :8001\n    token-file: nope.token\n', /^fdtop: \S+:4:17: targets\.a\.token-file: token-file \S+nope\.token: no such file$/],
		['a tab for indentation', 'targets:\n\ta:\n', /^fdtop: \S+:2:1: a tab indents this line: YAML indents with spaces only$/],
		['a duplicate key', 'window: 1m\nwindow: 5m\n', /^fdtop: \S+:2:1: this key is given twice: keep one$/],
		['a syntax error', 'slo: [ttft <= 2s for 99%\n', /^fdtop: \S+:2:1: not YAML: /],
		['an alias bomb (billion laughs)', `${bomb}\n`, /^fdtop: \S+: too many YAML aliases \(\*name\) expand here \(at most 100\): write the values out$/],
		['a huge file', `# ${'x'.repeat(2 * 1024 * 1024)}\n`, /^fdtop: \S+: 2\.0 MiB is too large for a config file \(at most 1 MiB\)$/],
		['a file that is not a mapping', '- a\n- b\n', /^fdtop: \S+:1:1: \(top level\): expected a mapping of settings \(key: value lines\); got a list$/],
	];
	for (const [what, text, pattern] of CASES) {
		test(what, async () => {
			const [env, file] = home(text);
			const r = await runCli(['--once', FIXTURE], env);
			assert.equal(r.code, 2, r.stderr);
			const first = r.stderr.split('\n')[0]!;
			assert.match(first, pattern);
			assert.ok(first.startsWith(`fdtop: ${file}`), `names the file: ${first}`);
			assert.doesNotMatch(r.stderr, /Usage/, 'the problem, not the usage text');
			assert.equal(r.stdout, '');
		});
	}

	test('every problem is listed, in the order of the file', async () => {
		const [env] = home('windw: 5m\nascii: 3\nslo:\n  - nope\n');
		const r = await runCli(['--once', FIXTURE], env);
		assert.equal(r.code, 2);
		assert.deepEqual(
			r.stderr.trimEnd().split('\n').map(l => /:(\d+):\d+: (\S+):/.exec(l)?.slice(1).join(' ')),
			['1 windw', '2 ascii', '4 slo[0]'],
		);
	});

	test('a secret of the file is never echoed, even where an error would quote it', async () => {
		const [env] = home('targets:\n  a:\n    url: :8001\n    headers:\n      Authorization: Bearer tok-9f8e7d6c5b\n      X-Api-Key: key-0a1b2c3d\ninterval: key-0a1b2c3d\nwindow: tok-9f8e7d6c5b\n');
		const r = await runCli(['--once', FIXTURE], env);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /interval: expected a duration, e\.g\. 500ms, 2s, 5m; got "\[redacted\]"/);
		assert.doesNotMatch(r.stderr, /tok-9f8e7d6c5b|key-0a1b2c3d/);
	});
});

describe('which file', () => {
	test('no file at the default path: no config, as before', async () => {
		const [env] = home(undefined);
		const r = await runCli(['--once', '--json', FIXTURE], env);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(JSON.parse(r.stdout).windowSeconds, 60);
	});

	test('--config FILE that is missing is an error naming the flag', async () => {
		const [env] = home(undefined);
		const r = await runCli(['--once', '--config', join(dir, 'missing.yaml'), FIXTURE], env);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /^fdtop: --config \S+missing\.yaml: no such file; write one with: fdtop config init \S+missing\.yaml\n$/);
	});

	test('--config FILE is read instead of the default one; --no-config reads none', async () => {
		const [env] = home('window: soon\n');
		const other = join(dir, 'other.yaml');
		writeFileSync(other, 'window: 5m\n');
		const chosen = await runCli(['--once', '--json', '--config', other, FIXTURE], env);
		assert.equal(chosen.code, 0, chosen.stderr);
		assert.equal(JSON.parse(chosen.stdout).windowSeconds, 300);
		const none = await runCli(['--once', '--json', '--no-config', FIXTURE], env);
		assert.equal(none.code, 0, none.stderr);
		assert.equal(JSON.parse(none.stdout).windowSeconds, 60);
	});

	test('--help answers whatever the file holds', async () => {
		const [env] = home('window: soon\n');
		const r = await runCli(['--help'], env);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /--config FILE/);
	});
});

describe('precedence: flags beat environment beat file beat defaults (each level against the next)', () => {
	let server: TestServer;
	const seen: (string | undefined)[] = [];
	before(async () => {
		server = await serve((_n, req, res) => {
			seen.push(req.headers.authorization);
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end('# TYPE up gauge\nup 1\n');
		});
	});
	after(() => server.close());

	test('window: the file beats the default, a flag beats the file', async () => {
		const [env] = home('window: 5m\n');
		const file = await runCli(['--once', '--json', FIXTURE], env);
		assert.equal(JSON.parse(file.stdout).windowSeconds, 300, file.stderr);
		const flag = await runCli(['--once', '--json', '-w', '2m', FIXTURE], env);
		assert.equal(JSON.parse(flag.stdout).windowSeconds, 120, flag.stderr);
	});

	test('token: the file target\'s token-file, FDTOP_TOKEN beats it, --token-file beats both', async () => {
		const tokens = join(dir, 'tokens');
		mkdirSync(tokens, {recursive: true});
		writeFileSync(join(tokens, 'file.token'), 'from-the-file-1\n');
		writeFileSync(join(tokens, 'flag.token'), 'from-the-flag-3\n');
		const [env] = home(`targets:\n  a:\n    url: ${server.url}\n    token-file: ${join(tokens, 'file.token')}\ninterval: 100ms\n`);
		const auth = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
			seen.length = 0;
			const r = await runCli(['--once', ...args], {...env, ...extra});
			assert.equal(r.code, 0, r.stderr);
			assert.doesNotMatch(r.stdout + r.stderr, /from-the-/, 'no token is printed');
			return [...new Set(seen)];
		};
		assert.deepEqual(await auth([]), ['Bearer from-the-file-1'], 'no target named: the file\'s targets, with their token');
		assert.deepEqual(await auth([], {FDTOP_TOKEN: 'from-the-env-2'}), ['Bearer from-the-env-2']);
		assert.deepEqual(await auth(['--token-file', join(tokens, 'flag.token')], {FDTOP_TOKEN: 'from-the-env-2'}), ['Bearer from-the-flag-3']);
	});

	test('glyphs: the file\'s ascii beats the default, a non-UTF-8 locale beats the file, --unicode beats the locale', async () => {
		const nonAscii = (text: string) => (text.match(/[^\x00-\x7f]/gu) ?? []).length;
		const [plain] = home(undefined);
		const byDefault = await runCli(['--once', FIXTURE], plain);
		assert.ok(nonAscii(byDefault.stdout) > 0, 'Unicode by default in a UTF-8 locale');
		const [asciiFile] = home('ascii: true\n');
		assert.equal(nonAscii((await runCli(['--once', FIXTURE], asciiFile)).stdout), 0, 'the file asks for ASCII');
		const [unicodeFile] = home('ascii: false\n');
		assert.equal(nonAscii((await runCli(['--once', FIXTURE], {...unicodeFile, LANG: 'C'})).stdout), 0, 'LANG=C beats the file');
		assert.ok(nonAscii((await runCli(['--once', '--unicode', FIXTURE], {...unicodeFile, LANG: 'C'})).stdout) > 0, '--unicode beats LANG=C');
	});

	test('objectives: the file\'s slo list, replaced by --slo', async () => {
		const [env] = home('slo:\n  - ttft <= 2s for 99%\n  - tpot <= 100ms for 90%\n');
		const file = JSON.parse((await runCli(['--once', '--json', FIXTURE], env)).stdout);
		assert.equal(file.slo.objectives.length, 2);
		const flag = JSON.parse((await runCli(['--once', '--json', '--slo', 'e2e<=30s:95%', FIXTURE], env)).stdout);
		assert.deepEqual(
			flag.slo.objectives.map((o: {objective: string}) => o.objective),
			['e2e<=30s:95%'],
		);
	});
});

describe('named targets', () => {
	let server: TestServer;
	const headers: Record<string, string | string[] | undefined>[] = [];
	before(async () => {
		server = await serve((_n, req, res) => {
			headers.push(req.headers);
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end('# TYPE up gauge\nup 1\n');
		});
	});
	after(() => server.close());

	test('a name on the command line is the file\'s target, with its headers; -H beats a header of the same name', async () => {
		const [env] = home(`targets:\n  prod-a:\n    url: ${server.url}\n    headers:\n      X-Tenant: team-a\n      X-Region: eu\n  prod-b:\n    url: 127.0.0.1:1\n`);
		headers.length = 0;
		const r = await runCli(['--once', '--json', '-i', '100ms', '-H', 'x-region: us', 'prod-a'], env);
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.deepEqual(
			json.targets.map((t: {name: string}) => t.name),
			['prod-a'],
		);
		assert.equal(headers[0]!['x-tenant'], 'team-a');
		assert.equal(headers[0]!['x-region'], 'us');
	});

	test('a misspelt name: did you mean, exit 2', async () => {
		const [env] = home(`targets:\n  prod-a:\n    url: ${server.url}\n`);
		const r = await runCli(['--once', 'prod-x'], env);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /^fdtop: "prod-x" is not a target nor a name in \S+config\.yaml: did you mean prod-a\?\n$/);
	});

	test('fdtop check takes the file\'s targets and objectives', async () => {
		const recording = join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz');
		const [env] = home(`targets:\n  run:\n    url: ${recording}\nslo:\n  - ttft <= 2s for 99%\n`);
		const r = await runCli(['check', '--json'], env);
		assert.ok(r.code !== 2, `judged, not bad usage: ${r.stderr}`);
		const json = JSON.parse(r.stdout);
		assert.equal(json.source, 'recording');
		assert.equal(json.slo.objectives.length, 1);
	});
});

test('a YAML error elsewhere in the file still hides its header values from the messages', async () => {
	// yaml quotes a block scalar header's extra characters in its message.
	const [env] = home('targets:\n  a:\n    url: :8001\n    headers:\n      X-Api-Key: zz-secret-77\nnote: |zz-secret-77\n  text\n');
	const r = await runCli(['--once', FIXTURE], env);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /:6:\d+: not YAML: /);
	assert.doesNotMatch(r.stderr, /zz-secret-77/);
});
