/**
 * The class, not the cases: everything fdtop prints in Chinese (`--lang zh`) holds no run of
 * English words. Every demo's `--once` text, `compare --once`, the common usage errors, and every
 * TUI view (ink-testing-library, fed a whole demo recording so diagnoses, events and the version
 * evidence are on screen) are swept; what is left after the allowed tokens are taken out must
 * hold no ASCII word of two letters or more.
 *
 * Allowed, by the rule of issue 15 §5 ("metric names, units and key names stay"), and derived
 * where there is a source for them: the catalog's metric titles, keys and wire names, identifiers
 * (a word with `_`, `:`, `.` or `/` in it: metric and setting names, files, units like tok/s),
 * flags, URLs, numbers and versions, and a short list of units, acronyms, key names and product
 * names. `check`, `report` and `--alert` are another lane's and left out.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {appendFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {CATALOG, specHeadEntry} from '../source/metrics/catalog.js';
import {SLO_ALIASES} from '../source/metrics/slo-objective.js';
import {parseCli} from '../source/config.js';
import {loadBaseline} from '../source/compare-command.js';
import {ROOT, runCli} from './helpers/cli.js';
import {msgs} from '../source/i18n/index.js';
import {appPerTest, buildStore, renderApp, stripAnsi, type BuiltStore} from './ui/helpers.js';

const DEMOS = ['burst-2.3', 'kv-pressure-2.3', 'kv-pressure-newest', 'overload-2.0', 'overload-2.3', 'restart-2.0', 'restart-2.3', 'steady-2.0', 'steady-2.3'];

/** Whole phrases that stay: the catalog's display titles of metrics (`E2E latency`, `Prompt length`), longest first. */
const PHRASES = [...new Set([...CATALOG, ...Array.from({length: 8}, (_, head) => specHeadEntry(head)!)].map(e => e.title))].sort((a, b) => b.length - a.length);

/** Words that stay: the catalog's keys and wire names, units, acronyms, key names, product and test names. */
const WORDS = new Set([
	...CATALOG.flatMap(e => [e.key, e.unit, ...Object.values(e.wire).flat()]),
	// The metric names an objective or alert rule takes (`--slo queue<=1s:99%`).
	...Object.keys(SLO_ALIASES),
	// Units and their prefixes.
	'ms', 'min', 'tok', 'req', 'obs', 'KiB', 'MiB', 'GiB', 'KB', 'MB', 'GB', 'UTC',
	// Acronyms of the domain.
	'GPU', 'CPU', 'KV', 'SSD', 'PD', 'ZMQ', 'HTTP', 'TTFT', 'TPOT', 'SLO', 'API', 'TLS', 'JSON', 'URL', 'TTY', 'SSH', 'PID', 'E2E',
	// Product, command, engine and statistics names.
	'fdtop', 'compare', 'check', 'report', 'config', 'FastDeploy', 'fastdeploy', 'vLLM', 'vllm', 'SGLang', 'sglang', 'Prometheus', 'PromQL', 'Welch', 'demo',
	// Prometheus' own words (docs/i18n.md: not messages).
	'HELP', 'TYPE', 'le', 'counter', 'gauge', 'Gauge', 'histogram', 'summary', 'untyped', 'Inf', 'NaN',
	// Key names.
	'Esc', 'PgUp', 'PgDn', 'Tab', 'Enter', 'Ctrl', 'Shift', 'Space', 'space', 'Home', 'End', 'fg',
	// Loanwords the Chinese catalog keeps on purpose (in the middle of Chinese: 首 token、prefill 慢、shell).
	'token', 'Token', 'prefill', 'decode', 'prompt', 'worker', 'swap', 'shell', 'README',
]);

/** The English left in `text` once the allowed tokens are out: one entry per offending line. */
export function englishLeft(text: string): string[] {
	const out: string[] = [];
	for (const raw of stripAnsi(text).split('\n')) {
		let line = raw;
		for (const phrase of PHRASES) line = line.split(phrase).join(' ');
		line = line
			.replace(/\bHELP\b.*$/, ' ') // the server's HELP text (Explorer): its words, not fdtop's
			.replace(/"[^"]*"/g, ' ') // what the user typed, quoted back in an error
			.replace(/'[^']*'/g, ' ') // shell input, quoted: an example to type ('e2e <= 30s for 95%')
			.replace(/[A-Za-z]+…/g, ' ') // a name cut at the edge of a cell
			.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ') // URLs
			.replace(/(?<!\S)\/\S+/g, ' ') // absolute paths
			.replace(/`[^`]*`/g, ' ') // code
			.replace(/\b[a-z0-9]+(?:-[a-z0-9]+)+\b/g, ' ') // ids: diagnosis ids, demo names (kv-pressure-newest)
			.replace(/(?<![\w-])--?[a-zA-Z][\w-]*(=\S*)?/g, ' ') // flags
			.replace(/\S*[A-Za-z0-9][_:./][A-Za-z0-9]\S*/g, ' ') // identifiers: metric and setting names, files, tok/s, 2.3+
			.replace(/(?<![A-Za-z])p\d+(\.\d+)?\b/g, ' ') // percentiles
			.replace(/\d[\w.]*/g, ' '); // numbers, sizes (1.5k, 2M, 1e-12)
		const words = (line.match(/[A-Za-z][A-Za-z']+/g) ?? []).filter(w => !WORDS.has(w));
		if (words.length > 0) out.push(`${words.join(' ')}   ← ${raw.trim()}`);
	}
	return out;
}

function assertChinese(text: string, what: string): void {
	assert.ok(/\p{Script=Han}/u.test(text), `${what}: no Chinese at all:\n${text}`);
	const left = englishLeft(text);
	assert.deepEqual(left, [], `${what}: English words in the Chinese output:\n${left.join('\n')}`);
}

describe('the sweep finds English (a check of the checker)', () => {
	test('a sentence is found; metric titles, names, flags, units and numbers are not', () => {
		assert.deepEqual(englishLeft('注：E2E latency 的 p99 是 1.5 s（fastdeploy:request_success_total、max_num_seqs、--window 5m、tok/s、http://h:8000/metrics）'), []);
		assert.equal(englishLeft('事件：diagnosis cleared：Requests queue 51.1 s on average').length, 1);
		assert.equal(englishLeft('FastDeploy 版本：2.0? (likely)').length, 1);
	});
});

describe('the CLI in Chinese', () => {
	for (const demo of DEMOS) {
		test(`--demo ${demo} --once`, async () => {
			const r = await runCli(['--demo', demo, '--once', '--lang', 'zh']);
			assert.equal(r.code, 0, r.stderr);
			assertChinese(r.stdout + r.stderr, `--demo ${demo} --once`);
		});
	}
	test('compare --once, recordings and demos', async () => {
		for (const sides of [['demo:steady', 'demo:overload'], ['demo:restart-2.3', 'demo:kv-pressure-newest']]) {
			const r = await runCli(['compare', ...sides, '--once', '--lang', 'zh']);
			assert.equal(r.code, 0, r.stderr);
			assertChinese(r.stdout + r.stderr, `compare ${sides.join(' ')}`);
			// A side's parts are joined with the Chinese comma, as the catalog's own parts are.
			for (const side of r.stdout.split('\n').filter(l => /^[AB] {2}/.test(l))) assert.doesNotMatch(side, /, /, side);
		}
	});
	test('what fdtop wrote: --record and export', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'fdtop-sweep-'));
		try {
			const rec = join(dir, 'run.jsonl');
			const record = await runCli(['--once', '--record', rec, `${ROOT}test/fixtures/fastdeploy-2.3.txt`, '--lang', 'zh']);
			assert.equal(record.code, 0, record.stderr);
			assertChinese(record.stderr, '--record');
			const exported = await runCli(['export', rec, '-o', join(dir, 'run.om')], {LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: ''});
			assert.equal(exported.code, 0, exported.stderr);
			assertChinese(exported.stderr, 'export');
			// A replay that skips a torn line says so.
			appendFileSync(rec, '{"i":9,"t":\n');
			const replayed = await runCli(['--once', rec, '--lang', 'zh']);
			assert.match(replayed.stderr, /\S/, 'a line about the torn record');
			assertChinese(replayed.stderr, 'replay with a torn line');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
	test('common usage errors', async () => {
		const cases = [
			['--once', '--windwo', '5m'],
			['--once', '-w', 'soon'],
			['--once', '-i', '5h'],
			['--once', '--slo', 'ttft'],
			['--demo', 'no-such-demo', '--once'],
			['compare'],
			['compare', 'demo:steady'],
			['compare', 'demo:steady', 'demo:overload', 'demo:burst-2.3'],
			['compare', 'demo:steady', 'demo:overload', '--alpha', '2'],
			['compare', 'demo:steady', 'demo:overload', '--windows', '1'],
			['compare', 'nosuch.jsonl.gz', 'demo:overload'],
		];
		for (const args of cases) {
			const r = await runCli([...args, '--lang', 'zh']);
			assert.notEqual(r.code, 0, `${args.join(' ')}: ${r.stdout}`);
			// The error itself; the usage text some errors add after it is --help's (English: not swept here).
			assertChinese(r.stderr.split('\n\n  Usage')[0]!, `fdtop ${args.join(' ')}`);
		}
	});
});

/** The scrapes' texts of a demo recording, oldest first. */
function demoTexts(demo: string): string[] {
	const lines = gunzipSync(readFileSync(`${ROOT}demo/recordings/${demo}.jsonl.gz`)).toString('utf8').split('\n');
	return lines.filter(line => line.includes('"text"')).map(line => (JSON.parse(line) as {text: string}).text);
}

const lastText = (demo: string) => demoTexts(demo).at(-1)!;

/** A store fed every scrape of a demo recording, as a replay would. */
function demoStore(demo: string, options: Parameters<typeof buildStore>[0] = {}): BuiltStore {
	const built = buildStore({...options, scrapes: 0});
	for (const text of demoTexts(demo)) built.ingest(text);
	return built;
}

const app = appPerTest();

/** Keys from the Overview to each view and overlay: 1–8, 0 (Fleet), e (Explain), ? (Help). */
const VIEWS: readonly (readonly [string, readonly string[]])[] = [
	['Overview', []],
	['Latency', ['2']],
	['Tokens', ['3']],
	['Cache', ['4']],
	['Explorer', ['5']],
	['SLO', ['6']],
	['Compare', ['7']],
	['Events', ['8']],
	['Fleet', ['0']],
	['Explain', ['e']],
	['Explain on Latency', ['2', 'e']],
	['Help', ['?']],
];

describe('every TUI view in Chinese', () => {
	test('Events, a target down and back (its error in Chinese)', async () => {
		const built = demoStore('steady-2.3');
		built.fail(msgs('en').errors.refused);
		built.ingest(lastText('steady-2.3'));
		const r = (app.open = await renderApp(built.store, {columns: 120, rows: 40, lang: 'zh'}));
		await r.press('8');
		await r.press('j');
		const frame = await r.waitFor(f => f.includes('目标掉线'), 'the down event');
		assertChinese(frame, 'Events with a down target');
	});

	for (const demo of ['overload-2.0', 'kv-pressure-newest', 'restart-2.3']) {
		for (const [view, keys] of VIEWS) {
			test(`${view}, ${demo}`, async () => {
				const built = demoStore(demo);
				// As `fdtop --baseline demo:steady-2.3` makes it: the sides named by fdtop (baseline …, live …).
				const baseline = await loadBaseline(parseCli(['--baseline', 'demo:steady-2.3'], {}, 'test').config, built.store);
				assert.ok(typeof baseline !== 'string', String(baseline));
				const r = (app.open = await renderApp(built.store, {columns: 120, rows: 40, lang: 'zh', baseline}));
				for (const key of keys) await r.press(key);
				await r.waitFor(f => /\p{Script=Han}/u.test(f), `${view} drawn`);
				assertChinese(r.frame(), `${view} (${demo})`);
			});
		}
	}
});
