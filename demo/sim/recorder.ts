/**
 * Holds the simulated server's metrics in a real prom-client Registry and applies the model's
 * events to them the way FastDeploy's code does for the chosen era.
 */
import {Counter, Gauge, Histogram, Registry} from 'prom-client';
import {M, SPEC_HEADS, eraMetrics, type Era, type MetricDef, type MetricKey} from './catalog.js';
import {BLOCK_SIZE, MAX_MODEL_LEN, type GaugeState, type MetricsSink, type Req, type SpecDelta} from './model.js';
import {Rng} from './rng.js';

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

interface HistogramEntry {
	sum: number;
	count: number;
	bucketValues: Record<number, number>;
}
interface HistogramInternals {
	hashMap?: Record<string, HistogramEntry>;
	upperBounds?: readonly number[];
}

/**
 * `count` observations of `value` in an unlabelled histogram. prom-client has no bulk observe and
 * observe() costs ~0.6 µs, too slow for per-token TPOT over a simulated day, so this adds to
 * prom-client's own bucket record directly; it falls back to observe() if that shape changes.
 */
export function observeMany(h: Histogram<string>, value: number, count: number): void {
	if (count <= 0) return;
	const internals = h as unknown as HistogramInternals;
	const entry = internals.hashMap?.[''];
	const bounds = internals.upperBounds;
	if (entry === undefined || bounds === undefined || typeof entry.sum !== 'number') {
		for (let i = 0; i < count; i++) h.observe(value);
		return;
	}
	entry.sum += value * count;
	entry.count += count;
	for (const b of bounds) {
		if (value <= b) {
			entry.bucketValues[b] = (entry.bucketValues[b] ?? 0) + count;
			return;
		}
	}
}

/** Python str() of a model config: long, with double quotes and backslashes inside. */
const MODEL_CFG =
	"{'architectures': ['Ernie4_5_MoeForCausalLM'], 'model': '/models/ERNIE-4.5-21B-A3B-Paddle', 'dtype': 'bfloat16', " +
	"'max_model_len': 32768, 'hidden_size': 2560, 'num_hidden_layers': 28, 'num_attention_heads': 20, " +
	"'num_key_value_heads': 4, 'head_dim': 128, 'vocab_size': 103424, 'rope_theta': 500000.0, 'moe_num_experts': 64, " +
	"'moe_k': 6, 'tie_word_embeddings': True, 'quantization': None, 'stop_seqs': ['\\n\\nUser:'], " +
	`'chat_template': "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}"}`;

function cacheConfigLabels(totalBlocks: number): Record<string, string> {
	return {
		block_size: String(BLOCK_SIZE),
		bytes_per_block: '589824',
		bytes_per_layer_per_block: '32768',
		cache_dtype: 'bfloat16',
		cache_queue_port: '8003',
		cache_transfer_protocol: 'ipc',
		dec_token_num: '128',
		each_token_cache_space: '9216',
		enable_chunked_prefill: 'False',
		enable_hierarchical_cache: 'False',
		enable_prefix_caching: 'True',
		enable_ssd_cache: 'False',
		enc_dec_block_num: '2',
		gpu_memory_utilization: '0.9',
		kv_cache_ratio: '0.75',
		max_block_num_per_seq: String(MAX_MODEL_LEN / BLOCK_SIZE),
		model_cfg: MODEL_CFG,
		num_cpu_blocks: '0',
		num_gpu_blocks_override: 'None',
		pd_comm_port: 'None',
		prealloc_dec_block_slot_num_threshold: '12',
		prefill_kvcache_block_num: String(Math.floor(totalBlocks * 0.75)),
		rdma_comm_ports: 'None',
		swap_space: 'None',
		total_block_num: String(totalBlocks),
	};
}

export interface RecorderOptions {
	readonly era: Era;
	readonly fdDebug?: boolean;
	/** Unix seconds at simulated time 0. */
	readonly startUnixSeconds: number;
	readonly seed?: number;
	readonly totalBlocks: number;
	readonly maxNumSeqs: number;
}

type SpecTotals = {steps: number; draft: number; accepted: number; emitted: number; head0: number; head1: number};
const newSpecTotals = (): SpecTotals => ({steps: 0, draft: 0, accepted: 0, emitted: 0, head0: 0, head1: 0});

export const ZMQ_ADDRESS = 'ipc:///dev/shm/router_8296.ipc';

export class Recorder implements MetricsSink {
	readonly era: Era;
	readonly fdDebug: boolean;
	registry!: Registry;
	/** `_created` unix timestamps by family name (written in the 2.0 era only). */
	readonly created = new Map<string, number>();
	/** pids of the two data-parallel engine processes that write the spec gauges (2.3 multiprocess). */
	pids: [string, string] = ['0', '0'];
	private opts: RecorderOptions;
	private readonly rng: Rng;
	private metrics = new Map<MetricKey, AnyMetric>();
	private specTotals: [SpecTotals, SpecTotals] = [newSpecTotals(), newSpecTotals()];

	constructor(opts: RecorderOptions) {
		this.opts = opts;
		this.era = opts.era;
		this.fdDebug = opts.fdDebug ?? false;
		this.rng = new Rng((opts.seed ?? 1) ^ 0x5eed);
		this.build(0);
	}

	/** Seconds since the epoch of a simulated time. */
	unix(t: number): number {
		return this.opts.startUnixSeconds + t;
	}

	private build(at: number): void {
		const registry = new Registry();
		this.metrics = new Map();
		this.created.clear();
		const processStart = this.unix(at) + this.rng.range(2, 6);
		const main = this.rng.int(3000, 60000);
		this.pids = [String(main), String(main + this.rng.int(2, 40))];
		this.specTotals = [newSpecTotals(), newSpecTotals()];
		const cacheLabels = cacheConfigLabels(this.opts.totalBlocks);
		eraMetrics(this.era, this.fdDebug).forEach((key, i) => {
			const def: MetricDef = M[key];
			const labelNames = key === 'cacheConfig' ? Object.keys(cacheLabels) : [...(def.labelNames ?? [])];
			const config = {name: def.name, help: def.help, labelNames, registers: [registry]};
			const metric =
				def.kind === 'counter'
					? new Counter(config)
					: def.kind === 'gauge'
						? new Gauge(config)
						: new Histogram({...config, buckets: [...(def.buckets ?? [])]});
			this.metrics.set(key, metric);
			if (def.kind !== 'gauge') this.created.set(def.name, processStart + i * 0.000173 + this.rng.range(0, 0.0001));
		});
		this.gauge('maxBatchSize')?.set(this.opts.maxNumSeqs);
		this.gauge('maxBlocks')?.set(this.opts.totalBlocks);
		this.gauge('maxCpuBlocks')?.set(this.cpuBlocks());
		this.gauge('freeCpuBlocks')?.set(this.cpuBlocks());
		this.gauge('cacheConfig')?.set(cacheLabels, 1);
		this.registry = registry;
	}

	/** Newest builds: a swap space half the GPU cache (cache_config_info keeps num_cpu_blocks 0 for older eras). */
	private cpuBlocks(): number {
		return this.metrics.has('maxCpuBlocks') ? Math.floor(this.opts.totalBlocks / 2) : 0;
	}

	private counter(key: MetricKey): Counter<string> | undefined {
		return this.metrics.get(key) as Counter<string> | undefined;
	}
	private gauge(key: MetricKey): Gauge<string> | undefined {
		return this.metrics.get(key) as Gauge<string> | undefined;
	}
	private hist(key: MetricKey): Histogram<string> | undefined {
		return this.metrics.get(key) as Histogram<string> | undefined;
	}
	private observe(key: MetricKey, value: number, count = 1): void {
		const h = this.hist(key);
		if (h) observeMany(h, value, count);
	}

	arrival(r: Req): void {
		this.counter('promptTokens')?.inc(r.prompt);
		this.observe(this.era === '2.0' ? 'reqPromptTokens20' : 'reqPromptTokens23', r.prompt);
		this.observe('maxTokens', r.maxTokens);
	}

	received(): void {
		this.counter('requestsNumber')?.inc();
	}

	scheduled(r: Req): void {
		if (r.cached <= 0) return;
		this.counter('prefixCacheTokens')?.inc(r.cached);
		this.counter('prefixGpuTokens')?.inc(r.cached);
	}

	firstToken(r: Req): void {
		const prefill = r.firstToken - r.inferenceStart;
		// 2.0: TTFT counts from inference start (= prefill only); 2.3: from arrival.
		this.observe('ttft', this.era === '2.0' ? prefill : r.firstToken - r.arrival);
		this.observe('queue', r.inferenceStart - r.preprocessEnd);
		// 2.0 declares request_prefill_time but never observes it for text models.
		if (this.era !== '2.0') this.observe('prefill', prefill);
		this.gauge('firstTokenLatency')?.set(prefill);
	}

	tokens(n: number): void {
		this.counter('genTokens')?.inc(n);
	}

	tpot(seconds: number, count: number): void {
		this.observe('tpot', seconds, count);
	}

	finished(r: Req): void {
		this.observe('inference', r.finish - r.inferenceStart);
		this.observe('decode', r.finish - r.firstToken);
		this.observe('reqGenTokens', r.generated);
		this.counter('success')?.inc();
		if (r.chat) this.observe('e2e', r.responseEnd - r.arrival);
		const inference = r.finish - r.inferenceStart;
		this.gauge('inferLatency')?.set(inference);
		// Newest: output tokens over the time since inference start, in tokens per second.
		if (inference > 0) this.observe('tokenRatio', r.generated / inference);
	}

	preempted(): void {
		this.counter('preemptedTotal')?.inc();
	}

	spec(d: SpecDelta): void {
		const s = this.specTotals[d.rank];
		s.steps += d.steps;
		s.draft += d.draft;
		s.accepted += d.accepted;
		s.emitted += d.emitted;
		s.head0 += d.head0;
		s.head1 += d.head1;
		this.counter('specDraftTokens')?.inc(d.draft);
	}

	/**
	 * FastDeploy sets these every step; writing them once per model step shows the same values.
	 * Each data-parallel engine process keeps its own totals; multiprocess mode adds `pid`.
	 */
	private writeSpecGauges(): void {
		if (!this.metrics.has('specAcceptance')) return;
		this.specTotals.forEach((s, rank) => {
			// Created lazily on the process's first speculative step, so absent before it.
			if (s.steps === 0) return;
			const pid = {pid: this.pids[rank] ?? '0'};
			this.gauge('specAcceptance')?.set(pid, s.draft > 0 ? s.accepted / s.draft : 0);
			this.gauge('specAccepted')?.set(pid, s.accepted);
			this.gauge('specEmitted')?.set(pid, s.emitted);
			this.gauge('specEfficiency')?.set(pid, s.emitted / (s.steps * (1 + SPEC_HEADS)));
			this.gauge('specHead0')?.set(pid, s.head0 / s.steps);
			this.gauge('specHead1')?.set(pid, s.head0 > 0 ? s.head1 / s.head0 : 0);
		});
	}

	http(method: string, path: string, status: number, seconds: number): void {
		this.counter('httpRequests')?.inc({method, path, status_code: String(status)});
		this.hist('httpDuration')?.observe({method, path}, seconds);
	}

	zmq(sent: number, bytesSent: number, received: number, bytesReceived: number, latencyMs: number): void {
		if (!this.fdDebug || !this.metrics.has('zmqSend')) return;
		const address = ZMQ_ADDRESS;
		this.counter('zmqSend')?.inc({address}, sent);
		this.counter('zmqSendFailed')?.inc({address}, 0);
		this.counter('zmqBytesSend')?.inc({address}, bytesSent);
		this.counter('zmqRecv')?.inc({address}, received);
		this.counter('zmqBytesRecv')?.inc({address}, bytesReceived);
		this.hist('zmqLatency')?.observe({address}, latencyMs);
	}

	gauges(g: GaugeState): void {
		this.gauge('running')?.set(g.running);
		this.gauge('waiting')?.set(g.waiting);
		this.gauge('kvUsage')?.set(g.usedBlocks / g.totalBlocks);
		this.gauge('batchSize')?.set(g.running);
		this.gauge('availableBatch')?.set(g.maxNumSeqs - g.running);
		this.gauge('availableBlocks')?.set(g.availableBlocks);
		this.gauge('freeBlocks')?.set(g.freeBlocks);
		this.gauge('availableResource')?.set(g.availableBlocks / g.totalBlocks);
		this.gauge('hitReqRate')?.set(g.hitReqRate);
		this.gauge('hitTokenRate')?.set(g.hitTokenRate);
		this.gauge('gpuHitTokenRate')?.set(g.hitTokenRate);
		this.gauge('cpuHitTokenRate')?.set(0);
		this.gauge('enqueued')?.set(g.enqueued);
		this.gauge('preemptedNow')?.set(g.preempted);
		const cpu = this.cpuBlocks();
		this.gauge('freeCpuBlocks')?.set(Math.max(0, cpu - g.swappedBlocks));
		this.writeSpecGauges();
	}

	restart(at: number): void {
		this.build(at);
	}

	configure(settings: {readonly maxNumSeqs: number; readonly totalBlocks: number}): void {
		this.opts = {...this.opts, ...settings};
	}
}
