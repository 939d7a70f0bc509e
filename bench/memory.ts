/**
 * Resident memory over a replayed day: one target's simulator scrapes (FastDeploy 2.0, restart
 * scenario: counter resets all day, the hardest case for history) generated in fast time and fed
 * through the real Store at full speed, as test/long-run.test.ts does. RSS is read without forcing
 * GC (what `top` would show); heap is also given after a forced GC, with V8's committed heap
 * (heapTotal) and memory outside it (external: zlib, Buffers).
 *
 * The replay runs in a child process started with the node flags the shipped bin starts with
 * (read from dist/cli.js's shebang line, e.g. `#!/usr/bin/env -S node --max-semi-space-size=1`),
 * because V8's heap sizing (young generation, old-generation growth) is what RSS follows here:
 * the figure then describes what ships. `--node-flags="..."` replaces them (`--node-flags=`: plain node).
 *
 * Run: npm run bench:memory [-- --hours 24] [-- --node-flags="--max-semi-space-size=1"]
 */
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {Store} from '../source/store.js';
import {machine, markdownTable} from './common.js';

export interface MemoryPoint {
	readonly label: string;
	readonly scrapes: number;
	/** RSS as is (no forced GC). */
	readonly rssMiB: number;
	/** Heap used after a forced GC (the live heap). */
	readonly heapMiB: number;
	/** V8's committed heap, as is. */
	readonly heapTotalMiB: number;
	/** Memory of C++ objects bound to JS (Buffers, zlib), as is. */
	readonly externalMiB: number;
}

export interface MemoryRun {
	readonly points: MemoryPoint[];
	readonly scrapesPerSecond: number;
	/** The node flags the replay ran with. */
	readonly nodeFlags: readonly string[];
	/** Where the flags came from. */
	readonly flagsFrom: string;
}

const MiB = 1024 * 1024;
const here = fileURLToPath(import.meta.url);
const shippedBin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * The node flags a bin starts with: from a shebang line (`#!/usr/bin/env -S node --a --b`,
 * `#!/usr/bin/node --a`; `#!/usr/bin/env node` gives []), or, for fdtop's sh/JS polyglot
 * (`#!/bin/sh`, then `":" //; [a check; ]exec node --a --b "$0" "$@"`), from its exec line.
 */
export function binNodeFlags(head: string): string[] | null {
	const [first = '', second = ''] = head.split('\n', 2);
	if (!first.startsWith('#!')) return null;
	const exec = /^":" \/\/; (?:.*; )?exec node((?: --?[^\s"]+)*) "\$0" "\$@"$/.exec(second);
	if (/^#!\s*\/bin\/sh\s*$/.test(first)) return exec ? exec[1]!.trim().split(/\s+/).filter(Boolean) : null;
	const words = first.slice(2).trim().split(/\s+/);
	const node = words.findIndex(w => /(^|\/)node(js)?$/.test(w));
	return node < 0 ? null : words.slice(node + 1);
}

/** The flags dist/cli.js starts node with, and a note saying where they came from. */
export function shippedNodeFlags(): {flags: string[]; from: string} {
	if (!existsSync(shippedBin)) return {flags: [], from: 'dist/cli.js not built: plain node'};
	const flags = binNodeFlags(readFileSync(shippedBin, 'utf8').slice(0, 4096));
	if (flags === null) return {flags: [], from: 'dist/cli.js starts no node we can read: plain node'};
	return {flags, from: flags.length > 0 ? "dist/cli.js's first lines" : "dist/cli.js's shebang (no flags)"};
}

/** The replay itself, in this process. */
export function replayDay(hours: number): {points: MemoryPoint[]; scrapesPerSecond: number} {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	const total = Math.round(hours * 3600);
	const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
	const marks = new Map<number, string>([[60, 'start (after 60 scrapes)'], [600, '10 min (warmed up)'], [3600, '1 h']]);
	for (let h = 2; h <= hours; h *= 2) marks.set(h * 3600, `${h} h`);
	if (hours >= 6) marks.set(6 * 3600, '6 h');
	marks.set(total, `${hours} h`);
	const points: MemoryPoint[] = [];
	const started = performance.now();
	let i = 0;
	for (const s of generateScrapes({scenario: 'restart', era: '2.0', seed: 9, intervalSeconds: 1, count: total})) {
		store.ingest(0, {target: 'sim', t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
		i++;
		const label = marks.get(i);
		if (label !== undefined) {
			const m = process.memoryUsage();
			gc();
			points.push({label, scrapes: i, rssMiB: m.rss / MiB, heapMiB: process.memoryUsage().heapUsed / MiB, heapTotalMiB: m.heapTotal / MiB, externalMiB: m.external / MiB});
		}
	}
	return {points, scrapesPerSecond: i / ((performance.now() - started) / 1000)};
}

/** The replay in a child process started with the shipped bin's node flags (or `nodeFlags`). */
export function measureMemory(hours: number, nodeFlags?: readonly string[]): MemoryRun {
	const shipped = shippedNodeFlags();
	const flags = nodeFlags ?? shipped.flags;
	const flagsFrom = nodeFlags ? '--node-flags' : shipped.from;
	// The parent's own flags (tsx's loader) go too; the shipped ones come first, as in the shebang.
	const child = spawnSync(process.execPath, [...flags, ...process.execArgv, here, '--child', '--hours', String(hours)], {encoding: 'utf8', maxBuffer: 16 * MiB, stdio: ['ignore', 'pipe', 'inherit']});
	if (child.status !== 0) throw new Error(`memory replay failed (node ${flags.join(' ')}): exit ${child.status ?? child.signal}`);
	return {...(JSON.parse(child.stdout) as {points: MemoryPoint[]; scrapesPerSecond: number}), nodeFlags: flags, flagsFrom};
}

/** Growth after warm-up: the largest RSS from 10 min on minus the RSS at 10 min. */
export function growthAfterWarmup(points: readonly MemoryPoint[]): number {
	const warm = points.filter(p => p.scrapes >= 600);
	return warm.length === 0 ? NaN : Math.max(...warm.map(p => p.rssMiB)) - warm[0]!.rssMiB;
}

export function memoryTable(points: readonly MemoryPoint[]): string {
	return markdownTable(
		['replayed', 'scrapes', 'RSS (MiB)', 'V8 heap committed (MiB)', 'external (MiB)', 'heap after GC (MiB)'],
		points.map(p => [p.label, String(p.scrapes), p.rssMiB.toFixed(1), p.heapTotalMiB.toFixed(1), p.externalMiB.toFixed(1), p.heapMiB.toFixed(1)]),
	);
}

if (process.argv[1] === here) {
	const {values} = parseArgs({options: {hours: {type: 'string', default: '24'}, child: {type: 'boolean', default: false}, 'node-flags': {type: 'string'}}});
	const hours = Number(values.hours);
	if (values.child) {
		process.stdout.write(JSON.stringify(replayDay(hours)));
	} else {
		const nodeFlags = values['node-flags'] === undefined ? undefined : values['node-flags'].split(/\s+/).filter(Boolean);
		const run = measureMemory(hours, nodeFlags);
		const flags = run.nodeFlags.length > 0 ? `\`node ${run.nodeFlags.join(' ')}\`` : 'plain `node` (no flags)';
		console.log(`${machine()}\nMethod: ${hours} h of 1 s simulator scrapes (FastDeploy 2.0, restart scenario) generated and ingested through the Store at full speed in a child process started as ${flags} (${run.flagsFrom}); ${run.scrapesPerSecond.toFixed(0)} scrapes/s including generation; RSS, V8's committed heap and external memory as is, heap after a forced GC.\n`);
		console.log(memoryTable(run.points));
		console.log(`\nRSS growth after warm-up (10 min → end, max): ${growthAfterWarmup(run.points).toFixed(1)} MiB`);
	}
}
