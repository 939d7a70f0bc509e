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
 * `--ui` also draws every scrape as the live terminal does (the App in direct mode into a FrameWriter
 * at 120x40 whose bytes are discarded): the whole pipeline the live UI runs, not only the Store.
 *
 * Run: npm run bench:memory [-- --hours 24] [-- --ui] [-- --node-flags="--max-semi-space-size=1"]
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
	/** Of which compiled code and its metadata (code spaces): JIT warm-up, not data. */
	readonly codeMiB: number;
	/** V8's committed heap, as is. */
	readonly heapTotalMiB: number;
	/** Memory of C++ objects bound to JS (Buffers, zlib), as is. */
	readonly externalMiB: number;
}

export interface MemoryRun {
	readonly points: MemoryPoint[];
	readonly scrapesPerSecond: number;
	/** Frames drawn (with --ui). */
	readonly frames?: number;
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

/**
 * Draws every scrape as the live terminal does: the App in direct mode (its store subscription
 * composes the frame without a React render) into a FrameWriter diffing cells against a 120x40
 * screen that discards the bytes. Returns a function to await after each scrape (the draw is
 * queued in a microtask) and one to unmount.
 */
async function liveScreen(store: Store): Promise<{drawn(): Promise<void>; frames(): number; close(): void}> {
	process.env.NODE_ENV = 'production';
	const [{createElement}, {render}, {App}, {FrameWriter}, {liveControls}, {PassThrough}] = await Promise.all([import('react'), import('ink'), import('../source/ui/app.js'), import('../source/ui/frame-writer.js'), import('../source/controls.js'), import('node:stream')]);
	const screen = Object.assign(new PassThrough(), {columns: 120, rows: 40, isTTY: true});
	screen.resume();
	let frames = 0;
	const writer = new FrameWriter(screen as unknown as NodeJS.WriteStream, {direct: true, minIntervalMs: 0});
	const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
	const instance = render(createElement(App, {store, controls: liveControls(store), options: {color: true, ascii: false, lang: 'en'}, frameSink: (lines: readonly string[]) => (frames++, writer.show(lines))}), {
		stdout: writer as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		maxFps: 10,
		patchConsole: false,
		exitOnCtrlC: false,
		incrementalRendering: false,
	});
	await new Promise(resolve => setImmediate(resolve));
	return {drawn: () => new Promise(resolve => setImmediate(resolve)), frames: () => frames, close: () => instance.unmount()};
}

/** The replay itself, in this process; with `ui`, every scrape is also drawn as the live terminal draws it. */
export async function replayDay(hours: number, ui = false): Promise<{points: MemoryPoint[]; scrapesPerSecond: number; frames?: number}> {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	const total = Math.round(hours * 3600);
	const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
	const screen = ui ? await liveScreen(store) : undefined;
	const marks = new Map<number, string>([[60, 'start (after 60 scrapes)'], [600, '10 min (warmed up)'], [3600, '1 h']]);
	for (let h = 2; h <= hours; h *= 2) marks.set(h * 3600, `${h} h`);
	if (hours >= 6) marks.set(6 * 3600, '6 h');
	marks.set(total, `${hours} h`);
	const points: MemoryPoint[] = [];
	const started = performance.now();
	let i = 0;
	for (const s of generateScrapes({scenario: 'restart', era: '2.0', seed: 9, intervalSeconds: 1, count: total})) {
		store.ingest(0, {target: 'sim', t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
		if (screen) await screen.drawn();
		i++;
		const label = marks.get(i);
		if (label !== undefined) {
			const m = process.memoryUsage();
			gc();
			const code = v8
				.getHeapSpaceStatistics()
				.filter(space => space.space_name.startsWith('code'))
				.reduce((sum, space) => sum + space.space_used_size, 0);
			points.push({label, scrapes: i, rssMiB: m.rss / MiB, heapMiB: process.memoryUsage().heapUsed / MiB, codeMiB: code / MiB, heapTotalMiB: m.heapTotal / MiB, externalMiB: m.external / MiB});
		}
	}
	screen?.close();
	return {points, scrapesPerSecond: i / ((performance.now() - started) / 1000), ...(screen ? {frames: screen.frames()} : {})};
}

/** The replay in a child process started with the shipped bin's node flags (or `nodeFlags`). */
export function measureMemory(hours: number, nodeFlags?: readonly string[], ui = false): MemoryRun {
	const shipped = shippedNodeFlags();
	const flags = nodeFlags ?? shipped.flags;
	const flagsFrom = nodeFlags ? '--node-flags' : shipped.from;
	// The parent's own flags (tsx's loader) go too; the shipped ones come first, as in the shebang.
	const child = spawnSync(process.execPath, [...flags, ...process.execArgv, here, '--child', '--hours', String(hours), ...(ui ? ['--ui'] : [])], {encoding: 'utf8', maxBuffer: 16 * MiB, stdio: ['ignore', 'pipe', 'inherit']});
	if (child.status !== 0) throw new Error(`memory replay failed (node ${flags.join(' ')}): exit ${child.status ?? child.signal}`);
	return {...(JSON.parse(child.stdout) as {points: MemoryPoint[]; scrapesPerSecond: number; frames?: number}), nodeFlags: flags, flagsFrom};
}

/** The budget of issue 13: RSS at the end minus RSS after the first hour (NaN without both). */
export function growthAfterFirstHour(points: readonly MemoryPoint[]): number {
	const hour = points.find(p => p.scrapes === 3600);
	const last = points.at(-1);
	return hour && last && last !== hour ? last.rssMiB - hour.rssMiB : Number.NaN;
}

/** Growth after warm-up: the largest RSS from 10 min on minus the RSS at 10 min. */
export function growthAfterWarmup(points: readonly MemoryPoint[]): number {
	const warm = points.filter(p => p.scrapes >= 600);
	return warm.length === 0 ? NaN : Math.max(...warm.map(p => p.rssMiB)) - warm[0]!.rssMiB;
}

export function memoryTable(points: readonly MemoryPoint[]): string {
	return markdownTable(
		['replayed', 'scrapes', 'RSS (MiB)', 'V8 heap committed (MiB)', 'external (MiB)', 'heap after GC (MiB)', 'of which code (MiB)'],
		points.map(p => [p.label, String(p.scrapes), p.rssMiB.toFixed(1), p.heapTotalMiB.toFixed(1), p.externalMiB.toFixed(1), p.heapMiB.toFixed(1), p.codeMiB.toFixed(1)]),
	);
}

if (process.argv[1] === here) {
	const {values} = parseArgs({options: {hours: {type: 'string', default: '24'}, child: {type: 'boolean', default: false}, ui: {type: 'boolean', default: false}, 'node-flags': {type: 'string'}}});
	const hours = Number(values.hours);
	if (values.child) {
		process.stdout.write(JSON.stringify(await replayDay(hours, values.ui)));
	} else {
		const nodeFlags = values['node-flags'] === undefined ? undefined : values['node-flags'].split(/\s+/).filter(Boolean);
		const run = measureMemory(hours, nodeFlags, values.ui);
		const flags = run.nodeFlags.length > 0 ? `\`node ${run.nodeFlags.join(' ')}\`` : 'plain `node` (no flags)';
		const drawn = values.ui ? `, each drawn as the live terminal draws it (the App in direct mode, 120x40, Overview; ${run.frames} frames)` : '';
		console.log(`${machine()}\nMethod: ${hours} h of 1 s simulator scrapes (FastDeploy 2.0, restart scenario) generated and ingested through the Store at full speed${drawn} in a child process started as ${flags} (${run.flagsFrom}); ${run.scrapesPerSecond.toFixed(0)} scrapes/s including generation; RSS, V8's committed heap and external memory as is, heap after a forced GC.\n`);
		console.log(memoryTable(run.points));
		console.log(`\nRSS growth after warm-up (10 min → end, max): ${growthAfterWarmup(run.points).toFixed(1)} MiB`);
		console.log(`RSS at the end minus RSS after the first hour: ${growthAfterFirstHour(run.points).toFixed(1)} MiB (budget: within 5 MB)`);
	}
}
