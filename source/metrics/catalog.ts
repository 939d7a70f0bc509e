/**
 * The one catalog of every metric fdtop understands: semantic key → wire names per engine, unit,
 * how series combine, and the explanations shown by the explain view.
 *
 * Ground truth: shared reference "fastdeploy-metrics.md" (§4 catalogue, §3 multiprocess quirks,
 * §6 prefill zeros, §7–8 vLLM/SGLang). Versions in `since`/`removed` follow the reference's release
 * mapping of FastDeploy develop dates ('2.1' ≈ develop 2025-07, '2.2' ≈ 2025-08/09, '2.3' ≈ late
 * Nov 2025, 'newest' = only in the newest docs). Cherry-picks can move a metric between releases.
 */
import type {CatalogEntry, Engine, Group} from './catalog-types.js';

// ---------------------------------------------------------------------------------------------
// Shared notes
// ---------------------------------------------------------------------------------------------

/** Gauges set by the engine process: on 2.3-era builds they can read 0 on the API port (§3). */
const ENGINE_GAUGE_ZERO = {
	en: 'On 2.3-era FastDeploy without a separate --metrics-port, /metrics is answered by an API worker process that never sets the engine gauges, so they can read 0 while generation_tokens_total keeps rising. Start FastDeploy with --metrics-port and scrape that port.',
	zh: '2.3 时期的 FastDeploy 若未单独指定 --metrics-port，/metrics 由 API 工作进程应答，而这些 Gauge 由引擎进程设置，因此可能一直为 0，而 generation_tokens_total 仍在增长。请用 --metrics-port 启动 FastDeploy 并抓取该端口。',
} as const;

/** Metrics observed in the API process: zero on gunicorn builds before the Nov 2025 fix (§3). */
const API_PROCESS_ZERO_EN =
	'On gunicorn builds of FastDeploy (develop 2025-10-15 … 2025-11-24) metrics observed in the API worker processes were never exported and stayed 0 (fixed by PR #4912).';
const API_PROCESS_ZERO_ZH =
	'在使用 gunicorn 的 FastDeploy 构建中（develop 2025-10-15 … 2025-11-24），在 API 工作进程中记录的指标不会被导出，始终为 0（PR #4912 修复）。';
const API_PROCESS_ZERO = {en: API_PROCESS_ZERO_EN, zh: API_PROCESS_ZERO_ZH} as const;

const PREFIX_CACHING_ZERO = {
	en: 'Stays 0 when prefix caching is disabled (enable_prefix_caching=false) or when prompts share no prefix.',
	zh: '未开启前缀缓存（enable_prefix_caching=false）或各请求的 prompt 没有公共前缀时始终为 0。',
} as const;

const SPEC_ONLY = {
	en: 'Only present once speculative decoding (MTP or ngram) has run a step; absent or 0 otherwise.',
	zh: '只有启用投机解码（MTP 或 ngram）并执行过投机步骤后才会出现；否则不存在或为 0。',
} as const;

const FD_DEBUG_ONLY = {
	en: 'Only exported when FastDeploy runs with FD_DEBUG set (2.3 and later).',
	zh: '只有在设置 FD_DEBUG 环境变量运行 FastDeploy（2.3 及以后）时才会导出。',
} as const;

const HTTP_EXCLUDED = {
	en: 'The middleware skips /v1/chat/completions, /v1/completions, /health, /metrics, /ping and /load, so inference traffic never appears here; near 0 is normal.',
	zh: '该中间件跳过 /v1/chat/completions、/v1/completions、/health、/metrics、/ping 和 /load，推理请求从不计入；接近 0 是正常的。',
} as const;

/** Histograms and counters the engine feeds as requests decode and finish. */
const DECODE_ZERO = {
	en: 'Observed by the engine as requests decode and finish. All zero since start means no request has finished a decode step on this server since it started: it is idle, every request is still before its first tokens, or this instance is the prefill side of a PD-disaggregated deployment (decoding runs on the decode instances, which export it).',
	zh: '由引擎在请求解码和完成时记录。启动以来始终为零，说明该服务自启动以来没有请求完成解码步骤：服务空闲、所有请求都还没有产生 token，或者该实例是 PD 分离部署中的 prefill 实例（解码在 decode 实例上进行，由其导出该指标）。',
} as const;

/** Histograms the engine observes at each request's first token. */
const FIRST_TOKEN_ZERO = {
	en: "Observed by the engine at each request's first token. All zero since start means no request has reached its first token on this server since it started: it is idle, requests are still queued or in prefill, or they arrive here already prefilled (the decode side of a PD-disaggregated deployment).",
	zh: '由引擎在每个请求产生首个 token 时记录。启动以来始终为零，说明该服务自启动以来没有请求产生首个 token：服务空闲、请求仍在排队或 prefill，或者请求到达时已完成 prefill（PD 分离部署中的 decode 实例）。',
} as const;

/** Requests counted on arrival. */
const ARRIVAL_ZERO = {
	en: 'Counted by the engine for each request it receives. All zero since start means no request has reached this server since it started: check that clients (or the router of a PD deployment) send to this instance.',
	zh: '引擎每收到一个请求计数一次。启动以来始终为零，说明该服务自启动以来没有收到请求：请检查客户端（或 PD 部署的路由）是否把请求发到了该实例。',
} as const;

/** Highest finite bucket of FastDeploy's latency histograms (`REQUEST_LATENCY_BUCKETS`). */
const LAT_TOP = 7680;
/** Highest finite bucket of FastDeploy's token-count histograms (1-2-5 up to 20000). */
const TOK_TOP = 20000;

// ---------------------------------------------------------------------------------------------
// The catalog (order = display order within each group; groups appear in GROUP_ORDER)
// ---------------------------------------------------------------------------------------------

export const CATALOG: readonly CatalogEntry[] = [
	// ----- latency ------------------------------------------------------------------------
	{
		key: 'ttft',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'TTFT',
		wire: {
			fastdeploy: ['fastdeploy:time_to_first_token_seconds'],
			vllm: ['vllm:time_to_first_token_seconds'],
			sglang: ['sglang:time_to_first_token_seconds'],
		},
		combine: 'sum',
		topBucket: 1.0,
		since: '2.0',
		zeroNote: FIRST_TOKEN_ZERO,
		help: {
			en: 'Time to first token per request, in seconds, until the first output token is produced. FastDeploy buckets stop at 1 s, so a percentile above 1 s is shown as "> 1 s"; the mean stays exact.',
			zh: '每个请求的首token时延（秒），即到产生第一个输出 token 为止的时间。FastDeploy 的分桶上限是 1 秒，超过 1 秒的分位数只能显示为 "> 1 s"，均值仍然准确。',
		},
		meaningNote: {
			en: 'FastDeploy 2.0–2.2 measure from inference start, excluding queueing and preprocessing; from late Nov 2025 (2.3) from request arrival, including tokenization and queueing. vLLM measures from frontend arrival and has buckets beyond 1 s (up to 2560 s).',
			zh: 'FastDeploy 2.0–2.2 从推理开始计时，不含排队和预处理；2025 年 11 月下旬（2.3）起从请求到达计时，包含分词和排队。vLLM 从前端收到请求开始计时，分桶超过 1 秒（最高 2560 秒）。',
		},
		thresholds: {
			warn: 1,
			crit: 5,
			note: {
				en: 'Warning from 1 s: interactive users notice the wait, and it is FastDeploy\'s top bucket, beyond which only the mean is known. Critical from 5 s: chat clients feel stalled and start retrying. On 2.0–2.2 TTFT excludes queueing, so a high value points at slow prefill (long prompts); on 2.3+ also check Queue.',
				zh: '1 秒起为警告：交互用户能明显感到等待，且这是 FastDeploy 的最高分桶，超过后只有均值可信。5 秒起为严重：聊天客户端会觉得卡住并开始重试。2.0–2.2 的 TTFT 不含排队，偏高说明 prefill 慢（prompt 过长）；2.3 起还应查看排队时间。',
			},
		},
	},
	{
		key: 'tpot',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'TPOT',
		wire: {
			fastdeploy: ['fastdeploy:time_per_output_token_seconds'],
			vllm: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
			sglang: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
		},
		combine: 'sum',
		topBucket: 1.0,
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Time between two consecutive output steps of a request, in seconds (inter-token latency, one observation per step). Lower means faster streaming: 0.05 s is about 20 tokens/s per stream. Buckets stop at 1 s.',
			zh: '同一请求相邻两次输出之间的间隔（秒），即每个输出 token 的生成时间（token 间时延，每步记录一次）。越小输出越流畅：0.05 秒约为每路 20 token/s。分桶上限为 1 秒。',
		},
		meaningNote: {
			en: 'FastDeploy records one gap per decode step; with speculative decoding a step can carry several tokens, so the real per-token pace is faster. vLLM renamed it vllm:inter_token_latency_seconds (0.11; vllm:time_per_output_token_seconds before), SGLang likewise; vLLM\'s per-request mean vllm:request_time_per_output_token_seconds is a different metric.',
			zh: 'FastDeploy 每个 decode 步记录一次间隔；开启投机解码时一步可能输出多个 token，实际每 token 速度更快。vLLM 0.11 起改名为 vllm:inter_token_latency_seconds（之前为 vllm:time_per_output_token_seconds），SGLang 同理；vLLM 的按请求平均值 vllm:request_time_per_output_token_seconds 是另一个指标。',
		},
		thresholds: {
			warn: 0.1,
			crit: 0.3,
			note: {
				en: 'Warning from 0.1 s per step (below 10 tokens/s per stream, streaming looks sluggish); critical from 0.3 s (about 3 tokens/s, slower than people read). Both are FastDeploy bucket bounds, so the share of slow steps is exact.',
				zh: '每步 0.1 秒起为警告（每路低于 10 token/s，流式输出明显变慢）；0.3 秒起为严重（约 3 token/s，比人的阅读速度还慢）。两者都是 FastDeploy 的分桶边界，慢步骤所占比例是精确的。',
			},
		},
	},
	{
		key: 'queueTime',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'Queue',
		wire: {
			fastdeploy: ['fastdeploy:request_queue_time_seconds'],
			vllm: ['vllm:request_queue_time_seconds'],
			sglang: ['sglang:queue_time_seconds'],
		},
		combine: 'sum',
		topBucket: LAT_TOP,
		since: '2.0',
		zeroNote: FIRST_TOKEN_ZERO,
		help: {
			en: 'Time a request waits after preprocessing (tokenization) until inference starts, in seconds. Near 0 means resources are free; seconds mean the server is busy; tens of seconds mean it is overloaded.',
			zh: '请求预处理（分词）完成后到开始推理之间的排队时间（秒）。接近 0 表示资源充足；几秒说明负载较高；数十秒说明系统过载。',
		},
		meaningNote: {
			en: 'FastDeploy 2.0–2.2 observe schedule start − preprocess end; 2.3+ inference start − preprocess end. vLLM and SGLang count the time spent in their waiting queue.',
			zh: 'FastDeploy 2.0–2.2 记录的是调度开始 − 预处理结束；2.3 起为推理开始 − 预处理结束。vLLM 和 SGLang 统计的是在等待队列中的时间。',
		},
		thresholds: {
			warn: 1,
			crit: 20,
			note: {
				en: 'Near 0 s is healthy (requests start at once). From 1 s to the teens of seconds: warning, the server is loaded and requests queue. From 20 s ("tens of seconds or more"): critical, the server is overloaded and may snowball.',
				zh: '接近 0 秒为健康（请求立即处理）。1 秒到十几秒为警告：系统负载较高，有排队。20 秒起（“数十秒或更高”）为严重：系统过载、资源不足，可能出现雪崩。',
			},
		},
	},
	{
		key: 'prefillTime',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'Prefill',
		wire: {
			fastdeploy: ['fastdeploy:request_prefill_time_seconds'],
			vllm: ['vllm:request_prefill_time_seconds'],
		},
		combine: 'sum',
		topBucket: LAT_TOP,
		since: '2.0',
		help: {
			en: 'Prefill time per request, in seconds: from inference start to the first token, i.e. processing the prompt and building its KV cache. Long prompts, and prefill competing with decode, raise it.',
			zh: '每个请求的 Prefill 时间（秒）：从推理开始到第一个 token，即处理整个 prompt 并构建 KV Cache 的耗时。prompt 越长、prefill 与 decode 争抢资源时越高。',
		},
		zeroNote: {
			en: 'All zero in FastDeploy 2.0 for text models (only the multimodal worker fed it) and for every model in builds from 2025-07-15 to 2025-11-26 (2.1 and 2.2), because the only writer was removed while the reader stayed. Fixed in 2.3, where it is first token − inference start.',
			zh: 'FastDeploy 2.0 中文本模型始终为 0（只有多模态 worker 会写入）；2025-07-15 至 2025-11-26 的构建（2.1 和 2.2）中所有模型都为 0，因为唯一的写入方被删除而读取方仍在。2.3 修复，改为首 token 时间 − 推理开始时间。',
		},
		meaningNote: {
			en: 'FastDeploy\'s HELP text ("from preprocess start to preprocess end") never matched the code. vLLM measures from scheduling to the first token.',
			zh: 'FastDeploy 的 HELP 文本（“从预处理开始到预处理结束”）与实现从未一致。vLLM 统计从被调度到第一个 token 的时间。',
		},
	},
	{
		key: 'decodeTime',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'Decode',
		wire: {
			fastdeploy: ['fastdeploy:request_decode_time_seconds'],
			vllm: ['vllm:request_decode_time_seconds'],
		},
		combine: 'sum',
		topBucket: LAT_TOP,
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Decode time per request, in seconds: from the first token to the last token. It grows with output length; divide by output tokens for the per-token speed.',
			zh: '每个请求的 Decode（持续输出）阶段耗时（秒）：从第一个 token 到最后一个 token。随输出长度增长；除以输出 token 数即为每 token 速度。',
		},
	},
	{
		key: 'inferenceTime',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'Inference',
		wire: {
			fastdeploy: ['fastdeploy:request_inference_time_seconds'],
			vllm: ['vllm:request_inference_time_seconds'],
		},
		combine: 'sum',
		topBucket: LAT_TOP,
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Inference time per request, in seconds: from inference start to the last token (prefill plus decode, without queueing). E2E latency minus this is the time spent queueing and in the API server.',
			zh: '每个请求的模型推理时间（秒）：从推理开始到生成最后一个 token（prefill 加 decode，不含排队）。端到端延迟减去它，即为排队及 API 服务内的耗时。',
		},
	},
	{
		key: 'e2eLatency',
		kind: 'histogram',
		unit: 'seconds',
		group: 'latency',
		title: 'E2E latency',
		wire: {
			fastdeploy: ['fastdeploy:e2e_request_latency_seconds'],
			vllm: ['vllm:e2e_request_latency_seconds'],
			sglang: ['sglang:e2e_request_latency_seconds'],
		},
		combine: 'sum',
		topBucket: LAT_TOP,
		since: '2.0',
		help: {
			en: 'End-to-end latency per request, in seconds: from arrival at the API server to the final response, including queueing, prefill and decode. It grows with output length.',
			zh: '每个请求的端到端延迟（秒）：从请求到达 API 服务到返回最终响应，包含排队、prefill 和 decode。随输出长度增长。',
		},
		zeroNote: {
			en: `FastDeploy only observes it for /v1/chat/completions, never for /v1/completions, so it stays 0 when clients use the completions endpoint. ${API_PROCESS_ZERO_EN}`,
			zh: `FastDeploy 只在 /v1/chat/completions 中记录，/v1/completions 从不记录，因此客户端只用 completions 接口时始终为 0。${API_PROCESS_ZERO_ZH}`,
		},
		thresholds: {
			warn: 30,
			crit: 120,
			note: {
				en: 'E2E latency scales with output length, so read it next to Decode and output tokens. For chat answers of a few hundred tokens, 30 s is slow (warning); from 120 s (critical) many clients and gateways time out. Both are bucket bounds. Raise them for long reasoning outputs.',
				zh: '端到端延迟随输出长度增长，应结合 Decode 时间和输出 token 数来看。对几百 token 的聊天回答，30 秒已偏慢（警告）；120 秒起（严重）许多客户端和网关会超时。两者都是分桶边界。长推理输出场景应调高。',
			},
		},
	},
	{
		key: 'firstTokenLatency',
		kind: 'gauge',
		unit: 'seconds',
		group: 'latency',
		title: 'Last TTFT',
		wire: {fastdeploy: ['fastdeploy:first_token_latency']},
		combine: 'first',
		since: '2.2',
		help: {
			en: 'Time to first token of the most recent request, in seconds (from inference start). A latest-value gauge: a live tick, not a distribution, so do not use it as an SLO figure.',
			zh: '最近一个请求的首token时延（秒，从推理开始计时）。这是“最新值”Gauge，只反映最近一次，不是分布，不能当作 SLO 指标。',
		},
		meaningNote: {
			en: 'Removed on develop on 2025-11-26 together with infer_latency, but still defined in the newest metrics code and exported by some 2.3+ release builds. Prefer the TTFT histogram, which gives a distribution.',
			zh: '已于 2025-11-26 在 develop 分支上与 infer_latency 一起移除，但最新的指标代码中仍有定义，部分 2.3+ 发布版本仍会导出。请优先使用 TTFT 直方图（可得到分布）。',
		},
	},
	{
		key: 'inferLatency',
		kind: 'gauge',
		unit: 'seconds',
		group: 'latency',
		title: 'Last infer time',
		wire: {fastdeploy: ['fastdeploy:infer_latency']},
		combine: 'first',
		since: '2.2',
		help: {
			en: 'Inference time of the most recent request, in seconds (finish − inference start). A latest-value gauge, not a distribution.',
			zh: '最近一个请求的推理耗时（秒，完成时间 − 推理开始时间）。这是“最新值”Gauge，不是分布。',
		},
		meaningNote: {
			en: 'Its HELP says "latest time to generate one token", but FastDeploy actually sets it to finish − inference start of the request. Removed on develop on 2025-11-26, but still defined in the newest metrics code and exported by some 2.3+ release builds.',
			zh: '其 HELP 写的是“最近生成一个 token 的时间”，但 FastDeploy 实际设置的是该请求的完成时间 − 推理开始时间。已于 2025-11-26 在 develop 分支上移除，但最新的指标代码中仍有定义，部分 2.3+ 发布版本仍会导出。',
		},
	},

	// ----- tokens -------------------------------------------------------------------------
	{
		key: 'promptTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'tokens',
		title: 'Prompt tokens',
		wire: {
			fastdeploy: ['fastdeploy:prompt_tokens_total'],
			vllm: ['vllm:prompt_tokens_total'],
			sglang: ['sglang:prompt_tokens_total'],
		},
		combine: 'sum',
		since: '2.0',
		help: {
			en: 'Prompt (input) tokens received since start. Its rate is the prefill load in tokens/s.',
			zh: '启动以来收到的输入 prompt token 总数（计数器）。其速率即 prefill 负载（token/s）。',
		},
		zeroNote: API_PROCESS_ZERO,
	},
	{
		key: 'generationTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'tokens',
		title: 'Gen tokens',
		wire: {
			fastdeploy: ['fastdeploy:generation_tokens_total'],
			vllm: ['vllm:generation_tokens_total'],
			sglang: ['sglang:generation_tokens_total'],
		},
		combine: 'sum',
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Output tokens generated since start. Its rate is the decode throughput in tokens/s, the main capacity figure of the server.',
			zh: '启动以来生成的输出 token 总数（计数器）。其速率即 decode 吞吐（token/s），是服务能力的主要指标。',
		},
	},
	{
		key: 'promptTokens',
		kind: 'histogram',
		unit: 'tokens',
		group: 'tokens',
		title: 'Prompt length',
		wire: {
			fastdeploy: ['fastdeploy:request_prompt_tokens'],
			vllm: ['vllm:request_prompt_tokens'],
		},
		combine: 'sum',
		topBucket: TOK_TOP,
		since: '2.0',
		help: {
			en: 'Prompt length per request, in tokens (1-2-5 buckets up to 20000). Longer prompts mean longer prefill, a higher TTFT and more KV cache per request.',
			zh: '每个请求的输入 prompt 长度（token 数，1-2-5 分桶，最高 20000）。prompt 越长，prefill 越久、首token时延越高，占用的 KV Cache 也越多。',
		},
		zeroNote: API_PROCESS_ZERO,
	},
	{
		key: 'generationTokens',
		kind: 'histogram',
		unit: 'tokens',
		group: 'tokens',
		title: 'Output length',
		wire: {
			fastdeploy: ['fastdeploy:request_generation_tokens'],
			vllm: ['vllm:request_generation_tokens'],
		},
		combine: 'sum',
		topBucket: TOK_TOP,
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Output length per finished request, in tokens. It drives decode time and cost; compare with max_tokens to see whether answers hit the limit.',
			zh: '每个完成请求实际生成的输出 token 数。它决定 decode 耗时和成本；与 max_tokens 对比可看出回答是否被截断。',
		},
	},
	{
		key: 'maxTokens',
		kind: 'histogram',
		unit: 'tokens',
		group: 'tokens',
		title: 'max_tokens',
		wire: {
			fastdeploy: ['fastdeploy:request_params_max_tokens'],
			vllm: ['vllm:request_params_max_tokens'],
		},
		combine: 'sum',
		topBucket: TOK_TOP,
		since: '2.0',
		help: {
			en: 'The max_tokens in effect per request, in tokens (FastDeploy clips the requested value to max_model_len − prompt length). Outputs that reach it were cut off.',
			zh: '每个请求实际生效的 max_tokens（token 数；FastDeploy 会把请求值截断到 max_model_len − prompt 长度）。输出达到该值说明被截断。',
		},
		zeroNote: API_PROCESS_ZERO,
	},
	{
		key: 'tokenRatio',
		kind: 'histogram',
		unit: 'tokensPerSecond',
		group: 'tokens',
		title: 'Request tok/s',
		wire: {fastdeploy: ['fastdeploy:request_token_ratio']},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'Generation speed of each request, in tokens per second: its output tokens divided by the time from inference start to finish, observed when it finishes (newest FastDeploy). Despite its name it is not a unit-less ratio. Its buckets vary by build.',
			zh: '每个请求的生成速度（token/s）：输出 token 数除以从推理开始到完成的时间，在请求结束时记录（最新版 FastDeploy）。虽然名字叫 ratio，但它不是无量纲的比值。分桶因构建而异。',
		},
	},
	{
		key: 'genThroughput',
		kind: 'gauge',
		unit: 'tokensPerSecond',
		group: 'tokens',
		title: 'Gen throughput',
		wire: {sglang: ['sglang:gen_throughput']},
		combine: 'sum',
		help: {
			en: 'SGLang\'s own estimate of generation throughput, in tokens per second, as of its last log interval.',
			zh: 'SGLang 自身估算的生成吞吐（token/s），取其最近一个日志周期的值。',
		},
	},

	// ----- requests -----------------------------------------------------------------------
	{
		key: 'running',
		kind: 'gauge',
		unit: 'requests',
		group: 'requests',
		title: 'Running',
		wire: {
			fastdeploy: ['fastdeploy:num_requests_running'],
			vllm: ['vllm:num_requests_running'],
			sglang: ['sglang:num_running_reqs'],
		},
		combine: 'sum',
		since: '2.0',
		help: {
			en: 'Requests currently in the running batch (prefill or decode). Compare with the max batch size for occupancy.',
			zh: '当前正在运行（prefill 或 decode）的请求数。与最大 batch 大小对比可得占用率。',
		},
		meaningNote: {
			en: 'With FastDeploy\'s V1 KV-cache scheduler (default from 2.2) two writers set and increment it, so it can briefly disagree or dip below 0; fdtop clamps at 0.',
			zh: 'FastDeploy 的 V1 KV-cache 调度器（2.2 起默认开启）下有两处同时写入（set 与 inc/dec），可能短暂不一致甚至小于 0；fdtop 显示时截断为 0。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'waiting',
		kind: 'gauge',
		unit: 'requests',
		group: 'requests',
		title: 'Waiting',
		wire: {
			fastdeploy: ['fastdeploy:num_requests_waiting'],
			vllm: ['vllm:num_requests_waiting'],
			sglang: ['sglang:num_queue_reqs'],
		},
		combine: 'sum',
		since: '2.0',
		help: {
			en: 'Requests accepted by the scheduler but not yet running. 0 is healthy; a queue that keeps growing means arrivals exceed what the batch and KV cache can take.',
			zh: '已被调度器接收但尚未开始运行的请求数。为 0 是健康的；队列持续增长说明到达速度超过了 batch 和 KV Cache 的承载能力。',
		},
		meaningNote: {
			en: 'Same two-writer caveat as Running on FastDeploy\'s V1 scheduler. SGLang calls it sglang:num_queue_reqs.',
			zh: '与 Running 相同，在 FastDeploy V1 调度器下有两处写入的问题。SGLang 中对应 sglang:num_queue_reqs。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
		thresholds: {
			warn: 1,
			crit: 20,
			note: {
				en: 'Warning from 1 waiting request: the batch or KV cache is full and new requests queue (short bursts are normal). Critical from 20: a backlog that long means sustained overload; expect queue times of seconds or more.',
				zh: '有 1 个请求等待即为警告：batch 或 KV Cache 已满，新请求开始排队（短暂突发属正常）。20 个起为严重：积压到这个程度说明持续过载，排队时间会达到数秒以上。',
			},
		},
	},
	{
		key: 'enqueued',
		kind: 'gauge',
		unit: 'requests',
		group: 'requests',
		title: 'Enqueued',
		wire: {fastdeploy: ['fastdeploy:num_requests_enqueued']},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'Requests queued but not yet scheduled (newest FastDeploy). Like Waiting, it should drain to 0 when the server keeps up.',
			zh: '已入队但尚未被调度的请求数（最新版 FastDeploy）。与 Waiting 类似，服务跟得上时应回落到 0。',
		},
	},
	{
		key: 'preempted',
		kind: 'gauge',
		unit: 'requests',
		group: 'requests',
		title: 'Preempted',
		wire: {fastdeploy: ['fastdeploy:num_requests_preempted']},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'Requests currently preempted: evicted from the KV cache and waiting to be rescheduled (newest FastDeploy). Non-zero means KV-cache pressure.',
			zh: '当前被抢占的请求数：因 KV Cache 不足被换出、等待重新调度（最新版 FastDeploy）。不为 0 说明 KV Cache 紧张。',
		},
	},
	{
		key: 'requestsReceivedTotal',
		kind: 'counter',
		unit: 'requests',
		group: 'requests',
		title: 'Received',
		wire: {fastdeploy: ['fastdeploy:requests_number_total']},
		combine: 'sum',
		since: '2.2',
		zeroNote: ARRIVAL_ZERO,
		help: {
			en: 'Requests received by the engine since start. Its rate is the arrival rate; received − finished approximates requests in flight or failed.',
			zh: '启动以来引擎收到的请求总数（计数器）。其速率即到达速率；收到数 − 完成数约为进行中或失败的请求数。',
		},
		meaningNote: {
			en: 'The docs call it fastdeploy:requests_number, but as a counter it is exported as fastdeploy:requests_number_total.',
			zh: '文档中写作 fastdeploy:requests_number，但作为计数器实际导出的名字是 fastdeploy:requests_number_total。',
		},
	},
	{
		key: 'requestSuccessTotal',
		kind: 'counter',
		unit: 'requests',
		group: 'requests',
		title: 'Finished',
		wire: {
			fastdeploy: ['fastdeploy:request_success_total'],
			vllm: ['vllm:request_success_total'],
			sglang: ['sglang:num_requests_total'],
		},
		combine: 'sum',
		since: '2.0',
		zeroNote: DECODE_ZERO,
		help: {
			en: 'Requests finished since start. Its rate is the completion rate (requests/s); compare with received requests.',
			zh: '启动以来成功处理完成的请求总数（计数器）。其速率即完成速率（请求/秒），可与收到的请求数对比。',
		},
		meaningNote: {
			en: 'FastDeploy has no finish-reason label and does not count on PD "prefill" instances. vLLM labels it finished_reason (stop, length, abort, …), so its sum includes aborted requests. SGLang\'s sglang:num_requests_total counts finished requests.',
			zh: 'FastDeploy 没有结束原因标签，PD 分离的 prefill 实例不计数。vLLM 带 finished_reason 标签（stop、length、abort 等），求和会包含被中止的请求。SGLang 的 sglang:num_requests_total 统计已完成请求。',
		},
	},
	{
		key: 'requestPreemptedTotal',
		kind: 'counter',
		unit: 'requests',
		group: 'requests',
		title: 'Preemptions',
		wire: {
			fastdeploy: ['fastdeploy:request_preempted_total'],
			vllm: ['vllm:num_preemptions_total'],
		},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'Preemptions since start: running requests evicted from the KV cache to make room, then recomputed. A steady rate means the KV cache is too small for the load.',
			zh: '启动以来的抢占次数：为腾出 KV Cache 而换出正在运行的请求，之后需重新计算。持续出现说明 KV Cache 对当前负载不够用。',
		},
	},

	// ----- batch --------------------------------------------------------------------------
	{
		key: 'batchSize',
		kind: 'gauge',
		unit: 'requests',
		group: 'batch',
		title: 'Batch',
		wire: {fastdeploy: ['fastdeploy:batch_size']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Requests in the current inference batch (max batch size − free slots). Batch / max batch is the batch occupancy.',
			zh: '当前推理 batch 中的请求数（最大 batch − 空闲槽位）。batch / 最大 batch 即 batch 占用率。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'maxBatchSize',
		kind: 'gauge',
		unit: 'requests',
		group: 'batch',
		title: 'Max batch',
		wire: {fastdeploy: ['fastdeploy:max_batch_size']},
		combine: 'max',
		since: '2.2',
		help: {
			en: 'Maximum batch size fixed when the service started (max_num_seqs).',
			zh: '服务启动时确定的最大 batch 大小（max_num_seqs）。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'availableBatchSize',
		kind: 'gauge',
		unit: 'requests',
		group: 'batch',
		title: 'Free batch slots',
		wire: {fastdeploy: ['fastdeploy:available_batch_size']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Slots still free for new requests during the decode phase. 0 means the batch is full and new requests wait.',
			zh: 'Decode 阶段还能插入的新请求数（空闲槽位）。为 0 说明 batch 已满，新请求需要等待。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},

	// ----- KV cache -----------------------------------------------------------------------
	{
		key: 'kvCacheUsage',
		kind: 'gauge',
		unit: 'ratio',
		group: 'kvCache',
		title: 'KV cache',
		wire: {
			fastdeploy: ['fastdeploy:gpu_cache_usage_perc'],
			vllm: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
			sglang: ['sglang:token_usage'],
		},
		combine: 'max',
		since: '2.0',
		help: {
			en: 'Share of GPU KV-cache blocks in use, as a ratio 0–1 (the docs say percent; the value is a fraction). Near 1 means new requests wait for free blocks and running ones may be preempted.',
			zh: 'GPU 上 KV Cache 块的使用比例，取值 0–1（文档写作百分比，实际是小数）。接近 1 表示新请求要等待空闲块，正在运行的请求可能被抢占。',
		},
		meaningNote: {
			en: 'vLLM: vllm:kv_cache_usage_perc (vllm:gpu_cache_usage_perc before 0.9). SGLang: sglang:token_usage, the share of KV token slots in use.',
			zh: 'vLLM：vllm:kv_cache_usage_perc（0.9 之前为 vllm:gpu_cache_usage_perc）。SGLang：sglang:token_usage，即已用 KV token 槽位的比例。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
		thresholds: {
			warn: 0.85,
			crit: 0.95,
			note: {
				en: 'Warning from 85 %: little headroom left for new prompts. Critical from 95 %: new requests wait for blocks and running requests start being preempted (recomputed).',
				zh: '85% 起为警告：留给新 prompt 的空间不多。95% 起为严重：新请求要等待空闲块，正在运行的请求开始被抢占（需重新计算）。',
			},
		},
	},
	{
		key: 'availableGpuBlocks',
		kind: 'gauge',
		unit: 'blocks',
		group: 'kvCache',
		title: 'Avail GPU blocks',
		wire: {fastdeploy: ['fastdeploy:available_gpu_block_num']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'GPU KV-cache blocks available for new work, including prefix-cache blocks that are not released yet but can be reclaimed (LRU list). At least as large as free blocks.',
			zh: 'GPU 上可用于新请求的 KV Cache 块数，包括尚未正式释放但可回收的前缀缓存块（LRU 列表中）。不小于空闲块数。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'freeGpuBlocks',
		kind: 'gauge',
		unit: 'blocks',
		group: 'kvCache',
		title: 'Free GPU blocks',
		wire: {fastdeploy: ['fastdeploy:free_gpu_block_num']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'GPU KV-cache blocks that are completely free. Available − free is what the prefix cache holds but could give back.',
			zh: 'GPU 上完全空闲的 KV Cache 块数。可用块数 − 空闲块数即前缀缓存占用但可归还的部分。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'maxGpuBlocks',
		kind: 'gauge',
		unit: 'blocks',
		group: 'kvCache',
		title: 'Max GPU blocks',
		wire: {fastdeploy: ['fastdeploy:max_gpu_block_num']},
		combine: 'max',
		since: '2.2',
		help: {
			en: 'Total GPU KV-cache blocks, fixed when the service started. (max − free) / max is the block usage.',
			zh: '服务启动时确定的 GPU KV Cache 总块数。（总块数 − 空闲块数）/ 总块数即块使用率。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},
	{
		key: 'maxCpuBlocks',
		kind: 'gauge',
		unit: 'blocks',
		group: 'kvCache',
		title: 'Max CPU blocks',
		wire: {fastdeploy: ['fastdeploy:max_cpu_block_num']},
		combine: 'max',
		since: 'newest',
		help: {
			en: 'Total CPU (host memory) KV-cache blocks used for swapping and the hierarchical prefix cache; 0 without swap space.',
			zh: 'CPU（主机内存）上用于换出和分级前缀缓存的 KV Cache 总块数；未配置 swap 空间时为 0。',
		},
	},
	{
		key: 'freeCpuBlocks',
		kind: 'gauge',
		unit: 'blocks',
		group: 'kvCache',
		title: 'Free CPU blocks',
		wire: {fastdeploy: ['fastdeploy:free_cpu_block_num']},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'CPU (host memory) KV-cache blocks that are free (newest FastDeploy). Max − free CPU blocks is what swapped-out requests and the hierarchical prefix cache hold.',
			zh: 'CPU（主机内存）上空闲的 KV Cache 块数（最新版 FastDeploy）。CPU 总块数 − 空闲块数即被换出的请求和分级前缀缓存占用的部分。',
		},
	},
	{
		key: 'availableGpuResource',
		kind: 'gauge',
		unit: 'ratio',
		group: 'kvCache',
		title: 'Avail GPU res',
		wire: {fastdeploy: ['fastdeploy:available_gpu_resource']},
		combine: 'mean',
		since: '2.2',
		help: {
			en: 'Available GPU blocks / total GPU blocks, as a ratio 0–1 (the docs say percent). Near 0 means the KV cache is exhausted.',
			zh: '可用 GPU 块数 / GPU 总块数，取值 0–1（文档写作百分比）。接近 0 表示 KV Cache 已耗尽。',
		},
		zeroNote: ENGINE_GAUGE_ZERO,
	},

	// ----- prefix cache -------------------------------------------------------------------
	{
		key: 'hitReqRate',
		kind: 'gauge',
		unit: 'ratio',
		group: 'prefixCache',
		title: 'Req hit rate',
		wire: {fastdeploy: ['fastdeploy:hit_req_rate']},
		combine: 'mean',
		since: '2.2',
		help: {
			en: 'Share of requests that hit the prefix cache, as a ratio 0–1 (docs say percent). Computed by FastDeploy itself, not over fdtop\'s window.',
			zh: '命中前缀缓存的请求比例，取值 0–1（文档写作百分比）。由 FastDeploy 自行计算，不是 fdtop 窗口内的值。',
		},
		zeroNote: {
			en: `${PREFIX_CACHING_ZERO.en} ${ENGINE_GAUGE_ZERO.en}`,
			zh: `${PREFIX_CACHING_ZERO.zh}${ENGINE_GAUGE_ZERO.zh}`,
		},
	},
	{
		key: 'hitTokenRate',
		kind: 'gauge',
		unit: 'ratio',
		group: 'prefixCache',
		title: 'Token hit rate',
		wire: {
			fastdeploy: ['fastdeploy:hit_token_rate'],
			sglang: ['sglang:cache_hit_rate'],
		},
		combine: 'mean',
		since: '2.2',
		help: {
			en: 'Share of prompt tokens served from the prefix cache (GPU and CPU), as a ratio 0–1. Higher means less prefill work and a lower TTFT.',
			zh: '由前缀缓存（GPU 与 CPU）提供的 prompt token 比例，取值 0–1。越高 prefill 计算越少、首token时延越低。',
		},
		meaningNote: {
			en: 'SGLang reports sglang:cache_hit_rate (radix cache). vLLM has no such gauge; fdtop derives it from vllm:prefix_cache_hits_total / vllm:prefix_cache_queries_total.',
			zh: 'SGLang 报告 sglang:cache_hit_rate（radix cache）。vLLM 没有该 Gauge，fdtop 由 vllm:prefix_cache_hits_total / vllm:prefix_cache_queries_total 推算。',
		},
		zeroNote: {
			en: `${PREFIX_CACHING_ZERO.en} ${ENGINE_GAUGE_ZERO.en}`,
			zh: `${PREFIX_CACHING_ZERO.zh}${ENGINE_GAUGE_ZERO.zh}`,
		},
	},
	{
		key: 'gpuHitTokenRate',
		kind: 'gauge',
		unit: 'ratio',
		group: 'prefixCache',
		title: 'GPU hit rate',
		wire: {fastdeploy: ['fastdeploy:gpu_hit_token_rate']},
		combine: 'mean',
		since: '2.2',
		help: {
			en: 'Share of prompt tokens found in the GPU prefix cache, as a ratio 0–1.',
			zh: '在 GPU 前缀缓存中命中的 prompt token 比例，取值 0–1。',
		},
		zeroNote: {
			en: `${PREFIX_CACHING_ZERO.en} ${ENGINE_GAUGE_ZERO.en}`,
			zh: `${PREFIX_CACHING_ZERO.zh}${ENGINE_GAUGE_ZERO.zh}`,
		},
	},
	{
		key: 'cpuHitTokenRate',
		kind: 'gauge',
		unit: 'ratio',
		group: 'prefixCache',
		title: 'CPU hit rate',
		wire: {fastdeploy: ['fastdeploy:cpu_hit_token_rate']},
		combine: 'mean',
		since: '2.2',
		help: {
			en: 'Share of prompt tokens found in the CPU (host memory) tier of the prefix cache, as a ratio 0–1; they must be copied back to the GPU.',
			zh: '在 CPU（主机内存）层前缀缓存中命中的 prompt token 比例，取值 0–1；这些 KV 需要拷回 GPU。',
		},
		zeroNote: {
			en: `Stays 0 unless the hierarchical (CPU swap) cache is enabled. ${ENGINE_GAUGE_ZERO.en}`,
			zh: `未开启分级缓存（CPU swap）时始终为 0。${ENGINE_GAUGE_ZERO.zh}`,
		},
	},
	{
		key: 'prefixCacheTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'Cached tokens',
		wire: {fastdeploy: ['fastdeploy:prefix_cache_token_num_total']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Prompt tokens served from the prefix cache since start, all tiers. Its rate divided by the prompt-token rate is the token hit rate over the window.',
			zh: '启动以来由前缀缓存（所有层级）提供的 prompt token 总数。其速率除以 prompt token 速率即窗口内的 token 命中率。',
		},
		zeroNote: PREFIX_CACHING_ZERO,
	},
	{
		key: 'prefixGpuCacheTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'GPU cached tokens',
		wire: {fastdeploy: ['fastdeploy:prefix_gpu_cache_token_num_total']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Prompt tokens served from the GPU prefix cache since start.',
			zh: '启动以来由 GPU 前缀缓存提供的 prompt token 总数。',
		},
		zeroNote: PREFIX_CACHING_ZERO,
	},
	{
		key: 'prefixCpuCacheTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'CPU cached tokens',
		wire: {fastdeploy: ['fastdeploy:prefix_cpu_cache_token_num_total']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Prompt tokens served from the CPU (host memory) prefix cache since start.',
			zh: '启动以来由 CPU（主机内存）前缀缓存提供的 prompt token 总数。',
		},
		zeroNote: {
			en: 'Stays 0 unless the hierarchical (CPU swap) cache is enabled.',
			zh: '未开启分级缓存（CPU swap）时始终为 0。',
		},
	},
	{
		key: 'prefixSsdCacheTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'SSD cached tokens',
		wire: {fastdeploy: ['fastdeploy:prefix_ssd_cache_token_num_total']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Prompt tokens served from the SSD prefix cache since start.',
			zh: '启动以来由 SSD 前缀缓存提供的 prompt token 总数。',
		},
		zeroNote: {
			en: 'Always 0: FastDeploy registers this counter but never increments it anywhere in the code examined.',
			zh: '始终为 0：FastDeploy 注册了该计数器，但在已查看的代码中从未对其累加。',
		},
	},
	{
		key: 'prefixStorageCacheTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'Storage cached tok',
		wire: {fastdeploy: ['fastdeploy:prefix_storage_cache_token_num_total']},
		combine: 'sum',
		since: 'newest',
		help: {
			en: 'Prompt tokens served from the external storage tier of the prefix cache since start (newest FastDeploy).',
			zh: '启动以来由前缀缓存外部存储层提供的 prompt token 总数（最新版 FastDeploy）。',
		},
		zeroNote: {
			en: 'Stays 0 unless a storage tier for the KV cache is configured.',
			zh: '未配置 KV Cache 存储层时始终为 0。',
		},
	},
	{
		key: 'prefixCacheQueriesTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'Prefix queries',
		wire: {vllm: ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total']},
		combine: 'sum',
		help: {
			en: 'Tokens looked up in vLLM\'s prefix cache since start. Δhits / Δqueries over the window is the prefix-cache hit rate.',
			zh: '启动以来在 vLLM 前缀缓存中查询的 token 总数。窗口内 Δ命中数 / Δ查询数即前缀缓存命中率。',
		},
		meaningNote: {
			en: 'vLLM only. Older vLLM named it vllm:gpu_prefix_cache_queries_total and at first counted blocks, not tokens.',
			zh: '仅 vLLM。旧版 vLLM 名为 vllm:gpu_prefix_cache_queries_total，最初统计的是块数而不是 token 数。',
		},
	},
	{
		key: 'prefixCacheHitsTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'prefixCache',
		title: 'Prefix hits',
		wire: {vllm: ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total']},
		combine: 'sum',
		help: {
			en: 'Tokens found in vLLM\'s prefix cache since start. Δhits / Δqueries over the window is the prefix-cache hit rate.',
			zh: '启动以来在 vLLM 前缀缓存中命中的 token 总数。窗口内 Δ命中数 / Δ查询数即前缀缓存命中率。',
		},
		meaningNote: {
			en: 'vLLM only. Older vLLM named it vllm:gpu_prefix_cache_hits_total and at first counted blocks, not tokens.',
			zh: '仅 vLLM。旧版 vLLM 名为 vllm:gpu_prefix_cache_hits_total，最初统计的是块数而不是 token 数。',
		},
	},

	// ----- speculative decoding -----------------------------------------------------------
	{
		key: 'specAcceptanceRate',
		kind: 'gauge',
		unit: 'ratio',
		group: 'specDecode',
		title: 'Spec accept rate',
		wire: {fastdeploy: ['fastdeploy:spec_decode_draft_acceptance_rate']},
		combine: 'live',
		since: '2.1',
		help: {
			en: 'Acceptance rate of speculative decoding, as a ratio 0–1 (ngram: accepted / emitted tokens; MTP: accepted / draft tokens). Higher means speculation pays off.',
			zh: '投机解码的接受率，取值 0–1（ngram：接受 token 数 / 输出 token 数；MTP：接受 token 数 / 草稿 token 数）。越高说明投机越划算。',
		},
		zeroNote: SPEC_ONLY,
	},
	{
		key: 'specEfficiency',
		kind: 'gauge',
		unit: 'ratio',
		group: 'specDecode',
		title: 'Spec efficiency',
		wire: {fastdeploy: ['fastdeploy:spec_decode_efficiency']},
		combine: 'live',
		since: '2.1',
		help: {
			en: 'Efficiency of speculative decoding as computed by FastDeploy (MTP only), a ratio where higher is better.',
			zh: 'FastDeploy 计算的投机解码效率（仅 MTP），为比值，越高越好。',
		},
		zeroNote: SPEC_ONLY,
	},
	{
		key: 'specDraftTokensTotal',
		kind: 'counter',
		unit: 'tokens',
		group: 'specDecode',
		title: 'Draft tokens',
		wire: {
			fastdeploy: ['fastdeploy:spec_decode_num_draft_tokens_total'],
			vllm: ['vllm:spec_decode_num_draft_tokens_total'],
		},
		combine: 'sum',
		since: '2.1',
		help: {
			en: 'Draft tokens proposed by the speculative method since start (FastDeploy: MTP only). Δaccepted / Δdraft over the window is the acceptance rate.',
			zh: '启动以来投机方法提出的草稿 token 总数（FastDeploy 仅 MTP）。窗口内 Δ接受数 / Δ草稿数即接受率。',
		},
		zeroNote: SPEC_ONLY,
	},
	{
		key: 'specAcceptedTokens',
		kind: 'counter',
		unit: 'tokens',
		group: 'specDecode',
		title: 'Accepted tokens',
		wire: {
			fastdeploy: ['fastdeploy:spec_decode_num_accepted_tokens_total'],
			vllm: ['vllm:spec_decode_num_accepted_tokens_total'],
		},
		combine: 'sum',
		since: '2.1',
		help: {
			en: 'Tokens accepted by the target model\'s verification since start (a running total).',
			zh: '启动以来经目标模型验证被接受的 token 总数（累计值）。',
		},
		meaningNote: {
			en: 'Since 2025-12-12 FastDeploy exposes it as a gauge that holds the running total (the name keeps _total, and in multiprocess mode it carries a pid label); fdtop reads it as a counter either way. vLLM\'s counter counts accepted draft tokens.',
			zh: '自 2025-12-12 起 FastDeploy 以 Gauge 形式导出累计值（名字仍带 _total，多进程模式下带 pid 标签）；fdtop 都按计数器读取。vLLM 的计数器统计的是被接受的草稿 token。',
		},
		zeroNote: SPEC_ONLY,
	},
	{
		key: 'specEmittedTokens',
		kind: 'counter',
		unit: 'tokens',
		group: 'specDecode',
		title: 'Emitted tokens',
		wire: {fastdeploy: ['fastdeploy:spec_decode_num_emitted_tokens_total']},
		combine: 'sum',
		since: '2.1',
		help: {
			en: 'Tokens output by the whole system while speculative decoding is on, since start (a running total). Δaccepted / Δemitted is the share of output that came from drafts.',
			zh: '开启投机解码时整个系统输出的 token 总数（累计值）。Δ接受数 / Δ输出数即输出中来自草稿的比例。',
		},
		meaningNote: {
			en: 'Since 2025-12-12 FastDeploy exposes it as a gauge that holds the running total (the name keeps _total, and in multiprocess mode it carries a pid label); fdtop reads it as a counter either way.',
			zh: '自 2025-12-12 起 FastDeploy 以 Gauge 形式导出累计值（名字仍带 _total，多进程模式下带 pid 标签）；fdtop 都按计数器读取。',
		},
		zeroNote: SPEC_ONLY,
	},

	// ----- transfer (PD disaggregation, ZMQ) ----------------------------------------------
	{
		key: 'sendCacheFailedTotal',
		kind: 'counter',
		unit: 'count',
		group: 'transfer',
		title: 'Cache send fails',
		wire: {fastdeploy: ['fastdeploy:send_cache_failed_num_total']},
		combine: 'sum',
		since: '2.2',
		help: {
			en: 'Failures to send the KV cache from a prefill instance to a decode instance (PD disaggregation) since start. It should stay 0; any increase means KV transfers are failing.',
			zh: '启动以来 KV Cache 从 prefill 实例发送到 decode 实例（PD 分离）失败的次数。应保持为 0；一旦增长说明 KV 传输出错。',
		},
		zeroNote: {
			en: 'Only moves in PD-disaggregated deployments; 0 is the healthy value.',
			zh: '只在 PD 分离部署中才会变化；为 0 是健康状态。',
		},
	},
	{
		key: 'zmqLatency',
		kind: 'histogram',
		unit: 'milliseconds',
		group: 'transfer',
		title: 'ZMQ latency',
		wire: {fastdeploy: ['fastdeploy:zmq:latency']},
		combine: 'sum',
		topBucket: 1000,
		since: '2.3',
		help: {
			en: 'Latency of ZMQ messages between FastDeploy processes, in milliseconds (not seconds), per socket address.',
			zh: 'FastDeploy 进程间 ZMQ 消息的时延，单位是毫秒（不是秒），按 socket 地址区分。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},
	{
		key: 'zmqMsgSendTotal',
		kind: 'counter',
		unit: 'count',
		group: 'transfer',
		title: 'ZMQ msgs sent',
		wire: {fastdeploy: ['fastdeploy:zmq:msg_send_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'ZMQ messages sent between FastDeploy processes since start, per socket address.',
			zh: '启动以来 FastDeploy 进程间发送的 ZMQ 消息数，按 socket 地址区分。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},
	{
		key: 'zmqMsgSendFailedTotal',
		kind: 'counter',
		unit: 'count',
		group: 'transfer',
		title: 'ZMQ send fails',
		wire: {fastdeploy: ['fastdeploy:zmq:msg_send_failed_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'ZMQ messages that failed to send since start. Should stay 0.',
			zh: '启动以来发送失败的 ZMQ 消息数。应保持为 0。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},
	{
		key: 'zmqBytesSendTotal',
		kind: 'counter',
		unit: 'bytes',
		group: 'transfer',
		title: 'ZMQ bytes sent',
		wire: {fastdeploy: ['fastdeploy:zmq:msg_bytes_send_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'Bytes sent over ZMQ since start; its rate is the inter-process bandwidth.',
			zh: '启动以来通过 ZMQ 发送的字节数；其速率即进程间带宽。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},
	{
		key: 'zmqMsgRecvTotal',
		kind: 'counter',
		unit: 'count',
		group: 'transfer',
		title: 'ZMQ msgs recv',
		wire: {fastdeploy: ['fastdeploy:zmq:msg_recv_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'ZMQ messages received since start, per socket address.',
			zh: '启动以来接收的 ZMQ 消息数，按 socket 地址区分。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},
	{
		key: 'zmqBytesRecvTotal',
		kind: 'counter',
		unit: 'bytes',
		group: 'transfer',
		title: 'ZMQ bytes recv',
		wire: {fastdeploy: ['fastdeploy:zmq:msg_bytes_recv_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'Bytes received over ZMQ since start.',
			zh: '启动以来通过 ZMQ 接收的字节数。',
		},
		zeroNote: FD_DEBUG_ONLY,
	},

	// ----- HTTP ---------------------------------------------------------------------------
	{
		key: 'httpRequestsTotal',
		kind: 'counter',
		unit: 'requests',
		group: 'http',
		title: 'HTTP requests',
		wire: {fastdeploy: ['http_requests_total']},
		combine: 'sum',
		since: '2.3',
		help: {
			en: 'HTTP requests to the API server by method, path and status code, since start. Use it for 4xx/5xx on the side endpoints, not as inference traffic.',
			zh: '启动以来 API 服务收到的 HTTP 请求数，按方法、路径和状态码区分。用于观察辅助接口的 4xx/5xx，不代表推理流量。',
		},
		zeroNote: HTTP_EXCLUDED,
	},
	{
		key: 'httpDuration',
		kind: 'histogram',
		unit: 'seconds',
		group: 'http',
		title: 'HTTP duration',
		wire: {fastdeploy: ['http_request_duration_seconds']},
		combine: 'sum',
		topBucket: 60,
		since: '2.3',
		help: {
			en: 'Duration of HTTP requests to the API server, in seconds, by method and path. It excludes /v1/chat/completions and /v1/completions, so it never shows inference latency.',
			zh: 'API 服务处理 HTTP 请求的耗时（秒），按方法和路径区分。不包含 /v1/chat/completions 和 /v1/completions，因此不反映推理时延。',
		},
		zeroNote: HTTP_EXCLUDED,
	},

	// ----- info ---------------------------------------------------------------------------
	{
		key: 'cacheConfigInfo',
		kind: 'info',
		unit: 'none',
		group: 'info',
		title: 'Cache config',
		wire: {
			fastdeploy: ['fastdeploy:cache_config_info'],
			vllm: ['vllm:cache_config_info'],
		},
		combine: 'first',
		since: '2.2',
		help: {
			en: 'The engine\'s KV-cache configuration. The value is always 1; the labels carry the settings (block_size, cache_dtype, total_block_num, enable_prefix_caching, …).',
			zh: '引擎的 KV Cache 配置。数值恒为 1，配置项放在标签中（block_size、cache_dtype、total_block_num、enable_prefix_caching 等）。',
		},
	},
];

/**
 * Per-head speculative acceptance gauges are separate metric names, one per speculative token:
 * `fastdeploy:spec_decode_draft_single_head_acceptance_rate_0`, `_1`, … (MTP only, ratio 0–1).
 */
export const SPEC_HEAD_PREFIX = 'fastdeploy:spec_decode_draft_single_head_acceptance_rate_';

/** The head index of a per-head acceptance family, or undefined when the name is not one. */
export function specHeadIndex(familyName: string): number | undefined {
	if (!familyName.startsWith(SPEC_HEAD_PREFIX)) return undefined;
	const rest = familyName.slice(SPEC_HEAD_PREFIX.length);
	return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

/** Semantic key of head i's acceptance gauge (`specHeadAcceptance0`, …). */
export const SPEC_HEAD_KEY = 'specHeadAcceptance';
/** More heads than any MTP set-up uses: a name beyond this is not a head. */
const MAX_SPEC_HEADS = 64;
const specHeads = new Map<number, CatalogEntry>();

/** The catalog row of head i's acceptance gauge (made on first use; not in CATALOG or the README table). */
export function specHeadEntry(head: number): CatalogEntry | undefined {
	if (!Number.isInteger(head) || head < 0 || head >= MAX_SPEC_HEADS) return undefined;
	let entry = specHeads.get(head);
	if (!entry) {
		entry = {
			key: `${SPEC_HEAD_KEY}${head}`,
			kind: 'gauge',
			unit: 'ratio',
			group: 'specDecode',
			title: `Head ${head} accept`,
			wire: {fastdeploy: [`${SPEC_HEAD_PREFIX}${head}`]},
			combine: 'live',
			since: '2.1',
			help: {
				en: `Acceptance rate of MTP draft head ${head} (the ${head + 1}${head === 0 ? 'st' : head === 1 ? 'nd' : head === 2 ? 'rd' : 'th'} speculative token), as a ratio 0–1. Later heads accept less; a head near 0 costs compute for nothing.`,
				zh: `MTP 第 ${head} 个草稿头（第 ${head + 1} 个投机 token）的接受率，取值 0–1。越靠后的头接受率越低；接近 0 的头只浪费算力。`,
			},
			zeroNote: SPEC_ONLY,
		};
		specHeads.set(head, entry);
	}
	return entry;
}

/** A catalog row by semantic key, per-head acceptance gauges included. */
export function catalogEntryForKey(key: string): CatalogEntry | undefined {
	const entry = CATALOG_BY_KEY.get(key);
	if (entry || !key.startsWith(SPEC_HEAD_KEY)) return entry;
	const rest = key.slice(SPEC_HEAD_KEY.length);
	return /^\d+$/.test(rest) ? specHeadEntry(Number(rest)) : undefined;
}

/** Order of sections in views and reports. */
export const GROUP_ORDER: readonly Group[] = [
	'latency',
	'tokens',
	'requests',
	'batch',
	'kvCache',
	'prefixCache',
	'specDecode',
	'transfer',
	'http',
	'info',
];

export const GROUP_TITLES: Record<Group, {en: string; zh: string}> = {
	latency: {en: 'Latency', zh: '时延'},
	tokens: {en: 'Tokens', zh: 'Token'},
	requests: {en: 'Requests', zh: '请求'},
	batch: {en: 'Batch', zh: '批处理'},
	kvCache: {en: 'KV cache', zh: 'KV 缓存'},
	prefixCache: {en: 'Prefix cache', zh: '前缀缓存'},
	specDecode: {en: 'Speculative decoding', zh: '投机解码'},
	transfer: {en: 'Transfer (PD / ZMQ)', zh: '传输（PD / ZMQ）'},
	http: {en: 'HTTP', zh: 'HTTP'},
	info: {en: 'Configuration', zh: '配置'},
};

export const CATALOG_BY_KEY: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map(entry => [entry.key, entry]));

const ENGINES: readonly Engine[] = ['fastdeploy', 'vllm', 'sglang'];

function buildFamilyIndex(): ReadonlyMap<string, {entry: CatalogEntry; engine: Engine}> {
	const index = new Map<string, {entry: CatalogEntry; engine: Engine}>();
	// Exact wire names first, so an alias can never shadow a real name.
	for (const entry of CATALOG) {
		for (const engine of ENGINES) {
			for (const name of entry.wire[engine] ?? []) index.set(name, {entry, engine});
		}
	}
	// Counters also under the name without `_total` (OpenMetrics-style parsers name the family so).
	for (const entry of CATALOG) {
		if (entry.kind !== 'counter') continue;
		for (const engine of ENGINES) {
			for (const name of entry.wire[engine] ?? []) {
				if (!name.endsWith('_total')) continue;
				const base = name.slice(0, -'_total'.length);
				if (!index.has(base)) index.set(base, {entry, engine});
			}
		}
	}
	return index;
}

const FAMILY_INDEX = buildFamilyIndex();

/** The catalog entry and engine for a wire family name (exact match; counters also without `_total`). */
export function catalogEntryForFamily(familyName: string): {entry: CatalogEntry; engine: Engine} | undefined {
	const known = FAMILY_INDEX.get(familyName);
	if (known) return known;
	const head = specHeadIndex(familyName);
	const entry = head === undefined ? undefined : specHeadEntry(head);
	return entry && {entry, engine: 'fastdeploy'};
}
