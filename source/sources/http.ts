/** Scraping a /metrics endpoint over HTTP with undici: keep-alive, timeout, size cap, no redirects. */
import {Agent, request, type Dispatcher} from 'undici';
import type {Clock, Scrape, Source} from './types.js';
import {systemClock} from './types.js';

export interface HttpOptions {
	readonly timeoutMs: number;
	readonly maxBytes: number;
	/** Extra request headers (`-H 'Name: value'`). */
	readonly headers?: Readonly<Record<string, string>>;
	/** Bearer token; sent as `Authorization`, never printed or stored. */
	readonly token?: string;
	readonly clock?: Clock;
	/** Accept self-signed TLS certificates. */
	readonly insecure?: boolean;
	/**
	 * One dispatcher shared by every target (createHttpAgent), its owner closes it. Without one, the
	 * source makes and closes its own: ten thousand targets must not mean ten thousand agents.
	 */
	readonly dispatcher?: Dispatcher;
}

/** The keep-alive agent for scrapes: one pool per origin, created on first use, idle sockets closed after a minute. */
export function createHttpAgent(options: Pick<HttpOptions, 'timeoutMs' | 'insecure'>): Agent {
	return new Agent({
		keepAliveTimeout: 60_000,
		connect: {timeout: options.timeoutMs, rejectUnauthorized: !options.insecure},
		headersTimeout: options.timeoutMs,
		bodyTimeout: options.timeoutMs,
	});
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function formatBytes(n: number): string {
	return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.round(n / 1024)} KiB`;
}

/** One line naming what went wrong, for errors thrown by undici or the network stack. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
	const err = error as {code?: string; name?: string; message?: string; cause?: {code?: string; message?: string}};
	const code = err?.code ?? err?.cause?.code;
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused (is the server running, and is this its metrics port?)';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host not found (DNS lookup failed)';
		case 'ECONNRESET':
		case 'UND_ERR_SOCKET':
			return 'connection closed by the server before the response was complete';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'UND_ERR_HEADERS_TIMEOUT':
		case 'UND_ERR_BODY_TIMEOUT':
		case 'UND_ERR_CONNECT_TIMEOUT':
			return `timed out after ${timeoutMs / 1000} s`;
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
			return 'TLS certificate not trusted (self-signed? pass --insecure to accept it)';
	}
	if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `timed out after ${timeoutMs / 1000} s`;
	return (err?.message ?? String(error)).split('\n')[0]!;
}

function looksLikeHtml(contentType: string, text: string): boolean {
	if (contentType.includes('html')) return true;
	const head = text.slice(0, 256).trimStart().toLowerCase();
	return head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

export class HttpSource implements Source {
	readonly #agent: Dispatcher;
	/** True when the agent is this source's own (closed with it), false when shared. */
	readonly #ownsAgent: boolean;
	readonly #options: HttpOptions;
	readonly #clock: Clock;

	constructor(
		readonly target: string,
		options: HttpOptions,
	) {
		this.#options = options;
		this.#clock = options.clock ?? systemClock;
		this.#ownsAgent = options.dispatcher === undefined;
		this.#agent = options.dispatcher ?? createHttpAgent(options);
	}

	async scrape(signal?: AbortSignal): Promise<Scrape> {
		const started = this.#clock.now();
		// One deadline for the whole request (undici's own timeouts are per phase and per body chunk).
		// A plain timer cleared at the end, not AbortSignal.timeout and .any: those leave a timer, a
		// signal and finalizer bookkeeping behind every scrape until GC, once a second for a day.
		const deadline = new AbortController();
		const timer = setTimeout(() => deadline.abort(new DOMException(`timed out after ${this.#options.timeoutMs} ms`, 'TimeoutError')), this.#options.timeoutMs);
		timer.unref();
		const cancel = () => deadline.abort(signal!.reason);
		if (signal?.aborted) cancel();
		else signal?.addEventListener('abort', cancel, {once: true});
		const fail = (error: string, bytes = 0): Scrape => ({
			target: this.target,
			t: this.#clock.now(),
			error: `${this.target}: ${error}`,
			durationMs: this.#clock.now() - started,
			bytes,
		});
		const headers: Record<string, string> = {
			// No gzip and no OpenMetrics: fdtop parses text 0.0.4 and does not decompress.
			accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
			'user-agent': 'fdtop',
			...this.#options.headers,
		};
		if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
		let bytes = 0;
		try {
			const response = await request(this.target, {method: 'GET', headers, signal: deadline.signal, dispatcher: this.#agent});
			const contentType = String(response.headers['content-type'] ?? '');
			if (response.statusCode >= 300 && response.statusCode < 400) {
				await response.body.dump();
				const location = String(response.headers.location ?? '');
				return fail(`HTTP ${response.statusCode} redirect${location ? ` to ${location}` : ''}; fdtop does not follow redirects, use the final URL`);
			}
			if (response.statusCode === 401 || response.statusCode === 403) {
				// Never echo the body: a gateway may repeat the Authorization header in it.
				await response.body.dump();
				const what = response.statusCode === 401 ? 'unauthorized' : 'forbidden';
				const advice = this.#options.token ? 'the token was refused: check FDTOP_TOKEN or --token-file' : 'this endpoint needs a token: set FDTOP_TOKEN or --token-file';
				return fail(`HTTP ${response.statusCode} ${what}; ${advice}`);
			}
			if (response.statusCode < 200 || response.statusCode >= 300) {
				const body = await readCapped(response.body, 512);
				const first = this.#redact(body.text.trim().split('\n')[0]?.slice(0, 120) ?? '');
				return fail(`HTTP ${response.statusCode}${first ? `: ${first}` : ''}`, body.bytes);
			}
			const encoding = String(response.headers['content-encoding'] ?? '');
			if (encoding && encoding !== 'identity') {
				await response.body.dump();
				return fail(`response is ${encoding}-encoded although fdtop did not ask for it`);
			}
			const body = await readCapped(response.body, this.#options.maxBytes);
			bytes = body.bytes;
			if (body.truncated) return fail(`response larger than the ${formatBytes(this.#options.maxBytes)} cap; raise it with --max-bytes`, bytes);
			if (looksLikeHtml(contentType, body.text)) return fail('got an HTML page, not Prometheus metrics (is this the metrics URL? FastDeploy 2.0–2.2 serves them on --metrics-port, default 8001)', bytes);
			return {target: this.target, t: this.#clock.now(), text: body.text, durationMs: this.#clock.now() - started, bytes};
		} catch (error) {
			if (signal?.aborted) return fail('cancelled', bytes);
			return fail(describeNetworkError(error, this.#options.timeoutMs), bytes);
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', cancel);
		}
	}

	/** A server may echo request headers in an error body: never show the token or any header value. */
	#redact(text: string): string {
		let out = text.replace(/\b(bearer|basic)\s+\S+/gi, '$1 [redacted]');
		const token = this.#options.token;
		if (token) out = out.split(token).join('[redacted]');
		for (const value of Object.values(this.#options.headers ?? {})) if (value.length >= 8) out = out.split(value).join('[redacted]');
		return out;
	}

	async close(): Promise<void> {
		if (this.#ownsAgent) await this.#agent.close().catch(() => undefined);
	}
}

async function readCapped(body: AsyncIterable<Uint8Array> & {destroy(error?: Error): unknown}, max: number): Promise<{text: string; bytes: number; truncated: boolean}> {
	const decoder = new TextDecoder('utf-8');
	let text = '';
	let bytes = 0;
	for await (const chunk of body) {
		bytes += chunk.byteLength;
		if (bytes > max) {
			body.destroy();
			return {text, bytes, truncated: true};
		}
		text += decoder.decode(chunk, {stream: true});
	}
	text += decoder.decode();
	return {text, bytes, truncated: false};
}
