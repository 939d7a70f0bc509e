/**
 * Idle cost of objectives: three built fdtops side by side in the same run, each in its own tmux
 * session, reading one loopback simulator (FastDeploy 2.3, steady) at 1 s: without --slo on the
 * Overview, with four objectives on the Overview (verdict strip), and with four objectives on the
 * SLO view. CPU ticks from /proc after a warm-up, bytes written through pipe-pane, RSS. A ratio
 * to the run without objectives is printed, since the machine's own load moves every figure.
 *
 * Run: npm run build && node --import tsx bench/slo.ts [--seconds 60 --warm 65 --size 120x40 --reverse]
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startSimulator} from '../demo/sim/server.js';
import {machine, markdownTable, sleep} from './common.js';
import {binCommand, CLK_TCK, cpuTicks, rssMiB} from './terminal.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SLOS = "--slo 'ttft<=1s:99%' --slo 'tpot<=100ms:90%' --slo 'e2e<=30s:95%' --slo 'queue<=500ms:99%'";

const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'});
const bytes = (file: string) => (existsSync(file) ? statSync(file).size : 0);

const {values} = parseArgs({options: {seconds: {type: 'string', default: '60'}, warm: {type: 'string', default: '65'}, size: {type: 'string', default: '120x40'}, reverse: {type: 'boolean', default: false}}});
const [columns, rows] = values.size.split('x').map(Number) as [number, number];
const seconds = Number(values.seconds);
const warm = Number(values.warm);

const sim = await startSimulator({port: 0, scenario: 'steady', era: '2.3', seed: 1});
const dir = mkdtempSync(join(tmpdir(), 'fdtop-slo-bench-'));
const kinds = [
	{name: 'no --slo, Overview', args: '', key: ''},
	{name: '4 objectives, Overview', args: SLOS, key: ''},
	{name: '4 objectives, SLO view', args: SLOS, key: '6'},
];
// --reverse starts them in the other order (a check that the start order does not decide the figures).
const runs = (values.reverse ? [...kinds].reverse() : kinds).map((run, i) => {
	const session = `fdtop-slo-bench-${process.pid}-${i}`;
	const log = join(dir, `${i}.out`);
	tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'LANG=C.UTF-8', '-e', 'TERM=tmux-256color', `${binCommand(root)} --interval 1s ${run.args} ${sim.url}`);
	tmux('pipe-pane', '-t', session, '-o', `cat > ${log}`);
	const pid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
	return {...run, session, log, pid};
});
try {
	await sleep(3000);
	for (const run of runs) if (run.key) tmux('send-keys', '-t', run.session, run.key);
	await sleep(Math.max(0, warm - 3) * 1000);
	const before = runs.map(r => ({ticks: cpuTicks(r.pid), bytes: bytes(r.log), t: performance.now()}));
	await sleep(seconds * 1000);
	const results = runs.map((r, i) => {
		const elapsed = (performance.now() - before[i]!.t) / 1000;
		return {name: r.name, cpu: ((cpuTicks(r.pid) - before[i]!.ticks) / CLK_TCK / elapsed) * 100, bps: (bytes(r.log) - before[i]!.bytes) / elapsed, rss: rssMiB(r.pid), screen: tmux('capture-pane', '-p', '-t', r.session)};
	});
	if (values.reverse) results.reverse();
	const base = results[0]!.cpu;
	console.log(`${machine()}; ${columns}x${rows}, 1 s refresh, ${seconds} s after ${warm} s warm-up, three fdtops side by side\n`);
	console.log(markdownTable(['run', 'CPU % of a core', 'ratio', 'bytes/s', 'RSS MiB'], results.map(r => [r.name, r.cpu.toFixed(2), (r.cpu / base).toFixed(2), r.bps.toFixed(0), r.rss.toFixed(1)])));
	if (!/SLO {2}/.test(results[2]!.screen)) console.log(`\nwarning: the third screen is not the SLO view:\n${results[2]!.screen}`);
} finally {
	for (const r of runs) {
		try {
			tmux('kill-session', '-t', r.session);
		} catch {
			// gone already
		}
	}
	await sim.close();
}
