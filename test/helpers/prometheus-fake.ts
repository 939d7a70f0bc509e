/** A loopback stand-in for the Prometheus HTTP API that answers canned responses and records requests. */
import {createServer, type IncomingHttpHeaders} from 'node:http';
import type {AddressInfo} from 'node:net';

export interface FakeRequest {
	readonly method: string;
	readonly path: string;
	/** Query string and form body together. */
	readonly params: URLSearchParams;
	readonly headers: IncomingHttpHeaders;
}

export interface FakeAnswer {
	readonly status?: number;
	/** Sent as application/json. */
	readonly json?: unknown;
	/** Sent verbatim instead of `json`. */
	readonly body?: string;
	readonly contentType?: string;
	/** Wait this long before answering. */
	readonly delayMs?: number;
}

export interface FakePrometheus {
	readonly url: string;
	readonly requests: FakeRequest[];
	close(): Promise<void>;
}

export async function startFakePrometheus(answer: (request: FakeRequest) => FakeAnswer): Promise<FakePrometheus> {
	const requests: FakeRequest[] = [];
	const timers = new Set<NodeJS.Timeout>();
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += String(chunk)));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://fake');
			const params = new URLSearchParams(url.search);
			if (req.headers['content-type']?.includes('x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
			const request = {method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers};
			requests.push(request);
			const a = answer(request);
			const send = (): void => {
				const text = a.body ?? JSON.stringify(a.json ?? {status: 'success', data: null});
				res.writeHead(a.status ?? 200, {'content-type': a.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text)});
				res.end(text);
			};
			if (a.delayMs) {
				const timer = setTimeout(() => {
					timers.delete(timer);
					send();
				}, a.delayMs);
				timers.add(timer);
			} else {
				send();
			}
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>(resolve => {
				for (const timer of timers) clearTimeout(timer);
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** `{"status":"success","data":{"resultType":"vector","result":[…]}}` from [labels, value] pairs. */
export function vector(samples: readonly [Record<string, string>, string][], t = 1_700_000_000): unknown {
	return {status: 'success', data: {resultType: 'vector', result: samples.map(([metric, value]) => ({metric, value: [t, value]}))}};
}

export function matrix(series: readonly [Record<string, string>, readonly [number, string][]][]): unknown {
	return {status: 'success', data: {resultType: 'matrix', result: series.map(([metric, values]) => ({metric, values}))}};
}

export function apiError(errorType: string, error: string): unknown {
	return {status: 'error', errorType, error};
}
