/**
 * Many targets (issue 13, item 7): a fleet of thousands of targets is scraped through a bounded
 * number of requests in flight (--concurrency, default 64), a dead or held endpoint never holds up
 * the others, failures are summarised by cause on stderr, and ten thousand targets stay under
 * 300 MB at peak. fdtop runs as a process, through its bin (with the bin's node flags), against
 * real loopback servers.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, deadPort, runCli, serve, type TestServer} from '../helpers/cli.js';
import {fixtureText} from '../reliability/helpers.js';

const METRICS = fixtureText('fastdeploy-2.3.txt');
const PRELOAD = new URL('../helpers/max-rss.mjs', import.meta.url).pathname;

let dir: string;
before(() => {
	dir = mkdtempSync(join(tmpdir(), 'fdtop-many-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

function targetsFile(name: string, lines: string[]): string {
	const file = join(dir, name);
	writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}

/** A server that answers after `delayMs` and remembers the most requests it held at once. */
async function countingServer(delayMs: number): Promise<TestServer & {peak(): number}> {
	let open = 0;
	let peak = 0;
	const server = await serve((_n, _req, res) => {
		open++;
		peak = Math.max(peak, open);
		setTimeout(() => {
			open--;
			res.setHeader('content-type', 'text/plain; version=0.0.4');
			res.end(METRICS);
		}, delayMs);
	});
	return {...server, peak: () => peak};
}

/** The bin as a user runs it (sh, then node with the bin's flags), its peak RSS read at exit. */
function runBin(args: string[], timeoutMs: number): Promise<{code: number | null; stdout: string; stderr: string; maxRssKiB: number}> {
	const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
	return new Promise((resolve, reject) => {
		const child = spawn('sh', [CLI, ...args], {env: {...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import ${PRELOAD}`, FDTOP_MAX_RSS_FILE: rssFile}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			let maxRssKiB = Number.NaN;
			try {
				maxRssKiB = Number(readFileSync(rssFile, 'utf8'));
			} catch {
				// no file: the process did not exit normally (killed); the assertions say so
			}
			resolve({code, stdout, stderr, maxRssKiB});
		});
	});
}

describe('many targets', () => {
	test('--concurrency bounds the scrapes in flight across all targets', async () => {
		const server = await countingServer(40);
		try {
			const file = targetsFile('bound.txt', Array.from({length: 24}, (_, i) => `t${i}=127.0.0.1:${server.port}/metrics?i=${i}`));
			const r = await runCli(['--once', '--json', '--interval', '100ms', '--concurrency', '3', '--targets', file]);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(JSON.parse(r.stdout).targets.filter((t: {up: boolean}) => t.up).length, 24);
			assert.equal(server.requests.length, 48, 'two scrapes per target');
			assert.ok(server.peak() <= 3, `at most 3 requests in flight, saw ${server.peak()}`);
		} finally {
			await server.close();
		}
	});

	test('the default bound is 64 scrapes in flight', async () => {
		const server = await countingServer(60);
		try {
			const file = targetsFile('default.txt', Array.from({length: 200}, (_, i) => `t${i}=127.0.0.1:${server.port}/metrics?i=${i}`));
			const r = await runCli(['--once', '--interval', '100ms', '--targets', file]);
			assert.equal(r.code, 0, r.stderr);
			assert.ok(server.peak() <= 64, `at most 64 requests in flight, saw ${server.peak()}`);
			assert.ok(server.peak() > 3, `the bound is not a queue of one: saw ${server.peak()}`);
		} finally {
			await server.close();
		}
	});

	test('--concurrency must be a whole number from 1', async () => {
		for (const bad of ['0', '-3', '2.5', 'many']) {
			const r = await runCli(['--once', '--concurrency', bad, ':1']);
			assert.equal(r.code, 2, bad);
			assert.match(r.stderr, /--concurrency .*: give a whole number of scrapes in flight at once/);
		}
	});

	test('an endpoint that holds its answer keeps one slot: the other targets flow through the rest', async () => {
		// `hold` answers its k-th request only once every fast target has been asked k times. If
		// it held the queue up (a batch waiting for its slowest member), it would never answer and
		// time out, and the run would exit 1.
		const FAST = 6;
		const pending: (() => void)[] = [];
		const fast = await serve((_n, _req, res) => {
			res.end(METRICS);
			const due = Math.floor(fast.requests.length / FAST);
			while (released < due && pending.length > 0) {
				released++;
				pending.shift()!();
			}
		});
		let released = 0;
		const hold = await serve((n, _req, res) => {
			const answer = () => res.end(METRICS);
			if (Math.floor(fast.requests.length / FAST) > n) {
				released++;
				answer();
			} else pending.push(answer);
		});
		try {
			const lines = [`hold=127.0.0.1:${hold.port}`, ...Array.from({length: FAST}, (_, i) => `f${i}=127.0.0.1:${fast.port}/metrics?i=${i}`)];
			const r = await runCli(['--once', '--json', '--interval', '100ms', '--timeout', '4s', '--concurrency', '2', '--targets', targetsFile('hold.txt', lines)]);
			assert.equal(r.code, 0, r.stderr);
			const report = JSON.parse(r.stdout);
			assert.deepEqual(
				report.targets.map((t: {up: boolean}) => t.up),
				lines.map(() => true),
			);
		} finally {
			await Promise.all([fast.close(), hold.close()]);
		}
	});

	test('failures are summarised by cause: three dead targets by name, thirty in one line', async () => {
		const up = await countingServer(0);
		const dead = await deadPort();
		try {
			const lines = [`ok=127.0.0.1:${up.port}`, ...Array.from({length: 3}, (_, i) => `few${i}=127.0.0.1:${dead}/metrics?few=${i}`)];
			const few = await runCli(['--once', '--interval', '100ms', '--targets', targetsFile('few.txt', lines)]);
			assert.equal(few.code, 1);
			const fewLines = few.stderr.trim().split('\n');
			assert.equal(fewLines.length, 3, few.stderr);
			for (let i = 0; i < 3; i++) assert.equal(fewLines[i], `fdtop: http://127.0.0.1:${dead}/metrics?few=${i}: connection refused (is the server running, and is this its metrics port?)`);

			const many = Array.from({length: 30}, (_, i) => `d${i}=127.0.0.1:${dead}/metrics?d=${i}`);
			const r = await runCli(['--once', '--interval', '100ms', '--targets', targetsFile('many.txt', [`ok=127.0.0.1:${up.port}`, ...many])]);
			assert.equal(r.code, 1);
			assert.equal(r.stderr, 'fdtop: 30 down: connection refused (is the server running, and is this its metrics port?) (d0, d1, d2 … and 27 more)\n');
		} finally {
			await up.close();
		}
	});

	test('10,000 targets: under 300 MB at peak, the live ones read, the dead ones one line', {timeout: 240_000}, async t => {
		// A few real servers reused under many names, and one refused port for most targets.
		const servers = await Promise.all([0, 1, 2].map(() => countingServer(0)));
		const dead = await deadPort();
		try {
			const lines = Array.from({length: 10_000}, (_, i) => (i % 100 === 0 ? `ok${i}=127.0.0.1:${servers[i % 3]!.port}/metrics?i=${i}` : `dead${i}=127.0.0.1:${dead}`));
			const r = await runBin(['--once', '--json', '--interval', '100ms', '--targets', targetsFile('ten-thousand.txt', lines)], 200_000);
			assert.equal(r.code, 1, r.stderr.slice(0, 2000));
			const report = JSON.parse(r.stdout);
			assert.equal(report.targets.length, 10_000);
			assert.equal(report.targets.filter((t: {up: boolean}) => t.up).length, 100, 'every live target read');
			assert.equal(r.stderr, 'fdtop: 9,900 down: connection refused (is the server running, and is this its metrics port?) (dead1, dead2, dead3 … and 9,897 more)\n');
			assert.ok(r.maxRssKiB > 0, 'peak RSS read at exit');
			t.diagnostic(`peak RSS ${Math.round(r.maxRssKiB / 1024)} MiB`);
			assert.ok(r.maxRssKiB < 300 * 1024, `peak RSS ${Math.round(r.maxRssKiB / 1024)} MiB, budget 300 MB`);
		} finally {
			await Promise.all(servers.map(s => s.close()));
		}
	});
});
