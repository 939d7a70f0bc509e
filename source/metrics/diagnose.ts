/**
 * Named failure modes, from signals operators otherwise alert on one by one. Each diagnosis says
 * what fdtop sees and what to do, in English and Chinese. Pure: derived figures in, text out.
 */
import type {Derived} from './derive.js';
import {eraName, type Era, type EraConfidence} from './era.js';

export interface Diagnosis {
	readonly id: string;
	readonly level: 'info' | 'warn' | 'crit';
	readonly en: string;
	readonly zh: string;
}

function gauge(d: Pick<Derived, 'metrics'>, key: string): number | undefined {
	const m = d.metrics.get(key);
	return m?.kind === 'gauge' && Number.isFinite(m.value) ? m.value : undefined;
}

function rate(d: Pick<Derived, 'metrics'>, key: string): number | undefined {
	const m = d.metrics.get(key);
	return m?.kind === 'counter' && m.rate !== null ? m.rate : undefined;
}

function windowMean(d: Pick<Derived, 'metrics'>, key: string): number | undefined {
	const m = d.metrics.get(key);
	return m?.kind === 'histogram' && m.window?.mean != null ? m.window.mean : undefined;
}

/** `era` and `confidence` as the target's guess (or --era): a version-bound remark names the version it assumes. */
export function diagnose(d: Pick<Derived, 'engine' | 'metrics' | 'events'>, era: Era | null, confidence: EraConfidence = 'certain'): Diagnosis[] {
	const out: Diagnosis[] = [];
	const genRate = rate(d, 'generationTokensTotal');
	const running = gauge(d, 'running');
	const waiting = gauge(d, 'waiting');
	const kv = gauge(d, 'kvCacheUsage');
	const failedSends = rate(d, 'sendCacheFailedTotal');
	const queue = windowMean(d, 'queueTime');

	if (d.engine === 'fastdeploy' && genRate !== undefined && genRate > 0 && running === 0 && (waiting ?? 0) === 0 && (kv ?? 0) === 0) {
		out.push({
			id: 'engine-gauges-zero',
			level: 'warn',
			en: `Tokens are being generated (${genRate.toFixed(0)}/s) but running, waiting and KV usage read 0: this /metrics is served by an API worker that never sees the engine's gauges${era === '2.3' || era === '2.4+' ? ` (as on ${eraName({era, confidence})} without --metrics-port)` : ''}. Start FastDeploy with --metrics-port and watch that port.`,
			zh: `正在生成 token（${genRate.toFixed(0)}/s），但运行中、等待中请求数和 KV 使用率均为 0：该 /metrics 由 API 工作进程应答，看不到引擎的 Gauge 指标。请用 --metrics-port 启动 FastDeploy 并监控该端口。`,
		});
	}
	if (waiting !== undefined && waiting > 0 && running === 0 && (genRate ?? 0) === 0) {
		out.push({
			id: 'admission-stalled',
			level: 'crit',
			en: `Admission stalled: ${waiting} request(s) waiting, none running, no tokens generated. The scheduler is not admitting work (check the engine log, KV blocks and worker health).`,
			zh: `调度停滞：${waiting} 个请求在等待，没有请求在运行，也没有生成 token。调度器没有接纳新请求（请检查引擎日志、KV 块和工作进程状态）。`,
		});
	}
	if (kv !== undefined && kv >= 0.95 && waiting !== undefined && waiting > 0) {
		out.push({
			id: 'kv-saturated',
			level: 'crit',
			en: `KV cache saturated (${Math.round(kv * 100)} %) with ${waiting} waiting: new requests wait for blocks and TPOT rises with preemption. Lower max_num_seqs or max_tokens, or add capacity.`,
			zh: `KV 缓存已饱和（${Math.round(kv * 100)} %），${waiting} 个请求在等待：新请求需等待空闲块，抢占会使 TPOT 升高。可降低 max_num_seqs 或 max_tokens，或扩容。`,
		});
	}
	if (queue !== undefined && queue >= 1 && kv !== undefined && kv < 0.5) {
		out.push({
			id: 'queue-compute-bound',
			level: 'warn',
			en: `Requests queue ${queue.toFixed(1)} s on average while KV usage is only ${Math.round(kv * 100)} %: the batch limit or compute is the bottleneck, not memory (compare batch size with max batch size).`,
			zh: `请求平均排队 ${queue.toFixed(1)} 秒，而 KV 使用率只有 ${Math.round(kv * 100)} %：瓶颈在批大小上限或算力，而不是显存（对比 batch_size 与 max_batch_size）。`,
		});
	}
	if (failedSends !== undefined && failedSends > 0) {
		out.push({
			id: 'pd-transfer-failing',
			level: 'crit',
			en: `KV-cache transfers are failing (${failedSends.toFixed(2)}/s): prefill/decode disaggregation is degraded; check the cache transfer links.`,
			zh: `KV 缓存传输失败（${failedSends.toFixed(2)}/s）：PD 分离部署受到影响，请检查缓存传输链路。`,
		});
	}
	for (const event of d.events) {
		out.push({
			id: `restart-${event.t}`,
			level: 'info',
			en: `The server restarted at ${new Date(event.t).toISOString().slice(11, 19)} UTC (counters reset); rates across it are reset-corrected.`,
			zh: `服务器于 ${new Date(event.t).toISOString().slice(11, 19)} UTC 重启（计数器归零）；跨越重启的速率已做归零修正。`,
		});
	}
	return out;
}
