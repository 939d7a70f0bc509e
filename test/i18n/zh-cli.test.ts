/**
 * The Chinese words outside the TUI, as a user runs fdtop (the built CLI as a process): the
 * --once text report, `check`, `compare` and common errors, chosen by --lang zh or by LANG.
 * --json stays English (a contract).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {deadPort, ROOT, runCli, serve} from '../helpers/cli.js';
import {histogramText, TTFT} from '../helpers/exposition.js';

const rec = (name: string) => `${ROOT}demo/recordings/${name}.jsonl.gz`;
const ZH = {LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: ''};
const HAN = /\p{Script=Han}/u;

test('--once in Chinese (LANG and --lang): Chinese section titles and heads, no English ones', async () => {
	for (const [args, env] of [[[], ZH], [['--lang', 'zh'], {}]] as const) {
		const r = await runCli(['--once', '--demo', 'burst-2.3', '--slo', 'ttft<=2s:99%', '--alert', 'kv_cache >= 90% for 30s', ...args], env);
		assert.equal(r.code, 0, r.stderr);
		for (const title of ['SLO（窗口', '告警', '时延', '窗口', '启动以来', '均值', '在线', '有效吞吐']) assert.ok(r.stdout.includes(title), `${title} in:\n${r.stdout}`);
		for (const english of ['Alerts', 'Latency ', 'lifetime', 'obs/s     mean', 'goodput', 'attainment', 'skipped lines', 'note:', 'window 1 m', 'buckets stop at', 'cannot be judged']) assert.ok(!r.stdout.includes(english), `English "${english}" left in:\n${r.stdout}`);
	}
	const json = await runCli(['--once', '--json', '--demo', 'burst-2.3'], ZH);
	assert.ok(!HAN.test(json.stdout), '--json is never translated');
});

test('check in Chinese: table heads and verdict, the same exit code', async () => {
	const en = await runCli(['check', rec('steady-2.3'), '--slo', 'ttft<=2s:99%'], {LANG: 'C'});
	const zh = await runCli(['check', rec('steady-2.3'), '--slo', 'ttft<=2s:99%'], ZH);
	assert.equal(zh.code, en.code);
	assert.match(zh.stdout, /目标 +目标项 +达成率/);
	assert.match(zh.stdout, /结论：.*（退出码 \d）/);
	assert.ok(!/verdict|attainment/.test(zh.stdout), zh.stdout);
	const usage = await runCli(['check', rec('steady-2.3'), '--lang', 'zh']);
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /check 至少需要一个目标或告警规则/);
});

test('live check in Chinese: the progress line on stderr and the verdict, exit 0 as in English', async () => {
	const server = await serve((n, _req, res) => res.end(`${histogramText(TTFT, [['0.5', 100 + n * 100], ['+Inf', 100 + n * 100]], 50)}\n`));
	try {
		const r = await runCli(['check', server.url, '--slo', 'ttft<=500ms:90%', '-w', '2s', '--lang', 'zh']);
		assert.equal(r.code, 0, r.stderr + r.stdout);
		assert.match(r.stderr, /^fdtop check：等待 2 s 后第二次抓取（窗口 2 s）$/m);
		assert.match(r.stdout, /结论：全部达成（退出码 0）/);
	} finally {
		await server.close();
	}
});

test('compare in Chinese', async () => {
	const r = await runCli(['compare', rec('steady-2.3'), rec('overload-2.3'), '--lang', 'zh']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^fdtop 对比\n/);
	assert.match(r.stdout, /指标 +A +B +变化 +% +显著性/);
	assert.match(r.stdout, /有差异 \(p/);
	assert.ok(!/significance|differs|distributions|scrapes/.test(r.stdout), r.stdout);
});

test('common errors in Chinese: an unknown flag, an unreachable target', async () => {
	const flag = await runCli(['--once', '--windwo', '5m'], ZH);
	assert.equal(flag.code, 2);
	assert.match(flag.stderr, /未知参数 --windwo：是否想用 --window？（fdtop --help 列出全部参数）/);
	const port = await deadPort();
	const dead = await runCli(['--once', `127.0.0.1:${port}`, '--lang', 'zh']);
	assert.equal(dead.code, 1);
	assert.match(dead.stderr, /连接被拒绝/);
	assert.match(dead.stdout, /\/metrics {2}离线 {2}无数据/);
	assert.ok(!/connection refused/.test(dead.stderr + dead.stdout), dead.stderr);
	const window = await runCli(['--once', '-w', 'soon'], ZH);
	assert.match(window.stderr, /不是时长/);
	const interval = await runCli(['--once', '-i', '5h'], ZH);
	assert.match(interval.stderr, /--interval 5h：取值范围 100ms 到 1h/);
	const slo = await runCli(['--once', '--slo', 'ttft'], ZH);
	assert.match(slo.stderr, /--slo "ttft"：目标的写法为 指标<=阈值:比例%/);
	const alert = await runCli(['--once', '--alert', 'bogus'], ZH);
	assert.match(alert.stderr, /--alert "bogus"：规则的写法为/);
	for (const r of [window, interval, slo, alert]) assert.equal(r.code, 2);
});

test('fdtop report in Chinese: the page says lang="zh" and its section titles are Chinese', async () => {
	const zh = await runCli(['report', rec('steady-2.3'), '-o', '-'], ZH);
	assert.equal(zh.code, 0, zh.stderr);
	assert.match(zh.stdout, /<html lang="zh">/);
	for (const title of ['录制文件', '整个录制期间', '时延分布', '事件日志']) assert.ok(zh.stdout.includes(`<h2>${title}</h2>`), title);
	assert.ok(!/<h2>(Recordings|Event log)<\/h2>/.test(zh.stdout));
	const en = await runCli(['report', rec('steady-2.3'), '-o', '-', '--lang', 'en'], ZH);
	assert.match(en.stdout, /<html lang="en">[\s\S]*<h2>Recordings<\/h2>/);
});
