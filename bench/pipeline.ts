/**
 * Per-scrape pipeline cost (parse + snapshot + history + derive) for 1, 8 and 64 targets, on
 * simulator scrapes (FastDeploy 2.3, steady), through the real Store. Run: npm run bench:pipeline
 */
import {fileURLToPath} from 'node:url';
import {generateScrapes} from '../demo/sim/generate.js';
import {Store} from '../source/store.js';
import {machine, markdownTable, median} from './common.js';

export interface PipelineRow {
	readonly targets: number;
	/** Median ms for one tick of all targets. */
	readonly msPerTick: number;
}

export function measurePipeline(counts: readonly number[] = [1, 8, 64], warm = 120, measured = 120): PipelineRow[] {
	const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 1, intervalSeconds: 1, count: warm + measured, warmupSeconds: 300})].map(s => s.text);
	return counts.map(n => {
		const store = new Store({targets: Array.from({length: n}, (_, i) => ({name: `t${i}`, location: `t${i}`})), intervalMs: 1000, windowMs: 60_000});
		const ticks: number[] = [];
		for (let i = 0; i < warm + measured; i++) {
			const started = process.hrtime.bigint();
			for (let k = 0; k < n; k++) store.ingest(k, {target: `t${k}`, t: i * 1000, text: texts[i]!, durationMs: 1, bytes: texts[i]!.length});
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			if (i >= warm) ticks.push(ms);
		}
		return {targets: n, msPerTick: median(ticks)};
	});
}

export function pipelineTable(rows: readonly PipelineRow[]): string {
	return markdownTable(
		['targets', 'ms per tick (all targets)', 'ms per target-scrape', 'share of one core at 1 s'],
		rows.map(r => [String(r.targets), r.msPerTick.toFixed(2), (r.msPerTick / r.targets).toFixed(3), `${((r.msPerTick / 1000) * 100).toFixed(2)} %`]),
	);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const rows = measurePipeline();
	console.log(`${machine()}\nMethod: FastDeploy 2.3 simulator scrapes (steady) through Store.ingest; window 60 s at 1 s; median of 120 ticks after 120 warm-up ticks.\n`);
	console.log(pipelineTable(rows));
}
