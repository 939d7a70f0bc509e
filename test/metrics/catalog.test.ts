import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
	CATALOG,
	CATALOG_BY_KEY,
	GROUP_ORDER,
	GROUP_TITLES,
	SPEC_HEAD_PREFIX,
	catalogEntryForFamily,
	specHeadIndex,
} from '../../source/metrics/catalog.js';
import type {Engine, Group} from '../../source/metrics/catalog-types.js';

const ENGINES: readonly Engine[] = ['fastdeploy', 'vllm', 'sglang'];

/** Every key the brief requires, by kind. */
const REQUIRED_KEYS: Record<string, readonly string[]> = {
	histogram: [
		'ttft',
		'tpot',
		'queueTime',
		'prefillTime',
		'decodeTime',
		'inferenceTime',
		'e2eLatency',
		'tokenRatio',
		'httpDuration',
		'zmqLatency',
		'promptTokens',
		'generationTokens',
		'maxTokens',
	],
	counter: [
		'promptTokensTotal',
		'generationTokensTotal',
		'requestSuccessTotal',
		'requestsReceivedTotal',
		'requestPreemptedTotal',
		'httpRequestsTotal',
		'sendCacheFailedTotal',
		'prefixCacheTokensTotal',
		'prefixGpuCacheTokensTotal',
		'prefixCpuCacheTokensTotal',
		'prefixSsdCacheTokensTotal',
		'prefixStorageCacheTokensTotal',
		'specDraftTokensTotal',
		'zmqMsgSendTotal',
		'zmqMsgSendFailedTotal',
		'zmqBytesSendTotal',
		'zmqMsgRecvTotal',
		'zmqBytesRecvTotal',
		'prefixCacheQueriesTotal',
		'prefixCacheHitsTotal',
		'specAcceptedTokens',
		'specEmittedTokens',
	],
	gauge: [
		'running',
		'waiting',
		'enqueued',
		'preempted',
		'kvCacheUsage',
		'batchSize',
		'maxBatchSize',
		'availableBatchSize',
		'availableGpuBlocks',
		'freeGpuBlocks',
		'maxGpuBlocks',
		'maxCpuBlocks',
		'availableGpuResource',
		'hitReqRate',
		'hitTokenRate',
		'cpuHitTokenRate',
		'gpuHitTokenRate',
		'specAcceptanceRate',
		'specEfficiency',
		'firstTokenLatency',
		'inferLatency',
		'genThroughput',
	],
	info: ['cacheConfigInfo'],
};

/** The 16 metrics of FastDeploy v2.0.0 exactly as on the wire (reference §4.1), with their keys. */
const V20_WIRE: ReadonlyArray<readonly [string, string]> = [
	['fastdeploy:num_requests_running', 'running'],
	['fastdeploy:num_requests_waiting', 'waiting'],
	['fastdeploy:time_to_first_token_seconds', 'ttft'],
	['fastdeploy:time_per_output_token_seconds', 'tpot'],
	['fastdeploy:request_inference_time_seconds', 'inferenceTime'],
	['fastdeploy:request_queue_time_seconds', 'queueTime'],
	['fastdeploy:gpu_cache_usage_perc', 'kvCacheUsage'],
	['fastdeploy:generation_tokens_total', 'generationTokensTotal'],
	['fastdeploy:request_prefill_time_seconds', 'prefillTime'],
	['fastdeploy:request_decode_time_seconds', 'decodeTime'],
	['fastdeploy:request_generation_tokens', 'generationTokens'],
	['fastdeploy:request_success_total', 'requestSuccessTotal'],
	['fastdeploy:e2e_request_latency_seconds', 'e2eLatency'],
	['fastdeploy:request_params_max_tokens', 'maxTokens'],
	['fastdeploy:prompt_tokens_total', 'promptTokensTotal'],
	['fastdeploy:request_prompt_tokens', 'promptTokens'],
];

/** Metrics added after 2.0 (reference §4.2–4.4), wire names as printed by prometheus_client. */
const LATER_WIRE: ReadonlyArray<readonly [string, string]> = [
	['fastdeploy:spec_decode_draft_acceptance_rate', 'specAcceptanceRate'],
	['fastdeploy:spec_decode_num_accepted_tokens_total', 'specAcceptedTokens'],
	['fastdeploy:spec_decode_num_emitted_tokens_total', 'specEmittedTokens'],
	['fastdeploy:spec_decode_efficiency', 'specEfficiency'],
	['fastdeploy:spec_decode_num_draft_tokens_total', 'specDraftTokensTotal'],
	['fastdeploy:prefix_cache_token_num_total', 'prefixCacheTokensTotal'],
	['fastdeploy:prefix_gpu_cache_token_num_total', 'prefixGpuCacheTokensTotal'],
	['fastdeploy:prefix_cpu_cache_token_num_total', 'prefixCpuCacheTokensTotal'],
	['fastdeploy:prefix_ssd_cache_token_num_total', 'prefixSsdCacheTokensTotal'],
	['fastdeploy:batch_size', 'batchSize'],
	['fastdeploy:max_batch_size', 'maxBatchSize'],
	['fastdeploy:available_gpu_block_num', 'availableGpuBlocks'],
	['fastdeploy:free_gpu_block_num', 'freeGpuBlocks'],
	['fastdeploy:max_gpu_block_num', 'maxGpuBlocks'],
	['fastdeploy:available_gpu_resource', 'availableGpuResource'],
	['fastdeploy:requests_number_total', 'requestsReceivedTotal'],
	['fastdeploy:send_cache_failed_num_total', 'sendCacheFailedTotal'],
	['fastdeploy:first_token_latency', 'firstTokenLatency'],
	['fastdeploy:infer_latency', 'inferLatency'],
	['fastdeploy:cache_config_info', 'cacheConfigInfo'],
	['fastdeploy:available_batch_size', 'availableBatchSize'],
	['fastdeploy:hit_req_rate', 'hitReqRate'],
	['fastdeploy:hit_token_rate', 'hitTokenRate'],
	['fastdeploy:cpu_hit_token_rate', 'cpuHitTokenRate'],
	['fastdeploy:gpu_hit_token_rate', 'gpuHitTokenRate'],
	['http_requests_total', 'httpRequestsTotal'],
	['http_request_duration_seconds', 'httpDuration'],
	['fastdeploy:zmq:msg_send_total', 'zmqMsgSendTotal'],
	['fastdeploy:zmq:msg_send_failed_total', 'zmqMsgSendFailedTotal'],
	['fastdeploy:zmq:msg_bytes_send_total', 'zmqBytesSendTotal'],
	['fastdeploy:zmq:msg_recv_total', 'zmqMsgRecvTotal'],
	['fastdeploy:zmq:msg_bytes_recv_total', 'zmqBytesRecvTotal'],
	['fastdeploy:zmq:latency', 'zmqLatency'],
	['fastdeploy:request_preempted_total', 'requestPreemptedTotal'],
	['fastdeploy:num_requests_enqueued', 'enqueued'],
	['fastdeploy:num_requests_preempted', 'preempted'],
	['fastdeploy:request_token_ratio', 'tokenRatio'],
	['fastdeploy:prefix_storage_cache_token_num_total', 'prefixStorageCacheTokensTotal'],
	['fastdeploy:max_cpu_block_num', 'maxCpuBlocks'],
];

/** vLLM and SGLang equivalents (reference §7–8). */
const OTHER_ENGINES: ReadonlyArray<readonly [string, string, Engine]> = [
	['vllm:num_requests_running', 'running', 'vllm'],
	['vllm:num_requests_waiting', 'waiting', 'vllm'],
	['vllm:kv_cache_usage_perc', 'kvCacheUsage', 'vllm'],
	['vllm:gpu_cache_usage_perc', 'kvCacheUsage', 'vllm'],
	['vllm:time_to_first_token_seconds', 'ttft', 'vllm'],
	['vllm:inter_token_latency_seconds', 'tpot', 'vllm'],
	['vllm:time_per_output_token_seconds', 'tpot', 'vllm'],
	['vllm:num_preemptions_total', 'requestPreemptedTotal', 'vllm'],
	['vllm:prefix_cache_queries_total', 'prefixCacheQueriesTotal', 'vllm'],
	['vllm:prefix_cache_hits_total', 'prefixCacheHitsTotal', 'vllm'],
	['vllm:request_success_total', 'requestSuccessTotal', 'vllm'],
	['vllm:cache_config_info', 'cacheConfigInfo', 'vllm'],
	['sglang:num_running_reqs', 'running', 'sglang'],
	['sglang:num_queue_reqs', 'waiting', 'sglang'],
	['sglang:token_usage', 'kvCacheUsage', 'sglang'],
	['sglang:inter_token_latency_seconds', 'tpot', 'sglang'],
	['sglang:time_per_output_token_seconds', 'tpot', 'sglang'],
	['sglang:queue_time_seconds', 'queueTime', 'sglang'],
	['sglang:cache_hit_rate', 'hitTokenRate', 'sglang'],
	['sglang:gen_throughput', 'genThroughput', 'sglang'],
];

const CJK = /[\u4e00-\u9fff]/;

function allWireNames(): Array<{name: string; key: string; engine: Engine}> {
	const out: Array<{name: string; key: string; engine: Engine}> = [];
	for (const entry of CATALOG) {
		for (const engine of ENGINES) for (const name of entry.wire[engine] ?? []) out.push({name, key: entry.key, engine});
	}
	return out;
}

describe('catalog shape', () => {
	it('has unique keys and CATALOG_BY_KEY indexes all of them', () => {
		const keys = CATALOG.map(e => e.key);
		assert.equal(new Set(keys).size, keys.length, 'duplicate keys');
		assert.equal(CATALOG_BY_KEY.size, CATALOG.length);
		for (const entry of CATALOG) assert.equal(CATALOG_BY_KEY.get(entry.key), entry);
	});

	it('contains every required key with the required kind', () => {
		for (const [kind, keys] of Object.entries(REQUIRED_KEYS)) {
			for (const key of keys) {
				const entry = CATALOG_BY_KEY.get(key);
				assert.ok(entry, `missing key ${key}`);
				assert.equal(entry.kind, kind, `${key} kind`);
			}
		}
	});

	it('never lets two entries claim one wire name', () => {
		const seen = new Map<string, string>();
		for (const {name, key} of allWireNames()) {
			const other = seen.get(name);
			assert.equal(other, undefined, `${name} claimed by ${other} and ${key}`);
			seen.set(name, key);
		}
	});

	it('keeps every entry inside its group order and every group titled', () => {
		const groups = Object.keys(GROUP_TITLES) as Group[];
		assert.deepEqual([...GROUP_ORDER].sort(), [...groups].sort());
		for (const group of groups) {
			assert.ok(GROUP_TITLES[group].en.length > 0 && GROUP_TITLES[group].zh.length > 0, group);
		}
		let lastGroupIndex = 0;
		for (const entry of CATALOG) {
			const index = GROUP_ORDER.indexOf(entry.group);
			assert.ok(index >= 0, `${entry.key}: unknown group`);
			assert.ok(index >= lastGroupIndex, `${entry.key}: groups not contiguous in display order`);
			lastGroupIndex = index;
		}
	});

	it('keeps titles at most 18 characters', () => {
		for (const entry of CATALOG) {
			assert.ok(entry.title.length > 0 && entry.title.length <= 18, `${entry.key}: "${entry.title}"`);
		}
	});

	it('has English and Chinese help for every entry, and both languages in every note', () => {
		for (const entry of CATALOG) {
			assert.ok(entry.help.en.trim().length > 20, `${entry.key}: help.en`);
			assert.ok(entry.help.zh.trim().length > 5, `${entry.key}: help.zh`);
			assert.match(entry.help.zh, CJK, `${entry.key}: help.zh is not Chinese`);
			for (const note of [entry.zeroNote, entry.meaningNote, entry.thresholds?.note]) {
				if (!note) continue;
				assert.ok(note.en.trim().length > 0, `${entry.key}: note en`);
				assert.match(note.zh, CJK, `${entry.key}: note zh`);
			}
		}
	});

	it('gives every histogram a unit and FastDeploy histograms their top bucket', () => {
		for (const entry of CATALOG) {
			if (entry.kind !== 'histogram') {
				assert.equal(entry.topBucket, undefined, `${entry.key}: topBucket on a non-histogram`);
				continue;
			}
			assert.ok(entry.unit.length > 0, `${entry.key}: unit`);
			// Buckets of request_token_ratio were never seen (reference §4.4).
			if (entry.wire.fastdeploy && entry.key !== 'tokenRatio') {
				assert.ok(entry.topBucket !== undefined && entry.topBucket > 0, `${entry.key}: topBucket`);
			}
		}
		assert.equal(CATALOG_BY_KEY.get('ttft')?.topBucket, 1);
		assert.equal(CATALOG_BY_KEY.get('tpot')?.topBucket, 1);
		for (const key of ['queueTime', 'prefillTime', 'decodeTime', 'inferenceTime', 'e2eLatency']) {
			assert.equal(CATALOG_BY_KEY.get(key)?.topBucket, 7680, key);
			assert.equal(CATALOG_BY_KEY.get(key)?.unit, 'seconds', key);
		}
		for (const key of ['promptTokens', 'generationTokens', 'maxTokens']) {
			assert.equal(CATALOG_BY_KEY.get(key)?.topBucket, 20000, key);
			assert.equal(CATALOG_BY_KEY.get(key)?.unit, 'tokens', key);
		}
		assert.equal(CATALOG_BY_KEY.get('zmqLatency')?.unit, 'milliseconds');
	});

	it('writes every counter wire name with _total, as prometheus_client prints it', () => {
		for (const entry of CATALOG) {
			if (entry.kind !== 'counter') continue;
			for (const engine of ENGINES) {
				for (const name of entry.wire[engine] ?? []) assert.ok(name.endsWith('_total'), `${entry.key}: ${name}`);
			}
		}
	});

	it('has thresholds with warn < crit and notes in both languages', () => {
		const withThresholds = CATALOG.filter(e => e.thresholds);
		for (const key of ['queueTime', 'ttft', 'tpot', 'kvCacheUsage', 'waiting', 'e2eLatency']) {
			assert.ok(CATALOG_BY_KEY.get(key)?.thresholds, `${key} needs thresholds`);
		}
		for (const entry of withThresholds) {
			const t = entry.thresholds!;
			assert.ok(Number.isFinite(t.warn) && Number.isFinite(t.crit), entry.key);
			assert.ok(t.warn < t.crit, `${entry.key}: warn ${t.warn} !< crit ${t.crit}`);
			if (entry.unit === 'ratio') assert.ok(t.crit <= 1, `${entry.key}: ratio threshold above 1`);
		}
	});

	it('uses versions from the reference only', () => {
		const allowed = new Set(['2.0', '2.1', '2.2', '2.3', 'newest']);
		for (const entry of CATALOG) {
			if (entry.since !== undefined) assert.ok(allowed.has(entry.since), `${entry.key}: since ${entry.since}`);
			if (entry.removed !== undefined) assert.ok(allowed.has(entry.removed), `${entry.key}: removed ${entry.removed}`);
			// Every FastDeploy metric says when it appeared.
			if (entry.wire.fastdeploy) assert.ok(entry.since !== undefined, `${entry.key}: since`);
		}
		// Removed on develop, still exported by some 2.3+ release builds (reference §4.5): not removed.
		assert.equal(CATALOG_BY_KEY.get('firstTokenLatency')?.removed, undefined);
		assert.equal(CATALOG_BY_KEY.get('inferLatency')?.removed, undefined);
	});

	it('carries the notes the views rely on', () => {
		for (const key of ['prefillTime', 'e2eLatency', 'prefixSsdCacheTokensTotal']) {
			assert.ok(CATALOG_BY_KEY.get(key)?.zeroNote, `${key}: zeroNote`);
		}
		for (const key of ['ttft', 'tpot', 'inferLatency', 'specAcceptedTokens', 'specEmittedTokens', 'requestsReceivedTotal']) {
			assert.ok(CATALOG_BY_KEY.get(key)?.meaningNote, `${key}: meaningNote`);
		}
		assert.equal(CATALOG_BY_KEY.get('kvCacheUsage')?.unit, 'ratio');
		assert.equal(CATALOG_BY_KEY.get('kvCacheUsage')?.combine, 'max');
		assert.equal(CATALOG_BY_KEY.get('tokenRatio')?.unit, 'tokensPerSecond');
	});
});

describe('catalogEntryForFamily', () => {
	it('resolves every FastDeploy v2.0 wire name to the right key', () => {
		assert.equal(V20_WIRE.length, 16);
		for (const [name, key] of V20_WIRE) {
			const match = catalogEntryForFamily(name);
			assert.ok(match, `${name} unknown`);
			assert.equal(match.entry.key, key, name);
			assert.equal(match.engine, 'fastdeploy', name);
		}
	});

	it('resolves every later FastDeploy wire name to the right key', () => {
		for (const [name, key] of LATER_WIRE) {
			const match = catalogEntryForFamily(name);
			assert.ok(match, `${name} unknown`);
			assert.equal(match.entry.key, key, name);
			assert.equal(match.engine, 'fastdeploy', name);
		}
	});

	it('resolves vLLM and SGLang equivalents with their engine', () => {
		for (const [name, key, engine] of OTHER_ENGINES) {
			const match = catalogEntryForFamily(name);
			assert.ok(match, `${name} unknown`);
			assert.equal(match.entry.key, key, name);
			assert.equal(match.engine, engine, name);
		}
	});

	it('resolves every catalog wire name to its own entry', () => {
		for (const {name, key, engine} of allWireNames()) {
			const match = catalogEntryForFamily(name);
			assert.equal(match?.entry.key, key, name);
			assert.equal(match?.engine, engine, name);
		}
	});

	it('also resolves counters named without _total (docs and OpenMetrics parsers)', () => {
		assert.equal(catalogEntryForFamily('fastdeploy:requests_number')?.entry.key, 'requestsReceivedTotal');
		assert.equal(catalogEntryForFamily('fastdeploy:prompt_tokens')?.entry.key, 'promptTokensTotal');
		assert.equal(catalogEntryForFamily('fastdeploy:prefix_cache_token_num')?.entry.key, 'prefixCacheTokensTotal');
		assert.equal(catalogEntryForFamily('fastdeploy:send_cache_failed_num')?.entry.key, 'sendCacheFailedTotal');
		for (const entry of CATALOG) {
			if (entry.kind !== 'counter') continue;
			for (const engine of ENGINES) {
				for (const name of entry.wire[engine] ?? []) {
					const base = name.slice(0, -'_total'.length);
					const match = catalogEntryForFamily(base);
					assert.equal(match?.entry.key, entry.key, base);
					assert.equal(match?.engine, engine, base);
				}
			}
		}
	});

	it('does not strip _total from gauges or invent names', () => {
		assert.equal(catalogEntryForFamily('fastdeploy:num_requests_running_total'), undefined);
		assert.equal(catalogEntryForFamily('fastdeploy:generation_tokens_created'), undefined);
		assert.equal(catalogEntryForFamily('fastdeploy:time_to_first_token_seconds_created'), undefined);
		assert.equal(catalogEntryForFamily('fastdeploy:time_to_first_token_seconds_bucket'), undefined);
		assert.equal(catalogEntryForFamily('FASTDEPLOY:NUM_REQUESTS_RUNNING'), undefined);
		assert.equal(catalogEntryForFamily(''), undefined);
		assert.equal(catalogEntryForFamily(`${SPEC_HEAD_PREFIX}x`), undefined);
	});
});

describe('per-head speculative gauges', () => {
	it('are recognised by prefix, not catalogued', () => {
		assert.equal(SPEC_HEAD_PREFIX, 'fastdeploy:spec_decode_draft_single_head_acceptance_rate_');
		assert.equal(specHeadIndex(`${SPEC_HEAD_PREFIX}0`), 0);
		assert.equal(specHeadIndex(`${SPEC_HEAD_PREFIX}12`), 12);
		assert.equal(specHeadIndex(SPEC_HEAD_PREFIX), undefined);
		assert.equal(specHeadIndex(`${SPEC_HEAD_PREFIX}x`), undefined);
		assert.equal(specHeadIndex('fastdeploy:spec_decode_draft_acceptance_rate'), undefined);
		for (const {name} of allWireNames()) assert.ok(!name.startsWith(SPEC_HEAD_PREFIX), name);
		// Each head resolves to its own row (issue 14: per-head acceptance on the Overview), by the live rule.
		const head = catalogEntryForFamily(`${SPEC_HEAD_PREFIX}1`);
		assert.equal(head?.entry.key, 'specHeadAcceptance1');
		assert.equal(head?.entry.combine, 'live');
		assert.equal(head?.entry.unit, 'ratio');
		assert.equal(catalogEntryForFamily(`${SPEC_HEAD_PREFIX}999`), undefined);
	});
});
