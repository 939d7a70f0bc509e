/**
 * What a Node process pays for fdtop's non-UI work at the live rate, without fdtop: side by side
 * for the same seconds against one loopback simulator (FastDeploy 2.3, steady), each a plain
 * `node` process with a 1 s interval doing only
 *   1. nothing (an idle timer),
 *   2. an undici request of /metrics, body read (what every scrape costs),
 *   3. 2 + parseExposition,
 *   4. 3 + buildSnapshot,
 * next to the built fdtop (the bin, overview at 120x40 in tmux) and btop. The parser and
 * snapshot are bundled from source/ with esbuild into a temp file, so no loader runs in the
 * children. CPU from /proc/<pid>/stat, RSS from VmRSS.
 *
 * Run: npm run bench:floor [-- --seconds 60]
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {startSimulator} from '../demo/sim/server.js';
import {binCommand, CLK_TCK, cpuTicks, rssMiB} from './terminal.js';
import {machine, markdownTable, sleep} from './common.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function program(work: 'idle' | 'fetch' | 'parse' | 'snapshot', lib: string, url: string): string {
	if (work === 'idle') return 'setInterval(() => {}, 1000);';
	return `
import {Agent, request, parseExposition, buildSnapshot} from ${JSON.stringify(lib)};
const agent = new Agent();
let t = 0;
setInterval(async () => {
	const response = await request(${JSON.stringify(url)}, {dispatcher: agent});
	const text = await response.body.text();
	${work === 'fetch' ? '' : `const parsed = parseExposition(text);${work === 'snapshot' ? ' buildSnapshot(parsed, t += 1000);' : ''}`}
}, 1000);`;
}

export async function measureFloor(seconds: number): Promise<string[][]> {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-floor-'));
	const entry = join(dir, 'entry.ts');
	writeFileSync(
		entry,
		`export {Agent, request} from 'undici';\nexport {parseExposition} from ${JSON.stringify(join(root, 'source/prom/index.ts'))};\nexport {buildSnapshot} from ${JSON.stringify(join(root, 'source/metrics/snapshot.ts'))};\n`,
	);
	const lib = join(dir, 'lib.mjs');
	await build({entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: lib, nodePaths: [join(root, 'node_modules')], logLevel: 'warning', banner: {js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);"}});
	const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 1});
	const children: {name: string; child: ChildProcess}[] = [];
	const sessions: string[] = [];
	try {
		for (const work of ['idle', 'fetch', 'parse', 'snapshot'] as const) {
			const file = join(dir, `${work}.mjs`);
			writeFileSync(file, program(work, lib, sim.url));
			const names = {idle: 'node, idle 1 s timer', fetch: 'node + undici request/s', parse: '… + parseExposition', snapshot: '… + buildSnapshot'};
			children.push({name: names[work], child: spawn(process.execPath, [file], {stdio: 'ignore'})});
		}
		const pids: {name: string; pid: number}[] = children.map(({name, child}) => ({name, pid: child.pid!}));
		// btop redraws every second, as in bench:terminal.
		mkdirSync(join(dir, 'btop'), {recursive: true});
		writeFileSync(join(dir, 'btop', 'btop.conf'), 'update_ms = 1000\n');
		for (const [name, command] of [
			['fdtop (overview 120x40)', `${binCommand(root)} --interval 1s ${sim.url}`],
			['btop', 'btop'],
		] as const) {
			const session = `fdtop-floor-${process.pid}-${sessions.length}`;
			execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-e', 'LANG=C.UTF-8', '-e', 'LC_ALL=C.UTF-8', '-e', `XDG_CONFIG_HOME=${dir}`, command]);
			sessions.push(session);
			await sleep(300);
			const pid = Number(execFileSync('tmux', ['display', '-p', '-t', session, '#{pane_pid}'], {encoding: 'utf8'}).trim());
			pids.push({name, pid});
		}
		await sleep(5000);
		const before = pids.map(({pid}) => cpuTicks(pid));
		await sleep(seconds * 1000);
		return pids.map(({name, pid}, i) => [name, ((100 * (cpuTicks(pid) - before[i]!)) / CLK_TCK / seconds).toFixed(2), rssMiB(pid).toFixed(0)]);
	} finally {
		for (const {child} of children) child.kill();
		for (const session of sessions) execFileSync('tmux', ['kill-session', '-t', session]);
		await sim.close();
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {seconds: {type: 'string', default: '60'}}});
	const seconds = Number(values.seconds);
	const rows = await measureFloor(seconds);
	console.log(`${machine()}\nMethod: every program at the same time for ${seconds} s after 5 s, against one loopback simulator (2.3 steady), 1 s interval; CPU from /proc/<pid>/stat (utime+stime), RSS = VmRSS at the end. fdtop and btop in 120x40 tmux sessions.\n`);
	console.log(markdownTable(['program', 'CPU (% of one core)', 'RSS (MiB)'], rows));
}
