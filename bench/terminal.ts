/**
 * Terminal cost of the running, built fdtop in a real pty, side by side with htop and btop in the
 * same run: each program runs in its own detached tmux session of the given size, `pipe-pane`
 * counts the bytes it writes, /proc/<pid>/stat gives CPU ticks and /proc/<pid>/status VmRSS.
 * fdtop reads a loopback simulator (FastDeploy 2.3, steady) at a 1 s refresh; htop `-d 10`,
 * btop `update_ms = 1000`. Needs `npm run build`, tmux, htop and btop.
 *
 * Run: npm run bench:terminal [-- --seconds 60 --sizes 120x40,80x24]
 */
import {execFileSync} from 'node:child_process';
import {accessSync, constants, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startSimulator} from '../demo/sim/server.js';
import {machine, markdownTable, sleep} from './common.js';

export interface TerminalRow {
	readonly size: string;
	readonly program: string;
	/** Share of one core, in percent, after the warm-up (steady state: what the budget is judged on). */
	readonly cpuPercent: number;
	/** Share of one core over the warm-up from 5 s after start (fdtop: start-up and JIT compilation). */
	readonly warmCpuPercent: number;
	readonly bytesPerSecond: number;
	readonly rssMiB: number;
	/** Last screen, for checking what was on it. */
	readonly screen: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;

/**
 * The shell command that runs the build in `dir` as its bin does: `dist/cli.js` itself, so the
 * node flags of its shebang apply (what is measured is what ships). A build whose cli.js is not
 * executable (an older tsc build, `#!/usr/bin/env node`) runs as `node dist/cli.js`, the same thing.
 */
export function binCommand(dir: string): string {
	const cli = join(dir, 'dist', 'cli.js');
	try {
		accessSync(cli, constants.X_OK);
		return cli;
	} catch {
		return `node ${cli}`;
	}
}

/** Seconds after start before the steady-state measurement begins (start-up and JIT warm-up). */
export const DEFAULT_WARM_SECONDS = 65;

function tmux(...args: string[]): string {
	return execFileSync('tmux', args, {encoding: 'utf8'});
}

export function cpuTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime and stime are fields 14 and 15; fields[0] here is field 3.
	return Number(fields[11]) + Number(fields[12]);
}

export function rssMiB(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

function fileBytes(file: string): number {
	return existsSync(file) ? statSync(file).size : 0;
}

interface Running {
	readonly program: string;
	readonly session: string;
	readonly pid: number;
	readonly log: string;
}

function start(program: string, session: string, command: string, columns: number, rows: number, log: string, env: Record<string, string>): Running {
	const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
	tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), ...envArgs, command);
	tmux('pipe-pane', '-t', session, '-o', `cat > ${log}`);
	const pid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
	return {program, session, pid, log};
}

/**
 * Runs fdtop, htop and btop side by side at one size for `seconds` after `warmSeconds`. CPU is
 * also reported for the warm-up itself from 5 s on: for fdtop that is when V8 compiles its hot
 * code (TurboFan on worker threads), which costs about as much CPU as the work once it is done.
 */
export async function measureTerminal(columns: number, rows: number, seconds: number, warmSeconds = DEFAULT_WARM_SECONDS, baseline?: string): Promise<TerminalRow[]> {
	const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 1});
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-term-'));
	const btopConfig = join(dir, 'btop');
	execFileSync('mkdir', ['-p', join(btopConfig, 'btop')]);
	writeFileSync(join(btopConfig, 'btop', 'btop.conf'), 'update_ms = 1000\n');
	const env = {LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'tmux-256color'};
	const tag = `fdtop-bench-${process.pid}-${columns}x${rows}`;
	const programs: Running[] = [];
	try {
		programs.push(start('fdtop', `${tag}-fdtop`, `${binCommand(root)} --interval 1s ${sim.url}`, columns, rows, join(dir, 'fdtop.out'), env));
		// Another build of fdtop (a directory holding dist/ and package.json, node_modules linked), for before/after in one run.
		if (baseline) programs.push(start('fdtop (baseline)', `${tag}-base`, `${binCommand(baseline)} --interval 1s ${sim.url}`, columns, rows, join(dir, 'base.out'), env));
		programs.push(start('htop', `${tag}-htop`, 'htop -d 10', columns, rows, join(dir, 'htop.out'), env));
		programs.push(start('btop', `${tag}-btop`, 'btop', columns, rows, join(dir, 'btop.out'), {...env, XDG_CONFIG_HOME: btopConfig}));
		const early = Math.min(5, warmSeconds);
		await sleep(early * 1000);
		const started = programs.map(p => ({ticks: cpuTicks(p.pid), t: performance.now()}));
		await sleep((warmSeconds - early) * 1000);
		const before = programs.map(p => ({ticks: cpuTicks(p.pid), bytes: fileBytes(p.log), t: performance.now()}));
		await sleep(seconds * 1000);
		return programs.map((p, i) => {
			const b = before[i]!;
			const elapsed = (performance.now() - b.t) / 1000;
			return {
				size: `${columns}x${rows}`,
				program: p.program,
				cpuPercent: (((cpuTicks(p.pid) - b.ticks) / CLK_TCK) / elapsed) * 100,
				warmCpuPercent: b.t > started[i]!.t ? (((b.ticks - started[i]!.ticks) / CLK_TCK) / ((b.t - started[i]!.t) / 1000)) * 100 : Number.NaN,
				bytesPerSecond: (fileBytes(p.log) - b.bytes) / elapsed,
				rssMiB: rssMiB(p.pid),
				screen: tmux('capture-pane', '-p', '-t', p.session),
			};
		});
	} finally {
		for (const p of programs) {
			try {
				tmux('kill-session', '-t', p.session);
			} catch {
				// already gone
			}
		}
		await sim.close();
	}
}

export function terminalTable(rows: readonly TerminalRow[]): string {
	return markdownTable(
		['size', 'program', 'CPU (% of one core)', 'CPU during the warm-up', 'terminal output (KB/s)', 'RSS (MiB)'],
		rows.map(r => [r.size, r.program, r.cpuPercent.toFixed(2), Number.isNaN(r.warmCpuPercent) ? '–' : r.warmCpuPercent.toFixed(2), (r.bytesPerSecond / 1000).toFixed(2), r.rssMiB.toFixed(0)]),
	);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {seconds: {type: 'string', default: '60'}, warm: {type: 'string', default: String(DEFAULT_WARM_SECONDS)}, sizes: {type: 'string', default: '120x40,80x24'}, screens: {type: 'boolean', default: false}, baseline: {type: 'string'}}});
	const seconds = Number(values.seconds);
	const warm = Number(values.warm);
	console.log(`${machine()}\nMethod: fdtop (the built bin, dist/cli.js run as a user runs it, its shebang's node flags included; no NODE_ENV set; loopback simulator 2.3 steady), htop -d 10 and btop update_ms=1000, each in its own tmux session of the size shown, run at the same time; ${warm} s warm-up (its CPU from 5 s on is shown too), then ${seconds} s measured. CPU from /proc/<pid>/stat utime+stime, bytes from tmux pipe-pane, RSS = VmRSS at the end.\n`);
	const all: TerminalRow[] = [];
	for (const size of values.sizes.split(',')) {
		const [c, r] = size.split('x').map(Number);
		all.push(...(await measureTerminal(c!, r!, seconds, warm, values.baseline)));
	}
	console.log(terminalTable(all));
	if (values.screens) for (const r of all.filter(x => x.program === 'fdtop')) console.log(`\nfdtop screen at ${r.size}:\n${r.screen}`);
}
