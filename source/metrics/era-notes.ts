/**
 * What a metric measures on the version a target runs, where that differs between versions
 * (shared/reference/fastdeploy-metrics.md §4.1, §4.3, §6). Shown by Explain only when the version
 * is known (certain, likely or given), next to the catalog's note on every version.
 */
import {eraName, type EraGuess} from './era.js';

type Text = {readonly en: string; readonly zh: string};

const UP_TO_22 = new Set(['2.0', '2.1', '2.2']);

function forEra(key: string, era: string): Text | null {
	const old = UP_TO_22.has(era);
	switch (key) {
		case 'ttft':
			return old
				? {en: 'timed from inference start: queueing and tokenization are not in it.', zh: '从推理开始计时：不含排队和分词。'}
				: {en: 'timed from request arrival: tokenization and queueing are in it.', zh: '从请求到达计时：包含分词和排队。'};
		case 'queueTime':
			return old ? {en: 'schedule start − preprocess end.', zh: '调度开始 − 预处理结束。'} : {en: 'inference start − preprocess end.', zh: '推理开始 − 预处理结束。'};
		case 'prefillTime':
			if (era === '2.0') return {en: 'observed for multimodal models only; text models leave it at zero.', zh: '只有多模态模型会记录；文本模型始终为 0。'};
			return old ? {en: 'never observed: it stays all zero.', zh: '从不记录：始终为 0。'} : {en: 'first token − inference start.', zh: '首 token 时间 − 推理开始时间。'};
		default:
			return null;
	}
}

/** `On this server (FastDeploy 2.3?): timed from request arrival …`, or null (no version, or no difference). */
export function versionNote(key: string, guess: Pick<EraGuess, 'era' | 'confidence'>): Text | null {
	if (guess.era === null) return null;
	const text = forEra(key, guess.era);
	if (!text) return null;
	const name = eraName(guess);
	return {en: `On this server (${name}): ${text.en}`, zh: `本服务（${name}）：${text.zh}`};
}
