/**
 * CPU per scrape of the Store's ingest (parse, snapshot, history, derive) in any checkout, fed a
 * demo recording scrape by scrape: the part of idle CPU that is the data, without the UI. Run the
 * checkouts in turn to compare builds; `--no-opt --no-maglev` keeps V8 to the tiers code mostly runs
 * in at one scrape a second.
 *
 *   node [--no-opt --no-maglev] --import tsx bench/ingest-cost.ts <checkout> [rounds] [recording]
 */
import {pathToFileURL} from 'node:url';
import type {Scrape} from '../source/sources/types.js';

const root = process.argv[2] ?? '.';
const rounds = Number(process.argv[3] ?? 5);
const recording = process.argv[4] ?? 'steady-2.3';
const {readRecording} = (await import(pathToFileURL(`${root}/source/sources/recording.ts`).href)) as typeof import('../source/sources/recording.js');
const {Store} = (await import(pathToFileURL(`${root}/source/store.ts`).href)) as typeof import('../source/store.js');
const {records} = await readRecording(`${root}/demo/recordings/${recording}.jsonl.gz`);
const scrapes: Scrape[] = [];
for await (const r of records) scrapes.push({target: 't', t: r.t, text: r.text ?? '', durationMs: r.durationMs ?? 1, bytes: r.bytes ?? 0});
const warm = Math.min(120, scrapes.length >> 1);
const perRound: number[] = [];
for (let round = 0; round < rounds; round++) {
	const store = new Store({targets: [{name: 't', location: 't'}], intervalMs: 1000, windowMs: 60_000});
	let total = 0;
	for (let i = 0; i < scrapes.length; i++) {
		const t0 = process.cpuUsage();
		store.ingest(0, scrapes[i]!);
		const d = process.cpuUsage(t0);
		if (i >= warm) total += d.user + d.system;
	}
	perRound.push(total / (scrapes.length - warm));
}
perRound.sort((a, b) => a - b);
console.log(`${root}: ${recording}, ${scrapes.length} scrapes; ingest µs per scrape (CPU) after ${warm}, per round, sorted: ${perRound.map(t => t.toFixed(0)).join(' ')}; median ${perRound[perRound.length >> 1]!.toFixed(0)}`);
