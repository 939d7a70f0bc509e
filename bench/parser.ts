/**
 * Parser benchmark: our parseExposition vs parse-prometheus-text-format (the only npm exposition
 * parser in use) vs JSON.parse of the same samples (the engine's native parsing speed: a practical
 * ceiling for any JS parser that builds objects). Run: node --import tsx bench/parser.ts
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {formatGoFloat, parseExposition} from '../source/prom/index.js';
import {machine, markdownTable} from './common.js';

const WARMUP_RUNS = 30;
const MIN_RUNS = 60;
let minMilliseconds = 1500;

/** Deterministic pseudo-random numbers, so every run measures the same text. */
function lcg(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

function labelText(labels: Record<string, string>): string {
	const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
	return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * ~200 KB shaped like a busy exporter: plain gauges, labelled counters, labelled histograms,
 * summaries and info metrics with long label values containing escaped quotes.
 */
export function buildMixedExposition(targetBytes: number): string {
	const random = lcg(42);
	const out: string[] = [];
	const handlers = ['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/v1/chat/completions', '/metrics'];
	const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
	let size = 0;
	for (let round = 0; size < targetBytes; round++) {
		const chunk: string[] = [];
		for (let i = 0; i < 8; i++) {
			const name = `process_gauge_${round}_${i}`;
			chunk.push(`# HELP ${name} A plain gauge without labels.`, `# TYPE ${name} gauge`, `${name} ${(random() * 1e6).toFixed(3)}`);
		}
		for (let i = 0; i < 3; i++) {
			const name = `http_requests_${round}_${i}_total`;
			chunk.push(`# HELP ${name} Requests by handler, method and code.`, `# TYPE ${name} counter`);
			for (const handler of handlers) {
				for (const code of ['200', '500']) {
					chunk.push(`${name}${labelText({code, handler, method: 'get'})} ${Math.floor(random() * 1e5)}`);
				}
			}
		}
		for (let i = 0; i < 2; i++) {
			const name = `request_duration_${round}_${i}_seconds`;
			chunk.push(`# HELP ${name} Request latency.`, `# TYPE ${name} histogram`);
			for (const handler of handlers.slice(0, 3)) {
				let cumulative = 0;
				for (const le of [...buckets.map(String), '+Inf']) {
					cumulative += Math.floor(random() * 50);
					chunk.push(`${name}_bucket${labelText({handler, le})} ${cumulative}`);
				}
				chunk.push(`${name}_sum${labelText({handler})} ${(cumulative * random()).toFixed(6)}`);
				chunk.push(`${name}_count${labelText({handler})} ${cumulative}`);
			}
		}
		const summary = `gc_duration_${round}_seconds`;
		chunk.push(`# HELP ${summary} GC pauses.`, `# TYPE ${summary} summary`);
		for (const quantile of ['0', '0.25', '0.5', '0.75', '1']) {
			chunk.push(`${summary}${labelText({quantile})} ${(random() / 1000).toExponential(4)}`);
		}
		chunk.push(`${summary}_sum ${random().toFixed(6)}`, `${summary}_count ${Math.floor(random() * 1e4)}`);
		if (round % 4 === 0) {
			const info: Record<string, string> = {};
			for (let k = 0; k < 16; k++) info[`setting_${k}`] = `value-${Math.floor(random() * 1e6)}`;
			info['model_cfg'] = JSON.stringify({model: `/models/m${round}`, layers: 18, rope: {type: 'default', factor: 1.0}});
			chunk.push(`# HELP engine_config_${round}_info Engine configuration.`, `# TYPE engine_config_${round}_info gauge`);
			chunk.push(`engine_config_${round}_info${labelText(info)} 1`);
		}
		const text = chunk.join('\n') + '\n';
		out.push(text);
		size += Buffer.byteLength(text);
	}
	return out.join('');
}

/** Touches every label of every sample, so lazily decoded labels are paid for too. */
function readAllLabels(result: ReturnType<typeof parseExposition>): number {
	let n = 0;
	for (const family of result.families) for (const sample of family.samples) for (const key in sample.labels) n += key.length;
	return n;
}

/** The floor for any single pass: touch every char once and build nothing. */
function scanOnly(text: string): number {
	let lines = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0a || c === 0x22) lines++;
	}
	return lines;
}

/**
 * A floor for any parser that builds a sample object per line: find each line, match the name
 * and a label block with native regexes, convert the value, push an object. No validation of
 * comments or labels, no families, no duplicates, no errors: not a parser, a lower bound.
 */
const SKELETON_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const SKELETON_LABELS = /\{[^}\n]*\}/y;
function skeleton(text: string): number {
	const out: {name: number; value: number; labels: number}[] = [];
	for (let p = 0; p < text.length; ) {
		let e = text.indexOf('\n', p);
		if (e < 0) e = text.length;
		if (text.charCodeAt(p) !== 0x23 && e > p) {
			SKELETON_NAME.lastIndex = p;
			SKELETON_NAME.test(text);
			let q = SKELETON_NAME.lastIndex;
			const name = q;
			if (text.charCodeAt(q) === 0x7b) {
				SKELETON_LABELS.lastIndex = q;
				if (SKELETON_LABELS.test(text)) q = SKELETON_LABELS.lastIndex;
			}
			out.push({name, value: Number(text.slice(q + 1, e)), labels: q});
		}
		p = e + 1;
	}
	return out.length;
}

/**
 * Median ms per run of each contender, measured interleaved: every round runs each contender for
 * a batch (about 5 ms of work) in turn, timed by this process's CPU time (process.cpuUsage), so
 * load from other processes and drift over the run hit all contenders alike. The first rounds
 * are warm-up.
 */
function medianInterleaved(contenders: Record<string, () => number>): Record<string, number> {
	const names = Object.keys(contenders);
	const batch: Record<string, number> = {};
	const times: Record<string, number[]> = {};
	let sink = 0;
	for (const name of names) {
		const run = contenders[name]!;
		for (let i = 0; i < WARMUP_RUNS; i++) sink += run();
		const t0 = performance.now();
		sink += run();
		batch[name] = Math.max(1, Math.round(5 / Math.max(performance.now() - t0, 0.001)));
		times[name] = [];
	}
	const started = performance.now();
	for (let round = 0; round < MIN_RUNS || performance.now() - started < minMilliseconds * names.length; round++) {
		for (const name of names) {
			const run = contenders[name]!;
			const n = batch[name]!;
			const before = process.cpuUsage();
			for (let i = 0; i < n; i++) sink += run();
			const used = process.cpuUsage(before);
			times[name]!.push((used.user + used.system) / 1000 / n);
		}
	}
	if (sink === -1) console.log('unreachable'); // keeps the work observable
	const medians: Record<string, number> = {};
	for (const name of names) {
		const sorted = times[name]!.slice(WARMUP_ROUNDS).sort((a, b) => a - b);
		medians[name] = sorted[Math.floor(sorted.length / 2)] ?? NaN;
	}
	return medians;
}

const WARMUP_ROUNDS = 5;

export interface Row {
	input: string;
	parser: string;
	bytes: number;
	ms: number;
}

function benchInput(input: string, text: string): Row[] {
	const parsed = parseExposition(text);
	const flat = parsed.families.flatMap((f) => f.samples).map((s) => ({
		name: s.name,
		labels: s.labels,
		value: Number.isFinite(s.value) ? s.value : formatGoFloat(s.value),
	}));
	const json = JSON.stringify(flat);
	const bytes = Buffer.byteLength(text);
	console.log(
		`${input}: ${(bytes / 1024).toFixed(1)} KB, ${parsed.families.length} families, ${parsed.sampleCount} samples, ` +
			`${parsed.skippedLines} skipped lines; the same samples as JSON: ${(Buffer.byteLength(json) / 1024).toFixed(1)} KB`,
	);
	const contenders: Record<string, () => number> = {
		'fdtop parseExposition': () => parseExposition(text).sampleCount,
		'fdtop, then every label read': () => readAllLabels(parseExposition(text)),
		'charCodeAt scan, no parsing': () => scanOnly(text),
		'skeleton: lines, names, one object each': () => skeleton(text),
	};
	try {
		parsePrometheusTextFormat(text);
		contenders['parse-prometheus-text-format'] = () => parsePrometheusTextFormat(text).length;
	} catch (error) {
		console.log(`  parse-prometheus-text-format fails on ${input}: ${String(error)}`);
	}
	contenders['JSON.parse (same samples)'] = () => (JSON.parse(json) as unknown[]).length;
	const medians = medianInterleaved(contenders);
	const rows: Row[] = Object.keys(contenders).map((parser) => ({
		input,
		parser,
		bytes: parser.startsWith('JSON.parse') ? Buffer.byteLength(json) : bytes,
		ms: medians[parser]!,
	}));
	return rows;
}

export interface ParserFigures {
	readonly rows: readonly Row[];
}

/** Median times for both inputs; `quick` shortens the runs (for bench:check). */
export function measureParser(quick = false): Row[] {
	if (quick) minMilliseconds = 600;
	const fixture = fileURLToPath(new URL('../test/fixtures/fastdeploy-2.0.txt', import.meta.url));
	return [...benchInput('mixed ~200 KB', buildMixedExposition(200 * 1024)), ...benchInput('fastdeploy-2.0.txt', readFileSync(fixture, 'utf8'))];
}

export function parserTable(rows: readonly Row[]): string {
	const header = ['input', 'parser', 'median ms', 'MB/s', 'time vs fdtop'];
	const table = rows.map((row) => {
		const ours = rows.find((r) => r.input === row.input && r.parser === 'fdtop parseExposition');
		return [row.input, row.parser, row.ms.toFixed(3), (row.bytes / 1e6 / (row.ms / 1e3)).toFixed(0), ours ? `${(row.ms / ours.ms).toFixed(2)}x` : ''];
	});
	return markdownTable(header, table);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const rows = measureParser();
	console.log(`\n${machine()}\nMethod: all contenders in one process, interleaved: >= ${MIN_RUNS} rounds (and >= ${minMilliseconds} ms per contender), each round runs every contender for a ~5 ms batch timed by process CPU time (process.cpuUsage); median per run after ${WARMUP_ROUNDS} warm-up rounds (and ${WARMUP_RUNS} warm-up runs each).\n`);
	console.log(parserTable(rows));
	console.log("\nMB/s counts each parser's own input bytes (the JSON text is a different size than the exposition).");
}
