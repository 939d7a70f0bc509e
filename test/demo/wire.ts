/**
 * Test helpers for the simulator's wire text: a deliberately small, independent line reader (not
 * fdtop's parser) and the expected FastDeploy tables, typed in from
 * shared/reference/fastdeploy-metrics.md §4 (not from demo/sim/catalog.ts).
 */
import http from 'node:http';

export interface WireSample {
	readonly name: string;
	readonly labels: Record<string, string>;
	readonly value: number;
	/** The value exactly as written. */
	readonly raw: string;
	/** 0-based line number. */
	readonly line: number;
}

export interface WireFamily {
	readonly name: string;
	help?: string;
	type?: string;
	readonly samples: WireSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;

function unescape(v: string): string {
	return v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** Families in order of their `# HELP`; samples belong to the family announced last. */
export function readWire(text: string): WireFamily[] {
	const families: WireFamily[] = [];
	let current: WireFamily | undefined;
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	lines.forEach((line, i) => {
		const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
		if (meta) {
			const [, kind, name = '', rest = ''] = meta;
			if (current?.name !== name) {
				current = {name, samples: []};
				families.push(current);
			}
			if (kind === 'HELP') current.help = rest;
			else current.type = rest;
			return;
		}
		const m = SAMPLE.exec(line);
		if (!m || !current) throw new Error(`line ${i + 1} is not a sample: ${line.slice(0, 120)}`);
		const labels: Record<string, string> = {};
		if (m[2]) {
			LABEL.lastIndex = 0;
			let lm: RegExpExecArray | null;
			while (LABEL.lastIndex < m[2].length && (lm = LABEL.exec(m[2]))) labels[lm[1] ?? ''] = unescape(lm[2] ?? '');
			if (LABEL.lastIndex !== m[2].length) throw new Error(`line ${i + 1}: bad labels`);
		}
		const raw = m[3] ?? '';
		current.samples.push({name: m[1] ?? '', labels, value: Number(raw === '+Inf' ? Infinity : raw), raw, line: i});
	});
	return families;
}

export function family(text: string | WireFamily[], name: string): WireFamily | undefined {
	return (typeof text === 'string' ? readWire(text) : text).find((f) => f.name === name);
}

/** The value of an unlabelled sample, or NaN. */
export function value(text: string, sampleName: string): number {
	const m = new RegExp(`^${sampleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
	return m ? Number(m[1]) : NaN;
}

export const TTFT_B = ['0.001', '0.005', '0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1.0'];
export const TPOT_B = ['0.01', '0.025', '0.05', '0.075', '0.1', '0.15', '0.2', '0.3', '0.4', '0.5', '0.75', '1.0'];
export const LAT_B = [
	'0.3', '0.5', '0.8', '1.0', '1.5', '2.0', '2.5', '5.0', '10.0', '15.0', '20.0', '30.0', '40.0', '50.0', '60.0',
	'120.0', '240.0', '480.0', '960.0', '1920.0', '7680.0',
];
export const TOK_B = ['1.0', '2.0', '5.0', '10.0', '20.0', '50.0', '100.0', '200.0', '500.0', '1000.0', '2000.0', '5000.0', '10000.0', '20000.0'];
export const HTTP_B = [
	'0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '0.75', '1.0', '1.5', '2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0',
	'7.5', '10.0', '30.0', '60.0',
];

/** [wire name, type, HELP, bucket bounds as written] */
export type Row = readonly [name: string, type: string, help: string, buckets?: readonly string[]];

/** §4.1: the 16 metrics of v2.0.0, in definition order. */
export const EXPECTED_20: readonly Row[] = [
	['fastdeploy:num_requests_running', 'gauge', 'Number of requests currently running'],
	['fastdeploy:num_requests_waiting', 'gauge', 'Number of requests currently waiting'],
	['fastdeploy:time_to_first_token_seconds', 'histogram', 'Time to first token in seconds', TTFT_B],
	['fastdeploy:time_per_output_token_seconds', 'histogram', 'Time per output token in seconds', TPOT_B],
	['fastdeploy:request_inference_time_seconds', 'histogram', 'Time spent in inference phase (from inference start to last token)', LAT_B],
	['fastdeploy:request_queue_time_seconds', 'histogram', 'Time spent in waiting queue (from preprocess end to inference start)', LAT_B],
	['fastdeploy:gpu_cache_usage_perc', 'gauge', 'GPU KV-cache usage. 1 means 100 percent usage'],
	['fastdeploy:generation_tokens_total', 'counter', 'Total number of generation tokens processed'],
	['fastdeploy:request_prefill_time_seconds', 'histogram', 'Time spent in prefill phase (from preprocess start to preprocess end)', LAT_B],
	['fastdeploy:request_decode_time_seconds', 'histogram', 'Time spent in decode phase (from first token to last token)', LAT_B],
	['fastdeploy:request_generation_tokens', 'histogram', 'Number of generation tokens processed.', TOK_B],
	['fastdeploy:request_success_total', 'counter', 'Total number of successfully processed requests'],
	['fastdeploy:e2e_request_latency_seconds', 'histogram', 'End-to-end request latency (from request arrival to final response)', LAT_B],
	['fastdeploy:request_params_max_tokens', 'histogram', 'Histogram of max_tokens parameter in request parameters', TOK_B],
	['fastdeploy:prompt_tokens_total', 'counter', 'Total number of prompt tokens processed'],
	['fastdeploy:request_prompt_tokens', 'histogram', 'Number of prefill tokens processed.', TOK_B],
];

const SPEC_HELP = 'Single head acceptance rate of speculative decoding';

/** §4.1 (less the removed first_token_latency/infer_latency) + §4.2 + §4.3, without FD_DEBUG. */
export const EXPECTED_23: readonly Row[] = [
	...EXPECTED_20.filter(([name]) => name !== 'fastdeploy:request_prompt_tokens'),
	// FastDeploy's SERVER_METRICS (metrics.py after the multiprocess rework) dropped the period.
	['fastdeploy:request_prompt_tokens', 'histogram', 'Number of prefill tokens processed', TOK_B],
	['fastdeploy:spec_decode_draft_acceptance_rate', 'gauge', 'Acceptance rate of speculative decoding'],
	['fastdeploy:spec_decode_num_accepted_tokens_total', 'gauge', 'Total number of tokens accepted by the scoring model and verification program'],
	['fastdeploy:spec_decode_num_emitted_tokens_total', 'gauge', 'Total number of tokens output by the entire system'],
	['fastdeploy:spec_decode_efficiency', 'gauge', 'Efficiency of speculative decoding'],
	['fastdeploy:spec_decode_num_draft_tokens_total', 'counter', 'Total number of speculative tokens generated by the proposal method'],
	['fastdeploy:spec_decode_draft_single_head_acceptance_rate_0', 'gauge', `${SPEC_HELP} (head 0)`],
	['fastdeploy:spec_decode_draft_single_head_acceptance_rate_1', 'gauge', `${SPEC_HELP} (head 1)`],
	['fastdeploy:prefix_cache_token_num_total', 'counter', 'Total number of cached tokens'],
	['fastdeploy:prefix_gpu_cache_token_num_total', 'counter', 'Total number of cached tokens on GPU'],
	['fastdeploy:prefix_cpu_cache_token_num_total', 'counter', 'Total number of cached tokens on CPU'],
	['fastdeploy:prefix_ssd_cache_token_num_total', 'counter', 'Total number of cached tokens on SSD'],
	['fastdeploy:batch_size', 'gauge', 'Real batch size during inference'],
	['fastdeploy:max_batch_size', 'gauge', 'Maximum batch size determined when service started'],
	['fastdeploy:available_gpu_block_num', 'gauge', 'Number of available gpu blocks in cache, including blocks in LRU list'],
	['fastdeploy:free_gpu_block_num', 'gauge', 'Number of free blocks in cache'],
	['fastdeploy:max_gpu_block_num', 'gauge', 'Number of total blocks determined when service started'],
	['fastdeploy:available_gpu_resource', 'gauge', 'Available blocks percentage, i.e. available_gpu_block_num / max_gpu_block_num'],
	['fastdeploy:requests_number_total', 'counter', 'Total number of requests received'],
	['fastdeploy:send_cache_failed_num_total', 'counter', 'Total number of failures of sending cache'],
	['fastdeploy:cache_config_info', 'gauge', "Information of the engine's CacheConfig"],
	['fastdeploy:available_batch_size', 'gauge', 'Number of requests that can still be inserted during the Decode phase'],
	['fastdeploy:hit_req_rate', 'gauge', 'Request-level prefix cache hit rate'],
	['fastdeploy:hit_token_rate', 'gauge', 'Token-level prefix cache hit rate'],
	['fastdeploy:cpu_hit_token_rate', 'gauge', 'Token-level CPU prefix cache hit rate'],
	['fastdeploy:gpu_hit_token_rate', 'gauge', 'Token-level GPU prefix cache hit rate'],
	['http_requests_total', 'counter', 'Total number of requests by method, status and handler.'],
	['http_request_duration_seconds', 'histogram', 'Duration of HTTP requests in seconds', HTTP_B],
];

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** The body ended normally. */
	complete: boolean;
	/** ms from the request to the response headers, and to the end (or abort). */
	headersMs: number;
	endMs: number;
}

/** GET with node:http; stops reading (and resolves incomplete) after `maxBytes`. */
export function rawGet(url: string, opts: {maxBytes?: number; timeoutMs?: number} = {}): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const req = http.get(url, {agent: false}, (res) => {
			const headersMs = performance.now() - start;
			const chunks: Buffer[] = [];
			let size = 0;
			let done = false;
			const finish = (complete: boolean): void => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete, headersMs, endMs: performance.now() - start});
			};
			res.on('data', (c: Buffer) => {
				chunks.push(c);
				size += c.length;
				if (opts.maxBytes !== undefined && size >= opts.maxBytes) {
					finish(false);
					req.destroy();
				}
			});
			res.on('end', () => finish(res.complete));
			res.on('aborted', () => finish(false));
			res.on('error', () => finish(false));
			res.on('close', () => finish(res.complete));
		});
		const timer = setTimeout(() => req.destroy(new Error('test timeout')), opts.timeoutMs ?? 5000);
		req.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
	});
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
