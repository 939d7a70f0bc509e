/**
 * The live UI and its recording, in a real terminal (tmux, the built CLI): the header counts what
 * is recorded, a write error or a deleted file shows a persistent `REC FAILED: <reason>` while
 * monitoring goes on, and `q` then prints the failure and exits 1 (issue 13, item 3).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {counterText, GEN} from '../helpers/exposition.js';
import {HAS_TMUX, requireBuild, serve, shellQuote, Tmux, type TestServer} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-rectui-'));

describe('recording in the live view (tmux)', {skip: HAS_TMUX ? false : 'tmux is not installed'}, () => {
	const tmux = new Tmux();
	let server: TestServer;
	const header = (session: string) => tmux.capture(session).split('\n')[0]!;

	before(async () => {
		requireBuild();
		server = await serve((n, _req, res) => res.end(`${counterText(GEN, 10 * (n + 1))}\n`));
		tmux.start();
	});
	after(async () => {
		tmux.kill();
		await server.close();
		rmSync(dir, {recursive: true, force: true});
	});

	test('while recording works the header counts the scrapes; q prints "recorded N scrapes to FILE", exit 0', async () => {
		const file = join(dir, 'live.jsonl');
		const session = tmux.launch(`node dist/cli.js --interval 250ms --record ${shellQuote(file)} ${server.url}`, {columns: 160, rows: 30});
		await tmux.waitFor(session, s => /REC live\.jsonl [1-9]\d* scrapes?/.test(s.split('\n')[0]!), 'REC live.jsonl N scrapes');
		const first = Number(/REC live\.jsonl (\d+)/.exec(header(session))![1]);
		await tmux.waitFor(session, s => Number(/REC live\.jsonl (\d+)/.exec(s.split('\n')[0]!)?.[1] ?? 0) > first + 1, 'the count going up');
		tmux.keys(session, 'q');
		const screen = await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'the exit');
		assert.match(screen, new RegExp(`fdtop: recorded \\d+ scrapes to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.match(screen, /SHELL-AFTER 0/);
	});

	test('--record /dev/full: REC FAILED in the header, monitoring goes on, q prints the failure and exits 1', {skip: existsSync('/dev/full') ? false : 'no /dev/full'}, async () => {
		const session = tmux.launch(`node dist/cli.js --interval 250ms --record /dev/full ${server.url}`, {columns: 160, rows: 30});
		await tmux.waitFor(session, s => /REC FAILED: no space left on device \(ENOSPC\)/.test(s.split('\n')[0]!), 'REC FAILED in the header');
		// Still monitoring: the endpoint keeps being scraped and the target is up; the failure stays.
		const served = server.requests.length;
		await tmux.waitFor(session, () => server.requests.length >= served + 4, 'more scrapes after the failure');
		const still = header(session);
		assert.match(still, /● up/);
		assert.match(still, /REC FAILED: no space left on device/);
		tmux.keys(session, 'q');
		const screen = await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'the exit');
		assert.match(screen, /fdtop: --record \/dev\/full: recording failed after \d+ scrapes?: no space left on device \(ENOSPC\)/);
		assert.match(screen, /SHELL-AFTER 1/);
	});

	test('the recording (and its directory) deleted while recording: REC FAILED, q exits 1', async () => {
		const sub = join(dir, 'gone');
		mkdirSync(sub);
		const session = tmux.launch(`node dist/cli.js --interval 250ms --record ${shellQuote(join(sub, 'rec.jsonl.gz'))} ${server.url}`, {columns: 160, rows: 30});
		await tmux.waitFor(session, s => /REC rec\.jsonl\.gz [2-9]\d* scrapes/.test(s.split('\n')[0]!), 'recording');
		rmSync(sub, {recursive: true});
		await tmux.waitFor(session, s => /REC FAILED: the file was deleted while recording/.test(s.split('\n')[0]!), 'REC FAILED: deleted');
		tmux.keys(session, 'q');
		const screen = await tmux.waitFor(session, s => s.includes('SHELL-AFTER'), 'the exit');
		assert.match(screen, /recording failed after \d+ scrapes: the file was deleted while recording/);
		assert.match(screen, /SHELL-AFTER 1/);
	});
});
