/**
 * Replay throughput alone (bench/startup.ts's measureReplay, no tmux, no build), for profiling:
 *   node --cpu-prof --cpu-prof-dir=/tmp/fdtop-cpuprof --import tsx bench/replay-profile.ts [-- --runs 3 --scrapes 3600]
 * Prints scrapes/s per run, then a per-scrape breakdown over the same kind of recording (each
 * stage adds one step to the one before, stages alternate per round; median µs per scrape):
 *   read      readRecording: gunzip, split lines, JSON.parse each record
 *   parse     + parseExposition (no cache)
 *   cached    + the scrape cache's parse (ScrapeCache.parse)
 *   snapshot  + the scrape cache's snapshot (what the Store does per scrape)
 *   store     Replay.runToEnd into a Store (everything), with the Store's cache hit counts.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {ScrapeCache} from '../source/metrics/snapshot-plan-cache.js';
import {parseExposition} from '../source/prom/parse.js';
import {readRecording, RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';
import {Replay} from '../source/sources/replay.js';
import {Store} from '../source/store.js';
import {median} from './common.js';
import {measureReplay} from './startup.js';

const {values} = parseArgs({options: {runs: {type: 'string', default: '3'}, scrapes: {type: 'string', default: '3600'}, rounds: {type: 'string', default: '3'}}});
const scrapes = Number(values.scrapes);
const rates = await measureReplay(scrapes, Number(values.runs));
console.log(`replay of ${values.scrapes} scrapes, one target: ${rates.map(r => r.toFixed(0)).join(', ')} scrapes/s`);

// The recording measureReplay makes (FastDeploy 2.3 steady, gzip level 1), written here once.
const file = join(mkdtempSync(join(tmpdir(), 'fdtop-replay-profile-')), 'rec.jsonl.gz');
const target = 'http://sim:8000/metrics';
const writer = await RecordingWriter.open(file, {fdtopRecording: RECORDING_FORMAT, createdAt: new Date(0).toISOString(), fdtop: 'bench', targets: [{name: 'sim', target}], intervalMs: 1000}, {flushEach: false, level: 1});
let written = 0;
for (const s of generateScrapes({scenario: 'steady', era: '2.3', seed: 5, intervalSeconds: 1, count: scrapes, warmupSeconds: 300})) {
	writer.append(0, {target, t: s.t, text: s.text, durationMs: 2, bytes: s.text.length});
	if (++written % 500 === 0) await writer.drained();
}
await writer.close();

type Stage = 'read' | 'parse' | 'cached' | 'snapshot' | 'store';
let storeStats = '';

async function run(stage: Stage): Promise<number> {
	const t0 = performance.now();
	let n = 0;
	if (stage === 'store') {
		const store = new Store({targets: [{name: 'sim', location: target}], intervalMs: 1000, windowMs: 60_000});
		await new Replay(store, {file, speed: 1, loop: false, demo: null}).runToEnd();
		n = store.getSnapshot().targets[0]!.scrapes;
		const {hits, misses, planReuses} = store.cacheStats(0);
		storeStats = `store cache: ${hits} hits, ${misses} misses (${((100 * hits) / (hits + misses)).toFixed(1)}% hit), ${planReuses} snapshot plans reused`;
	} else {
		const cache = new ScrapeCache();
		const {records} = await readRecording(file);
		for await (const record of records) {
			n++;
			if (stage === 'parse') parseExposition(record.text ?? '');
			else if (stage === 'cached') cache.parse(record.text ?? '');
			else if (stage === 'snapshot') cache.snapshot(cache.parse(record.text ?? ''), record.t);
		}
	}
	return ((performance.now() - t0) * 1000) / n;
}

const stages: Stage[] = ['read', 'parse', 'cached', 'snapshot', 'store'];
const times = new Map<Stage, number[]>(stages.map(s => [s, []]));
for (let r = 0; r < Number(values.rounds); r++) for (const stage of stages) times.get(stage)!.push(await run(stage));
const us = (stage: Stage) => median(times.get(stage)!);
console.log(`per scrape, median of ${values.rounds} rounds (µs): ${stages.map(s => `${s} ${us(s).toFixed(0)}`).join(', ')}`);
console.log(`  → full parse ${(us('parse') - us('read')).toFixed(0)}, cached parse ${(us('cached') - us('read')).toFixed(0)}, snapshot ${(us('snapshot') - us('cached')).toFixed(0)}, store bookkeeping ${(us('store') - us('snapshot')).toFixed(0)}`);
console.log(storeStats);
rmSync(dirname(file), {recursive: true, force: true});
