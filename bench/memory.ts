/**
 * Resident memory over a replayed day: one target's simulator scrapes (FastDeploy 2.0, restart
 * scenario: counter resets all day, the hardest case for history) generated in fast time and fed
 * through the real Store at full speed, as test/long-run.test.ts does, in this process. RSS is
 * read without forcing GC (what `top` would show); heap is also given after a forced GC.
 *
 * Run: npm run bench:memory [-- --hours 24]
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {Store} from '../source/store.js';
import {machine, markdownTable} from './common.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface MemoryPoint {
	readonly label: string;
	readonly scrapes: number;
	readonly rssMiB: number;
	readonly heapMiB: number;
}

const MiB = 1024 * 1024;

export function measureMemory(hours: number): {points: MemoryPoint[]; scrapesPerSecond: number} {
	const total = Math.round(hours * 3600);
	const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
	const marks = new Map<number, string>([[60, 'start (after 60 scrapes)'], [600, '10 min (warmed up)'], [3600, '1 h']]);
	for (let h = 2; h <= hours; h *= 2) marks.set(h * 3600, `${h} h`);
	marks.set(total, `${hours} h`);
	const points: MemoryPoint[] = [];
	const started = performance.now();
	let i = 0;
	for (const s of generateScrapes({scenario: 'restart', era: '2.0', seed: 9, intervalSeconds: 1, count: total})) {
		store.ingest(0, {target: 'sim', t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
		i++;
		const label = marks.get(i);
		if (label !== undefined) {
			const rssMiB = process.memoryUsage().rss / MiB;
			gc();
			points.push({label, scrapes: i, rssMiB, heapMiB: process.memoryUsage().heapUsed / MiB});
		}
	}
	return {points, scrapesPerSecond: i / ((performance.now() - started) / 1000)};
}

/** Growth after warm-up: the largest RSS from 10 min on minus the RSS at 10 min. */
export function growthAfterWarmup(points: readonly MemoryPoint[]): number {
	const warm = points.filter(p => p.scrapes >= 600);
	return warm.length === 0 ? NaN : Math.max(...warm.map(p => p.rssMiB)) - warm[0]!.rssMiB;
}

export function memoryTable(points: readonly MemoryPoint[]): string {
	return markdownTable(['replayed', 'scrapes', 'RSS (MiB)', 'heap after GC (MiB)'], points.map(p => [p.label, String(p.scrapes), p.rssMiB.toFixed(1), p.heapMiB.toFixed(1)]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {hours: {type: 'string', default: '24'}}});
	const {points, scrapesPerSecond} = measureMemory(Number(values.hours));
	console.log(`${machine()}\nMethod: ${values.hours} h of 1 s simulator scrapes (FastDeploy 2.0, restart scenario) generated and ingested through the Store at full speed in one process (${scrapesPerSecond.toFixed(0)} scrapes/s including generation); RSS as is, heap after a forced GC.\n`);
	console.log(memoryTable(points));
	console.log(`\nRSS growth after warm-up (10 min → end, max): ${growthAfterWarmup(points).toFixed(1)} MiB`);
}
