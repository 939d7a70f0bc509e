/**
 * One GET through an undici dispatcher, read by a dispatch handler (the status, the headers and the
 * body's chunks up to a cap chosen from the status and headers), and the kept body as text. No Readable stream and no async
 * iterator between the socket and the text: undici's `request()` builds both for every response,
 * which at one scrape a second cost about a third of the idle CPU of the I/O alone
 * (bench/idle-floor.mjs against the same loop over `dispatch`, BENCHMARKS.md).
 */
import {Buffer} from 'node:buffer';
import type {Dispatcher} from 'undici';

export interface Received {
	readonly statusCode: number;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
	/** The body's chunks kept (none past the cap). */
	readonly chunks: readonly Buffer[];
	/** Body bytes received, the chunk that went past the cap included. */
	readonly bytes: number;
	/** The body went past the cap: the response was abandoned there. */
	readonly truncated: boolean;
}

/**
 * GET `url` (parsed once by the caller: it is the same every scrape). `capOf(status, headers)` says how many body bytes to keep (0: none, the response is
 * abandoned at its first byte). Rejects with the network error, or with `signal`'s reason once it
 * aborts (at once, whatever undici is doing then).
 */
export function getCapped(
	dispatcher: Dispatcher,
	url: URL,
	headers: Readonly<Record<string, string>>,
	signal: AbortSignal,
	capOf: (statusCode: number, headers: Received['headers']) => number,
): Promise<Received> {
	return new Promise<Received>((resolve, reject) => {
		if (signal.aborted) {
			reject(signal.reason);
			return;
		}
		let controller: Dispatcher.DispatchController | undefined;
		let statusCode = 0;
		let responseHeaders: Received['headers'] = {};
		let cap = 0;
		let bytes = 0;
		const chunks: Buffer[] = [];
		let settled = false;
		const settle = (error: unknown, truncated: boolean): void => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (error !== undefined) reject(error);
			else resolve({statusCode, headers: responseHeaders, chunks, bytes, truncated});
		};
		const onAbort = (): void => {
			settle(signal.reason, false);
			controller?.abort(signal.reason);
		};
		signal.addEventListener('abort', onAbort, {once: true});
		dispatcher.dispatch(
			{origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers},
			{
				onRequestStart(c) {
					controller = c;
					if (settled) c.abort(signal.reason ?? new Error('abandoned'));
				},
				onResponseStart(_c, status, h) {
					// 1xx answers come before the response itself.
					if (status < 200) return;
					statusCode = status;
					responseHeaders = h;
					cap = capOf(status, h);
				},
				onResponseData(c, chunk) {
					if (settled) return;
					bytes += chunk.length;
					if (bytes > cap) {
						settle(undefined, true);
						c.abort(new Error('response larger than what fdtop reads of it'));
						return;
					}
					chunks.push(chunk);
				},
				onResponseEnd() {
					settle(undefined, false);
				},
				onResponseError(_c, error) {
					settle(error, false);
				},
			},
		);
	});
}

/** A body's content encoding other than none: fdtop asks for none and decompresses nothing. */
export function encodingOf(headers: Received['headers']): string {
	const encoding = String(headers['content-encoding'] ?? '');
	return encoding === 'identity' ? '' : encoding;
}

const UTF8 = new TextDecoder('utf-8');

/** The kept body as text (UTF-8; a character cut by the cap is left out, not replaced). */
export function textOf(response: Received): string {
	const {chunks} = response;
	const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Buffer[]);
	// A decoder left mid-character by a cut body is not reused.
	return (response.truncated ? new TextDecoder('utf-8') : UTF8).decode(bytes, {stream: response.truncated});
}
