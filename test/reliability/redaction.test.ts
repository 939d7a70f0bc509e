/**
 * Issue 13 item 1: every configured secret (FDTOP_TOKEN, --token-file, every -H value whatever its
 * length, URL userinfo) is redacted wherever text from outside becomes a message: a Prometheus API
 * error that echoes the request, a 500 body that echoes the headers, a malformed target in the usage
 * error, a recording. Run as a process against real echoing servers.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startFakePrometheus, apiError, type FakePrometheus} from '../helpers/prometheus-fake.js';
import {HAS_TMUX, requireBuild, runCli, serve, shellQuote, Tmux, type TestServer} from './helpers.js';

const TOKEN = 'Tk-9f8e7d6c5b4a';
const SHORT = 's3cr3t7';
const dir = mkdtempSync(join(tmpdir(), 'fdtop-redact-'));
const tokenFile = join(dir, 'token');

/** Every request header, as a careless server echoes them (the credentials first: a 500 body is cut to its start). */
function echo(headers: Record<string, unknown>): string {
	const first = (k: string) => (k === 'authorization' || k === 'x-api-key' ? 0 : 1);
	return Object.entries(headers)
		.sort(([a], [b]) => first(a) - first(b))
		.map(([k, v]) => `${k}: ${String(v)}`)
		.join('; ');
}

let prometheus: FakePrometheus;
let failing: TestServer;

before(async () => {
	requireBuild();
	writeFileSync(tokenFile, `${TOKEN}\n`, {mode: 0o600});
	// The API error echoes the request: `parse error near Authorization: Bearer …`.
	prometheus = await startFakePrometheus(request => ({status: 400, json: apiError('bad_data', `parse error near ${echo(request.headers)}`)}));
	failing = await serve((_n, req, res) => {
		res.writeHead(500, {'content-type': 'text/plain'});
		res.end(`internal error handling ${echo(req.headers)}`);
	});
});
after(async () => {
	await prometheus.close();
	await failing.close();
	rmSync(dir, {recursive: true, force: true});
});

function assertAbsent(text: string, secrets: readonly string[], where: string): void {
	for (const secret of secrets) assert.ok(!text.includes(secret), `${where} shows ${JSON.stringify(secret)}:\n${text.slice(0, 3000)}`);
}

const WAYS = [
	['FDTOP_TOKEN', [] as string[], {FDTOP_TOKEN: TOKEN}, [TOKEN]],
	['--token-file', ['--token-file', tokenFile], {}, [TOKEN]],
	['-H Authorization', ['-H', `Authorization: Bearer ${TOKEN}`], {}, [TOKEN]],
	['-H Authorization Basic', ['-H', 'Authorization: Basic dXNlcjpodW50ZXIy'], {}, ['dXNlcjpodW50ZXIy']],
	['a short -H value', ['-H', `X-Api-Key: ${SHORT}`], {}, [SHORT]],
	['a three-character -H value', ['-H', 'X-Api-Key: q9Z'], {}, ['q9Z']],
] as const;

describe('a Prometheus API error that echoes the request', () => {
	for (const [way, args, env, secrets] of WAYS) {
		test(`${way}: the echoed secret is redacted on stderr`, async () => {
			const result = await runCli(['--once', '--prometheus', prometheus.url, ...args], env);
			assert.equal(result.code, 1, result.stderr);
			const sent = prometheus.requests.at(-1)!;
			assert.ok(echo(sent.headers).includes(secrets[0]), 'the secret reached the server');
			assert.match(result.stderr, /parse error near/);
			assert.match(result.stderr, /\[redacted\]/);
			assertAbsent(result.stdout + result.stderr, secrets, 'the output');
		});
	}

	test('the live screen (tmux) redacts it too', {skip: HAS_TMUX ? false : 'tmux is not installed'}, async () => {
		const tmux = new Tmux();
		tmux.start();
		try {
			const session = tmux.launch(`node dist/cli.js --prometheus ${prometheus.url} -H ${shellQuote(`X-Api-Key: ${SHORT}`)} --token-file ${tokenFile}`, {columns: 200, rows: 40});
			const screen = await tmux.waitFor(session, s => /SHELL-AFTER/.test(s), 'exit');
			assert.match(screen, /parse error near/);
			assertAbsent(screen, [TOKEN, SHORT], 'the screen');
		} finally {
			tmux.kill();
		}
	});
});

describe('a /metrics answering 500 with the request headers', () => {
	for (const [way, args, env, secrets] of WAYS) {
		test(`${way}: stderr, --json and the recording hold no secret`, async () => {
			const file = join(dir, `rec-${way.replace(/\W+/g, '-')}.jsonl`);
			const result = await runCli(['--once', '--interval', '100ms', '--record', file, ...args, failing.url], env);
			assert.equal(result.code, 1, result.stderr);
			assert.match(result.stderr, /HTTP 500: internal error handling/);
			assertAbsent(result.stderr, secrets, 'stderr');
			const json = await runCli(['--once', '--json', '--interval', '100ms', ...args, failing.url], env);
			assert.match(json.stdout, /HTTP 500/);
			assertAbsent(json.stdout + json.stderr, secrets, '--json');
			const recorded = readFileSync(file, 'utf8');
			assert.match(recorded, /HTTP 500/);
			assertAbsent(recorded, secrets, 'the recording');
		});
	}

	test('the live screen (tmux) shows the error without the secrets', {skip: HAS_TMUX ? false : 'tmux is not installed'}, async () => {
		const tmux = new Tmux();
		tmux.start();
		try {
			const session = tmux.launch(`node dist/cli.js --interval 300ms -H ${shellQuote(`X-Api-Key: ${SHORT}`)} --token-file ${tokenFile} ${failing.url}`, {columns: 200, rows: 40});
			const screen = await tmux.waitFor(session, s => /HTTP 500/.test(s), 'the error');
			assertAbsent(screen, [TOKEN, SHORT], 'the screen');
			tmux.keys(session, 'q');
			await tmux.waitFor(session, s => /SHELL-AFTER/.test(s), 'exit');
		} finally {
			tmux.kill();
		}
	});
});

describe('malformed targets with userinfo: the usage error does not echo the credentials', () => {
	const CASES = [
		['user:pw@host:port', ['--once', 'admin:Pw0rdA1@127.0.0.1:9'], ['Pw0rdA1']],
		['ftp://u:pw@…', ['--once', 'ftp://admin:Pw0rdB2@127.0.0.1/metrics'], ['Pw0rdB2']],
		['http://u:pw@[zz/', ['--once', 'http://admin:Pw0rdC3@[zz/'], ['Pw0rdC3']],
		['--prometheus htp://u:pw@x', ['--once', '--prometheus', 'htp://admin:Pw0rdD4@x'], ['Pw0rdD4']],
		['--prometheus http://u:pw@host', ['--once', '--prometheus', 'http://admin:Pw0rdE5@127.0.0.1:9'], ['Pw0rdE5']],
		['a user name alone', ['--once', 'http://ghp_T0kenAsUser@127.0.0.1:9/metrics'], ['ghp_T0kenAsUser']],
	] as const;
	for (const [what, args, secrets] of CASES) {
		test(what, async () => {
			const result = await runCli([...args]);
			assert.equal(result.code, 2, result.stderr);
			assert.match(result.stderr.split('\n')[0]!, /^fdtop: /);
			assertAbsent(result.stdout + result.stderr, secrets, 'the usage error');
		});
	}

	test('the same lines in a --targets file', async () => {
		for (const [what, args, secrets] of CASES) {
			if (args[1] === '--prometheus') continue;
			const file = join(dir, 'targets.txt');
			writeFileSync(file, `# fleet\n${args[1]}\n`);
			const result = await runCli(['--once', '--targets', file]);
			assert.equal(result.code, 2, `${what}: ${result.stderr}`);
			assertAbsent(result.stdout + result.stderr, secrets, `${what} in a targets file`);
		}
	});
});
