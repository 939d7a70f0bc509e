/**
 * Every budget of issue 7, measured now, pass/fail per budget; exits 1 on a miss. Shorter than the
 * full benchmarks: terminal comparison 30 s after the 65 s warm-up (not 60 s), memory over 6 h of replay (not 24 h) unless
 * --full. Needs `npm run build`, tmux, htop and btop. Not part of `npm test` (wall-clock figures).
 *
 * Run: npm run bench:check [-- --full]
 */
import {parseArgs} from 'node:util';
import {machine, markdownTable, median} from './common.js';
import {growthAfterFirstHour, growthAfterWarmup, measureMemory} from './memory.js';
import {measureParser} from './parser.js';
import {measurePipeline} from './pipeline.js';
import {measureReplay, measureStartup} from './startup.js';
import {DEFAULT_WARM_SECONDS, measureTerminal} from './terminal.js';

const {values} = parseArgs({options: {full: {type: 'boolean', default: false}}});
const terminalSeconds = values.full ? 60 : 30;
const hours = values.full ? 24 : 6;

interface Verdict {
	readonly budget: string;
	readonly measured: string;
	readonly pass: boolean;
}
const verdicts: Verdict[] = [];
const check = (budget: string, measured: string, pass: boolean) => {
	verdicts.push({budget, measured, pass});
	console.error(`${pass ? 'pass' : 'MISS'}  ${budget}: ${measured}`);
};

// The 10x over the npm parser is retired (BENCHMARKS.md: a loop reading every character and
// parsing nothing is ~12x): the budget is a guard at today's ratio, less the noise measured on this
// shared machine, so a real regression shows and noise does not. One quick run read 3.05–5.15x
// (mixed, median 3.72x) and 4.66–6.86x (FastDeploy fixture, median 4.99x) over 17 runs at load
// 14–20 on 2026-12-06, with 4 of the fixture's runs disturbed to 1.69–2.36x (BENCHMARKS.md, "Idle
// CPU after issue 16"). Noise only ever slows a run, so each budget takes the best of three runs
// (all three are shown): a guard at the lowest undisturbed run less 5 % then fails on noise only
// when all three runs are disturbed (~1 % at that load), and on a regression that brings even the
// best run under it: ~22 % below today's median (mixed), ~12 % (fixture).
// Beside it, the parser's time over the bare charCodeAt scan's, measured in the same interleaved
// run: how far from reading the text once it is.
const PARSER_GUARD: Readonly<Record<string, number>> = {'mixed ~200 KB': 2.9, 'fastdeploy-2.0.txt': 4.4};
const PARSER_RUNS = 3;
const parserRuns = Array.from({length: PARSER_RUNS}, () => measureParser(true));
for (const input of new Set(parserRuns[0]!.map(r => r.input))) {
	const runs = parserRuns.map(run => {
		const ms = (name: string) => run.find(r => r.input === input && r.parser === name)?.ms ?? NaN;
		return {ours: ms('fdtop parseExposition'), npm: ms('parse-prometheus-text-format'), json: ms('JSON.parse (same samples)'), scan: ms('charCodeAt scan, no parsing')};
	});
	const best = runs.reduce((a, b) => (b.npm / b.ours > a.npm / a.ours ? b : a));
	const guard = PARSER_GUARD[input] ?? NaN;
	check(
		`parser ≥ ${guard}x parse-prometheus-text-format, today's ratio less its noise (${input}; best of ${PARSER_RUNS} runs)`,
		`${(best.npm / best.ours).toFixed(2)}x (runs ${runs.map(r => (r.npm / r.ours).toFixed(2)).join(', ')}; ${best.ours.toFixed(3)} vs ${best.npm.toFixed(3)} ms); ${(best.ours / best.scan).toFixed(2)}x the bare charCodeAt scan's time (${best.scan.toFixed(3)} ms), which is ${(best.npm / best.scan).toFixed(2)}x the npm parser`,
		best.npm / best.ours >= guard,
	);
	const json = runs.reduce((a, b) => (b.ours / b.json < a.ours / a.json ? b : a));
	check(`parser within 2x of JSON.parse (${input}; best of ${PARSER_RUNS} runs)`, `${(json.ours / json.json).toFixed(2)}x JSON.parse's time (${json.ours.toFixed(3)} vs ${json.json.toFixed(3)} ms; runs ${runs.map(r => (r.ours / r.json).toFixed(2)).join(', ')})`, json.ours / json.json <= 2);
}

const terminal = await measureTerminal(120, 40, terminalSeconds);
const row = (p: string) => terminal.find(r => r.program === p)!;
const fd = row('fdtop');
const btop = row('btop');
check(
	`idle overview 120x40 CPU ≤ 1.5x btop (${terminalSeconds} s side by side after a ${DEFAULT_WARM_SECONDS} s warm-up)`,
	`fdtop ${fd.cpuPercent.toFixed(2)} %, btop ${btop.cpuPercent.toFixed(2)} % → ${(fd.cpuPercent / btop.cpuPercent).toFixed(2)}x (warm-up from 5 s: fdtop ${fd.warmCpuPercent.toFixed(2)} %, btop ${btop.warmCpuPercent.toFixed(2)} %)`,
	fd.cpuPercent <= 1.5 * btop.cpuPercent,
);
check('idle overview 120x40 terminal output ≤ 2 KB/s', `${(fd.bytesPerSecond / 1000).toFixed(2)} KB/s (btop ${(btop.bytesPerSecond / 1000).toFixed(2)}, htop ${(row('htop').bytesPerSecond / 1000).toFixed(2)})`, fd.bytesPerSecond <= 2000);
check('idle overview 120x40 RSS < 100 MB', `${fd.rssMiB.toFixed(0)} MiB`, fd.rssMiB * 1.048576 < 100);

// The replay drawn as the live terminal draws it (bench:memory --ui): the whole pipeline the UI runs.
const memory = measureMemory(hours, undefined, true);
const growth = growthAfterWarmup(memory.points);
const rssAt = memory.points.map(p => `${p.label}: ${p.rssMiB.toFixed(0)}`).join(', ');
check(`RSS flat over ${hours} h of replay, drawn as live (growth < 5 MB after warm-up)`, `${growth.toFixed(1)} MiB (${rssAt})`, growth * 1.048576 < 5);
const afterHour = growthAfterFirstHour(memory.points);
const heap = memory.points.map(p => p.heapMiB.toFixed(1)).join(', ');
check(`RSS after ${hours} h within 5 MB of RSS after 1 h (drawn as live)`, `${afterHour >= 0 ? '+' : ''}${afterHour.toFixed(1)} MiB; heap after GC ${heap} MiB`, Math.abs(afterHour) * 1.048576 <= 5);

const start = await measureStartup(3);
check('first frame < 500 ms', `median ${median(start).toFixed(0)} ms of ${start.map(t => t.toFixed(0)).join(', ')}`, median(start) < 500);
const rates = await measureReplay(2000, 3);
check('replay ≥ 2,000 scrapes/s (one target)', `median ${median(rates).toFixed(0)} scrapes/s`, median(rates) >= 2000);

const [sixtyFour] = measurePipeline([64], 60, 60);
const share = (sixtyFour!.msPerTick / 1000) * 100;
check('64 targets at 1 s < 10 % of a core', `${share.toFixed(1)} % (${sixtyFour!.msPerTick.toFixed(1)} ms per tick)`, share < 10);

console.log(`\n${machine()}\n`);
console.log(markdownTable(['budget', 'measured', 'result'], verdicts.map(v => [v.budget, v.measured, v.pass ? 'pass' : 'MISS'])));
const misses = verdicts.filter(v => !v.pass).length;
console.log(`\n${verdicts.length - misses} of ${verdicts.length} budgets met.`);
process.exitCode = misses === 0 ? 0 : 1;
