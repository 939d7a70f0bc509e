/**
 * Issue 13 item 1, the property: for random secrets (short ones, ones full of regular-expression
 * metacharacters) handed to fdtop in any of its ways (FDTOP_TOKEN, --token-file, -H), and random
 * servers echoing the request back in any shape (a /metrics 500 body, a Prometheus API error), the
 * secret never appears in stdout, stderr, the recording or the live screen. fdtop runs as a process;
 * the runs are bounded (20 per mode, 4 on the screen).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import type {IncomingHttpHeaders} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {startFakePrometheus, apiError, type FakePrometheus} from '../helpers/prometheus-fake.js';
import {HAS_TMUX, requireBuild, runCli, serve, shellQuote, Tmux, type TestServer} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-redact-prop-'));

/** Printable ASCII without space (what a header value or a token can hold), metacharacters often. */
const CHARS = [...'abcXYZ0189', ...'.*+?^$|\\()[]{}/-_~=:;,!#%&\'"<>@`'];
const secretArb = fc.string({unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 24}).filter(s => s.trim() === s && s !== '');
const wayArb = fc.constantFrom('env', 'file', 'header', 'bearer-header');
/** How the server echoes what it got. */
const shapeArb = fc.constantFrom('lines', 'json', 'query', 'bracketed', 'bare');

interface Case {
	secret: string;
	way: string;
	shape: string;
}

/** The part of the request a careless server repeats, in one of several shapes. */
function echoOf(c: Case, headers: IncomingHttpHeaders): string {
	const sent = String(headers['x-api-key'] ?? headers.authorization ?? '');
	const value = c.way === 'header' ? sent : sent.replace(/^Bearer /, '');
	switch (c.shape) {
		case 'lines':
			return `${c.way === 'header' ? 'x-api-key' : 'authorization'}: ${sent}`;
		case 'json':
			return JSON.stringify(headers);
		case 'query':
			return `GET /q?token=${encodeURIComponent(value)}&x=1`;
		case 'bracketed':
			return `rejected [${value}]`;
		default:
			return `bad credential ${value} given`;
	}
}

function argsFor(c: Case): {args: string[]; env: NodeJS.ProcessEnv} {
	switch (c.way) {
		case 'env':
			return {args: [], env: {FDTOP_TOKEN: c.secret}};
		case 'file': {
			const file = join(dir, 'token');
			writeFileSync(file, `${c.secret}\n`);
			return {args: ['--token-file', file], env: {}};
		}
		case 'header':
			return {args: ['-H', `X-Api-Key: ${c.secret}`], env: {}};
		default:
			return {args: ['-H', `Authorization: Bearer ${c.secret}`], env: {}};
	}
}

/** What fdtop prints with no secret at all: a secret found there proves nothing. */
let baseline = '';
let current: Case = {secret: 'x', way: 'env', shape: 'lines'};
let failing: TestServer;
let prometheus: FakePrometheus;

function assertHidden(text: string, c: Case, where: string): void {
	// A short secret (1-3 characters) is hidden where it stands as a word: as a substring it is in
	// any text ("a" in "data"). The echo must still be gone.
	if (c.secret.length >= 4) assert.ok(!text.includes(c.secret), `${where} shows the secret ${JSON.stringify(c)}:\n${text.slice(0, 2000)}`);
	else assert.ok(!new RegExp(`(^|[^A-Za-z0-9])${c.secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`).test(text.replace(/\[redacted\]/g, '')) || baseline.includes(c.secret), `${where} shows the short secret ${JSON.stringify(c)}:\n${text.slice(0, 2000)}`);
}

before(async () => {
	requireBuild();
	failing = await serve((_n, req, res) => {
		res.writeHead(500, {'content-type': 'text/plain'});
		res.end(`denied: ${echoOf(current, req.headers)}`);
	});
	prometheus = await startFakePrometheus(request => ({status: 400, json: apiError('bad_data', `parse error near ${echoOf(current, request.headers)}`)}));
	const plain = await runCli(['--once', '--json', '--interval', '100ms', failing.url]);
	const api = await runCli(['--once', '--prometheus', prometheus.url]);
	baseline = plain.stdout + plain.stderr + api.stdout + api.stderr + '[redacted]';
});
after(async () => {
	await failing.close();
	await prometheus.close();
	rmSync(dir, {recursive: true, force: true});
});

const caseArb = fc.record({secret: secretArb, way: wayArb, shape: shapeArb}).filter(c => !baseline.includes(c.secret));

describe('no secret in any output, for random secrets and echoing servers', () => {
	test('a /metrics answering 500 with the request: stdout (--json), stderr and the recording', async () => {
		await fc.assert(
			fc.asyncProperty(caseArb, async c => {
				current = c;
				const {args, env} = argsFor(c);
				const file = join(dir, 'rec.jsonl');
				const result = await runCli(['--once', '--json', '--interval', '100ms', '--record', file, ...args, failing.url], env);
				assert.equal(result.code, 1, result.stderr);
				assert.match(result.stderr, /HTTP 500: denied/);
				assertHidden(result.stdout, c, 'stdout');
				assertHidden(result.stderr, c, 'stderr');
				assertHidden(readFileSync(file, 'utf8'), c, 'the recording');
			}),
			{numRuns: 20, seed: 1313},
		);
	});

	test('a Prometheus API error echoing the request: stdout and stderr', async () => {
		await fc.assert(
			fc.asyncProperty(caseArb, async c => {
				current = c;
				const {args, env} = argsFor(c);
				const result = await runCli(['--once', '--prometheus', prometheus.url, ...args], env);
				assert.equal(result.code, 1, result.stderr);
				assert.match(result.stderr, /parse error near/);
				assertHidden(result.stdout + result.stderr, c, 'the output');
			}),
			{numRuns: 20, seed: 1313},
		);
	});

	test('the live screen (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, async () => {
		const tmux = new Tmux();
		tmux.start();
		try {
			await fc.assert(
				fc.asyncProperty(caseArb, async c => {
					current = c;
					const {args, env} = argsFor(c);
					const session = tmux.launch(`node dist/cli.js --interval 300ms ${args.map(shellQuote).join(' ')} ${failing.url}`, {columns: 200, rows: 30, env: env as Record<string, string>});
					const screen = await tmux.waitFor(session, s => /HTTP 500/.test(s), 'the error');
					tmux.keys(session, 'q');
					await tmux.waitFor(session, s => /SHELL-AFTER/.test(s), 'exit');
					// fdtop draws on the alternate screen: the command line typed into bash is not on it.
					assertHidden(screen, c, 'the screen');
				}),
				{numRuns: 4, seed: 1313},
			);
		} finally {
			tmux.kill();
		}
	});
});
