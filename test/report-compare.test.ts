/**
 * `fdtop report A --compare B` joined to `fdtop compare` (issue 17 §1 and §3): the page's
 * Comparison is the command's (figures, change, tests, p-values, "no difference detectable with N
 * requests") and its distributions the comparison's bins; each side's events stand beside its
 * figures. Both run as processes on the same recordings.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync, gzipSync} from 'node:zlib';
import {ROOT, runCli} from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fdtop-report-compare-'));
const STEADY = join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz');
const OVERLOAD = join(ROOT, 'demo', 'recordings', 'overload-2.3.jsonl.gz');
const RESTART = join(ROOT, 'demo', 'recordings', 'restart-2.3.jsonl.gz');

interface CompareJson {
	a: {events: {time: string; kind: string; title: string}[]};
	b: {events: {time: string; kind: string; title: string}[]};
	figures: {id: string; significant: boolean; pValue?: number}[];
	distributions: {key: string; requestsA: number; requestsB: number; bins: {lo: number; hi: number | null; shareA: number; shareB: number}[]}[];
}

async function compareJson(a: string, b: string): Promise<CompareJson> {
	const r = await runCli(['compare', a, b, '--json']);
	assert.equal(r.code, 0, r.stderr);
	return (JSON.parse(r.stdout) as {compare: CompareJson}).compare;
}

async function page(a: string, b: string): Promise<{html: string; data: {comparison: CompareJson | null; distributions: {key: string; bounds: (number | null)[]; columns: {count: number; shares: number[]}[]}[]}}> {
	const out = join(dir, `r-${Math.random().toString(36).slice(2)}.html`);
	const r = await runCli(['report', a, '--compare', b, '-o', out]);
	assert.equal(r.code, 0, r.stderr);
	const html = readFileSync(out, 'utf8');
	const m = /<script type="application\/json" id="fdtop-data">([^<]*)<\/script>/.exec(html);
	assert.ok(m);
	return {html, data: JSON.parse(m[1]!)};
}

/** The text of a row of the page's comparison table, by figure id. */
function row(html: string, id: string): {differs: boolean; cells: string[]} {
	const m = new RegExp(`<tr data-figure="${id.replace('.', '\\.')}"( class="differs")?>(.*?)</tr>`).exec(html);
	assert.ok(m, `a row for ${id}`);
	const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
	return {differs: m[1] !== undefined, cells: [...m[2]!.matchAll(/<td>(.*?)<\/td>/g)].map(c => decode(c[1]!))};
}

/** The steady run cut at 2 m into two recordings (the scrape at 2 m in both, as `,0/2m` and `,2m` take it). */
function halves(): [string, string] {
	const [header, ...lines] = gunzipSync(readFileSync(STEADY)).toString('utf8').split('\n').filter(Boolean);
	const t0 = (JSON.parse(lines[0]!) as {t: number}).t;
	const cut = t0 + 120_000;
	const write = (name: string, keep: (t: number) => boolean) => {
		const file = join(dir, name);
		writeFileSync(file, gzipSync(`${[header, ...lines.filter(l => keep((JSON.parse(l) as {t: number}).t))].join('\n')}\n`));
		return file;
	};
	return [write('first.jsonl.gz', t => t <= cut), write('second.jsonl.gz', t => t >= cut)];
}

describe('fdtop report --compare: the comparison of fdtop compare', () => {
	test('healthy against overloaded: the page holds fdtop compare --json\'s figures, tests and bins; TTFT and queue differ', async () => {
		const [cli, {html, data}] = await Promise.all([compareJson(STEADY, OVERLOAD), page(STEADY, OVERLOAD)]);
		assert.deepEqual(data.comparison, cli);
		for (const id of ['ttft.mean', 'queueTime.mean']) {
			const r = row(html, id);
			assert.ok(r.differs, `${id} marked as differing`);
			assert.match(r.cells[5]!, /^differs \(p [^,]+, chi-square, \d+ bins, [\d.k]+ req; window means p /);
			const f = cli.figures.find(x => x.id === id)!;
			assert.equal(f.significant, true);
		}
		// The distributions side by side are the comparison's bins.
		for (const d of cli.distributions) {
			const shown = data.distributions.find(x => x.key === d.key)!;
			assert.deepEqual(shown.bounds, d.bins.map(b => b.hi), d.key);
			assert.deepEqual(shown.columns.map(c => c.count), [d.requestsA, d.requestsB]);
			assert.deepEqual(shown.columns[0]!.shares, d.bins.map(b => b.shareA));
			assert.deepEqual(shown.columns[1]!.shares, d.bins.map(b => b.shareB));
		}
		assert.equal(data.distributions.length, cli.distributions.length);
	});

	test('two halves of one steady recording: no figure differs, "no difference detectable with N requests"', async () => {
		const [a, b] = halves();
		const [cli, {html, data}] = await Promise.all([compareJson(a, b), page(a, b)]);
		assert.deepEqual(data.comparison, cli);
		assert.deepEqual(cli.figures.filter(f => f.significant).map(f => f.id), []);
		assert.doesNotMatch(html, /class="differs"/);
		for (const id of ['ttft.mean', 'e2eLatency.mean']) assert.match(row(html, id).cells[5]!, /^no difference detectable with [\d.k]+ requests \(p /);
		assert.equal(row(html, 'queueTime.mean').differs, false);
	});

	test("each side's events beside its figures: in fdtop compare's text and JSON, and in the page", async () => {
		const cli = await compareJson(STEADY, RESTART);
		assert.deepEqual(cli.a.events, []);
		assert.deepEqual(
			cli.b.events.map(e => [e.time, e.kind]),
			[['2025-12-01T00:04:30.000Z', 'restart']],
		);
		const text = await runCli(['compare', STEADY, RESTART]);
		assert.match(text.stdout, /^events A: none\nevents B: 1\n {2}2025-12-01T00:04:30Z restart: counters reset \(\d+ metrics\)$/m);
		assert.match(text.stdout, /^B {2}.*restart-2\.3\.jsonl\.gz .*, 1 restart inside\)$/m, 'the side line counts the event log\'s restarts');
		const {html} = await page(STEADY, RESTART);
		assert.match(html, /<div class="side" data-side="A"><h3>Events of A \([^)]*\): none<\/h3><\/div>/);
		assert.match(html, /<div class="side" data-side="B"><h3>Events of B \([^)]*\): 1<\/h3><ul><li>2025-12-01T00:04:30Z restart: counters reset \(\d+ metrics\)<\/li><\/ul><\/div>/);
	});
});
