/** Issue 14 §4, the rough edges a new user meets, through the whole app (ink-testing-library). */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {Replay} from '../../source/sources/replay.js';
import {Store} from '../../source/store.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {appPerTest, buildStore, fixture, frameFits, renderApp, scaleCumulative, type Rendered} from './helpers.js';

const ENTER = '\r';

const app = appPerTest();
const start = app.start;

describe('Explorer filter', () => {
	for (const [needle, family] of [
		['ttft', 'fastdeploy:time_to_first_token_seconds'],
		['tpot', 'fastdeploy:time_per_output_token_seconds'],
		['kv', 'fastdeploy:gpu_cache_usage_perc'],
		['KV cache', 'fastdeploy:gpu_cache_usage_perc'],
	] as const) {
		test(`/${needle} finds ${family} by the catalog's key or title, not only by name`, async () => {
			const {r} = await start();
			await r.press('5');
			await r.press(`/${needle}${ENTER}`);
			await r.waitFor(f => /match/.test(f), 'the filter applied');
			assert.match(r.frame(), new RegExp(family.replace(/[:.]/g, '\\$&')));
			assert.doesNotMatch(r.frame(), /no match/);
		});
	}
});

/** Targets by name; `down`: every scrape fails; `silent`: never scraped (connecting). */
function fleetStore(specs: readonly {name: string; down?: boolean; silent?: boolean; growth?: number}[]): Store {
	const location = (i: number) => `http://10.0.0.${i + 1}:8001/metrics`;
	const store = new Store({targets: specs.map((s, i) => ({name: s.name, location: location(i)})), intervalMs: 1000, windowMs: 60_000});
	const text = fixture('fastdeploy-2.3.txt');
	for (let k = 0; k < 6; k++) {
		const t = 1_700_000_000_000 + k * 1000;
		specs.forEach((s, i) => {
			if (s.silent) return;
			if (s.down) store.ingest(i, {target: location(i), t, error: `${location(i)}: connection refused (is the server running?)`, durationMs: 1, bytes: 0});
			else store.ingest(i, {target: location(i), t, text: scaleCumulative(text, 1 + (s.growth ?? 0.05) * k), durationMs: 3, bytes: text.length});
		});
	}
	return store;
}

const rowsOf = (r: Rendered) => r.lines().filter(l => /^(alpha|zeta|mid|down-host|quiet) /.test(l));

describe('Fleet view', () => {
	test('starts with the first row as shown selected, not the first argument', async () => {
		app.open = await renderApp(fleetStore([{name: 'zeta'}, {name: 'alpha'}]), {columns: 120, rows: 30});
		const r = app.open;
		assert.match(rowsOf(r)[0]!, /^alpha /, 'sorted by name, alpha comes first');
		assert.match(r.lines().at(-2)!, /^http:\/\/10\.0\.0\.2:8001\/metrics/, 'the footer names the selected row: alpha, the first row');
		await r.press(ENTER);
		await r.waitFor(f => /Time per request/.test(f), 'the overview');
		assert.match(r.lines()[0]!, /^fdtop {2}alpha /, 'Enter opens the first row');
	});

	test('a DOWN row says why without being selected; connecting is written whole', async () => {
		for (const columns of [120, 80]) {
			app.open = await renderApp(fleetStore([{name: 'alpha'}, {name: 'down-host', down: true}, {name: 'quiet', silent: true}]), {columns, rows: 24});
			const rows = rowsOf(app.open);
			const down = rows.find(l => l.startsWith('down-host'))!;
			assert.match(down, /DOWN +connection refused/, `${columns} columns: the reason on the row`);
			const quiet = rows.find(l => l.startsWith('quiet'))!;
			assert.match(quiet, / connecting /, `${columns} columns: not cut to conn…`);
			app.open.unmount();
			app.open = null;
		}
	});

	test('S reverses the sort order, marked in the title and the column header', async () => {
		app.open = await renderApp(fleetStore([{name: 'alpha', growth: 0.01}, {name: 'mid', growth: 0.05}, {name: 'zeta', growth: 0.1}]), {columns: 120, rows: 30});
		const r = app.open;
		const order = () => rowsOf(r).map(l => l.split(' ')[0]);
		assert.deepEqual(order(), ['alpha', 'mid', 'zeta']);
		await r.press('S');
		assert.deepEqual(order(), ['zeta', 'mid', 'alpha'], 'name, descending');
		assert.match(r.lines()[2]!, /sorted by name, reversed/);
		assert.match(r.lines()[3]!, /endpoint↓/);
		await r.press('s');
		assert.match(r.lines()[2]!, /sorted by req\/s /);
		assert.match(r.lines()[3]!, /req\/s↓/, 'a new column starts in its usual order');
		const busiestFirst = order();
		await r.press('S');
		assert.deepEqual(order(), [...busiestFirst].reverse(), 'req/s, ascending');
		assert.match(r.lines()[3]!, /req\/s↑/);
	});
});

describe('ASCII in the TUI', () => {
	const NON_ASCII = /[^\x00-\x7f]/u;
	const check = (frame: string, where: string, columns: number, rows: number) => {
		const i = frame.search(NON_ASCII);
		assert.equal(i, -1, `${where}: ${JSON.stringify(frame[i])} in ${JSON.stringify(frame.slice(Math.max(0, i - 40), i + 40))}`);
		assert.equal(frameFits(frame, columns, rows), null, where);
	};
	for (const [columns, rows] of [[120, 40], [80, 24], [70, 24]] as const) {
		test(`every view, Help and Explain, one target and a fleet, at ${columns}x${rows}: nothing outside ASCII`, async () => {
			for (const store of [buildStore().store, fleetStore([{name: 'alpha'}, {name: 'down-host', down: true}, {name: 'quiet', silent: true}])]) {
				app.open = await renderApp(store, {columns, rows, ascii: true});
				const r = app.open;
				for (const key of ['0', '1', '2', '3', '4', '5']) {
					await r.press(key);
					check(r.raw(), `view ${key}`, columns, rows);
					for (const overlay of ['?', 'e']) {
						await r.press(overlay);
						check(r.raw(), `view ${key} overlay ${overlay}`, columns, rows);
						await r.press(overlay);
					}
				}
				await r.press('5');
				await r.press(ENTER);
				check(r.raw(), 'a family opened', columns, rows);
				app.open.unmount();
				app.open = null;
			}
		});
	}
});

describe('r in a replay', () => {
	test('r shows the next recorded scrape now and the replay keeps playing, as Help says', async () => {
		const file = fileURLToPath(new URL('../../demo/recordings/steady-2.3.jsonl.gz', import.meta.url));
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'demo', location: 'http://127.0.0.1:8000/metrics'}], intervalMs: 1000, windowMs: 60_000, clock, mode: {kind: 'replay', demo: 'steady-2.3', file, speed: 1, loop: false, position: 0, total: null, finished: false}});
		const replay = new Replay(store, {file, speed: 1, loop: false, demo: 'steady-2.3', clock});
		await replay.start();
		app.open = await renderApp(store, {columns: 120, rows: 40, controls: replay});
		const r = app.open;
		const scrapes = () => store.getSnapshot().targets[0]!.scrapes;
		const before = scrapes();
		await r.press('r');
		await clock.advance(0);
		assert.equal(scrapes(), before + 1, 'the next scrape, now');
		assert.equal(store.getSnapshot().paused, false, 'not paused');
		assert.doesNotMatch(r.frame(), /PAUSED/);
		await clock.advance(3000);
		assert.ok(scrapes() >= before + 3, 'and it plays on');
		await r.press('?');
		const help = r.lines().find(l => / r {9}/.test(l)) ?? '';
		assert.match(help, /r +scrape now \(replay: the next one\)/, 'Help says what r does in a replay');
		replay.stop();
	});
});

describe('Help', () => {
	test('at 120x40 every key description is written whole, for one target and a fleet', async () => {
		const {KEYMAP, isActive} = await import('../../source/ui/keymap.js');
		for (const [store, targets] of [[buildStore().store, 1], [fleetStore([{name: 'alpha'}, {name: 'zeta'}]), 2]] as const) {
			app.open = await renderApp(store, {columns: 120, rows: 40});
			await app.open.press('?');
			const frame = app.open.frame();
			for (const b of KEYMAP.filter(b => isActive(b, {replay: false, targets}))) assert.ok(frame.includes(b.help), `"${b.help}" whole in\n${frame}`);
			app.open.unmount();
			app.open = null;
		}
	});
});

/** The fixture with these families present but never observed (every sample 0). */
function zeroed(names: readonly string[]): string {
	return fixture('fastdeploy-2.3.txt')
		.split('\n')
		.map(line => (names.some(n => line.startsWith(`${n}_`) || line.startsWith(`${n} `) || line.startsWith(`${n}{`)) ? line.replace(/ \S+$/, ' 0') : line))
		.join('\n');
}

const DECODE_SIDE = ['fastdeploy:time_per_output_token_seconds', 'fastdeploy:request_queue_time_seconds', 'fastdeploy:request_decode_time_seconds', 'fastdeploy:request_inference_time_seconds'];

describe('e explains', () => {
	test('TPOT, Queue, Decode and Inference read all zero: Explain gives each its reason', async () => {
		const {r} = await start({columns: 100, rows: 200}, zeroed(DECODE_SIDE));
		await r.press('2');
		assert.match(r.frame(), /TPOT +all zero since start/);
		await r.press('e');
		const frame = r.frame();
		for (const title of ['TPOT', 'Queue', 'Decode', 'Inference']) {
			const section = frame.slice(frame.search(new RegExp(`^${title} .*all zero since start`, 'm')));
			assert.ok(section.length < frame.length, `${title} is in Explain`);
			const own = section.split(/\n\n/)[0]!;
			assert.match(own, /It reads all zero now:\n {2}\S/, `${title} says why it reads zero:\n${own}`);
		}
	});

	test('a family this server does not report says why it may be absent', async () => {
		const {r} = await start({columns: 100, rows: 200});
		await r.press('4');
		await r.press('e');
		const frame = r.frame();
		const section = frame.slice(frame.search(/^Max CPU blocks .*not reported by this server/m)).split(/\n\n/)[0]!;
		assert.match(section, /Why it can be absent:\n {2}\S/, section);
	});
});

describe('Time per request with empty phase histograms', () => {
	test('requests complete but queue/prefill/decode are all zero: says so and why, not "no requests observed yet"', async () => {
		const {r} = await start({columns: 120, rows: 40}, zeroed(['fastdeploy:request_queue_time_seconds', 'fastdeploy:request_prefill_time_seconds', 'fastdeploy:request_decode_time_seconds']));
		const frame = r.frame();
		assert.match(frame, /done\/s/);
		assert.doesNotMatch(frame, /no requests observed yet/);
		assert.match(frame, /queue, prefill and decode histograms are empty since start .*requests? complete/);
		assert.match(frame, /FastDeploy 2\.3/, 'the version the reason is read for');
	});
});

describe('one label, one number', () => {
	test('a rate has one format whatever its value: 8 is 8.00 beside 7.60, 11 is 11.0 beside 11.5', async () => {
		const {formatRate} = await import('../../source/format.js');
		assert.equal(formatRate(8, ''), '8.00');
		assert.equal(formatRate(7.6, ''), '7.60');
		assert.equal(formatRate(11, ''), '11.0');
		assert.equal(formatRate(0, ''), '0.00');
		assert.equal(formatRate(1234, ''), '1.23k');
	});

	test('Overview: the tiles are window means, the Trends figure is the last scrape, and each says so', async () => {
		const {r} = await start({columns: 120, rows: 40});
		const frame = r.frame();
		assert.match(frame, /^req\/s /m);
		assert.match(frame, /^Trends .*figure: the last scrape \(tiles above: means over 1 m\)/m, 'Trends says what its figure is, and what the tiles are');
	});

	test('Fleet: a 2.0 server (no arrivals counter) is not counted under req/s', async () => {
		const location = (i: number) => `http://10.0.0.${i + 1}:8001/metrics`;
		const store = new Store({targets: [{name: 'new', location: location(0)}, {name: 'old', location: location(1)}], intervalMs: 1000, windowMs: 60_000});
		for (let k = 0; k < 6; k++) {
			const t = 1_700_000_000_000 + k * 1000;
			store.ingest(0, {target: location(0), t, text: scaleCumulative(fixture('fastdeploy-2.3.txt'), 1 + 0.05 * k), durationMs: 1, bytes: 1});
			store.ingest(1, {target: location(1), t, text: scaleCumulative(fixture('fastdeploy-2.0.txt'), 1 + 0.05 * k), durationMs: 1, bytes: 1});
		}
		app.open = await renderApp(store, {columns: 120, rows: 30});
		const lines = app.open.lines();
		const header = lines.find(l => /^endpoint/.test(l))!;
		assert.match(header, /req\/s/);
		const old = lines.find(l => l.startsWith('old '))!;
		assert.match(old, /started\/s|\bst\b|\*/, `the 2.0 row marks its figure as first tokens per second: ${old}`);
		assert.match(app.open.frame(), /started\/s/, 'and the view says what that mark means');
	});
});

describe('header', () => {
	test('a demo: named once, speed and progress in words, and the line keeps its layout as the replay plays', async () => {
		const file = fileURLToPath(new URL('../../demo/recordings/burst-2.3.jsonl.gz', import.meta.url));
		const clock = new FakeClock();
		const store = new Store({targets: [{name: 'demo burst-2.3', location: 'http://demo-burst-2.3:8000/metrics'}], intervalMs: 1000, windowMs: 60_000, clock, mode: {kind: 'replay', demo: 'burst-2.3', file, speed: 1, loop: true, position: 0, total: null, finished: false}});
		const replay = new Replay(store, {file, speed: 1, loop: true, demo: 'burst-2.3', clock});
		await replay.start();
		app.open = await renderApp(store, {columns: 120, rows: 40, controls: replay});
		const r = app.open;
		const heads: string[] = [];
		for (let i = 0; i < 12; i++) {
			await clock.advance(1000);
			await r.waitFor(() => true);
			heads.push(r.lines()[0]!);
		}
		for (const head of heads) {
			assert.equal(head.match(/burst-2\.3/g)?.length, 1, `the demo named once: ${head}`);
			assert.match(head, /DEMO burst-2\.3 {2}speed 1x {2}scrape +\d+/);
			assert.doesNotMatch(head, /×1|\(\d+ s\)/, 'no unexplained tokens');
		}
		const layout = (head: string) => ['●', 'DEMO', 'speed', 'scrape', 'fastdeploy', 'every', 'window', 'covered'].map(word => head.indexOf(word)).join(' ');
		assert.equal(new Set(heads.map(layout)).size, 1, `one layout:\n${heads.join('\n')}`);
		replay.stop();
	});

	test('at 80x24 the tab bar keeps ? help and q quit, for one target and a fleet, and e explain for one target', async () => {
		for (const [store, explain] of [[buildStore().store, true], [fleetStore([{name: 'alpha'}, {name: 'zeta'}]), false]] as const) {
			app.open = await renderApp(store, {columns: 80, rows: 24});
			assert.match(app.open.lines()[1]!, explain ? /\? help {2}e explain {2}q quit$/ : /\? help {2}q quit$/);
			app.open.unmount();
			app.open = null;
		}
	});
});
