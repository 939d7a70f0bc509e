/** Broken answers to GET /metrics, for testing how fdtop copes with a misbehaving endpoint. */
import type {ServerResponse} from 'node:http';
import {Rng} from './rng.js';

export type Fault = 'refuse' | '503' | 'slow-body' | 'html' | 'truncated' | 'garbage' | 'huge' | 'flapping';
export const FAULTS: readonly Fault[] = ['refuse', '503', 'slow-body', 'html', 'truncated', 'garbage', 'huge', 'flapping'];

export function isFault(f: unknown): f is Fault {
	return typeof f === 'string' && (FAULTS as readonly string[]).includes(f);
}

/** The `huge` body is at least this long (more than fdtop's 20 MiB limit). */
export const HUGE_BYTES = 21 * 1024 * 1024;

export const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in - Gateway</title></head>
<body>
<form method="post" action="/login">
<h1>Please sign in</h1>
<label>User <input name="user"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;

/** Per-response timers, so close() can stop responses that are still dribbling. */
export interface TimerSet {
	add(t: NodeJS.Timeout): void;
	delete(t: NodeJS.Timeout): void;
}

function later(timers: TimerSet, ms: number, fn: () => void): void {
	const t = setTimeout(() => {
		timers.delete(t);
		fn();
	}, ms);
	timers.add(t);
}

export function send503(res: ServerResponse): void {
	const body = '{"detail":"Service Unavailable"}';
	res.writeHead(503, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '5'});
	res.end(body);
}

export function sendHtml(res: ServerResponse): void {
	res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(LOGIN_PAGE)});
	res.end(LOGIN_PAGE);
}

/** Headers at once, then the body in 20 pieces spread over `seconds`. */
export function sendSlowBody(res: ServerResponse, body: string, contentType: string, seconds: number, timers: TimerSet): void {
	res.writeHead(200, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body)});
	res.flushHeaders();
	const pieces = 20;
	const size = Math.ceil(body.length / pieces);
	let i = 0;
	const next = (): void => {
		if (res.destroyed) return;
		if (i >= pieces) {
			res.end();
			return;
		}
		res.write(body.slice(i * size, (i + 1) * size));
		i++;
		later(timers, (seconds * 1000) / pieces, next);
	};
	later(timers, (seconds * 1000) / pieces, next);
}

/** Where to cut a body so that it stops in the middle of a sample line. */
export function midLineCut(body: string): number {
	const half = Math.floor(body.length / 2);
	const lineStart = body.lastIndexOf('\n', half) + 1;
	const lineEnd = body.indexOf('\n', lineStart);
	const end = lineEnd < 0 ? body.length : lineEnd;
	return Math.max(lineStart + 1, Math.min(end - 1, lineStart + Math.floor((end - lineStart) / 2)));
}

/** Announce the whole length, send half (ending mid-line), then drop the connection. */
export function sendTruncated(res: ServerResponse, body: string, contentType: string): void {
	const buf = Buffer.from(body);
	const cut = Buffer.byteLength(body.slice(0, midLineCut(body)));
	res.writeHead(200, {'Content-Type': contentType, 'Content-Length': buf.length});
	res.write(buf.subarray(0, cut), () => res.destroy());
}

export function garbageBytes(seed: number, length = 64 * 1024): Buffer {
	const rng = new Rng(seed);
	const buf = Buffer.alloc(length);
	for (let i = 0; i < length; i++) buf[i] = Math.floor(rng.next() * 256);
	return buf;
}

export function sendGarbage(res: ServerResponse, seed: number): void {
	const body = garbageBytes(seed);
	res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length});
	res.end(body);
}

/**
 * A valid exposition followed by a padding family, streamed (chunked, with backpressure) until the
 * body is larger than HUGE_BYTES. Stops when the client goes away.
 */
export function sendHuge(res: ServerResponse, body: string, contentType: string): void {
	res.writeHead(200, {'Content-Type': contentType});
	let sent = 0;
	let i = 0;
	const header = '# HELP fdtop_sim_padding Padding that makes this body larger than 20 MiB\n# TYPE fdtop_sim_padding gauge\n';
	const first = body + header;
	const chunk = (): string => {
		let s = '';
		while (s.length < 64 * 1024) s += `fdtop_sim_padding{i="${i++}"} 1.0\n`;
		return s;
	};
	const pump = (): void => {
		while (!res.destroyed) {
			if (sent >= HUGE_BYTES) {
				res.end();
				return;
			}
			const piece = sent === 0 ? first : chunk();
			sent += Buffer.byteLength(piece);
			if (!res.write(piece)) {
				res.once('drain', pump);
				return;
			}
		}
	};
	pump();
}
