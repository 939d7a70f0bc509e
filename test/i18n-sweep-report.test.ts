/**
 * The class, not the cases (issue 15 §5): under --lang zh no English sentence or word is left in
 * `fdtop report`'s page (its text and what its script draws), `fdtop check` (met, breached,
 * unknown, n too small, alert rules, bad usage) and alert rules in the --once text. Every ASCII
 * word must be an allowed token (test/helpers/english-words.ts: catalog names and titles, units,
 * flags, numbers, URLs, data from the recording, the user's own input).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {ROOT, runCli} from './helpers/cli.js';
import {englishLeft} from './helpers/english-words.js';
import {REPORT_USAGE} from '../source/report-html-cli.js';

const rec = (name: string) => `${ROOT}demo/recordings/${name}.jsonl.gz`;
const RULES = ['kv_cache >= 1% for 30s', 'rate(send_cache_failed) > 0', 'p99(ttft) > 2s for 1m', 'p99(ttft) > 20ms for 10m', 'mean(queue) > 1h'];
const OBJECTIVES = ['ttft<=2s:95%', 'tpot<=100ms:99%', 'ttft<=250ms:50%'];
const ZH = {LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: ''};

/** What a recording names itself: its targets' names and URLs, the program that recorded it. */
function recordingData(...names: string[]): string[] {
	return names.flatMap(name => {
		const head = JSON.parse(gunzipSync(readFileSync(rec(name))).toString('utf8').split('\n')[0]!) as {fdtop: string; targets: {name: string; target: string}[]};
		return [name, `${name}.jsonl.gz`, rec(name), head.fdtop, ...head.targets.flatMap(t => [t.name, t.target])];
	});
}

const decode = (s: string) =>
	s
		.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&');

/**
 * The page as a reader sees it: its text nodes (not scripts or styles), and what its script draws:
 * each chart's series labels (the data's `lines[].label` and the script's own `label:'…'`).
 */
function visibleText(html: string): string {
	const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '');
	const text = body.split(/<[^>]+>/).map(s => decode(s).trim()).filter(Boolean);
	const data = JSON.parse(html.match(/<script[^>]*id="fdtop-data"[^>]*>([\s\S]*?)<\/script>/)![1]!.replace(/\\\//g, '/')) as {charts: {title: string; lines: {label: string}[]}[]};
	const drawn = data.charts.flatMap(c => [c.title, ...c.lines.map(l => l.label)]);
	const scriptLabels = [...html.matchAll(/label:'([^']*)'/g)].map(m => m[1]!);
	return [...text, ...drawn, ...scriptLabels].join('\n');
}

const flags = (list: readonly string[], flag: string) => list.flatMap(x => [flag, x]);

test('report --lang zh: no English word in the page (SLO, alerts, comparison, charts, events)', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-sweep-'));
	try {
		const out = join(dir, 'r.html');
		const r = await runCli(['report', rec('steady-2.3'), '--compare', rec('overload-2.3'), ...flags(OBJECTIVES, '--slo'), ...flags(RULES, '--alert'), '--lang', 'zh', '-o', out]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(englishLeft(r.stderr, [out]), [], 'the line on stderr');
		const page = visibleText(readFileSync(out, 'utf8'));
		assert.deepEqual(englishLeft(page, [...recordingData('steady-2.3', 'overload-2.3'), ...RULES, ...OBJECTIVES]), []);
		const single = join(dir, 's.html');
		const s = await runCli(['report', rec('restart-2.3'), ...flags(OBJECTIVES, '--slo'), ...flags(RULES, '--alert'), '-o', single], ZH);
		assert.equal(s.code, 0, s.stderr);
		assert.deepEqual(englishLeft(visibleText(readFileSync(single, 'utf8')), [...recordingData('restart-2.3'), ...RULES, ...OBJECTIVES]), []);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('check --lang zh: met, breached, unknown, n too small, alert rules: no English word', async () => {
	const cases: [string[], number][] = [
		[['--slo', 'tpot<=1s:50%'], 0],
		[['--slo', 'tpot<=100ms:99%'], 1],
		[['--slo', 'ttft<=2s:95%'], 3],
		[['--slo', 'ttft<=2s:95%', '--whole'], 3],
		[flags(RULES, '--alert'), 1],
	];
	for (const [args, code] of cases) {
		const r = await runCli(['check', rec('overload-2.3'), ...args, '--lang', 'zh']);
		assert.equal(r.code, code, r.stdout + r.stderr);
		assert.deepEqual(englishLeft(r.stdout + r.stderr, [...recordingData('overload-2.3'), ...RULES, ...OBJECTIVES]), [], args.join(' '));
	}
	// n too small: a recording with a handful of requests in its last window.
	const few = await runCli(['check', rec('steady-2.0'), '--slo', 'e2e<=30s:95%', '-w', '2s', '--lang', 'zh']);
	assert.equal(few.code, 3, few.stdout + few.stderr);
	assert.deepEqual(englishLeft(few.stdout + few.stderr, recordingData('steady-2.0')), []);
});

test('check --lang zh: bad usage and unreadable targets say it in Chinese', async () => {
	const cases: string[][] = [
		['check', rec('steady-2.3'), '--alert', 'kv_cache >= 1 fo 30s'],
		['check', rec('steady-2.3'), '--alert', 'kv_cache > 5ms'],
		['check', rec('steady-2.3'), '--alert', 'rate(kv_cache) > 1%'],
		['check', rec('steady-2.3'), '--alert', 'nosuch > 1'],
		['check', rec('steady-2.3'), '--slo', 'ttft<=2:99%'],
		['check', rec('steady-2.3'), '--slo', 'ttft<=2s:99%', '-w', '3x'],
		['check', rec('steady-2.3'), 'nosuch>=1'],
		['check', '/nonexistent/run.jsonl', '--slo', 'ttft<=2s:99%'],
		['check', rec('steady-2.3'), rec('restart-2.3'), '--slo', 'ttft<=2s:99%'],
		['check', '--slo', 'ttft<=2s:99%'],
	];
	for (const args of cases) {
		const r = await runCli([...args, '--lang', 'zh'], {FDTOP_CONFIG: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent'});
		assert.equal(r.code, 2, `${args.join(' ')}\n${r.stdout}${r.stderr}`);
		// The input echoed is the user's own (a misspelt name, a file): each of its words may come back.
		assert.deepEqual(englishLeft(r.stderr, [...recordingData('steady-2.3', 'restart-2.3'), ...args, ...args.flatMap(a => a.split(/[^A-Za-z_]+/))]), [], args.join(' '));
	}
});

test('report --lang zh: bad usage and unreadable recordings say it in Chinese (the usage line is syntax)', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-sweep-'));
	try {
		const empty = join(dir, 'empty.jsonl');
		writeFileSync(empty, '\n');
		const cases: string[][] = [
			[rec('steady-2.3')],
			[rec('steady-2.3'), rec('restart-2.3'), '-o', join(dir, 'x.html')],
			[rec('steady-2.3'), '--bogus', '-o', join(dir, 'x.html')],
			[rec('steady-2.3'), '--alert', 'kv_cache > 5ms', '-o', join(dir, 'x.html')],
			[rec('steady-2.3'), '--slo', 'ttft<=2s:100%', '-o', join(dir, 'x.html')],
			[empty, '-o', join(dir, 'x.html')],
			[join(dir, 'none.jsonl'), '-o', join(dir, 'x.html')],
		];
		for (const args of cases) {
			const r = await runCli(['report', ...args, '--lang', 'zh']);
			assert.notEqual(r.code, 0, args.join(' '));
			// The first line: what is wrong (the whole --help after a usage error is the usage, not this message).
			const first = r.stderr.split('\n')[0]!;
			assert.deepEqual(englishLeft(first, [REPORT_USAGE, empty, ...recordingData('steady-2.3', 'restart-2.3'), ...args, ...args.flatMap(a => a.split(/[^A-Za-z_]+/))]), [], args.join(' '));
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('--once --lang zh: alert rules (firing, pending, inactive, their reasons) without English words', async () => {
	const r = await runCli(['--once', rec('overload-2.3'), ...flags(RULES, '--alert'), '--lang', 'zh']);
	assert.equal(r.code, 0, r.stderr);
	// The Alerts section: from its title to the blank line after its table.
	const lines = r.stdout.split('\n');
	const from = lines.indexOf('告警');
	assert.ok(from >= 0, r.stdout);
	const to = lines.indexOf('', from);
	const alerts = lines.slice(from, to < 0 ? undefined : to).join('\n');
	assert.ok(alerts.split('\n').length >= RULES.length + 2, alerts);
	assert.deepEqual(englishLeft(alerts, [...recordingData('overload-2.3'), ...RULES]), []);
});
