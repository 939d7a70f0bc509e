/** Which FastDeploy version a scrape most likely comes from, judged by the metric set alone. */
import type {Snapshot} from './snapshot.js';

export type Era = '2.0' | '2.1' | '2.2' | '2.3' | '2.4+';

export function guessEra(snapshot: Snapshot, createdSamples: number): Era | null {
	if (snapshot.engine !== 'fastdeploy') return null;
	const has = (key: string) => snapshot.metrics.has(key);
	if (has('requestPreemptedTotal') || has('enqueued') || has('preempted') || has('tokenRatio')) return '2.4+';
	// The late-2025 multiprocess rework dropped `_created` and the "latest" gauges, and added http_*.
	if (has('httpRequestsTotal') || has('httpDuration')) return '2.3';
	if (createdSamples === 0 && has('batchSize') && !has('firstTokenLatency')) return '2.3';
	if (has('batchSize') || has('cacheConfigInfo') || has('firstTokenLatency') || has('hitTokenRate')) return '2.2';
	if (has('specAcceptanceRate') || has('specAcceptedTokens')) return '2.1';
	return '2.0';
}

/** Before 2.3, TTFT is measured from inference start: it leaves out queueing and tokenisation. */
export function ttftExcludesQueue(era: Era | null): boolean {
	return era === '2.0' || era === '2.1' || era === '2.2';
}
