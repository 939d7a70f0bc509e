/**
 * Regenerate the bundled demo recordings from the simulator: `npm run demo:record`.
 * Deterministic (fixed seeds and start time), so a rerun gives identical files.
 */
import {mkdirSync, rmSync, statSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {Era} from './sim/catalog.js';
import {generateScrapes} from './sim/generate.js';
import type {Scenario} from './sim/scenarios.js';
import {RecordingWriter, RECORDING_FORMAT} from '../source/sources/recording.js';

const DIRECTORY = fileURLToPath(new URL('./recordings/', import.meta.url));

interface DemoSpec {
	readonly scenario: Scenario;
	readonly era: Era;
	readonly count: number;
	readonly warmupSeconds: number;
}

export const DEMOS: readonly DemoSpec[] = [
	{scenario: 'burst', era: '2.3', count: 300, warmupSeconds: 120},
	{scenario: 'steady', era: '2.0', count: 240, warmupSeconds: 120},
	{scenario: 'steady', era: '2.3', count: 240, warmupSeconds: 120},
	{scenario: 'overload', era: '2.0', count: 300, warmupSeconds: 30},
	{scenario: 'overload', era: '2.3', count: 300, warmupSeconds: 30},
	{scenario: 'kv-pressure', era: '2.3', count: 240, warmupSeconds: 60},
	{scenario: 'kv-pressure', era: 'newest', count: 240, warmupSeconds: 60},
	{scenario: 'restart', era: '2.0', count: 300, warmupSeconds: 240},
	{scenario: 'restart', era: '2.3', count: 300, warmupSeconds: 240},
];

async function main(): Promise<void> {
	mkdirSync(DIRECTORY, {recursive: true});
	for (const demo of DEMOS) {
		const name = `${demo.scenario}-${demo.era}`;
		const file = `${DIRECTORY}${name}.jsonl.gz`;
		rmSync(file, {force: true});
		const target = `http://demo-${name}:${demo.era === '2.0' ? 8001 : 8000}/metrics`;
		const scrapes = [...generateScrapes({scenario: demo.scenario, era: demo.era, seed: 7, intervalSeconds: 1, count: demo.count, warmupSeconds: demo.warmupSeconds})];
		const writer = await RecordingWriter.open(file, {
			fdtopRecording: RECORDING_FORMAT,
			createdAt: new Date(scrapes[0]!.t).toISOString(),
			fdtop: 'simulator',
			targets: [{name: `demo ${name}`, target}],
			intervalMs: 1000,
		}, {flushEach: false, level: 9});
		for (const s of scrapes) writer.append(0, {target, t: s.t, text: s.text, durationMs: 3, bytes: Buffer.byteLength(s.text)});
		await writer.close();
		console.log(`${name}: ${scrapes.length} scrapes, ${(statSync(file).size / 1024).toFixed(0)} KiB`);
	}
}

await main();
