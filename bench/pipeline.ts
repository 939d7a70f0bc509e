/**
 * Per-scrape pipeline cost (parse + snapshot + history + derive) for 1, 8 and 64 targets, on
 * simulator scrapes (FastDeploy 2.3, steady), through the real Store. Run: npm run bench:pipeline
 */
import {generateScrapes} from '../demo/sim/generate.js';
import {Store} from '../source/store.js';

const WARM = 120;
const MEASURED = 120;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 1, intervalSeconds: 1, count: WARM + MEASURED, warmupSeconds: 300})].map(s => s.text);
const bytes = texts.reduce((a, t) => a + t.length, 0) / texts.length;
console.log(`node ${process.version}; FastDeploy 2.3 scrape ≈ ${(bytes / 1024).toFixed(1)} KiB; window 60 s at 1 s; median of ${MEASURED} ticks after ${WARM} warm-up ticks\n`);
console.log('| targets | ms per tick (all targets) | ms per target-scrape | share of one core at 1 s |');
console.log('|---|---|---|---|');
for (const n of [1, 8, 64]) {
	const store = new Store({targets: Array.from({length: n}, (_, i) => ({name: `t${i}`, location: `t${i}`})), intervalMs: 1000, windowMs: 60_000});
	const ticks: number[] = [];
	for (let i = 0; i < WARM + MEASURED; i++) {
		const started = process.hrtime.bigint();
		for (let k = 0; k < n; k++) store.ingest(k, {target: `t${k}`, t: i * 1000, text: texts[i]!, durationMs: 1, bytes: texts[i]!.length});
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (i >= WARM) ticks.push(ms);
	}
	const m = median(ticks);
	console.log(`| ${n} | ${m.toFixed(2)} | ${(m / n).toFixed(3)} | ${((m / 1000) * 100).toFixed(2)} % |`);
}
