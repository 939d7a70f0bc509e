/** Issue 14 §4, the rough edges a new user meets, through the built CLI as a process. */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runCli, serve} from './helpers/cli.js';

const RECORDINGS = fileURLToPath(new URL('../demo/recordings/', import.meta.url));
const NON_ASCII = /[^\x00-\x7f]/u;
const firstNonAscii = (text: string) => {
	const i = text.search(NON_ASCII);
	return i < 0 ? null : `${JSON.stringify(text[i])} in ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 40))}`;
};

describe('ASCII output', () => {
	const cases: readonly {what: string; args: string[]; env: NodeJS.ProcessEnv}[] = [
		{what: '--ascii', args: ['--ascii'], env: {LANG: 'C.UTF-8', TERM: 'xterm-256color'}},
		{what: 'LANG=C', args: [], env: {LANG: 'C', LC_ALL: '', LC_CTYPE: '', TERM: 'xterm-256color'}},
		{what: 'LC_ALL=C', args: [], env: {LANG: 'en_US.UTF-8', LC_ALL: 'C', TERM: 'xterm-256color'}},
		{what: 'TERM=linux', args: [], env: {LANG: 'C.UTF-8', TERM: 'linux'}},
		{what: 'TERM=vt100', args: [], env: {LANG: 'C.UTF-8', TERM: 'vt100'}},
	];
	for (const {what, args, env} of cases) {
		// Every bundled shape under --ascii; one for each way the terminal asks for ASCII by itself.
		for (const recording of what === '--ascii' ? ['steady-2.3.jsonl.gz', 'restart-2.0.jsonl.gz', 'overload-2.3.jsonl.gz', 'kv-pressure-2.3.jsonl.gz'] : ['restart-2.3.jsonl.gz']) {
			test(`${what}: --once and --once --json of ${recording} are plain ASCII`, async () => {
				const text = await runCli(['--once', ...args, `${RECORDINGS}${recording}`], env);
				assert.equal(text.code, 0, text.stderr);
				assert.equal(firstNonAscii(text.stdout), null);
				assert.equal(firstNonAscii(text.stderr), null);
				const json = await runCli(['--once', '--json', ...args, `${RECORDINGS}${recording}`], env);
				assert.equal(json.code, 0, json.stderr);
				assert.equal(firstNonAscii(json.stdout), null);
				const unicode = await runCli(['--once', '--json', `${RECORDINGS}${recording}`], {LANG: 'C.UTF-8', TERM: 'xterm'});
				assert.deepEqual(JSON.parse(json.stdout).targets, JSON.parse(unicode.stdout).targets, 'the same values, only escaped');
			});
		}
	}

	test('a UTF-8 terminal keeps Unicode; --no-ascii and --unicode force it under LANG=C; --ascii with --unicode is bad usage', async () => {
		const file = `${RECORDINGS}steady-2.3.jsonl.gz`;
		const utf8 = await runCli(['--once', file], {LANG: 'en_US.UTF-8', TERM: 'xterm-256color'});
		assert.match(utf8.stdout, NON_ASCII, 'Unicode by default on a UTF-8 terminal');
		for (const flag of ['--no-ascii', '--unicode']) {
			const forced = await runCli(['--once', flag, file], {LANG: 'C', TERM: 'linux'});
			assert.equal(forced.code, 0, forced.stderr);
			assert.equal(forced.stdout, utf8.stdout, `${flag} under LANG=C`);
		}
		const both = await runCli(['--once', '--ascii', '--unicode', file]);
		assert.equal(both.code, 2);
		assert.match(both.stderr, /--ascii and --unicode/);
	});

	test('--help says how to force either way and when ASCII is chosen', async () => {
		const help = await runCli(['--help'], {LANG: 'C.UTF-8'});
		assert.match(help.stdout, /--ascii/);
		assert.match(help.stdout, /--no-ascii|--unicode/);
		assert.match(help.stdout, /LANG|locale/);
		assert.match(help.stdout, /TERM/);
	});
});

describe('--once notes', () => {
	test('every family that reads all zero gets its reason, not only a few', async () => {
		const names = ['fastdeploy:time_per_output_token_seconds', 'fastdeploy:request_queue_time_seconds', 'fastdeploy:request_decode_time_seconds', 'fastdeploy:request_inference_time_seconds', 'fastdeploy:request_success_total'];
		const text = readFileSync(new URL('fixtures/fastdeploy-2.3.txt', import.meta.url), 'utf8')
			.split('\n')
			.map(line => (names.some(n => line.startsWith(`${n}_`) || line.startsWith(`${n} `) || line.startsWith(`${n}{`)) ? line.replace(/ \S+$/, ' 0') : line))
			.join('\n');
		const file = join(mkdtempSync(join(tmpdir(), 'fdtop-edges-')), 'zero.txt');
		writeFileSync(file, text);
		const r = await runCli(['--once', file]);
		assert.equal(r.code, 0, r.stderr);
		for (const title of ['TPOT', 'Queue', 'Decode', 'Inference', 'Finished']) {
			assert.match(r.stdout, new RegExp(`^note: ${title}[^:]*: all zero since start\\. \\S`, 'm'), `a note for ${title} in\n${r.stdout}`);
		}
	});
});

describe('--once fleet', () => {
	test('a 2.0 server under req/s is marked as first tokens per second, and the mark is explained', async () => {
		const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
		// Cumulative values grow with each scrape, so the second scrape gives rates.
		const grow = (text: string, n: number) => text.replace(/^(\S+(?:_bucket|_sum|_count|_total)(?:\{[^}]*\})?) (\S+)$/gm, (_, name: string, v: string) => (name.includes('_created') ? `${name} ${v}` : `${name} ${Number(v) * (1 + n)}`));
		const servers = await Promise.all(['fastdeploy-2.3.txt', 'fastdeploy-2.0.txt'].map(name => serve((n, _req, res) => res.end(grow(fixture(name), n)))));
		try {
			const r = await runCli(['--once', '-i', '200ms', ...servers.map(s => s.url)]);
			assert.equal(r.code, 0, r.stderr);
			const old = r.stdout.split('\n').find(l => l.startsWith(servers[1]!.url.replace('http://', '').replace('/metrics', '')) || l.includes(`:${servers[1]!.port} `))!;
			assert.match(old, /\d\*/, `the 2.0 row's req/s is marked: ${old}`);
			assert.match(r.stdout, /^\* req\/s here is started\/s: first tokens per second/m);
		} finally {
			await Promise.all(servers.map(s => s.close()));
		}
	});
});
