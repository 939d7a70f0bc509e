/**
 * `fdtop --once URL` against a misbehaving endpoint (the simulator's fault modes, a DNS failure,
 * a timeout, an oversized body): exit 1 and exactly one clear line on stderr that names the URL
 * and the problem. Runs the built CLI (`npm run build` first).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {startSimulator, type Fault, type SimulatorHandle} from '../../demo/sim/server.js';
import {assertNoRawControl, requireBuild, runCli} from './helpers.js';

let sim: SimulatorHandle;

before(async () => {
	requireBuild();
	sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', speed: 0, seed: 7, slowSeconds: 3});
	sim.advance(30);
});
after(async () => {
	await sim.close();
});

/** One line on stderr, naming `url`, matching `problem`; exit status 1. */
function assertOneLine(result: {code: number; stderr: string}, url: string, problem: RegExp): string {
	assert.equal(result.code, 1, `exit 1; stderr: ${result.stderr}`);
	const lines = result.stderr.split('\n').filter(l => l !== '');
	assert.equal(lines.length, 1, `exactly one line on stderr, got:\n${result.stderr}`);
	const line = lines[0]!;
	assert.ok(line.startsWith('fdtop: '), line);
	assert.ok(line.includes(url), `the line names ${url}: ${line}`);
	assert.match(line, problem);
	assert.ok(line.length < 300, `a short line: ${line.length} characters`);
	assertNoRawControl(line, 'the error line');
	return line;
}

const CASES: readonly {fault: Fault; args?: string[]; problem: RegExp}[] = [
	{fault: 'refuse', problem: /connection refused/},
	{fault: '503', problem: /HTTP 503/},
	{fault: 'html', problem: /HTML page, not Prometheus metrics/},
	{fault: 'truncated', problem: /connection closed by the server before the response was complete/},
	{fault: 'garbage', problem: /no metric samples \(line \d+: /},
	{fault: 'huge', args: ['--max-bytes', '1MiB'], problem: /response larger than the 1 MiB cap; raise it with --max-bytes/},
	{fault: 'huge', problem: /response larger than the 16 MiB cap; raise it with --max-bytes/},
	{fault: 'slow-body', args: ['--timeout', '300ms'], problem: /timed out after 0\.3 s/},
];

describe('fdtop --once against a faulty endpoint: exit 1, one clear line', () => {
	for (const c of CASES) {
		test(`${c.fault}${c.args ? ` ${c.args.join(' ')}` : ''}`, async () => {
			await sim.setFault(c.fault);
			try {
				const result = await runCli(['--once', '--interval', '100ms', ...(c.args ?? []), sim.url]);
				assertOneLine(result, sim.url, c.problem);
				// The text report still went to stdout: the target is named as not read.
				assert.ok(result.stdout.length > 0);
			} finally {
				await sim.setFault(null);
			}
		});
	}

	test('the same endpoint, fault cleared: exit 0, nothing on stderr', async () => {
		const result = await runCli(['--once', '--interval', '100ms', sim.url]);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '');
	});

	test('DNS failure (a .invalid host)', async () => {
		const url = 'http://fdtop-no-such-host.invalid:8001/metrics';
		assertOneLine(await runCli(['--once', '--interval', '100ms', url]), url, /host not found \(DNS lookup failed\)/);
	});

	test('--json with a fault: exit 1, one line, and the error in the JSON too', async () => {
		await sim.setFault('503');
		try {
			const result = await runCli(['--once', '--json', '--interval', '100ms', sim.url]);
			assertOneLine(result, sim.url, /HTTP 503/);
			const json = JSON.parse(result.stdout);
			assert.match(json.targets[0].error, /HTTP 503/);
			assert.notEqual(json.targets[0].state, 'up');
		} finally {
			await sim.setFault(null);
		}
	});

	test('the oversized body is cut at the cap: fdtop stops reading, it does not download 21 MiB', async () => {
		await sim.setFault('huge');
		try {
			const result = await runCli(['--once', '--json', '--interval', '100ms', '--max-bytes', '64KiB', sim.url]);
			assertOneLine(result, sim.url, /larger than the 64 KiB cap/);
			const bytes = JSON.parse(result.stdout).targets[0].bytes as number;
			// Cut at the first chunk past the cap: well under a megabyte, never the whole body.
			assert.ok(bytes > 64 * 1024 && bytes < 1024 * 1024, `read ${bytes} bytes`);
		} finally {
			await sim.setFault(null);
		}
	});
});
