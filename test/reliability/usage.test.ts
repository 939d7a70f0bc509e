/**
 * Bad usage: every flag is validated before anything is scraped, and the error is exit 2 with one
 * first line that names the flag (or the target) and says what to write instead.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {parseCli, UsageError} from '../../source/config.js';
import {requireBuild, runCli, serve, type TestServer} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-usage-'));
const emptyToken = join(dir, 'empty-token');
const spacedToken = join(dir, 'two-tokens');
const lockedToken = join(dir, 'locked-token');
const lockedDir = join(dir, 'locked');
const emptyTargets = join(dir, 'targets.txt');
const badTargets = join(dir, 'bad-targets.txt');
// Root reads everything: permission cases only make sense for an ordinary user.
const ROOT_USER = process.getuid?.() === 0;
let server: TestServer;

before(async () => {
	requireBuild();
	writeFileSync(emptyToken, '\n');
	writeFileSync(spacedToken, 'one two\n');
	writeFileSync(lockedToken, 'secret\n', {mode: 0o000});
	mkdirSync(lockedDir, {mode: 0o500});
	writeFileSync(emptyTargets, '# nothing here\n\n');
	writeFileSync(badTargets, 'ok=:8001\nbad=host:70000\n');
	// A live endpoint, so a flag that slipped through would show as exit 0 rather than a dead target.
	server = await serve((_n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain'});
		res.end('# TYPE up gauge\nup 1\n');
	});
});
after(async () => {
	chmodSync(lockedDir, 0o700);
	rmSync(dir, {recursive: true, force: true});
	await server.close();
});

/**
 * [what, args, a pattern the first stderr line must match (naming the flag and the fix)]. Args get
 * `--once` in front and the live endpoint behind (unless `bare`, or the case names targets itself),
 * so a flag that slipped through would scrape and exit 0 instead of 2.
 */
const CASES: readonly [string, () => string[], RegExp, {skip?: string; bare?: boolean}?][] = [
	['interval not a duration', () => ['--interval', 'soon'], /--interval "soon" is not a duration: write e\.g\. 500ms/],
	['interval too short', () => ['-i', '10ms'], /--interval 10ms: choose between 100ms and 1h/],
	['interval too long', () => ['-i', '2h'], /--interval 2h: choose between 100ms and 1h/],
	['window shorter than two intervals', () => ['-i', '5s', '-w', '8s'], /--window 8s: must be at least two intervals \(10s\)/],
	['the default window against a long interval', () => ['-i', '45s'], /--window 60s: must be at least two intervals \(90s\)/],
	['window not a duration', () => ['--window', '5x'], /--window "5x" is not a duration/],
	['window too long', () => ['--window', '2h'], /--window 2h: at most 1h/],
	['timeout too short', () => ['--timeout', '10ms'], /--timeout 10ms: at least 100ms/],
	['timeout not a duration', () => ['--timeout', 'never'], /--timeout "never" is not a duration/],
	['max-bytes not a size', () => ['--max-bytes', 'lots'], /--max-bytes "lots" is not a size: write e\.g\. 16MiB/],
	['max-bytes too small', () => ['--max-bytes', '10'], /--max-bytes 10: at least 1KiB/],
	['max-series zero', () => ['--max-series', '0'], /--max-series 0: give a whole number of series, at least 1/],
	['max-series fractional', () => ['--max-series', '2.5'], /--max-series 2\.5: give a whole number/],
	['max-series not a number', () => ['--max-series', 'many'], /--max-series many: give a whole number/],
	['speed zero', () => ['--speed', '0'], /--speed 0: give a number from 0\.1 to 1000/],
	['speed not a number', () => ['--speed', 'fast'], /--speed fast: give a number/],
	['lang', () => ['--lang', 'fr'], /--lang fr: choose en or zh/],
	['header without a colon', () => ['-H', 'X-Token'], /-H "X-Token": write a header as 'Name: value'/],
	['header with a bad name', () => ['-H', 'Bad Name: v'], /write a header as 'Name: value'/],
	['token-file missing', () => ['--token-file', join(dir, 'nope')], /--token-file .*nope: no such file/],
	['token-file empty', () => ['--token-file', emptyToken], /--token-file .*: the file must hold one token on one line/],
	['token-file with two words', () => ['--token-file', spacedToken], /--token-file .*: the file must hold one token on one line/],
	['token-file a directory', () => ['--token-file', dir], /--token-file .*: not a regular file/],
	['token-file unreadable', () => ['--token-file', lockedToken], /--token-file .*: permission denied/, {skip: ROOT_USER ? 'running as root: every file is readable' : undefined}],
	['record into a missing directory', () => ['--record', join(dir, 'no-such-dir', 'r.jsonl.gz')], /--record .*no-such-dir.*: no such directory .*; create it first/],
	['record into an unwritable directory', () => ['--record', join(lockedDir, 'r.jsonl.gz')], /--record .*locked.*: permission denied/, {skip: ROOT_USER ? 'running as root: every directory is writable' : undefined}],
	['record an empty name', () => ['--record', ''], /--record needs a file name/],
	['targets file missing', () => ['--targets', join(dir, 'missing.txt')], /--targets .*missing\.txt: no such file/],
	['targets file listing nothing', () => ['--targets', emptyTargets], /--targets .*: the file lists no targets/],
	['targets file with a bad port', () => ['--targets', badTargets], /host:70000.*port must be 1–65535/],
	['port out of range (host:port)', () => ['host:70000'], /"host:70000": port must be 1–65535/],
	['port out of range (:port)', () => [':0'], /":0": port must be 1–65535/],
	['port out of range (URL)', () => ['http://host:70000/metrics'], /"http:\/\/host:70000\/metrics" is not a valid URL/],
	['an unsupported scheme', () => ['ftp://host/metrics'], /only http:\/\/ and https:\/\/ are supported/],
	['--loop without a recording', () => ['--loop'], /--loop is for replays: give a recording/],
	['--match without --prometheus', () => ['--match', '{job="x"}'], /--match goes with --prometheus URL/],
	['--prometheus not a URL', () => ['--prometheus', 'prom:9090'], /--prometheus prom:9090: give the server's base URL, e\.g\. http:\/\/prometheus:9090/],
	['--match splicing PromQL', () => ['--prometheus', 'http://prom:9090', '--match', '{job="x"} or vector(1)'], /--match '\{job="x"\} or vector\(1\)': unexpected "o" at character 11, expected nothing after the closing "\}"; give label matchers only/],
	['--max-api-bytes without --prometheus', () => ['--max-api-bytes', '1MiB'], /--max-api-bytes goes with --prometheus URL/],
	['--max-api-bytes too small', () => ['--prometheus', 'http://prom:9090', '--max-api-bytes', '10'], /--max-api-bytes 10: at least 1KiB/],
	['--json without --once', () => ['--json', ':8001'], /--json needs --once/, {bare: true}],
	['--families without --json', () => ['--once', '--families'], /--families needs --once --json/],
	['--demo with an unknown name', () => ['--demo', 'no-such-demo'], /--demo no-such-demo: no such demo; choose one of/],
	['an unknown flag', () => ['--intervall', '1s'], /unknown flag --intervall/],
	['a target that is neither URL nor file', () => ['not-a-target'], /"not-a-target" is not a target: give a URL, host:port/],
];

const namesTargets = (args: string[]) => args.some(a => /^(host:|:|http|ftp|not-a|--targets|--prometheus|--demo|--loop)/.test(a));

function argv(args: string[], bare = false): string[] {
	return bare ? args : ['--once', ...args, ...(namesTargets(args) ? [] : [server.url])];
}

describe('every flag is validated: parseCli throws a UsageError naming the flag and the fix', () => {
	for (const [what, args, pattern, options] of CASES) {
		// --demo NAME is checked against the bundled demos in the CLI itself (below).
		if (what.startsWith('--demo')) continue;
		test(what, {skip: options?.skip}, () => {
			assert.throws(() => parseCli(argv(args(), options?.bare), {}, '0.0.0'), (error: unknown) => {
				assert.ok(error instanceof UsageError, String(error));
				assert.match(error.message, pattern);
				return true;
			});
		});
	}
});

/** The CLI turns each of those into exit 2 with the message first; a sample across the kinds. */
const THROUGH_CLI = new Set(['window shorter than two intervals', 'max-bytes not a size', 'token-file empty', 'record into a missing directory', 'targets file missing', 'port out of range (host:port)', '--loop without a recording', '--match without --prometheus', '--json without --once', '--demo with an unknown name', 'an unknown flag']);

describe('bad usage exits 2 naming the flag and the fix (the built CLI)', {concurrency: 4}, () => {
	for (const [what, args, pattern, options] of CASES.filter(c => THROUGH_CLI.has(c[0]))) {
		test(what, {skip: options?.skip}, async () => {
			const result = await runCli(argv(args(), options?.bare));
			assert.equal(result.code, 2, `exit 2, got ${result.code}; stderr: ${result.stderr}`);
			const first = result.stderr.split('\n')[0]!;
			assert.match(first, /^fdtop: /);
			assert.match(first, pattern);
			// An unknown flag is one line with the nearest flag (test/config/unknown-flag.test.ts).
			if (what === 'an unknown flag') assert.equal(result.stderr, 'fdtop: unknown flag --intervall: did you mean --interval? (fdtop --help lists every flag)\n');
			else assert.match(result.stderr, /Usage/, 'then the usage text');
			assert.equal(server.requests.length, 0, 'nothing was scraped');
		});
	}

	test('FDTOP_TOKEN with a line break is refused (it would inject a header)', async () => {
		const result = await runCli(['--once', server.url], {FDTOP_TOKEN: 'abc\r\nX-Injected: 1'});
		assert.equal(result.code, 2, `exit 2; stderr: ${result.stderr}`);
		assert.match(result.stderr.split('\n')[0]!, /FDTOP_TOKEN/);
		assert.doesNotMatch(result.stderr, /abc|X-Injected/, 'the token is not echoed');
	});
});
