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

function medianMilliseconds(run: () => number): number {
	let sink = 0;
	for (let i = 0; i < WARMUP_RUNS; i++) sink += run();
	const times: number[] = [];
	const started = process.hrtime.bigint();
	while (times.length < MIN_RUNS || Number(process.hrtime.bigint() - started) / 1e6 < minMilliseconds) {
		const t0 = process.hrtime.bigint();
		sink += run();
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
	}
	if (sink === -1) console.log('unreachable'); // keeps the work observable
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)] ?? NaN;
}

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
	const rows: Row[] = [{input, parser: 'fdtop parseExposition', bytes, ms: medianMilliseconds(() => parseExposition(text).sampleCount)}];
	rows.push({input, parser: 'fdtop, then every label read', bytes, ms: medianMilliseconds(() => readAllLabels(parseExposition(text)))});
	rows.push({input, parser: 'charCodeAt scan, no parsing', bytes, ms: medianMilliseconds(() => scanOnly(text))});
	try {
		parsePrometheusTextFormat(text);
		rows.push({input, parser: 'parse-prometheus-text-format', bytes, ms: medianMilliseconds(() => parsePrometheusTextFormat(text).length)});
	} catch (error) {
		console.log(`  parse-prometheus-text-format fails on ${input}: ${String(error)}`);
	}
	rows.push({input, parser: 'JSON.parse (same samples)', bytes: Buffer.byteLength(json), ms: medianMilliseconds(() => (JSON.parse(json) as unknown[]).length)});
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
	console.log(`\n${machine()}\nMethod: median of >= ${MIN_RUNS} runs (and >= ${minMilliseconds} ms) after ${WARMUP_RUNS} warm-up runs, all parsers in one process, one after another.\n`);
	console.log(parserTable(rows));
	console.log("\nMB/s counts each parser's own input bytes (the JSON text is a different size than the exposition).");
}
