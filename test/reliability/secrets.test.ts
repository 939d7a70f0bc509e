/**
 * Secrets: a token from FDTOP_TOKEN or --token-file reaches the server as `Authorization: Bearer …`
 * and nowhere else: not on screen, not in --json, not in a recording, not in an error message
 * (even when the server echoes the header back in a 401 body). Redirects are not followed,
 * credentials inside a URL are refused with advice, and a self-signed certificate needs --insecure.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {assertNoRawControl, fixtureText, HAS_OPENSSL, HAS_TMUX, requireBuild, runCli, serve, Tmux, type TestServer} from './helpers.js';

const TOKEN = 'fdtop-s3cret-T0KEN-9f8e7d';
const dir = mkdtempSync(join(tmpdir(), 'fdtop-secrets-'));
const tokenFile = join(dir, 'token');
const METRICS = fixtureText('fastdeploy-2.3.txt');

let ok: TestServer;
let unauthorized: TestServer;

/** Nothing fdtop wrote may contain the token, or its Authorization header. */
function assertNoToken(text: string, where: string): void {
	assert.ok(!text.includes(TOKEN), `${where} leaks the token:\n${text.slice(0, 2000)}`);
	assert.doesNotMatch(text, /bearer\s+\S/i, `${where} shows an Authorization value`);
}

before(async () => {
	requireBuild();
	writeFileSync(tokenFile, `${TOKEN}\n`, {mode: 0o600});
	ok = await serve((_n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		res.end(METRICS);
	});
	// A careless gateway: the 401 body repeats the request's Authorization header.
	unauthorized = await serve((_n, req, res) => {
		res.writeHead(401, {'content-type': 'text/plain', 'www-authenticate': 'Bearer'});
		res.end(`invalid credentials: ${req.headers.authorization ?? '(none)'}\nAuthorization: ${req.headers.authorization ?? ''}\n`);
	});
});
after(async () => {
	await ok.close();
	await unauthorized.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('the token reaches the server, and nothing else', () => {
	for (const [source, args, env] of [
		['FDTOP_TOKEN', [] as string[], {FDTOP_TOKEN: TOKEN}],
		['--token-file', ['--token-file', tokenFile], {}],
	] as const) {
		test(`${source}: sent as Authorization: Bearer, absent from --json and the text report`, async () => {
			const before = ok.requests.length;
			const json = await runCli(['--once', '--json', '--interval', '100ms', ...args, ok.url], env);
			assert.equal(json.code, 0, json.stderr);
			const sent = ok.requests.slice(before);
			assert.equal(sent.length, 2);
			for (const req of sent) assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
			assertNoToken(json.stdout + json.stderr, '--once --json');
			const text = await runCli(['--once', '--interval', '100ms', ...args, ok.url], env);
			assert.equal(text.code, 0, text.stderr);
			assertNoToken(text.stdout + text.stderr, '--once');
		});

		test(`${source}: a 401 whose body echoes the Authorization header: the error line does not leak it`, async () => {
			const result = await runCli(['--once', '--json', '--interval', '100ms', ...args, unauthorized.url], env);
			assert.equal(result.code, 1);
			assert.equal(unauthorized.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
			const line = result.stderr.trim();
			assert.equal(line.split('\n').length, 1, line);
			assert.match(line, /HTTP 401/);
			assert.match(line, /token/i, 'the error points at the token');
			assertNoToken(result.stderr, 'the error line');
			assertNoToken(result.stdout, 'the JSON error');
		});
	}

	test('a recording stores neither the token nor the header, even from a 401 that echoes it', async () => {
		for (const target of [ok, unauthorized]) {
			const file = join(dir, `rec-${target.port}.jsonl.gz`);
			await runCli(['--once', '--interval', '100ms', '--record', file, target.url], {FDTOP_TOKEN: TOKEN});
			const text = gunzipSync(readFileSync(file)).toString('utf8');
			assert.ok(text.split('\n').filter(Boolean).length >= 3, 'a header and two scrapes');
			assertNoToken(text, `the recording of ${target.url}`);
			assert.doesNotMatch(text, /authorization/i);
		}
	});

	test('the token never shows in the live UI (tmux), up or failing', {skip: HAS_TMUX ? false : 'tmux is not installed'}, async () => {
		const tmux = new Tmux();
		tmux.start();
		try {
			for (const [target, expect] of [
				[ok, /Time per request/],
				[unauthorized, /HTTP 401/],
			] as const) {
				const session = tmux.launch(`node dist/cli.js --interval 300ms --token-file ${tokenFile} ${target.url}`, {columns: 200, rows: 40});
				const screen = await tmux.waitFor(session, s => expect.test(s), `${expect}`);
				assertNoToken(screen, 'the screen');
				for (const key of ['2', '5', '?']) {
					tmux.keys(session, key);
					await new Promise(resolve => setTimeout(resolve, 300));
					assertNoToken(tmux.capture(session), `the screen after ${key}`);
				}
				tmux.keys(session, 'q');
				await tmux.waitFor(session, s => /SHELL-AFTER/.test(s), 'exit');
			}
		} finally {
			tmux.kill();
		}
	});
});

describe('redirects and URLs', () => {
	let elsewhere: TestServer;
	let redirecting: TestServer;
	before(async () => {
		elsewhere = await serve((_n, _req, res) => {
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end(METRICS);
		});
		redirecting = await serve((_n, _req, res) => {
			res.writeHead(302, {location: elsewhere.url});
			res.end();
		});
	});
	after(async () => {
		await elsewhere.close();
		await redirecting.close();
	});

	for (const withToken of [false, true]) {
		test(`a 302 is not followed ${withToken ? 'with' : 'without'} a token: exit 1, the redirect named`, async () => {
			const result = await runCli(['--once', '--interval', '100ms', redirecting.url], withToken ? {FDTOP_TOKEN: TOKEN} : {});
			assert.equal(result.code, 1);
			assert.match(result.stderr, /HTTP 302 redirect to .*; fdtop does not follow redirects, use the final URL/);
			assert.equal(elsewhere.requests.length, 0, 'the redirect target was never contacted');
			assertNoToken(result.stderr + result.stdout, 'the output');
		});
	}

	test('credentials inside a URL are refused with advice, and not echoed', async () => {
		const result = await runCli(['--once', `http://admin:hunter2pass@127.0.0.1:${ok.port}/metrics`]);
		assert.equal(result.code, 2);
		assert.match(result.stderr, /credentials inside a URL .*use FDTOP_TOKEN, --token-file or -H/);
		assert.doesNotMatch(result.stderr, /hunter2pass/);
		assert.equal(ok.requests.filter(r => r.headers.authorization?.startsWith('Basic')).length, 0);
	});

	test('an error body with escape sequences is shown inert', async () => {
		const hostile = await serve((_n, _req, res) => {
			res.writeHead(500, {'content-type': 'text/plain'});
			res.end('\u001b]0;pwned\u0007\u001b[2J boom\r\b\b');
		});
		try {
			const result = await runCli(['--once', '--interval', '100ms', hostile.url]);
			assert.equal(result.code, 1);
			assertNoRawControl(result.stderr, 'the error line');
			assert.match(result.stderr, /HTTP 500: \\e\]0;pwned\\x07\\e\[2J boom/);
		} finally {
			await hostile.close();
		}
	});
});

describe('--insecure and a self-signed certificate', {skip: HAS_OPENSSL ? false : 'openssl is not installed'}, () => {
	let https: HttpsServer;
	let url = '';
	before(async () => {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {stdio: 'ignore'});
		https = createHttpsServer({key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))}, (_req, res) => {
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end(METRICS);
		});
		await new Promise<void>(resolve => https.listen(0, '127.0.0.1', resolve));
		url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/metrics`;
	});
	after(async () => {
		https.closeAllConnections();
		await new Promise(resolve => https.close(resolve));
	});

	test('without --insecure: exit 1, one line saying the certificate is not trusted and naming the flag', async () => {
		const result = await runCli(['--once', '--interval', '100ms', url]);
		assert.equal(result.code, 1);
		const lines = result.stderr.trim().split('\n');
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, /TLS certificate not trusted \(self-signed\? pass --insecure to accept it\)/);
		assert.ok(lines[0]!.includes(url));
	});

	test('with --insecure: read', async () => {
		const result = await runCli(['--once', '--json', '--interval', '100ms', '--insecure', url]);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(JSON.parse(result.stdout).targets[0].state, 'up');
	});
});
