/**
 * The review of issue 15 §1–3, as processes: a burn rate over a window the history does not cover
 * is withheld and says how much is covered (`3m of 1h`), in the table and in --json; fewer than 5
 * requests in a window is `n too small` (check: cannot judge, exit 3), as the percentiles are.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CLI, ROOT, runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, histogramText, TTFT} from './helpers/exposition.js';

const rec = (name: string) => `${ROOT}demo/recordings/${name}.jsonl.gz`;

interface BurnJson {
	windowSeconds: number;
	value: number | null;
	coveredSeconds: number | null;
}

/** `per` requests between scrapes, all at or under 0.5 s. */
function server(per: number): Promise<TestServer> {
	return serve((n, _req, res) => {
		const done = 100 + n * per;
		res.end(`${histogramText(TTFT, [['0.5', done], ['1.0', done], ['+Inf', done]], done / 10)}\n${counterText('fastdeploy:request_success_total', done)}\n`);
	});
}

describe('burn over a window the history does not cover', () => {
	test('a 5-minute recording: the 1 h burn is withheld in --json and check, with how much of the hour is covered', async () => {
		const once = await runCli(['--once', '--json', rec('overload-2.3'), '--slo', 'e2e<=30s:95%']);
		assert.equal(once.code, 0, once.stderr);
		const o = JSON.parse(once.stdout).slo.objectives[0];
		const long = o.burn.long as BurnJson;
		const short = o.burn.short as BurnJson;
		assert.equal(long.windowSeconds, 3600);
		assert.equal(long.value, null, 'a 1 h burn from 5 minutes of history');
		assert.ok(long.coveredSeconds! > 290 && long.coveredSeconds! < 300, `covered ${long.coveredSeconds}`);
		// The 5 m window is covered (299 s of 300 s): its burn is there.
		assert.equal(typeof short.value, 'number');
		assert.ok(short.coveredSeconds! >= 0.9 * 300);
		assert.equal(o.burn.fast, false);
		const check = await runCli(['check', rec('overload-2.3'), '--slo', 'e2e<=30s:95%']);
		assert.equal(check.code, 1, check.stderr);
		assert.match(check.stdout, /breached +\d+x\/5m of 1h/, check.stdout);
	});

	test('a steady recording of 4 minutes: neither burn window is covered', async () => {
		const check = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%', '--json']);
		const o = JSON.parse(check.stdout).slo.objectives[0];
		assert.equal(o.burn.short.value, null);
		assert.equal(o.burn.long.value, null);
		assert.ok(o.burn.short.coveredSeconds > 230 && o.burn.short.coveredSeconds < 240, String(o.burn.short.coveredSeconds));
		const text = await runCli(['check', rec('steady-2.3'), '--slo', 'tpot<=100ms:90%']);
		assert.match(text.stdout, /met +4m of 5m\/4m of 1h/, text.stdout);
	});
});

describe('fewer than 5 requests in the window', () => {
	let few: TestServer;
	let enough: TestServer;
	before(async () => {
		few = await server(3);
		enough = await server(5);
	});
	after(async () => {
		await few.close();
		await enough.close();
	});

	test('check: 3 requests all under the threshold are n too small, not met: cannot judge, exit 3', async () => {
		const r = await runCli(['check', few.url, '--slo', 'ttft<=500ms:90%', '-w', '2s', '--json']);
		assert.equal(r.code, 3, r.stderr + r.stdout);
		const o = JSON.parse(r.stdout).slo.objectives[0];
		assert.equal(o.status, 'too-few');
		assert.equal(o.observations, 3);
		assert.equal(o.burn.short.value, null);
		const text = await runCli(['check', few.url, '--slo', 'ttft<=500ms:90%', '-w', '2s']);
		assert.equal(text.code, 3);
		assert.match(text.stdout, /TTFT ≤ 500 ms for 90 % +-- +n too small/, text.stdout);
		assert.match(text.stdout, /3 requests in the window: too few to judge \(5 or more\)/);
		assert.match(text.stdout, /verdict: cannot judge \(exit 3\)/);
	});

	test('check: 5 requests are enough (the percentiles\' threshold)', async () => {
		const r = await runCli(['check', enough.url, '--slo', 'ttft<=500ms:90%', '-w', '2s', '--json']);
		assert.equal(r.code, 0, r.stderr + r.stdout);
		const o = JSON.parse(r.stdout).slo.objectives[0];
		assert.equal(o.status, 'met');
		assert.equal(o.observations, 5);
	});

	test('--once --json: the same status per target', async () => {
		const r = await runCli(['--once', '--json', few.url, '--slo', 'ttft<=500ms:90%']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.targets[0].slo.objectives[0].status, 'too-few');
		assert.equal(report.slo.objectives[0].status, 'too-few');
		assert.equal(report.slo.met, 0);
	});
});

describe('the README\'s cron line and CI shell step run as written', () => {
	const readme = readFileSync(`${ROOT}README.md`, 'utf8');
	/** A crontab command as cron hands it to sh: `\%` becomes `%` (a bare `%` would end the command). */
	const cronCommand = (line: string) => line.split(/\s+/).slice(5).join(' ').replaceAll('\\%', '%');

	test('cron: the crontab line mails the table and verdict on exit 1, nothing on exit 0', async () => {
		const line = /^\*\/5 \* \* \* \* fdtop check .*$/m.exec(readme)![0];
		assert.doesNotMatch(line.replaceAll('\\%', ''), /%/, 'a bare % in a crontab ends the command');
		// 10 requests a scrape, 5 under 0.5 s, all under 1 s.
		const bad = await serve((n, _req, res) => res.end(`${histogramText(TTFT, [['0.5', 100 + n * 5], ['1.0', 100 + n * 10], ['+Inf', 100 + n * 10]], 50)}\n`));
		const dir = mkdtempSync(join(tmpdir(), 'fdtop-cron-'));
		try {
			writeFileSync(join(dir, 'fdtop'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, {mode: 0o755});
			writeFileSync(join(dir, 'mail'), `#!/bin/sh\necho "MAIL $*" >>"${dir}/inbox"; cat >>"${dir}/inbox"\n`, {mode: 0o755});
			const run = async (objective: string) => {
				rmSync(join(dir, 'inbox'), {force: true});
				// The README's target and window, swapped for the test server and 2 s; its objectives for one that is breached or met.
				const command = cronCommand(line).replace('gpu1:8000', bad.url).replace('-w 1m', '-w 2s').replace(/(--slo '[^']*' ?)+/, `--slo '${objective}' `).replaceAll('/tmp/slo.txt', join(dir, 'slo.txt'));
				// Async: the test server answers from this process.
				await promisify(execFile)('sh', ['-c', command], {env: {...process.env, PATH: `${dir}:${process.env.PATH}`, NO_COLOR: '1'}});
				return existsSync(join(dir, 'inbox')) ? readFileSync(join(dir, 'inbox'), 'utf8') : '';
			};
			const mail = await run('ttft<=500ms:90%');
			assert.match(mail, /^MAIL -s SLO on gpu1: exit 1 ops/);
			assert.match(mail, /fdtop check: waiting 2 s for the second scrape/);
			assert.match(mail, /TTFT ≤ 500 ms for 90 % +50 % +exact +breached/);
			assert.match(mail, /verdict: breached \(exit 1\)/);
			assert.equal(await run('ttft<=1s:90%'), '', 'all met: no mail');
		} finally {
			await bad.close();
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('CI: the shell step prints one line per exit status and exits with check\'s status', async () => {
		const block = /```sh\n(# The same as a shell step[\s\S]*?)```/.exec(readme)![1]!;
		const slow = await serve((n, _req, res) => res.end(`${histogramText(TTFT, [['0.5', 100 + n * 5], ['1.0', 100 + n * 10], ['+Inf', 100 + n * 10]], 50)}\n`));
		const dir = mkdtempSync(join(tmpdir(), 'fdtop-ci-'));
		try {
			writeFileSync(join(dir, 'fdtop'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, {mode: 0o755});
			const script = block.replaceAll('localhost:8000', slow.url).replace('-w 5m', '-w 2s');
			const r = await promisify(execFile)('bash', ['-c', script], {cwd: dir, env: {...process.env, PATH: `${dir}:${process.env.PATH}`}}).then(
				x => ({code: 0, stdout: x.stdout}),
				(e: {code: number; stdout: string}) => ({code: e.code, stdout: e.stdout}),
			);
			// Every request under 1 s: TTFT ≤ 2 s is met (its lower bound is 100 %); this server exports no E2E: cannot judge.
			assert.equal(r.code, 3);
			assert.match(r.stdout, /^SLO cannot be judged/);
			const json = JSON.parse(readFileSync(join(dir, 'slo.json'), 'utf8'));
			assert.deepEqual(json.slo.objectives.map((o: {status: string}) => o.status), ['met', 'unknown']);
		} finally {
			await slow.close();
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
