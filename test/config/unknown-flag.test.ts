/**
 * A misspelt flag or subcommand is one line naming it, the nearest known one and where every flag
 * is listed (not the whole usage), and exit 2: as a process, the way a user meets it.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';

// No config file of the machine's user can change what these runs do.
const env = {XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'fdtop-flags-'))};

for (const [args, line] of [
	[['--windw', '5m', ':8001'], 'fdtop: unknown flag --windw: did you mean --window? (fdtop --help lists every flag)'],
	[['--intervall=2s'], 'fdtop: unknown flag --intervall: did you mean --interval? (fdtop --help lists every flag)'],
	[['--tokenfile', 'x'], 'fdtop: unknown flag --tokenfile: did you mean --token-file? (fdtop --help lists every flag)'],
	[['--no-colour'], 'fdtop: unknown flag --no-colour: did you mean --no-color? (fdtop --help lists every flag)'],
	[['--bogus'], 'fdtop: unknown flag --bogus (fdtop --help lists every flag)'],
	[['-x'], 'fdtop: unknown flag -x (fdtop --help lists every flag)'],
	[['check', '--slo', 'ttft<=2s:99%', '--windw', '5m', ':8001'], 'fdtop check: unknown flag --windw: did you mean --window? (fdtop --help lists every flag)'],
] as const) {
	test(`fdtop ${args.join(' ')}: one line, exit 2`, async () => {
		const r = await runCli([...args], env);
		assert.equal(r.code, 2, r.stderr);
		assert.equal(r.stderr, `${line}\n`, 'that line alone, not the usage');
		assert.equal(r.stdout, '');
	});
}

for (const [args, line] of [
	[['chek', '--slo', 'ttft<=2s:99%'], 'fdtop: "chek" is neither a target nor a command: did you mean fdtop check? (fdtop --help lists every command)'],
	[['exprot', 'run.jsonl'], 'fdtop: "exprot" is neither a target nor a command: did you mean fdtop export? (fdtop --help lists every command)'],
	[['confg', 'check'], 'fdtop: "confg" is neither a target nor a command: did you mean fdtop config? (fdtop --help lists every command)'],
] as const) {
	test(`fdtop ${args.join(' ')}: a misspelt command is named, exit 2`, async () => {
		const r = await runCli([...args], env);
		assert.equal(r.code, 2, r.stderr);
		assert.equal(r.stderr, `${line}\n`);
	});
}

test('a bare word near no command stays a bad target, with the usage as before', async () => {
	const r = await runCli(['--once', 'not-a-target'], env);
	assert.equal(r.code, 2);
	assert.match(r.stderr.split('\n')[0]!, /^fdtop: "not-a-target" is not a target: give a URL, host:port/);
});

test('a misspelt command after a real target is a bad target, not a command (commands come first)', async () => {
	const r = await runCli(['--once', ':1', 'chek'], env);
	assert.equal(r.code, 2);
	assert.match(r.stderr.split('\n')[0]!, /^fdtop: "chek" is not a target/);
});
