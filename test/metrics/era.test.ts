/**
 * The FastDeploy version guess (issue 14 §1), on every shape the reference and the simulator know:
 * what `--once --json` says (`era`, `eraConfidence`, `eraEvidence`) and what the text report shows
 * and notes. Texts come from the simulator's generators and the fixtures, transformed the way the
 * reference says each version differs (shared/reference/fastdeploy-metrics.md §3, §4).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {generateScrapes} from '../../demo/sim/generate.js';
import type {Era as SimEra} from '../../demo/sim/catalog.js';
import {reportJson, reportText} from '../../source/report.js';
import {Store} from '../../source/store.js';
import type {Era} from '../../source/metrics/era.js';
import {counterText, gaugeText} from '../helpers/exposition.js';
import {parseExposition} from '../../source/prom/parse.js';
import {renderExposition as renderPrometheus} from '../../source/sources/prometheus.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** The last of a few scrapes of a simulated server that has run for two minutes. */
function simulated(era: SimEra, options: {scenario?: 'steady' | 'overload'; fdDebug?: boolean} = {}): string {
	const texts = [...generateScrapes({scenario: options.scenario ?? 'steady', era, seed: 3, intervalSeconds: 1, count: 2, warmupSeconds: 120, fdDebug: options.fdDebug})];
	return texts.at(-1)!.text;
}

/** Families of an exposition, each with its HELP/TYPE lines and samples, in order. */
function blocks(text: string): {name: string; text: string}[] {
	const out: {name: string; text: string}[] = [];
	for (const line of text.split('\n')) {
		const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
		const last = out.at(-1);
		if (m && (!last || last.name !== m[1])) out.push({name: m[1]!, text: `${line}\n`});
		else if (last && line !== '') last.text += `${line}\n`;
	}
	return out;
}

function without(text: string, drop: (name: string) => boolean): string {
	return blocks(text)
		.filter(b => !drop(b.name))
		.map(b => b.text)
		.join('');
}

/** A 2.2 in-memory exposition: the 2.0 one plus the gauges and counters added in 2.2 (§4.2). */
function v22(base = simulated('2.0')): string {
	return [
		base.trimEnd(),
		'# HELP fastdeploy:batch_size Real batch size during inference',
		'# TYPE fastdeploy:batch_size gauge',
		'fastdeploy:batch_size 12.0',
		'# HELP fastdeploy:max_batch_size Maximum batch size determined when service started',
		'# TYPE fastdeploy:max_batch_size gauge',
		'fastdeploy:max_batch_size 64.0',
		'# HELP fastdeploy:available_gpu_block_num Number of available gpu blocks in cache, including prefix caching blocks that are not officially released',
		'# TYPE fastdeploy:available_gpu_block_num gauge',
		'fastdeploy:available_gpu_block_num 900.0',
		'# HELP fastdeploy:free_gpu_block_num Number of free blocks in cache',
		'# TYPE fastdeploy:free_gpu_block_num gauge',
		'fastdeploy:free_gpu_block_num 800.0',
		'# HELP fastdeploy:max_gpu_block_num Number of total blocks determined when service started',
		'# TYPE fastdeploy:max_gpu_block_num gauge',
		'fastdeploy:max_gpu_block_num 2000.0',
		'# HELP fastdeploy:available_gpu_resource Available blocks percentage, i.e. available_gpu_block_num / max_gpu_block_num',
		'# TYPE fastdeploy:available_gpu_resource gauge',
		'fastdeploy:available_gpu_resource 0.45',
		'# HELP fastdeploy:requests_number_total Total number of requests received',
		'# TYPE fastdeploy:requests_number_total counter',
		'fastdeploy:requests_number_total 400.0',
		'# HELP fastdeploy:requests_number_created Total number of requests received',
		'# TYPE fastdeploy:requests_number_created gauge',
		'fastdeploy:requests_number_created 1.7643456e+09',
		'# HELP fastdeploy:send_cache_failed_num_total Total number of failures of sending cache',
		'# TYPE fastdeploy:send_cache_failed_num_total counter',
		'fastdeploy:send_cache_failed_num_total 0.0',
		'# HELP fastdeploy:send_cache_failed_num_created Total number of failures of sending cache',
		'# TYPE fastdeploy:send_cache_failed_num_created gauge',
		'fastdeploy:send_cache_failed_num_created 1.7643456e+09',
		'# HELP fastdeploy:first_token_latency Latest time to first token in seconds',
		'# TYPE fastdeploy:first_token_latency gauge',
		'fastdeploy:first_token_latency 0.08',
		'',
	].join('\n');
}

/**
 * 2.2 with `--workers 2` (§3 Mode A): the API processes' work metrics come from the multiprocess
 * files (`_sum` first, no `_created`, HELP "Multiprocess metric"); the engine's stay in memory.
 */
function v22Workers(): string {
	const work = /^fastdeploy:(e2e_request_latency_seconds|request_params_max_tokens|request_prompt_tokens|prompt_tokens)(_created)?$/;
	return blocks(v22())
		.filter(b => !(work.test(b.name) && b.name.endsWith('_created')))
		.map(b => {
			if (!work.test(b.name)) return b.text;
			const lines = b.text.split('\n').filter(Boolean).map(l => (l.startsWith('# HELP') ? `# HELP ${b.name} Multiprocess metric` : l));
			const sum = lines.filter(l => /_sum /.test(l));
			return `${[...lines.filter(l => l.startsWith('#')), ...sum, ...lines.filter(l => !l.startsWith('#') && !/_sum /.test(l))].join('\n')}\n`;
		})
		.join('');
}

/** 2.1: the 2.0 set plus the speculative-decoding metrics (created once speculative decoding runs). */
function v21(): string {
	return [
		simulated('2.0').trimEnd(),
		'# HELP fastdeploy:spec_decode_draft_acceptance_rate Acceptance rate of speculative decoding',
		'# TYPE fastdeploy:spec_decode_draft_acceptance_rate gauge',
		'fastdeploy:spec_decode_draft_acceptance_rate 0.61',
		'# HELP fastdeploy:spec_decode_efficiency Efficiency of speculative decoding',
		'# TYPE fastdeploy:spec_decode_efficiency gauge',
		'fastdeploy:spec_decode_efficiency 0.8',
		'',
	].join('\n');
}

/** 2.4+: the 2.3 multiprocess text plus the newest families (§4.5). */
function v24(): string {
	return [
		simulated('2.3').trimEnd(),
		'# HELP fastdeploy:request_preempted_total Total number of preempted requests',
		'# TYPE fastdeploy:request_preempted_total counter',
		'fastdeploy:request_preempted_total 3.0',
		'# HELP fastdeploy:num_requests_enqueued Number of requests enqueued',
		'# TYPE fastdeploy:num_requests_enqueued gauge',
		'fastdeploy:num_requests_enqueued 2.0',
		'# HELP fastdeploy:num_requests_preempted Number of requests preempted',
		'# TYPE fastdeploy:num_requests_preempted gauge',
		'fastdeploy:num_requests_preempted 0.0',
		'',
	].join('\n');
}

/** GAUGE_METRICS of the 2.3 code, read from the serving process's memory (§3 Mode B). */
const GAUGE_METRICS = new Set(
	['num_requests_running', 'num_requests_waiting', 'gpu_cache_usage_perc', 'batch_size', 'max_batch_size', 'available_gpu_block_num', 'free_gpu_block_num', 'max_gpu_block_num', 'available_gpu_resource', 'available_batch_size', 'hit_req_rate', 'hit_token_rate', 'cpu_hit_token_rate', 'gpu_hit_token_rate'].map(n => `fastdeploy:${n}`),
);

/**
 * The reported 2.3 server: the multiprocess collector's part only (no `_created`, `_sum` before
 * `_bucket`, counters summed across workers, spec gauges with `pid`), no http_* traffic yet, and
 * the gauges that the 2.3+ builds still export (first_token_latency, §4.5).
 */
function v23Collector(): string {
	return [
		without(simulated('2.3'), name => GAUGE_METRICS.has(name) || name.startsWith('http_')).trimEnd(),
		'# HELP fastdeploy:first_token_latency Latest time to first token in seconds',
		'# TYPE fastdeploy:first_token_latency gauge',
		'fastdeploy:first_token_latency 0.31',
		'',
	].join('\n');
}

const VLLM = [
	'# HELP vllm:num_requests_running Number of requests in model execution batches.',
	'# TYPE vllm:num_requests_running gauge',
	'vllm:num_requests_running{engine="0",model_name="m"} 3.0',
	'# HELP vllm:generation_tokens_total Number of generation tokens processed.',
	'# TYPE vllm:generation_tokens_total counter',
	'vllm:generation_tokens_total{engine="0",model_name="m"} 5000.0',
	'# HELP vllm:generation_tokens_created Number of generation tokens processed.',
	'# TYPE vllm:generation_tokens_created gauge',
	'vllm:generation_tokens_created{engine="0",model_name="m"} 1.76e+09',
	'# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.',
	'# TYPE vllm:time_to_first_token_seconds histogram',
	'vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="m"} 4.0',
	'vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} 5.0',
	'vllm:time_to_first_token_seconds_count{engine="0",model_name="m"} 5.0',
	'vllm:time_to_first_token_seconds_sum{engine="0",model_name="m"} 0.7',
	'',
].join('\n');

const SGLANG = [
	'# HELP sglang:num_running_reqs The number of running requests.',
	'# TYPE sglang:num_running_reqs gauge',
	'sglang:num_running_reqs{model_name="m"} 2.0',
	'# HELP sglang:token_usage The token usage.',
	'# TYPE sglang:token_usage gauge',
	'sglang:token_usage{model_name="m"} 0.3',
	'# HELP sglang:generation_tokens_total Number of generation tokens processed.',
	'# TYPE sglang:generation_tokens_total counter',
	'sglang:generation_tokens_total{model_name="m"} 800.0',
	'',
].join('\n');

interface Outcome {
	era: unknown;
	eraConfidence: unknown;
	eraEvidence: unknown;
	engine: unknown;
	text: string;
}

function read(text: string, era?: Era): Outcome {
	const store = new Store({targets: [{name: 'x', location: 'http://x:8000/metrics'}], intervalMs: 1000, windowMs: 60_000, ...(era && {era})});
	store.ingest(0, {target: 'http://x:8000/metrics', t: 1_764_547_200_000, text, durationMs: 3, bytes: text.length});
	const state = store.getSnapshot();
	const json = JSON.parse(JSON.stringify(reportJson(state, 'test', new Date(0)))) as {targets: Record<string, unknown>[]};
	const t = json.targets[0]!;
	return {era: t.era, eraConfidence: t.eraConfidence, eraEvidence: t.eraEvidence, engine: t.engine, text: reportText(state, 'test')};
}

/** The target's line of the text report (the engine and version are on it). */
const headLine = (o: Outcome) => o.text.split('\n').find(l => l.startsWith('http://x:8000/metrics'))!;
const TTFT_NOTE = /TTFT.*(inference start|queue)/;

describe('the FastDeploy version is guessed from evidence', () => {
	const shapes: {what: string; text: () => string; era: string | null; confidence: string; label: string}[] = [
		{what: 'simulator 2.0 (in-memory, the 16 families of v2.0.0)', text: () => simulated('2.0'), era: '2.0', confidence: 'likely', label: 'fastdeploy 2.0?'},
		{what: 'simulator 2.0 overloaded', text: () => simulated('2.0', {scenario: 'overload'}), era: '2.0', confidence: 'likely', label: 'fastdeploy 2.0?'},
		{what: 'fixture fastdeploy-2.0.txt', text: () => fixture('fastdeploy-2.0.txt'), era: '2.0', confidence: 'likely', label: 'fastdeploy 2.0?'},
		{what: 'fixture article-fastdeploy-2.0.txt', text: () => fixture('article-fastdeploy-2.0.txt'), era: '2.0', confidence: 'likely', label: 'fastdeploy 2.0?'},
		{what: '2.1 (2.0 set + speculative decoding)', text: v21, era: '2.1', confidence: 'certain', label: 'fastdeploy 2.1'},
		{what: '2.2 in-memory (2.0 set + the 2.2 gauges and counters)', text: () => v22(), era: '2.2', confidence: 'certain', label: 'fastdeploy 2.2'},
		{what: '2.2 with --workers 2 (work metrics multiprocess-shaped, engine metrics in memory)', text: v22Workers, era: '2.2', confidence: 'certain', label: 'fastdeploy 2.2'},
		{what: 'simulator 2.3 (multiprocess, Mode B)', text: () => simulated('2.3'), era: '2.3', confidence: 'certain', label: 'fastdeploy 2.3'},
		{what: 'simulator 2.3 overloaded', text: () => simulated('2.3', {scenario: 'overload'}), era: '2.3', confidence: 'certain', label: 'fastdeploy 2.3'},
		{what: 'simulator 2.3 with FD_DEBUG (ZMQ metrics)', text: () => simulated('2.3', {fdDebug: true}), era: '2.3', confidence: 'certain', label: 'fastdeploy 2.3'},
		{what: 'fixture fastdeploy-2.3.txt', text: () => fixture('fastdeploy-2.3.txt'), era: '2.3', confidence: 'certain', label: 'fastdeploy 2.3'},
		{what: '2.3 multiprocess collector only, first_token_latency still exported (the reported case)', text: v23Collector, era: '2.3', confidence: 'likely', label: 'fastdeploy 2.3?'},
		{what: '2.4+ (2.3 text + preemption and enqueued families)', text: v24, era: '2.4+', confidence: 'certain', label: 'fastdeploy 2.4+'},
		{what: 'one gauge', text: () => gaugeText('fastdeploy:num_requests_running', 3), era: null, confidence: 'unknown', label: 'fastdeploy'},
		{what: 'two gauges (the reported "2.2")', text: () => [gaugeText('fastdeploy:num_requests_running', 3), gaugeText('fastdeploy:batch_size', 3)].join('\n'), era: null, confidence: 'unknown', label: 'fastdeploy'},
		{what: 'two gauges, cache and hit rate', text: () => [gaugeText('fastdeploy:gpu_cache_usage_perc', 0.3), gaugeText('fastdeploy:hit_token_rate', 0.5)].join('\n'), era: null, confidence: 'unknown', label: 'fastdeploy'},
		{what: 'only counters, no HELP', text: () => [counterText('fastdeploy:generation_tokens_total', 100), counterText('fastdeploy:request_success_total', 3)].join('\n'), era: null, confidence: 'unknown', label: 'fastdeploy'},
		{what: 'vLLM', text: () => VLLM, era: null, confidence: 'unknown', label: 'vllm'},
		{what: 'SGLang', text: () => SGLANG, era: null, confidence: 'unknown', label: 'sglang'},
	];
	for (const shape of shapes) {
		test(shape.what, () => {
			const o = read(shape.text());
			assert.equal(o.era, shape.era, JSON.stringify(o.eraEvidence, null, 1));
			assert.equal(o.eraConfidence, shape.confidence, JSON.stringify(o.eraEvidence, null, 1));
			assert.ok(Array.isArray(o.eraEvidence) && o.eraEvidence.every(e => typeof e === 'string'));
			// The header line names the engine and, only when known, the version (`?` when likely).
			assert.match(headLine(o), new RegExp(`  up  ${shape.label.replace(/[.?+]/g, '\\$&')}$`));
			if (o.engine === 'fastdeploy') assert.ok((o.eraEvidence as string[]).length > 0, 'a FastDeploy target says what the guess rests on');
		});
	}

	test('a simulated run from a fresh start, overloaded or across a restart: one steady guess per era', () => {
		// (The simulation is the cost here: each scenario's single scrapes are the shapes above.)
		for (const era of ['2.0', '2.3'] as const) {
			for (const scenario of ['overload', 'restart'] as const) {
				const store = new Store({targets: [{name: 'x', location: 'x'}], intervalMs: 20_000, windowMs: 60_000});
				const seen = new Set<string>();
				// Twelve minutes cover the restart scenario's first restart (after 300–600 s).
				const minutes = scenario === 'restart' ? 12 : 3;
				for (const s of generateScrapes({scenario, era, seed: 5, intervalSeconds: 20, count: minutes * 3})) {
					store.ingest(0, {target: 'x', t: s.t, text: s.text, durationMs: 1, bytes: s.text.length});
					const t = store.getSnapshot().targets[0]!;
					seen.add(`${t.era} ${t.eraConfidence}`);
				}
				assert.deepEqual([...seen], [era === '2.0' ? '2.0 likely' : '2.3 certain'], `${scenario} ${era}`);
			}
		}
	});

	test('the --workers 2 text is what it says: work metrics multiprocess-shaped, _created kept for the engine', () => {
		const text = v22Workers();
		assert.match(text, /# HELP fastdeploy:e2e_request_latency_seconds Multiprocess metric\n# TYPE fastdeploy:e2e_request_latency_seconds histogram\nfastdeploy:e2e_request_latency_seconds_sum /);
		assert.doesNotMatch(text, /e2e_request_latency_seconds_created/);
		assert.match(text, /fastdeploy:time_to_first_token_seconds_created /);
	});

	test('text rendered from a Prometheus server (no HELP, no `_created`, buckets first) is not taken for a multiprocess 2.3', () => {
		for (const era of ['2.0', '2.3'] as const) {
			const parsed = parseExposition(simulated(era));
			const samples = parsed.families.flatMap(f => f.samples.map(s => ({metric: {__name__: s.name, ...s.labels, job: 'j', instance: 'i'}, value: s.value})));
			const o = read(renderPrometheus(samples));
			assert.deepEqual([o.era, o.eraConfidence], era === '2.0' ? ['2.0', 'likely'] : ['2.3', 'certain'], JSON.stringify(o.eraEvidence, null, 1));
			if (era === '2.0') assert.ok(!(o.eraEvidence as string[]).some(e => e.includes('multiprocess')));
		}
	});

	test('the reported 2.3 server is not called 2.1 and gets no "TTFT leaves out queue time" note', () => {
		const o = read(v23Collector());
		assert.notEqual(o.era, '2.1');
		assert.doesNotMatch(o.text, TTFT_NOTE);
		assert.ok((o.eraEvidence as string[]).some(e => /multiprocess exposition.*no `_created`.*`_sum` before `_bucket`/.test(e)), String(o.eraEvidence));
	});

	test('version notes appear only when the version is known, and say which version they assume', () => {
		const likely = read(simulated('2.0'));
		assert.match(likely.text, /note: Assuming FastDeploy 2\.0 \(likely\): TTFT is measured from inference start/);
		const certain = read(v22());
		assert.match(certain.text, /note: FastDeploy 2\.2: TTFT is measured from inference start/);
		// A sparse 2.0-shaped text with _created: 2.0–2.2, which one is open: no version, no note.
		const sparse = blocks(simulated('2.0'))
			.filter(b => b.name.startsWith('fastdeploy:time_to_first_token_seconds'))
			.map(b => b.text)
			.join('');
		const open = read(sparse);
		assert.equal(open.era, null);
		assert.doesNotMatch(open.text, TTFT_NOTE);
		assert.match(open.text, /FastDeploy version: unknown, from:\n(?: {4}.*\n)* {4}could be 2\.0–2\.2\n/);
	});

	test('--era replaces the guess, says it was given, and keeps what the metrics said', () => {
		const o = read(v23Collector(), '2.2');
		assert.equal(o.era, '2.2');
		assert.equal(o.eraConfidence, 'given');
		assert.match((o.eraEvidence as string[])[0]!, /^--era 2\.2 \(the metrics alone say 2\.3\?\)$/);
		assert.match(headLine(o), / {2}fastdeploy 2\.2$/);
		assert.match(o.text, /note: Assuming FastDeploy 2\.2 \(--era\): TTFT is measured from inference start/);
		// Not for other engines: a vLLM target has no FastDeploy version.
		assert.equal(read(VLLM, '2.2').era, null);
	});
});
