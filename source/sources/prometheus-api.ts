/**
 * A small client for the Prometheus HTTP API (also spoken by Thanos, Mimir, VictoriaMetrics), on
 * undici like the scraper. Not the npm `prometheus-query` package: it turns "+Inf" into NaN, crashes
 * on native histograms and sends `targets(state)` under the wrong parameter (shared reference D).
 * Values are parsed with the exposition parser's `parseGoFloat`. Every failure is a
 * PrometheusError whose message is one line naming the server and what to do about it.
 */
import {request, type Dispatcher} from 'undici';
import {parseGoFloat} from '../prom/float.js';
import {inert, inertClip, oneLine} from '../text.js';
import {createDispatcher, describeNetworkError} from './http.js';
import * as schema from './prometheus-schema.js';
import type {InstantSample, Labels, Point, QueryResult, RangeSeries} from './prometheus-schema.js';

export type {InstantSample, Labels, Point, QueryResult, RangeSeries} from './prometheus-schema.js';
/** An active target of `/api/v1/targets`, the fields fdtop uses. */
export interface TargetInfo {
	readonly job: string;
	readonly instance: string;
	readonly labels: Labels;
	readonly scrapePool: string;
	readonly scrapeUrl: string;
	readonly health: 'up' | 'down' | 'unknown';
	/** '' when the last scrape succeeded. */
	readonly lastError: string;
	/** Milliseconds since the epoch, null before the first scrape. */
	readonly lastScrapeMs: number | null;
	readonly scrapeIntervalSec: number | null;
	readonly scrapeTimeoutSec: number | null;
}

export type PrometheusErrorKind =
	| 'config' // the URL or an option is unusable
	| 'unreachable' // network failure or client-side timeout
	| 'auth' // 401/403
	| 'http' // another non-2xx status
	| 'not-json' // an HTML page or other non-API answer (a proxy, a login page)
	| 'bad-answer' // JSON that is not the shape the API promises (named by its path)
	| 'too-large' // an answer above the --max-api-bytes cap
	| 'redirect' // a 3xx: not followed
	| 'bad-query' // 400 bad_data: the expression or a parameter was rejected
	| 'limit' // the 11,000 points per series limit
	| 'execution' // 422: the query could not be run (too many samples…)
	| 'timeout' // 503 or a server-side timeout
	| 'no-series'; // nothing FastDeploy-like matched (raised by discovery)

export class PrometheusError extends Error {
	override readonly name = 'PrometheusError';

	constructor(
		message: string,
		readonly kind: PrometheusErrorKind,
		/** Prometheus's own error text, when it gave one. */
		readonly detail?: string,
	) {
		super(message);
	}
}

export interface PrometheusClientOptions {
	/** Per request, client and server side (Prometheus `timeout` parameter). Default 10 s. */
	readonly timeoutMs?: number;
	/** Extra request headers, e.g. `Authorization: Basic …` for basic auth. */
	readonly headers?: Readonly<Record<string, string>>;
	/** Bearer token; sent as `Authorization`, never printed. */
	readonly token?: string;
	/** Accept self-signed TLS certificates. */
	readonly insecure?: boolean;
	/** Points per series one range request may ask for (Prometheus refuses more than 11,000 steps). */
	readonly maxPointsPerSeries?: number;
	/** Called with each warning Prometheus attaches to an answer (made inert, clipped). */
	readonly onWarning?: (warning: string) => void;
	/** Cap on each answer's body; the read stops there (default DEFAULT_MAX_API_BYTES). */
	readonly maxBytes?: number;
}

export const MAX_POINTS_PER_SERIES = 11_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * 64 MiB: a whole fleet's instant query (64 instances of 2,000 series at ~250 bytes a sample is
 * 32 MiB) or one instance's 600-step backfill fits, while a runaway answer stops long before the
 * JSON parse multiplies it in memory (a parsed answer takes about 10 times its size).
 */
export const DEFAULT_MAX_API_BYTES = 64 * 1024 * 1024;
/** Server text (an `error` field, a target's last error) in a message: at most this many characters. */
const MAX_SERVER_TEXT = 300;

export function formatBytes(n: number): string {
	if (n >= 1024 * 1024) return `${Number((n / 1024 / 1024).toFixed(1))} MiB`;
	if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
	return `${n} bytes`;
}

/** Prometheus duration text (`15s`, `1m30s`, `500ms`, or plain seconds) → seconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
	const plain = parseGoFloat(text);
	if (plain !== undefined) return Number.isFinite(plain) ? plain : undefined;
	const units: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000};
	let seconds = 0;
	const rest = text.replace(/(\d+)(ms|s|m|h|d|w|y)/g, (_, n: string, unit: string) => {
		seconds += Number(n) * units[unit]!;
		return '';
	});
	return rest === '' && text !== '' ? seconds : undefined;
}

/** `http://host:9090`, `host:9090` or `:9090` (a trailing `/` or `/api/v1` is dropped) → base URL. */
export function normalisePrometheusUrl(input: string): string {
	let text = input.trim();
	if (text.startsWith(':')) text = `localhost${text}`;
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new PrometheusError(`"${input}" is not a Prometheus URL: give http://host:9090`, 'config');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PrometheusError(`"${input}": only http:// and https:// are supported`, 'config');
	if (url.username || url.password) {
		throw new PrometheusError(`"${url.host}": credentials inside a URL would show on screen; use FDTOP_TOKEN, --token-file or -H 'Authorization: Basic …' instead`, 'config');
	}
	url.search = '';
	url.hash = '';
	return url.toString().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

function seriesKey(metric: Labels): string {
	return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A timestamp parameter: Unix seconds with millisecond precision, never in exponent notation. */
function seconds(t: number): string {
	return t.toFixed(3).replace(/\.?0+$/, '');
}

export class PrometheusClient {
	/** Base URL without a trailing slash, as shown in messages. */
	readonly url: string;
	readonly #agent: Dispatcher;
	readonly #options: PrometheusClientOptions;
	readonly #timeoutMs: number;

	constructor(url: string, options: PrometheusClientOptions = {}) {
		this.url = normalisePrometheusUrl(url);
		this.#options = options;
		this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#agent = createDispatcher({timeoutMs: this.#timeoutMs, insecure: options.insecure});
	}

	/** Instant query, evaluated at `timeSec` (Unix seconds) or at the server's present. */
	async query(expr: string, timeSec?: number, signal?: AbortSignal): Promise<QueryResult> {
		const data = await this.#call('/api/v1/query', this.#instantParams(expr, timeSec), signal);
		return this.#checked('query', () => schema.queryData(data));
	}

	/** An instant query whose answer must be a vector (a selector or an aggregation of one). */
	async queryVector(expr: string, timeSec?: number, signal?: AbortSignal): Promise<readonly InstantSample[]> {
		const data = await this.#call('/api/v1/query', this.#instantParams(expr, timeSec), signal);
		const result = this.#checked('query', () => schema.queryData(data, 'vector'));
		return result.resultType === 'vector' ? result.samples : [];
	}

	#instantParams(expr: string, timeSec: number | undefined): URLSearchParams {
		const params = new URLSearchParams({query: expr, timeout: String(this.#timeoutMs / 1000)});
		if (timeSec !== undefined) params.set('time', seconds(timeSec));
		return params;
	}

	/** Converts a checked answer; a shape error becomes one line naming the endpoint and the path. */
	#checked<T>(endpoint: string, convert: () => T): T {
		try {
			return convert();
		} catch (error) {
			if (!(error instanceof schema.SchemaError)) throw error;
			throw this.#badAnswer(endpoint, error);
		}
	}

	#badAnswer(endpoint: string, error: schema.SchemaError): PrometheusError {
		return new PrometheusError(
			inert(`Prometheus ${this.url}: bad answer to ${endpoint}: ${error.message} (not the Prometheus API as fdtop knows it; point --prometheus at Prometheus, Thanos or VictoriaMetrics itself)`),
			'bad-answer',
		);
	}

	/**
	 * Range query over [startSec, endSec] at `stepSec`. Longer ranges are split into requests of at
	 * most `maxPointsPerSeries` points (aligned to start + k·step) and merged, so the 11,000-point
	 * limit is never hit.
	 */
	async queryRange(expr: string, startSec: number, endSec: number, stepSec: number, signal?: AbortSignal): Promise<RangeSeries[]> {
		if (!(stepSec > 0)) throw new PrometheusError(`Prometheus ${this.url}: the range query step must be positive (got ${stepSec})`, 'config');
		if (!(endSec >= startSec)) throw new PrometheusError(`Prometheus ${this.url}: the range query ends before it starts`, 'config');
		const perRequest = Math.max(1, Math.floor(this.#options.maxPointsPerSeries ?? MAX_POINTS_PER_SERIES));
		const lastStep = Math.floor((endSec - startSec) / stepSec + 1e-9);
		const merged = new Map<string, {metric: Labels; points: Point[]}>();
		for (let first = 0; first <= lastStep; first += perRequest) {
			const last = Math.min(lastStep, first + perRequest - 1);
			const params = new URLSearchParams({
				query: expr,
				start: seconds(startSec + first * stepSec),
				end: seconds(startSec + last * stepSec),
				step: seconds(stepSec),
				timeout: String(this.#timeoutMs / 1000),
			});
			const data = await this.#call('/api/v1/query_range', params, signal);
			const result = this.#checked('query_range', () => schema.queryData(data, 'matrix'));
			for (const s of result.resultType === 'matrix' ? result.series : []) {
				const key = seriesKey(s.metric);
				const entry = merged.get(key);
				if (entry) for (const p of s.points) entry.points.push(p);
				else merged.set(key, {metric: s.metric, points: s.points.slice()});
			}
		}
		return [...merged.values()];
	}

	/** `/api/v1/targets` (active targets; `dropped` ones carry no health and are not returned). */
	async targets(state: 'active' | 'any' = 'active', signal?: AbortSignal): Promise<TargetInfo[]> {
		const data = await this.#call('/api/v1/targets', new URLSearchParams({state}), signal, 'GET');
		const list = this.#checked('targets', () => schema.targetsData(data));
		return list.map(t => {
			const labels = t.labels;
			const health = t.health === 'up' || t.health === 'down' ? t.health : 'unknown';
			const last = t.lastScrape !== undefined ? Date.parse(t.lastScrape) : Number.NaN;
			return {
				job: labels.job ?? '',
				instance: labels.instance ?? '',
				labels,
				scrapePool: t.scrapePool ?? '',
				scrapeUrl: t.scrapeUrl ?? '',
				health,
				lastError: t.lastError ?? '',
				// Go's zero time (0001-01-01) means "never scraped".
				lastScrapeMs: Number.isFinite(last) && last > 0 ? last : null,
				scrapeIntervalSec: t.scrapeInterval !== undefined ? (parseDuration(t.scrapeInterval) ?? null) : null,
				scrapeTimeoutSec: t.scrapeTimeout !== undefined ? (parseDuration(t.scrapeTimeout) ?? null) : null,
			};
		});
	}

	/**
	 * `/api/v1/status/buildinfo`: the server's version string (`2.42.0+ds`, `3.5.0`), or null when the
	 * server has no such endpoint or does not say (Thanos Query, some proxies).
	 */
	async buildVersion(signal?: AbortSignal): Promise<string | null> {
		let data: unknown;
		try {
			data = await this.#call('/api/v1/status/buildinfo', new URLSearchParams(), signal, 'GET');
		} catch (error) {
			if (error instanceof PrometheusError && (error.kind === 'http' || error.kind === 'not-json' || error.kind === 'bad-answer' || error.kind === 'bad-query')) return null;
			throw error;
		}
		let version: string | undefined;
		try {
			version = this.#checked('buildinfo', () => schema.buildInfoData(data));
		} catch (error) {
			// A server whose buildinfo is not the documented shape has not said its version.
			if (error instanceof PrometheusError) return null;
			throw error;
		}
		return version !== undefined && version !== '' ? inertClip(version, 40) : null;
	}

	/** `/api/v1/series`: label sets of the series matching any of `matchers` in [startSec, endSec]. */
	async series(matchers: readonly string[], startSec: number, endSec: number, signal?: AbortSignal): Promise<Labels[]> {
		const params = new URLSearchParams({start: seconds(startSec), end: seconds(endSec)});
		for (const m of matchers) params.append('match[]', m);
		const data = await this.#call('/api/v1/series', params, signal);
		return this.#checked('series', () => schema.seriesData(data));
	}

	async close(): Promise<void> {
		await this.#agent.close().catch(() => undefined);
	}

	/** One API call: POST form-encoded (long selectors fit) or GET; returns the envelope's `data`. */
	async #call(path: string, params: URLSearchParams, signal: AbortSignal | undefined, method: 'GET' | 'POST' = 'POST'): Promise<unknown> {
		const timeout = AbortSignal.timeout(this.#timeoutMs);
		const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
		const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'fdtop', ...this.#options.headers};
		if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
		if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
		const where = `Prometheus ${this.url}`;
		const endpoint = path.replace(/^\/api\/v1\//, '');
		const maxBytes = this.#options.maxBytes ?? DEFAULT_MAX_API_BYTES;
		const narrower = endpoint === 'query_range' ? 'narrow --match or shorten --window' : 'narrow --match';
		const tooLarge = () => new PrometheusError(`${where}: ${path} answered more than the ${formatBytes(maxBytes)} cap; raise it with --max-api-bytes, or ${narrower}`, 'too-large');
		let statusCode: number;
		let contentType: string;
		let text: string;
		try {
			const response = await request(method === 'GET' ? `${this.url}${path}?${params}` : `${this.url}${path}`, {
				method,
				headers,
				body: method === 'POST' ? params.toString() : undefined,
				signal: combined,
				dispatcher: this.#agent,
			});
			statusCode = response.statusCode;
			contentType = String(response.headers['content-type'] ?? '');
			if (statusCode >= 300 && statusCode < 400) {
				discard(response.body);
				const location = String(response.headers.location ?? '');
				throw new PrometheusError(
					inert(`${where}: ${path} answered HTTP ${statusCode} redirect${location ? ` to ${inertClip(location, MAX_SERVER_TEXT)}` : ''}; fdtop does not follow redirects: give the final URL to --prometheus`),
					'redirect',
				);
			}
			if (statusCode === 401 || statusCode === 403) {
				// Never read the body: a gateway may repeat the Authorization header in it.
				discard(response.body);
				text = '';
			} else {
				const declared = Number(response.headers['content-length']);
				if (declared > maxBytes) {
					discard(response.body);
					throw tooLarge();
				}
				const body = await readCapped(response.body, maxBytes);
				if (body === undefined) throw tooLarge();
				text = body;
			}
		} catch (error) {
			if (error instanceof PrometheusError) throw error;
			if (signal?.aborted) throw new PrometheusError(`${where}: cancelled`, 'unreachable');
			const code = (error as {code?: string; cause?: {code?: string}})?.code ?? (error as {cause?: {code?: string}})?.cause?.code;
			if (code === 'ECONNREFUSED') throw new PrometheusError(`${where}: connection refused (is Prometheus running there? its default port is 9090)`, 'unreachable');
			const what = describeNetworkError(error, this.#timeoutMs);
			const hint = what.startsWith('timed out') ? ' (raise --timeout, or use a shorter window)' : '';
			throw new PrometheusError(inert(`${where}: ${what}${hint}`), 'unreachable');
		}
		if (statusCode === 401 || statusCode === 403) {
			throw new PrometheusError(`${where}: HTTP ${statusCode} ${statusCode === 401 ? 'unauthorized' : 'forbidden'} (give a bearer token with FDTOP_TOKEN or --token-file, or -H 'Authorization: Basic …')`, 'auth');
		}
		let parsed: Record<string, unknown> | undefined;
		try {
			const value: unknown = JSON.parse(text);
			if (schema.isObject(value) && 'status' in value) parsed = value;
		} catch {
			parsed = undefined;
		}
		if (!parsed) {
			const html = contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(text.slice(0, 256));
			const what = html ? 'an HTML page' : `a non-JSON answer (${inertClip(contentType, 80) || 'no content type'})`;
			const hint = statusCode === 404 ? 'is the URL right, including any path prefix such as /prometheus?' : 'a proxy or login page? point --prometheus at the Prometheus API itself, e.g. http://host:9090';
			throw new PrometheusError(`${where}: ${path} answered HTTP ${statusCode} with ${what}, not the Prometheus API (${hint})`, statusCode === 404 ? 'http' : 'not-json');
		}
		const envelope = this.#checked(endpoint, () => schema.envelope(parsed));
		for (const w of envelope.warnings) this.#options.onWarning?.(inertClip(oneLine(w), MAX_SERVER_TEXT));
		if (envelope.status === 'success' && statusCode >= 200 && statusCode < 300) return envelope.data;
		throw this.#apiError(statusCode, envelope);
	}

	#apiError(statusCode: number, envelope: schema.Envelope): PrometheusError {
		const where = `Prometheus ${this.url}`;
		const type = inertClip(envelope.errorType, 40);
		// `invalid parameter "query": 1:6: parse error: …` → `parse error: …` (positions are in fdtop's expression, not the user's).
		const raw = envelope.error || `HTTP ${statusCode}`;
		// The server's own words: escaped (one line, no terminal controls) and clipped before any message holds them.
		const detail = inertClip(oneLine(raw).replace(/^invalid parameter "[^"]*":\s*/, '').replace(/^\d+:\d+:\s*/, ''), MAX_SERVER_TEXT);
		if (/maximum resolution of 11,?000 points/i.test(raw)) {
			return new PrometheusError(`${where}: the range query hit the 11,000 points per series limit (use a wider step, i.e. a longer --interval, or a shorter window)`, 'limit', detail);
		}
		if (type === 'timeout' || type === 'canceled' || statusCode === 503 || /timed out/i.test(raw)) {
			return new PrometheusError(`${where}: the query timed out on the server (${detail}); use a shorter window or a wider step, or raise --timeout and Prometheus's --query.timeout`, 'timeout', detail);
		}
		if (type === 'bad_data' || statusCode === 400) return new PrometheusError(`${where} rejected the query: ${detail}`, 'bad-query', detail);
		if (type === 'execution' || statusCode === 422) {
			const hint = /too many samples|limit/i.test(raw) ? '; use a shorter window or a wider step' : '';
			return new PrometheusError(`${where} could not run the query: ${detail}${hint}`, 'execution', detail);
		}
		return new PrometheusError(`${where}: HTTP ${statusCode}${type ? ` ${type}` : ''}: ${detail}`, 'http', detail);
	}
}

/** Drop a body unread (the connection goes with it); its abort error has no one to reach. */
function discard(body: {destroy(error?: Error): unknown; on(event: 'error', listener: () => void): unknown}): void {
	body.on('error', () => undefined);
	body.destroy();
}

/**
 * The body as text, or undefined once it passes `max` bytes (the read stops there and the
 * connection is dropped). Chunks are kept as bytes and decoded once at the end.
 */
async function readCapped(body: AsyncIterable<Uint8Array> & {destroy(error?: Error): unknown}, max: number): Promise<string | undefined> {
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	for await (const chunk of body) {
		bytes += chunk.byteLength;
		if (bytes > max) {
			body.destroy();
			return undefined;
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, bytes).toString('utf8');
}
