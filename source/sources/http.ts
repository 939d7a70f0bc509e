/** Scraping a /metrics endpoint over HTTP with undici: keep-alive, timeout, size cap, no redirects. */
import process from 'node:process';
import {Agent, Dispatcher, ProxyAgent} from 'undici';
import {encodingOf, getCapped, textOf} from './http-get.js';
import {addSecret, redact} from '../redact.js';
import {inert, oneLine} from '../text.js';
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
	 * One dispatcher shared by every target (createDispatcher), its owner closes it. Without one, the
	 * source makes and closes its own: ten thousand targets must not mean ten thousand agents.
	 */
	readonly dispatcher?: Dispatcher;
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function formatBytes(n: number): string {
	return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.round(n / 1024)} KiB`;
}

/** A proxy from the environment: the variable that named it and its URL. */
export interface ProxyChoice {
	readonly variable: string;
	readonly url: string;
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and localhost: never through a proxy. */
export function isLoopback(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
	return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:(?:127\.|7f[0-9a-f]{2}:)/.test(host);
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {'http:': 80, 'https:': 443};

function fromEnv(env: NodeJS.ProcessEnv, lower: string, upper: string): ProxyChoice | null {
	// As undici: the lowercase name wins, even when empty (which then means no proxy).
	const variable = env[lower] !== undefined ? lower : upper;
	const url = env[variable];
	return url ? {variable, url} : null;
}

/**
 * The proxy a request to `target` goes through, by the rules of undici's EnvHttpProxyAgent:
 * https_proxy/HTTPS_PROXY for https (else the http proxy), http_proxy/HTTP_PROXY for http, unless
 * no_proxy/NO_PROXY lists the host (comma- or space-separated names, each also matching its
 * subdomains, a leading `.` or `*.` ignored, `:port` to match one port only; `*` alone: nothing is
 * proxied). Loopback is never proxied. Null: connect directly.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): ProxyChoice | null {
	if (isLoopback(target.hostname)) return null;
	const http = fromEnv(env, 'http_proxy', 'HTTP_PROXY');
	const proxy = target.protocol === 'https:' ? (fromEnv(env, 'https_proxy', 'HTTPS_PROXY') ?? http) : http;
	if (!proxy) return null;
	const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
	if (noProxy === '*') return null;
	const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
	const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
	for (const entry of noProxy.split(/[,\s]/)) {
		if (!entry) continue;
		const m = /^(.+):(\d+)$/.exec(entry);
		const name = (m ? m[1]! : entry).replace(/^\*?\./, '').toLowerCase();
		if (m && Number.parseInt(m[2]!, 10) !== port) continue;
		if (hostname === name || hostname.endsWith(`.${name}`)) return null;
	}
	return proxy;
}

/** `proxyFor` of a target given as text; null for one that is not a URL. */
function proxyOfTarget(target: string): ProxyChoice | null {
	try {
		return proxyFor(new URL(target));
	} catch {
		return null;
	}
}

/** A proxy as messages name it: scheme, host and port, never its credentials. */
export function proxyLabel(proxy: ProxyChoice): string {
	try {
		const url = new URL(proxy.url);
		return `${inert(`${url.protocol}//${url.host}`)} (${proxy.variable})`;
	} catch {
		return `from ${proxy.variable}`;
	}
}

export interface DispatcherOptions {
	readonly timeoutMs: number;
	/** Accept self-signed TLS certificates (of the target; a proxy's own certificate is always checked). */
	readonly insecure?: boolean;
}

/**
 * undici's header and body timeouts are off: every request through fdtop's dispatchers carries a
 * deadline for the whole request (HttpSource.scrape, PrometheusApi), which says the same `timed out
 * after N s`. undici runs those two on a timer wheel of its own that ticks every half second while
 * a request is open and once more after it: an idle fdtop woke twice a second for it, not once.
 */
const NO_PHASE_TIMERS = {headersTimeout: 0, bodyTimeout: 0} as const;

/**
 * Requests to each origin go direct or through the proxy `proxyFor` names (one ProxyAgent per
 * proxy): http targets through an http proxy as absolute-URI requests, as curl does; https
 * targets (or an https proxy) through a CONNECT tunnel.
 */
class EnvProxyDispatcher extends Dispatcher {
	readonly #direct: Agent;
	readonly #env: NodeJS.ProcessEnv;
	readonly #options: DispatcherOptions;
	readonly #proxies = new Map<string, ProxyAgent>();

	constructor(direct: Agent, options: DispatcherOptions, env: NodeJS.ProcessEnv) {
		super();
		this.#direct = direct;
		this.#options = options;
		this.#env = env;
	}

	override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
		const proxy = proxyFor(new URL(String(options.origin)), this.#env);
		if (!proxy) return this.#direct.dispatch(options, handler);
		let agent = this.#proxies.get(proxy.url);
		if (!agent) {
			let uri: URL;
			try {
				uri = new URL(proxy.url);
			} catch {
				throw new Error(`${proxy.variable} is not a proxy URL; set it as http://[user:password@]host:port`);
			}
			const {timeoutMs, insecure} = this.#options;
			agent = new ProxyAgent({
				uri: uri.href,
				proxyTunnel: false,
				keepAliveTimeout: 60_000,
				...NO_PHASE_TIMERS,
				requestTls: {timeout: timeoutMs, rejectUnauthorized: !insecure},
				proxyTls: {timeout: timeoutMs},
			});
			this.#proxies.set(proxy.url, agent);
		}
		return agent.dispatch(options, handler);
	}

	override close(): Promise<void>;
	override close(callback: () => void): void;
	override close(callback?: () => void): Promise<void> | void {
		const done = Promise.all([this.#direct.close(), ...[...this.#proxies.values()].map(a => a.close())]).then(() => undefined);
		if (!callback) return done;
		void done.then(callback, callback);
	}

	override destroy(): Promise<void>;
	override destroy(error: Error | null): Promise<void>;
	override destroy(callback: () => void): void;
	override destroy(error: Error | null, callback: () => void): void;
	override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
		const error = typeof a === 'function' ? null : (a ?? null);
		const callback = typeof a === 'function' ? a : b;
		const done = Promise.all([this.#direct.destroy(error), ...[...this.#proxies.values()].map(p => p.destroy(error))]).then(() => undefined);
		if (!callback) return done;
		void done.then(callback, callback);
	}
}

/**
 * The dispatcher for scrapes and Prometheus API calls: keep-alive, a connect timeout,
 * TLS checked unless `insecure`, and the proxies of the environment (`proxyFor`), read once here.
 * With no proxy variable set it is a plain Agent.
 */
export function createDispatcher(options: DispatcherOptions, env: NodeJS.ProcessEnv = process.env): Dispatcher {
	const direct = new Agent({
		keepAliveTimeout: 60_000,
		connect: {timeout: options.timeoutMs, rejectUnauthorized: !options.insecure},
		...NO_PHASE_TIMERS,
	});
	const proxied = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'].some(name => env[name]);
	return proxied ? new EnvProxyDispatcher(direct, options, {...env}) : direct;
}

/**
 * One line naming what went wrong, for errors thrown by undici or the network stack. With the
 * request's `target`, a failure at the proxy names that proxy (never its credentials).
 */
export function describeNetworkError(error: unknown, timeoutMs: number, target?: string): string {
	const err = error as {code?: string; name?: string; message?: string; cause?: {code?: string; message?: string}};
	const code = err?.code ?? err?.cause?.code;
	// undici: 'Proxy Authentication Required (407)' (http through the proxy), 'Proxy response (407)
	// !== 200 when HTTP Tunneling' (CONNECT).
	const refused = /^Proxy (?:Authentication Required \((\d{3})\)|response \((\d{3})\))/.exec(err?.message ?? '');
	if (refused) {
		const status = refused[1] ?? refused[2]!;
		const proxy = target ? proxyOfTarget(target) : null;
		const who = proxy ? `proxy ${proxyLabel(proxy)}` : 'the proxy (HTTP_PROXY or HTTPS_PROXY)';
		return status === '407'
			? `${who} answered HTTP 407 proxy authentication required: put the credentials in the proxy URL (http://user:password@host:port), or list this host in NO_PROXY`
			: `${who} answered HTTP ${status} to the tunnel request: check the proxy, or list this host in NO_PROXY`;
	}
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

/**
 * The words of an error answer, on one line: a JSON body's `detail`, `error` or `message` (FastAPI
 * answers `{"detail": …}`), an HTML page's title, else the first non-empty line of the text.
 * Line breaks, in any style and also escaped inside JSON, never reach the message as `\r` or `\n`.
 */
export function errorBodySummary(text: string, contentType: string): string {
	const trimmed = text.trim();
	if (contentType.includes('json') || trimmed.startsWith('{')) {
		try {
			const value = JSON.parse(trimmed) as Record<string, unknown>;
			const words = [value.detail, value.error, value.message].find(v => typeof v === 'string');
			if (typeof words === 'string' && oneLine(words)) return oneLine(words);
		} catch {
			// not JSON after all: read it as text
		}
	}
	if (looksLikeHtml(contentType, trimmed)) {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
		const words = oneLine((title ?? trimmed.replace(/<[^>]*>/g, ' ')).replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"})[e]!));
		if (words) return words;
	}
	return oneLine(trimmed.split(/\r\n|\r|\n|\u2028|\u2029/).find(line => line.trim()) ?? '');
}

function looksLikeHtml(contentType: string, text: string): boolean {
	if (contentType.includes('html')) return true;
	const head = text.slice(0, 256).trimStart().toLowerCase();
	return head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

/** Media types fdtop reads: the text format (`text/plain`, any version) and OpenMetrics text. */
const TEXT_TYPES = /^(?:text\/plain|application\/openmetrics-text)\s*(?:;|$)/i;

/**
 * Why a 2xx answer is not the text format, or null when it may be: a content type other than
 * text (protobuf, octet-stream, JSON, …; HTML is told apart before), or, with no content type, a
 * body with NUL bytes or bytes that are not UTF-8 in its first KiB.
 */
export function notTextFormat(contentType: string, text: string): string | null {
	const type = contentType.trim();
	const hint = 'not the Prometheus text format (fdtop asks for text/plain;version=0.0.4: is this the metrics URL, or does a proxy or exporter rewrite the answer?)';
	if (type !== '') {
		if (TEXT_TYPES.test(type) || /^text\//i.test(type)) return null;
		const what = /protobuf/i.test(type) ? 'a protobuf answer' : 'an answer';
		return `got ${what} with Content-Type ${inert(type.slice(0, 200))}, ${hint}`;
	}
	const head = text.slice(0, 1024);
	if (head.includes('\u0000') || head.includes('\uFFFD')) return `got a binary answer (no Content-Type), ${hint}`;
	return null;
}

/** Connection errors that, through a proxy, can only be about reaching the proxy itself. */
const PROXY_UNREACHABLE: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'refused the connection (is it running?)',
	ENOTFOUND: 'not found (DNS lookup failed)',
	EAI_AGAIN: 'not found (DNS lookup failed)',
	EHOSTUNREACH: 'unreachable',
	ENETUNREACH: 'unreachable',
};

export class HttpSource implements Source {
	readonly #agent: Dispatcher;
	/** True when the agent is this source's own (closed with it), false when shared. */
	readonly #ownsAgent: boolean;
	readonly #options: HttpOptions;
	readonly #clock: Clock;
	readonly #proxy: ProxyChoice | null;
	/** Said after a network error or an error status: the proxy the request went through. */
	readonly #via: string;
	#url: URL | undefined;

	constructor(
		readonly target: string,
		options: HttpOptions,
	) {
		this.#options = options;
		// Known to the redactor, whoever built these options (config parsing registers them too).
		addSecret(options.token);
		for (const value of Object.values(options.headers ?? {})) addSecret(value);
		this.#clock = options.clock ?? systemClock;
		this.#ownsAgent = options.dispatcher === undefined;
		this.#agent = options.dispatcher ?? createDispatcher(options);
		const proxy = proxyOfTarget(target);
		this.#proxy = proxy;
		this.#via = proxy ? ` (through proxy ${proxyLabel(proxy)})` : '';
	}

	/** A network error, said of the proxy when the request went through one and failed reaching it. */
	#networkError(error: unknown): string {
		const what = describeNetworkError(error, this.#options.timeoutMs, this.target);
		const proxy = this.#proxy;
		if (!proxy || what.startsWith('proxy ') || what.startsWith(`${proxy.variable} `)) return what;
		const err = error as {code?: string; cause?: {code?: string}};
		const reaching = PROXY_UNREACHABLE[err?.code ?? err?.cause?.code ?? ''];
		if (reaching) return `proxy ${proxyLabel(proxy)} ${reaching}: check ${proxy.variable}, or list this host in NO_PROXY`;
		return `${what}${this.#via}`;
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
			const maxBytes = this.#options.maxBytes;
			// What is read of each answer: nothing of a redirect, a refusal or an encoded body; the first
			// 512 bytes of an error page (for its summary); up to --max-bytes of metrics.
			// Parsed here, once: a target that is no URL fails its scrapes as before, not the constructor.
			this.#url ??= new URL(this.target);
			const response = await getCapped(this.#agent, this.#url, headers, deadline.signal, (status, h) =>
				(status >= 300 && status < 400) || status === 401 || status === 403 ? 0 : status >= 300 || status < 200 ? 512 : encodingOf(h) ? 0 : maxBytes,
			);
			const contentType = String(response.headers['content-type'] ?? '');
			if (response.statusCode >= 300 && response.statusCode < 400) {
				const location = String(response.headers.location ?? '');
				return fail(`HTTP ${response.statusCode} redirect${location ? ` to ${location}` : ''}; fdtop does not follow redirects, use the final URL`);
			}
			if (response.statusCode === 401 || response.statusCode === 403) {
				// Never echo the body (it is not even read): a gateway may repeat the Authorization header in it.
				const what = response.statusCode === 401 ? 'unauthorized' : 'forbidden';
				const advice = this.#options.token ? 'the token was refused: check FDTOP_TOKEN or --token-file' : 'this endpoint needs a token: set FDTOP_TOKEN or --token-file';
				return fail(`HTTP ${response.statusCode} ${what}; ${advice}`);
			}
			if (response.statusCode < 200 || response.statusCode >= 300) {
				const first = redact(errorBodySummary(textOf(response), contentType).slice(0, 120));
				return fail(`HTTP ${response.statusCode}${first ? `: ${first}` : ''}${this.#via}`, response.bytes);
			}
			const encoding = encodingOf(response.headers);
			if (encoding) return fail(`response is ${encoding}-encoded although fdtop did not ask for it`);
			bytes = response.bytes;
			if (response.truncated) return fail(`response larger than the ${formatBytes(maxBytes)} cap; raise it with --max-bytes`, bytes);
			const text = textOf(response);
			if (looksLikeHtml(contentType, text)) return fail('got an HTML page, not Prometheus metrics (is this the metrics URL? FastDeploy 2.0–2.2 serves them on --metrics-port, default 8001)', bytes);
			const binary = notTextFormat(contentType, text);
			if (binary) return fail(binary, bytes);
			return {target: this.target, t: this.#clock.now(), text, durationMs: this.#clock.now() - started, bytes};
		} catch (error) {
			if (signal?.aborted) return fail('cancelled', bytes);
			return fail(this.#networkError(error), bytes);
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', cancel);
		}
	}

	async close(): Promise<void> {
		if (this.#ownsAgent) await this.#agent.close().catch(() => undefined);
	}
}
