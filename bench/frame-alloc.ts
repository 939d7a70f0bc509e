/**
 * Bytes allocated per scrape on the live path of a checkout: the Store ingests a simulator scrape
 * (FastDeploy 2.3, steady), the App composes the Overview at 120x40 in direct mode (as in a
 * terminal) and the FrameWriter diffs it into a sink. V8's sampling heap profiler counts every
 * allocation, the objects that scavenges and full collections freed included, over `frames` scrapes
 * after 120 of warm-up. Allocation is the lever on idle CPU here: scavenges, the V8 helper threads
 * and the page faults of new-space pages all follow it (BENCHMARKS.md, "Idle CPU against btop").
 * Deterministic, unlike CPU time: compare checkouts with it, and look at the functions it names.
 *
 *   node --import tsx bench/frame-alloc.ts [checkout] [frames] [profile.json]
 *
 * The profile (optional) opens in Chrome's DevTools (Memory, load profile) to see where.
 */
import {EventEmitter} from 'node:events';
import {writeFileSync} from 'node:fs';
import {Session} from 'node:inspector/promises';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';

const root = resolve(process.argv[2] ?? '.');
const frames = Number(process.argv[3] ?? 200);
const out = process.argv[4];
process.env.NODE_ENV = 'production';
const from = (path: string) => import(pathToFileURL(`${root}/${path}`).href);
const [{render}, {createElement}, {App}, {Store}, {liveControls}, {generateScrapes}, {FrameWriter}] = await Promise.all([
	from('node_modules/ink-testing-library/build/index.js'),
	from('node_modules/react/index.js'),
	from('source/ui/app.tsx'),
	from('source/store.ts'),
	from('source/controls.ts'),
	from('demo/sim/generate.ts'),
	from('source/ui/frame-writer.ts'),
]);
const warm = 120;
// Flat strings, as an HTTP body decoded in one piece is (a concatenated one would be flattened, and counted, on first read).
const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 3, intervalSeconds: 1, count: warm + frames + 5, warmupSeconds: 300})].map((s: {text: string}) => Buffer.from(s.text).toString());

class Sink extends EventEmitter {
	columns = 120;
	rows = 40;
	writable = true;
	writableLength = 0;
	bytes = 0;
	write(chunk: string): boolean {
		this.bytes += chunk.length;
		return true;
	}
}
const sink = new Sink();
const writer = new FrameWriter(sink, {direct: true, minIntervalMs: 0});
const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
let i = 0;
const t0 = Date.now();
const ingest = () => {
	const text = texts[i]!;
	store.ingest(0, {target: 'sim', t: t0 + i * 1000, text, durationMs: 1, bytes: text.length});
	i++;
};
for (let k = 0; k < 60; k++) ingest();
const app = render(createElement(App, {store, controls: liveControls(store), options: {color: true, ascii: false, lang: 'en'}, frameSink: (lines: readonly string[]) => writer.show(lines)}));
Object.defineProperty(app.stdout, 'columns', {value: 120, configurable: true});
Object.defineProperty(app.stdout, 'rows', {value: 40, configurable: true});
app.stdout.emit('resize');
const tick = () => new Promise<void>(done => setImmediate(() => setTimeout(done, 0)));
await tick();
await tick();
for (; i < warm; ) {
	ingest();
	await tick();
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true});
const written = sink.bytes;
for (let k = 0; k < frames; k++) {
	ingest();
	await tick();
}
const {profile} = (await session.post('HeapProfiler.stopSampling')) as {profile: {head: Node}};
interface Node {
	selfSize: number;
	children: Node[];
}
let total = 0;
const walk = (node: Node): void => {
	total += node.selfSize;
	node.children.forEach(walk);
};
walk(profile.head);
console.log(`${root}: ${(total / frames / 1024).toFixed(1)} KB allocated per scrape (Store ingest, Overview 120x40 composed in direct mode, frame diffed), ${((sink.bytes - written) / frames).toFixed(0)} characters written per scrape; ${frames} scrapes after ${warm}`);
if (out) writeFileSync(out, JSON.stringify(profile));
app.unmount();
process.exit(0);
