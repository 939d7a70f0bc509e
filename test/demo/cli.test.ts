import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {parseSimulatorArgs, UsageError} from '../../demo/sim/cli-args.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function simulator(args: string[]) {
	return spawn(process.execPath, ['--import', 'tsx', 'demo/simulator.ts', ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
}

async function runToEnd(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = simulator(args);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
	child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
	const [code] = (await once(child, 'exit')) as [number | null];
	return {code, stdout, stderr};
}

describe('npm run simulate', () => {
	test('flags: defaults, and errors that name the flag and what it accepts', () => {
		assert.deepEqual(parseSimulatorArgs([]), {
			help: false,
			port: 8001,
			host: '127.0.0.1',
			scenario: 'steady',
			era: '2.3',
			speed: 1,
			seed: 1,
			fault: null,
			flapSeconds: 5,
			slowSeconds: 5,
			fdDebug: false,
			restartAt: [],
			reconfigureAt: [],
		});
		const o = parseSimulatorArgs(['--port', '0', '--scenario', 'overload', '--era', '2.0', '--speed', '10', '--seed', '7', '--fault', '503']);
		assert.deepEqual([o.port, o.scenario, o.era, o.speed, o.seed, o.fault], [0, 'overload', '2.0', 10, 7, '503']);
		const cases: [string[], RegExp][] = [
			[['--era', '3'], /^--era must be one of 2\.0, 2\.3, newest, got '3'$/],
			[['--scenario', 'calm'], /^--scenario must be one of steady, burst, overload, kv-pressure, restart, got 'calm'$/],
			[['--fault', 'melt'], /^--fault must be one of refuse, 503, slow-body, html, truncated, garbage, huge, flapping, got 'melt'$/],
			[['--port', '70000'], /^--port must be an integer from 0 to 65535, got '70000'$/],
			[['--port', ''], /^--port must be an integer/],
			[['--speed', 'fast'], /^--speed must be a number from 0 to 10000, got 'fast'$/],
			[['--seed=-1'], /^--seed must be an integer/],
			[['--seed', '1.5'], /^--seed must be an integer/],
			[['--flap-seconds', '0'], /^--flap-seconds must be a positive number/],
			[['--bogus'], /Unknown option '--bogus'/],
			[['stray'], /positional/],
		];
		for (const [args, message] of cases) {
			assert.throws(() => parseSimulatorArgs(args), (err: unknown) => err instanceof UsageError && message.test(err.message), args.join(' '));
		}
	});

	test('a bad flag exits 2 with the message and the usage', async () => {
		const r = await runToEnd(['--era', '3']);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /^fdtop simulator: --era must be one of 2\.0, 2\.3, newest, got '3'\n/);
		assert.match(r.stderr, /Usage: npm run simulate/);
	});

	test('announces its URL, serves it, and stops cleanly on SIGTERM', async () => {
		const child = simulator(['--port', '0', '--era', '2.0', '--scenario', 'overload', '--speed', '10']);
		try {
			const [line] = (await once(child.stdout, 'data')) as [Buffer];
			const m = /^fdtop simulator: era 2\.0, scenario overload on (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/.exec(String(line));
			assert.ok(m?.[1], String(line));
			const res = await fetch(m[1]);
			assert.equal(res.status, 200);
			assert.match(await res.text(), /^# HELP fastdeploy:num_requests_running /);
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = (await once(child, 'exit')) as [number | null];
		assert.equal(code, 0);
	});
});
