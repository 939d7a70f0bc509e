/**
 * Explain: what the metrics on screen mean and how to read them, from the catalog (English or
 * Chinese): help text, health thresholds, why a metric reads all-zero on some versions, and
 * where its meaning differs between versions and engines.
 */
import {append} from '../../arrays.js';
import {formatValue} from '../../format.js';
import {CATALOG_BY_KEY} from '../../metrics/catalog.js';
import type {CatalogEntry} from '../../metrics/catalog-types.js';
import type {Derived} from '../../metrics/derive.js';
import {eraLabel, type EraGuess} from '../../metrics/era.js';
import {versionNote} from '../../metrics/era-notes.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';
import {wrap} from '../text-width.js';
import type {ViewId} from '../ui-state.js';
import {LATENCY_KEYS} from '../view-model.js';

const KEYS_BY_VIEW: Record<ViewId, readonly string[]> = {
	overview: ['ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'inferenceTime', 'e2eLatency', 'kvCacheUsage', 'batchSize', 'running', 'waiting', 'requestsReceivedTotal', 'requestSuccessTotal', 'promptTokensTotal', 'generationTokensTotal', 'requestPreemptedTotal', 'preempted', 'enqueued', 'hitTokenRate', 'sendCacheFailedTotal', 'specAcceptanceRate'],
	latency: LATENCY_KEYS,
	tokens: ['promptTokensTotal', 'generationTokensTotal', 'promptTokens', 'generationTokens', 'maxTokens', 'tokenRatio'],
	cache: ['kvCacheUsage', 'freeGpuBlocks', 'availableGpuBlocks', 'maxGpuBlocks', 'maxCpuBlocks', 'freeCpuBlocks', 'hitReqRate', 'hitTokenRate', 'gpuHitTokenRate', 'cpuHitTokenRate', 'prefixCacheTokensTotal', 'batchSize', 'maxBatchSize', 'availableBatchSize', 'requestPreemptedTotal', 'preempted'],
	explorer: [],
	slo: ['ttft', 'tpot', 'e2eLatency', 'queueTime', 'requestsReceivedTotal', 'requestSuccessTotal', 'generationTokensTotal', 'running', 'waiting'],
	fleet: ['requestsReceivedTotal', 'generationTokensTotal', 'running', 'waiting', 'kvCacheUsage', 'ttft', 'tpot', 'queueTime'],
	compare: ['requestsReceivedTotal', 'requestSuccessTotal', 'promptTokensTotal', 'generationTokensTotal', 'requestPreemptedTotal', 'ttft', 'tpot', 'queueTime', 'prefillTime', 'decodeTime', 'e2eLatency', 'kvCacheUsage', 'hitTokenRate'],
	// What the config events compare.
	events: ['cacheConfigInfo', 'maxBatchSize', 'maxGpuBlocks', 'maxCpuBlocks'],
};

export interface ExplainSubject {
	readonly view: ViewId;
	/** The metric in focus (the latency row, the explorer's family) shown first. */
	readonly focusKey: string | null;
	/** An explorer family fdtop does not know: its name and HELP text. */
	readonly unknownFamily?: {readonly name: string; readonly help: string};
}

function status(entry: CatalogEntry, d: Derived | null, words: Theme['msg']['explain']): {text: string; allZero: boolean} {
	const m = d?.metrics.get(entry.key);
	if (!m) return {text: words.absent, allZero: false};
	const allZero = (m.kind === 'histogram' || m.kind === 'counter') && m.allZero;
	return {text: allZero ? words.allZero : words.present, allZero};
}

/** The target's version and what it rests on: the notes below that depend on it follow from this. */
function versionLines(version: EraGuess, theme: Theme, width: number): string[] {
	const words = theme.msg.explain;
	const label = eraLabel(version);
	const confidence = version.confidence === 'given' ? '--era' : theme.msg.era.confidence[version.confidence];
	const head = `${theme.paint(words.version, 'title')}  ${label ? `${theme.paint(label, 'accent')}  ${theme.paint(`(${confidence})`, 'muted')}` : theme.paint(words.versionUnknown, 'muted')}`;
	const lines = [head, ...wrap(version.confidence === 'given' ? words.versionGiven : words.versionWhy, width - 2).map(l => `  ${l}`)];
	// With --era the first line is the --era itself, which versionGiven already says.
	for (const say of version.confidence === 'given' ? version.says.slice(1) : version.says) {
		append(lines, wrap(say(theme.msg.era), width - 4).map((l, i) => `  ${i === 0 ? theme.glyphs.dot : ' '} ${l}`));
	}
	lines.push('');
	return lines;
}

function entryLines(entry: CatalogEntry, d: Derived | null, theme: Theme, width: number, version: EraGuess | null): string[] {
	const lang = theme.lang;
	const words = theme.msg.explain;
	const now = status(entry, d, words);
	const indent = (text: string) => wrap(text, width - 2).map(l => `  ${l}`);
	const lines = [`${theme.paint(entry.title, 'title')}  ${theme.paint(`${entry.kind}, ${entry.unit}`, 'muted')}  ${theme.paint(now.text, now.allZero ? 'warn' : now.text === words.absent ? 'muted' : 'ok')}`, ...indent(entry.help[lang])];
	if (entry.thresholds) {
		const t = entry.thresholds;
		append(lines, [theme.paint(`  ${words.thresholds}: ${words.warn} ${formatValue(t.warn, entry.unit)}, ${words.crit} ${formatValue(t.crit, entry.unit)}`, 'accent')], indent(t.note[lang]));
	}
	if (entry.zeroNote) append(lines, [theme.paint(`  ${now.allZero ? words.zeroNow : words.zero}:`, now.allZero ? 'warn' : 'accent')], indent(entry.zeroNote[lang]));
	else if (now.allZero) append(lines, [theme.paint(`  ${words.zeroNow}:`, 'warn')], indent(words.neverObserved));
	if (now.text === words.absent) append(lines, [theme.paint(`  ${words.whyAbsent}:`, 'accent')], indent(absentReason(entry, lang)));
	if (entry.meaningNote) append(lines, [theme.paint(`  ${words.meaning}:`, 'accent')], indent(entry.meaningNote[lang]));
	const onThisServer = version ? versionNote(entry.key, version) : null;
	if (onThisServer) append(lines, indent(onThisServer[lang]));
	lines.push('');
	return lines;
}

const ENGINE_NAMES = {fastdeploy: 'FastDeploy', vllm: 'vLLM', sglang: 'SGLang'} as const;

/** Why a catalog metric may be missing from a scrape: which engines and versions export it. */
export function absentReason(entry: CatalogEntry, lang: 'en' | 'zh'): string {
	const engines = (Object.keys(entry.wire) as (keyof typeof ENGINE_NAMES)[]).filter(e => (entry.wire[e]?.length ?? 0) > 0).map(e => ENGINE_NAMES[e]);
	const zh = lang === 'zh';
	if (!engines.includes('FastDeploy')) return zh ? `只有 ${engines.join('、')} 导出该指标，FastDeploy 没有。` : `Only ${engines.join(' and ')} export${engines.length === 1 ? 's' : ''} it; FastDeploy does not.`;
	const since = entry.since === 'newest' ? (zh ? '只有最新的 FastDeploy（2.3 之后）导出' : 'Only the newest FastDeploy (after 2.3) exports it') : entry.since ? (zh ? `FastDeploy ${entry.since} 起导出` : `FastDeploy exports it from ${entry.since}`) : zh ? 'FastDeploy 导出' : 'FastDeploy exports it';
	const removed = entry.removed ? (zh ? `，${entry.removed} 起多数版本不再导出` : `; most builds from ${entry.removed} on no longer do`) : '';
	const others = engines.length > 1 ? (zh ? `；${engines.filter(e => e !== 'FastDeploy').join('、')} 也有` : `; ${engines.filter(e => e !== 'FastDeploy').join(' and ')} too`) : '';
	return zh ? `${since}${removed}${others}。更早的版本、其他引擎或未开启相应功能时不会出现。` : `${since}${removed}${others}. An older build, another engine, or the feature switched off leaves it out.`;
}

/** `version`: the target's FastDeploy version guess (null for the fleet and other engines). */
export function explainLines(subject: ExplainSubject, d: Derived | null, theme: Theme, width: number, version: EraGuess | null = null): string[] {
	const words = theme.msg.explain;
	const textWidth = Math.min(width, 100);
	const lines: string[] = [];
	if (subject.unknownFamily) {
		append(lines, [theme.paint(subject.unknownFamily.name, 'title')], wrap(words.unknown, textWidth - 2).map(l => `  ${l}`), wrap(inert(subject.unknownFamily.help) || '--', textWidth - 2).map(l => `  ${l}`), ['']);
	}
	const fastdeploy = d?.engine === 'fastdeploy' ? version : null;
	const keys = [...new Set([...(subject.focusKey ? [subject.focusKey] : []), ...KEYS_BY_VIEW[subject.view]])];
	// The metric in focus (or the view's first) comes first, so the first page explains it;
	// the version it is read against follows.
	let versionShown = fastdeploy === null;
	for (const key of keys) {
		const entry = CATALOG_BY_KEY.get(key);
		if (!entry) continue;
		append(lines, entryLines(entry, d, theme, textWidth, fastdeploy));
		if (!versionShown) {
			append(lines, versionLines(fastdeploy!, theme, textWidth));
			versionShown = true;
		}
	}
	if (!versionShown) append(lines, versionLines(fastdeploy!, theme, textWidth));
	return lines.map(line => theme.fit(line, width));
}
