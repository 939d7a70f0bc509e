/**
 * The Chinese UI, screen by screen, at 80x24 and 120x40: the key Chinese labels are there, no line
 * is wider than the terminal (a Chinese character takes two cells), and no English UI word leaks.
 * A screen joins SCREENS when all its words come from the catalog (source/i18n).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {parseObjective, type Objective} from '../../source/metrics/slo.js';
import {parseAlertRule, type AlertRule} from '../../source/metrics/alert-rule.js';
import {appPerTest, baselineOf, buildStore, fixture, frameFits, renderApp, scaleCumulative, setSample, type BuiltStore} from './helpers.js';

/** English words of the chrome (tabs, hints, status line): on no Chinese screen. */
const CHROME = ['help', 'explain', 'quit', 'pause', 'interval', 'refresh', 'every', 'scrape', 'Overview', 'Latency', 'Tokens', 'Cache', 'Explorer', 'Fleet', 'PAUSED', 'STALE', 'DOWN'];

interface Screen {
	readonly name: string;
	/** Keys pressed from the Overview. */
	readonly keys: readonly string[];
	/** Chinese labels that must be on it, at both sizes. */
	readonly labels: readonly string[];
	/** English words of this screen that must not be. */
	readonly english: readonly string[];
	/** Several targets (the Fleet view). */
	readonly targets?: number;
	/** --slo objectives (the SLO view and the strips). */
	readonly objectives?: readonly Objective[];
	/** --alert rules (the alert strip). */
	readonly alertRules?: readonly AlertRule[];
	/** --baseline: a recording at a third of the live traffic (the Compare view and the Overview's line). */
	readonly baseline?: boolean;
	/** More scrapes after the first 20 (events). */
	readonly then?: (built: BuiltStore) => void;
}

/** Met, breached and unknown (above the top bucket), and burn windows the 20 s history does not cover. */
const objectives = ['ttft<=2s:99%', 'tpot<=100ms:50%', 'e2e<=1s:99%', 'queue<=1000s:99%'].map(t => parseObjective(t).objective!);

const SCREENS: readonly Screen[] = [
	{name: 'Overview', keys: [], labels: ['总览', '每请求耗时', 'KV 缓存', '批处理', '请求/s', '运行中', '均值'], english: ['running', 'waiting', 'mean', 'queue', 'prefill', 'decode', 'Batch', 'Backlog', 'arrivals', 'Trends', 'unfinished', 'blocks', 'slots', 'window', 'Time per request']},
	{name: 'Latency', keys: ['2'], labels: ['各阶段延迟', '阶段', '排队', '预填充', '解码', '均值'], english: ['Queue', 'Prefill', 'Decode', 'Inference', 'phase', 'mean', 'window', 'scrapes', 'choose', 'lifetime']},
	{name: 'Tokens', keys: ['3'], labels: ['令牌', '输入长度', '输出长度', '每请求', '均值'], english: ['Prompt', 'Output', 'prompt', 'generation', 'per request', 'basis', 'mean', 'window', 'lifetime', 'needs']},
	{name: 'Cache', keys: ['4'], labels: ['KV 缓存', 'GPU 块', '前缀缓存', '批处理', '请求', '抢占'], english: ['blocks', 'used', 'free', 'avail', 'Prefix', 'Batch', 'Requests', 'running', 'waiting', 'Preemptions', 'warn', 'critical']},
	{name: 'Explorer', keys: ['5'], labels: ['浏览', '个指标族', '名称', '类型', '序列'], english: ['families', 'filter', 'open', 'back', 'name', 'type', 'series', 'value', 'obs', 'mean']},
	{name: 'Fleet', keys: ['0'], targets: 3, labels: ['集群', '端点', '状态', '个目标', '排序依据'], english: ['endpoint', 'state', 'targets', 'sorted', 'select', 'sort', 'reverse', 'running', 'waiting', 'connecting', 'up']},
	{name: 'Explain', keys: ['e'], labels: ['指标说明', '健康阈值', '关闭'], english: ['Health', 'Explain', 'closes', 'scroll', 'reported', 'warning from', 'critical from']},
	{name: 'SLO', keys: ['6'], objectives, labels: ['达成', '范围', '状态', '消耗 5m/1h', '待', '窗口', '占'], english: ['objective', 'attained', 'bounds', 'status', 'burn', 'met', 'breached', 'unknown', 'estimate', 'exact', 'wait', 'window', 'for', 'of', 'Goodput', 'Backlog', 'arrivals', 'requests?', 'exported']},
	{name: 'Overview SLO strip', keys: [], objectives, labels: ['6：SLO 视图', '✗ E2E latency ≤ 1 s 占 99 %：0 %，消耗 5m 中 19s'], english: ['met', 'burn', 'SLO view']},
	{name: 'Fleet SLO column', keys: ['0'], targets: 3, objectives, labels: ['集群'], english: ['met', 'burn', 'for']},
	{name: 'Events', keys: ['8'], objectives, then: eventful, labels: ['事件', '最新在前', '时间', '详情', '重启', '配置变更', '目标掉线', '目标恢复', 'SLO 未达标', '计数器归零', '掉线 2 s 后', '占'], english: ['event', 'events', 'newest', 'restart', 'config', 'changed', 'target', 'after', 'counters', 'reset', 'breached', 'for', 'move', 'detail', 'time']},
	{name: 'Alert strip', keys: [], alertRules: ['kv_cache >= 10%', 'kv_cache >= 10% for 1h'].map(t => parseAlertRule(t).rule!), labels: ['告警 kv_cache ≥ 10 %：触发中', '当前', '另有 1 条'], english: ['ALERT', 'firing', 'pending', 'now', 'more', 'for', 'of']},
	{name: 'Alert strip, pending', keys: ['4'], alertRules: ['kv_cache >= 10% for 1h'].map(t => parseAlertRule(t).rule!), labels: ['告警 kv_cache ≥ 10 % 持续 1h：待定', '当前'], english: ['ALERT', 'firing', 'pending', 'now', 'more', 'for', 'of']},
	{name: 'Overview vs baseline', keys: [], baseline: true, labels: ['对比基线  请求/s', 'TTFT 均值', '7：对比', '%*'], english: ['vs', 'baseline', 'Compare', 'mean', 'Queue', 'gen', 'usage']},
	{name: 'Compare', keys: ['7'], baseline: true, labels: ['指标', '变化', '显著性', '超出噪声的差异', '有差异，p', '次抓取', '到达 请求/s', 'TTFT 均值', '排队 p99'], english: ['figure', 'change', 'significance', 'differs', 'noise', 'within', 'detectable', 'diff', 'scrapes', 'windows', 'widen', 'more', 'rows', 'waiting', 'chi-square', 'events', 'newest', 'arrivals', 'done', 'prompt', 'gen', 'Queue', 'Prefill', 'Decode', 'latency', 'mean', 'usage', 'hit', 'bucket', 'holds', 'side', 'few']},
	{name: 'Help', keys: ['?'], labels: ['按键', '视图', '数据', '下一个视图', '退出'], english: ['Views', 'Data', 'Lists', 'Other', 'next view', 'previous', 'Keys', 'closes', 'scroll', 'Reading']},
];

/** A config change, an outage and a restart after the first 20 scrapes (test/ui/events-view.test.tsx). */
function eventful(built: BuiltStore): void {
	const base = fixture('fastdeploy-2.3.txt');
	const bigger = setSample(base, 'fastdeploy:max_batch_size', 128);
	for (let i = 20; i < 25; i++) built.ingest(scaleCumulative(bigger, 1 + 0.05 * i));
	built.fail('connection refused');
	built.fail('connection refused');
	for (let i = 0; i < 5; i++) built.ingest(scaleCumulative(bigger, 0.1 + 0.05 * i));
}

const app = appPerTest();

describe('the Chinese UI fits, and speaks Chinese, on every translated screen', () => {
	for (const screen of SCREENS) {
		for (const [columns, rows] of [
			[80, 24],
			[120, 40],
		] as const) {
			test(`${screen.name} at ${columns}x${rows}`, async () => {
				const built = buildStore({targets: screen.targets ?? 1, objectives: screen.objectives, alertRules: screen.alertRules});
				screen.then?.(built);
				const r = (app.open = await renderApp(built.store, {columns, rows, lang: 'zh', baseline: screen.baseline ? baselineOf(built) : undefined}));
				for (const key of screen.keys) await r.press(key);
				const frame = await r.waitFor(f => screen.labels.every(l => f.includes(l)), `${screen.labels.join(', ')} on ${screen.name}`);
				assert.equal(frameFits(frame, columns, rows), null);
				for (const word of [...CHROME, ...screen.english]) assert.doesNotMatch(frame, new RegExp(`\\b${word}\\b`), `English "${word}" on the Chinese ${screen.name}:\n${frame}`);
			});
		}
	}
});
