/**
 * Render cost per frame of each view at 80x24 and 200x60: the real App (source/ui/app.tsx) under
 * ink-testing-library (Ink's debug mode: every commit renders and writes at once, unthrottled),
 * NODE_ENV=production as source/ui/run.tsx sets it. A frame is one scrape ingested into the Store
 * (simulator, FastDeploy 2.3, steady) and everything React and Ink then do synchronously: the
 * time includes the Store's own ingest (parse + snapshot + derive), measured alone and shown
 * separately. Ink nodes = nodes in Ink's DOM (boxes, texts, virtual texts, text leaves).
 *
 * Run: npm run bench:render [-- --frames 60]
 */
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {generateScrapes} from '../demo/sim/generate.js';
import {liveControls} from '../source/controls.js';
import {Store} from '../source/store.js';
import {machine, markdownTable, median} from './common.js';

export interface RenderRow {
	/** `ink`: the frame through Ink's output stage; `direct`: the App's lines to a frame sink (the live TTY path). */
	readonly mode: 'ink' | 'direct';
	readonly view: string;
	readonly size: string;
	readonly msPerFrame: number;
	readonly p90: number;
	readonly ingestMs: number;
	readonly nodes: number;
	readonly bytesPerFrame: number;
}

interface InkNode {
	readonly childNodes?: readonly InkNode[];
}

function countNodes(node: InkNode | undefined): number {
	if (!node) return 0;
	let n = 1;
	for (const child of node.childNodes ?? []) n += countNodes(child);
	return n;
}

const VIEWS: readonly (readonly [string, string])[] = [
	['overview', '1'],
	['latency', '2'],
	['tokens', '3'],
	['cache', '4'],
	['explorer', '5'],
	['help', '?'],
	['explain', 'e'],
];

export async function measureRender(frames: number, sizes: readonly (readonly [number, number])[], modes: readonly ('ink' | 'direct')[] = ['ink', 'direct']): Promise<RenderRow[]> {
	process.env['NODE_ENV'] = 'production';
	const [{render}, {createElement}, {App}] = await Promise.all([import('ink-testing-library'), import('react'), import('../source/ui/app.js')]);
	// Ink's instance map is not exported; a file URL reaches it past the package's `exports`.
	const instancesUrl = pathToFileURL(fileURLToPath(new URL('../node_modules/ink/build/instances.js', import.meta.url))).href;
	const instances = (await import(instancesUrl) as {default: WeakMap<object, {rootNode?: InkNode}>}).default;
	const warm = 70;
	const texts = [...generateScrapes({scenario: 'steady', era: '2.3', seed: 3, intervalSeconds: 1, count: warm + frames * VIEWS.length * sizes.length + 10, warmupSeconds: 300})].map(s => s.text);

	// The Store's own cost per scrape, without a UI subscribed.
	const bare = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
	const ingestTimes: number[] = [];
	for (let i = 0; i < texts.length; i++) {
		const t0 = performance.now();
		bare.ingest(0, {target: 'sim', t: i * 1000, text: texts[i]!, durationMs: 1, bytes: texts[i]!.length});
		if (i >= warm) ingestTimes.push(performance.now() - t0);
	}
	const ingestMs = median(ingestTimes);

	const tick = () => new Promise<void>(resolve => setImmediate(() => setTimeout(resolve, 0)));
	const rows: RenderRow[] = [];
	for (const [mode, [columns, height]] of modes.flatMap(m => sizes.map(size => [m, size] as const))) {
		// Direct mode: what source/ui/run.tsx does in a terminal (lines to the FrameWriter, Ink's tree empty).
		const sunk: string[] = [];
		const frameSink = mode === 'direct' ? (lines: readonly string[]) => void sunk.push(lines.join('\n')) : undefined;
		const frameCount = () => (mode === 'direct' ? sunk.length : app.frames.length);
		const lastFrame = () => (mode === 'direct' ? sunk.at(-1) : app.frames.at(-1));
		const store = new Store({targets: [{name: 'sim', location: 'sim'}], intervalMs: 1000, windowMs: 60_000});
		let i = 0;
		const ingest = () => {
			const text = texts[i]!;
			store.ingest(0, {target: 'sim', t: i * 1000, text, durationMs: 1, bytes: text.length});
			i++;
		};
		for (; i < warm; ) ingest();
		const app = render(createElement(App, {store, controls: liveControls(store), options: {color: true, ascii: false, lang: 'en'}, frameSink}));
		Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: height, configurable: true});
		app.stdout.emit('resize');
		await tick();
		await tick();
		for (const [view, key] of VIEWS) {
			app.stdin.write(key);
			await tick();
			await tick();
			// A few frames to settle the view (first render of new components).
			for (let k = 0; k < 3; k++) {
				ingest();
				await tick();
			}
			const times: number[] = [];
			let bytes = 0;
			for (let k = 0; k < frames; k++) {
				const before = frameCount();
				const t0 = performance.now();
				ingest();
				// Ink in legacy mode renders synchronously inside the store's notification; wait if not.
				while (frameCount() === before) await new Promise<void>(resolve => setImmediate(resolve));
				times.push(performance.now() - t0);
				bytes += Buffer.byteLength(lastFrame() ?? '');
				await tick();
			}
			const nodes = countNodes(instances.get(app.stdout)?.rootNode);
			const sorted = [...times].sort((a, b) => a - b);
			rows.push({mode, view, size: `${columns}x${height}`, msPerFrame: median(times), p90: sorted[Math.floor(sorted.length * 0.9)]!, ingestMs, nodes, bytesPerFrame: bytes / frames});
			// Leave help/explain before the next view.
			if (view === 'help' || view === 'explain') {
				app.stdin.write('\u001b');
				await tick();
				await tick();
			}
		}
		app.unmount();
	}
	return rows;
}

export function renderTable(rows: readonly RenderRow[]): string {
	return markdownTable(
		['mode', 'view', 'size', 'ms per frame (ingest + render), median', 'p90', 'of which Store ingest', 'render only (est.)', 'Ink nodes', 'frame KB (full, colours)'],
		rows.map(r => [r.mode, r.view, r.size, r.msPerFrame.toFixed(2), r.p90.toFixed(2), r.ingestMs.toFixed(2), Math.max(0, r.msPerFrame - r.ingestMs).toFixed(2), String(r.nodes), (r.bytesPerFrame / 1000).toFixed(1)]),
	);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {frames: {type: 'string', default: '60'}, mode: {type: 'string', default: 'ink,direct'}}});
	const rows = await measureRender(Number(values.frames), [
		[80, 24],
		[200, 60],
	], values.mode.split(',') as ('ink' | 'direct')[]);
	console.log(`${machine()}\nMethod: App under ink-testing-library (debug mode, every commit rendered; mode ink = frame through Ink's output stage, mode direct = App's lines to a frame sink as in a terminal), NODE_ENV=production; one frame = one simulator scrape ingested; median of ${values.frames} frames per view after 70 warm-up scrapes.\n`);
	console.log(renderTable(rows));
}
