/**
 * The message catalogs: zh has every English key (the type checker refuses a missing or extra
 * key, and a wrong parameter list; this checks what it cannot): every message, called with
 * sample arguments, is a non-empty string (or list of them) that differs from the English,
 * except the few that are the same in both languages on purpose (units, names, signs).
 * And the language comes from --lang, else LC_ALL, LC_MESSAGES, LANG: the first non-empty.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {en} from '../../source/i18n/en.js';
import {zh} from '../../source/i18n/zh.js';
import {langFromEnv, msgs} from '../../source/i18n/index.js';
import {parseCli} from '../../source/config.js';

/** Messages the same in both languages: names, signs, units and key names, not words. */
const SAME = new Set([
	...['views.slo', 'viewsShort.slo', 'tokens.distributions.maxTokens', 'fleet.sorts.kvUsage', 'fleet.sorts.ttftP99'],
	...['help.legend.0.0', 'help.legend.1.0', 'help.legend.2.0', 'help.legend.3.0', 'help.legend.9.0', 'help.legend.11.0', 'eventsView.slo', 'chart.aboveTop.1', 'chart.aboveTop.2'],
	...['overview.titles.ttft', 'overview.titles.tpot', 'latency.names.ttft', 'latency.names.tpot', 'compareView.latency.ttft', 'compareView.latency.tpot'],
	...['slo', 'kvUsage', 'ttftP99', 'tpotP99'].flatMap(c => [`fleet.columns.${c}.0`, `fleet.columns.${c}.1`]),
	'fleet.columns.generationRate.1',
	// The text report's unit and metric heads (units and metric names are not translated).
	...[2, 3, 6, 7, 8].map(i => `report.fleetHead.${i}`),
	...['compareText.header.1', 'compareText.header.2', 'compareText.header.4', 'html.compareHeader.1', 'html.compareHeader.2', 'html.compareHeader.4'],
	'html.lineLabels.p50',
	'html.lineLabels.p99',
	'html.summaryRows.quantile',
	...['histogramHead.0', 'histogramHead.2', 'histogramHead.3', 'histogramHead.4', 'lifetimeHead.2', 'lifetimeHead.3', 'lifetimeHead.4'].map(k => `report.${k}`),
]);

/**
 * Arguments for a message function: a message only prints what it is given, so each is a list of
 * two words that prints as one figure (lists for the messages that join names, text for the rest).
 */
const SAMPLES = ['3', '7', '12', '40', '5'].map(figure => Object.assign([figure, figure], {toString: () => figure}));

function leaves(value: unknown, path: string, out: Map<string, string>): void {
	if (typeof value === 'string' || SAMPLES.includes(value as (typeof SAMPLES)[number])) out.set(path, String(value));
	else if (typeof value === 'function') {
		leaves((value as (...a: unknown[]) => unknown)(...SAMPLES), path, out);
	} else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}.${i}`, out));
	else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
	else out.set(path, `<${typeof value}>`);
}

test('zh has every English message, each a non-empty string in Chinese', () => {
	const english = new Map<string, string>();
	const chinese = new Map<string, string>();
	leaves(en, '', english);
	leaves(zh, '', chinese);
	assert.deepEqual([...chinese.keys()].sort(), [...english.keys()].sort(), 'the same messages (and list lengths) in both');
	for (const [path, text] of chinese) {
		assert.ok(text.trim() !== '' && !text.startsWith('<'), `zh ${path} is empty or not a string: ${JSON.stringify(text)}`);
		if (SAME.has(path)) continue;
		assert.notEqual(text, english.get(path), `zh ${path} is still the English "${text}" (translate it, or list it in SAME if it is a name or a unit)`);
	}
	for (const path of SAME) assert.ok(english.has(path), `SAME lists ${path}, which is no message`);
});

test('msgs picks one catalog per language', () => {
	assert.equal(msgs('zh'), zh);
	assert.equal(msgs('en'), en);
});

test('the language: --lang, else LC_ALL, then LC_MESSAGES, then LANG, the first non-empty', () => {
	const cases: [Record<string, string>, 'en' | 'zh'][] = [
		[{LANG: 'zh_CN.UTF-8'}, 'zh'],
		[{LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8'}, 'zh'],
		[{LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8'}, 'en'],
		[{LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'C'}, 'en'],
		[{LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8'}, 'zh'],
		[{LANG: 'zh_CN.UTF-8', LC_ALL: ''}, 'zh'],
		[{LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN'}, 'zh'],
		[{}, 'en'],
	];
	for (const [env, want] of cases) {
		assert.equal(langFromEnv(env), want, JSON.stringify(env));
		const parsed = parseCli(['--once', 'http://127.0.0.1:9/metrics'], env, '0.0.0');
		assert.equal('config' in parsed ? parsed.config.lang : null, want, `parseCli with ${JSON.stringify(env)}`);
	}
	const given = parseCli(['--once', '--lang', 'en', 'http://127.0.0.1:9/metrics'], {LC_ALL: 'zh_CN.UTF-8'}, '0.0.0');
	assert.equal('config' in given ? given.config.lang : null, 'en', '--lang wins over the environment');
});
