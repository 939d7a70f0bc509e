/**
 * The shapes of the Prometheus HTTP API answers fdtop reads, checked while they are converted: an
 * answer is as untrusted as a scrape. Every check names the path into the JSON and what was there
 * (`data.result[3] is null, expected an object with metric and value`), so a broken or hostile
 * server gives one line, never a TypeError. Native histogram samples (`histogram`, `histograms`)
 * are allowed and skipped: fdtop reads classic buckets.
 */
import {parseGoFloat} from '../prom/float.js';

export type Labels = Readonly<Record<string, string>>;

/** One value at one time; `t` in Unix seconds as Prometheus gives it. */
export interface Point {
	readonly t: number;
	readonly value: number;
}

export interface InstantSample extends Point {
	readonly metric: Labels;
}

export interface RangeSeries {
	readonly metric: Labels;
	/** In time order; steps without data are absent (Prometheus leaves them out). */
	readonly points: readonly Point[];
}

export type ResultType = 'vector' | 'matrix' | 'scalar' | 'string';

export type QueryResult =
	| {readonly resultType: 'vector'; readonly samples: readonly InstantSample[]}
	| {readonly resultType: 'matrix'; readonly series: readonly RangeSeries[]}
	| {readonly resultType: 'scalar'; readonly t: number; readonly value: number}
	| {readonly resultType: 'string'; readonly t: number; readonly value: string};

export class SchemaError extends Error {
	override readonly name = 'SchemaError';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `data.result[3]`, `.metric.job`, `.metric["a.b"]`: a server's key is clipped and quoted. */
export function child(path: string, key: string | number): string {
	if (typeof key === 'number') return `${path}[${key}]`;
	return IDENTIFIER.test(key) && key.length <= 64 ? `${path}.${key}` : `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

/** What a value is, for a message: `null`, `missing`, `a number (7)`, `"text"` (clipped), `an array of 2`. */
export function describe(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'number') return `a number (${value})`;
	if (typeof value === 'boolean') return `a boolean (${value})`;
	if (Array.isArray(value)) return `an array of ${value.length}`;
	return `an ${typeof value}`;
}

export function wrong(path: string, value: unknown, expected: string): never {
	throw new SchemaError(`${path} ${value === undefined ? 'is missing' : `is ${describe(value)}`}, expected ${expected}`);
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function object(value: unknown, path: string, expected = 'an object'): Record<string, unknown> {
	if (!isObject(value)) wrong(path, value, expected);
	return value;
}

export function array(value: unknown, path: string, expected = 'an array'): unknown[] {
	if (!Array.isArray(value)) wrong(path, value, expected);
	return value;
}

export function string(value: unknown, path: string): string {
	if (typeof value !== 'string') wrong(path, value, 'a string');
	return value;
}

/** A string field that may be absent. */
export function optionalString(value: unknown, path: string): string | undefined {
	return value === undefined ? undefined : string(value, path);
}

export function labels(value: unknown, path: string): Labels {
	const o = object(value, path, 'an object of labels (name: "value")');
	const out: Record<string, string> = {};
	for (const key of Object.keys(o)) out[key] = string(o[key], child(path, key));
	return out;
}

/** `[<unix seconds>, "<value>"]`. */
export function point(value: unknown, path: string): Point {
	const pair = Array.isArray(value) && value.length === 2 ? value : wrong(path, value, '[time, "value"]');
	const t = pair[0];
	if (typeof t !== 'number' || !Number.isFinite(t)) wrong(child(path, 0), t, 'a time in seconds');
	const text = pair[1];
	if (typeof text !== 'string') wrong(child(path, 1), text, 'a string such as "1.5"');
	const parsed = parseGoFloat(text);
	if (parsed === undefined) wrong(child(path, 1), text, 'a number as a string (Go float syntax, e.g. "1.5", "+Inf", "NaN")');
	return {t, value: parsed};
}

/** A vector's samples; native-histogram samples (`histogram` instead of `value`) are skipped. */
export function vector(value: unknown, path: string): InstantSample[] {
	const items = array(value, path);
	const out: InstantSample[] = [];
	for (let i = 0; i < items.length; i++) {
		const at = child(path, i);
		const s = object(items[i], at, 'an object with metric and value');
		const metric = labels(s.metric, child(at, 'metric'));
		if (s.value === undefined && s.histogram !== undefined) {
			array(s.histogram, child(at, 'histogram'), '[time, {histogram}]');
			continue;
		}
		out.push({metric, ...point(s.value, child(at, 'value'))});
	}
	return out;
}

/** A matrix's series; native-histogram points (`histograms`) are skipped. */
export function matrix(value: unknown, path: string): RangeSeries[] {
	const items = array(value, path);
	const out: RangeSeries[] = [];
	for (let i = 0; i < items.length; i++) {
		const at = child(path, i);
		const s = object(items[i], at, 'an object with metric and values');
		const metric = labels(s.metric, child(at, 'metric'));
		if (s.histograms !== undefined) array(s.histograms, child(at, 'histograms'));
		const values = s.values === undefined && s.histograms !== undefined ? [] : array(s.values, child(at, 'values'), 'an array of [time, "value"]');
		const points: Point[] = [];
		for (let j = 0; j < values.length; j++) points.push(point(values[j], child(child(at, 'values'), j)));
		out.push({metric, points});
	}
	return out;
}

const RESULT_TYPES: readonly string[] = ['vector', 'matrix', 'scalar', 'string'];

/** The `data` of a query or query_range answer; `expect` refuses any other result type. */
export function queryData(value: unknown, expect?: ResultType): QueryResult {
	const data = object(value, 'data', 'an object with resultType and result');
	const type = data.resultType;
	if (typeof type !== 'string' || !RESULT_TYPES.includes(type)) wrong('data.resultType', type, '"vector", "matrix", "scalar" or "string"');
	if (expect !== undefined && type !== expect) wrong('data.resultType', type, JSON.stringify(expect));
	switch (type as ResultType) {
		case 'vector':
			return {resultType: 'vector', samples: vector(data.result, 'data.result')};
		case 'matrix':
			return {resultType: 'matrix', series: matrix(data.result, 'data.result')};
		case 'scalar':
			return {resultType: 'scalar', ...point(data.result, 'data.result')};
		case 'string': {
			const pair = Array.isArray(data.result) && data.result.length === 2 ? data.result : wrong('data.result', data.result, '[time, "string"]');
			if (typeof pair[0] !== 'number' || !Number.isFinite(pair[0])) wrong('data.result[0]', pair[0], 'a time in seconds');
			return {resultType: 'string', t: pair[0], value: string(pair[1], 'data.result[1]')};
		}
	}
}

/** A target of `/api/v1/targets` as sent: the fields fdtop reads, each checked when present. */
export interface RawTarget {
	readonly labels: Labels;
	readonly scrapePool?: string;
	readonly scrapeUrl?: string;
	readonly health?: string;
	readonly lastError?: string;
	readonly lastScrape?: string;
	readonly scrapeInterval?: string;
	readonly scrapeTimeout?: string;
}

export function targetsData(value: unknown): RawTarget[] {
	const data = object(value, 'data', 'an object with activeTargets');
	const list = array(data.activeTargets, 'data.activeTargets');
	return list.map((item, i) => {
		const at = child('data.activeTargets', i);
		const t = object(item, at);
		const field = (key: string) => optionalString(t[key], child(at, key));
		return {
			labels: labels(t.labels, child(at, 'labels')),
			scrapePool: field('scrapePool'),
			scrapeUrl: field('scrapeUrl'),
			health: field('health'),
			lastError: field('lastError'),
			lastScrape: field('lastScrape'),
			scrapeInterval: field('scrapeInterval'),
			scrapeTimeout: field('scrapeTimeout'),
		};
	});
}

/** `/api/v1/status/buildinfo`'s data: its `version`, or undefined when it names none. */
export function buildInfoData(value: unknown): string | undefined {
	return optionalString(object(value, 'data').version, 'data.version');
}

export function seriesData(value: unknown): Labels[] {
	return array(value, 'data', 'an array of label sets').map((item, i) => labels(item, child('data', i)));
}

/** The envelope every answer comes in. */
export interface Envelope {
	readonly status: 'success' | 'error';
	readonly data: unknown;
	readonly errorType: string;
	readonly error: string;
	readonly warnings: readonly string[];
}

/** Checks the envelope; `parsed` must already be an object with a `status` (else it is not the API). */
export function envelope(parsed: Record<string, unknown>): Envelope {
	const status = parsed.status;
	if (status !== 'success' && status !== 'error') wrong('status', status, '"success" or "error"');
	const warnings = parsed.warnings === undefined ? [] : array(parsed.warnings, 'warnings', 'an array of strings').map((w, i) => string(w, child('warnings', i)));
	return {
		status,
		data: parsed.data,
		errorType: optionalString(parsed.errorType, 'errorType') ?? '',
		error: optionalString(parsed.error, 'error') ?? '',
		warnings,
	};
}
