/** How a user writes a target, and what it resolves to. */
import {existsSync, statSync} from 'node:fs';

export type TargetSpec =
	| {
			readonly kind: 'http';
			readonly url: string;
			readonly name: string;
			/** This target's own headers and token (a config file's target); flags and FDTOP_TOKEN beat them. */
			readonly headers?: Readonly<Record<string, string>>;
			readonly token?: string;
	  }
	| {readonly kind: 'file'; readonly path: string; readonly name: string}
	| {readonly kind: 'recording'; readonly path: string; readonly name: string};

export class TargetError extends Error {}

const RECORDING = /\.jsonl(\.gz)?$/i;

function hostPort(text: string): string {
	return text.startsWith(':') ? `localhost${text}` : text;
}

/**
 * `http(s)://host:port[/path]` (a bare host or `/` gets `/metrics`), `host:port`, `:port`,
 * `-` (standard input), a saved exposition, or a recording (`.jsonl`, `.jsonl.gz`).
 * An optional `name=` prefix labels the target.
 */
export function parseTarget(input: string): TargetSpec {
	let text = input.trim();
	let name = '';
	const named = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(text);
	// A name never contains ':' or '/', so URLs with '=' in their query are not mistaken for one.
	if (named && !existsSync(text)) {
		name = named[1]!;
		text = named[2]!;
	}
	if (text === '') throw new TargetError('empty target: give a URL, host:port, :port or a file');
	if (text === '-') return {kind: 'file', path: '-', name: name || 'stdin'};
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			throw new TargetError(`"${input}" is not a valid URL`);
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetError(`"${input}": only http:// and https:// are supported`);
		if (url.username || url.password) {
			throw new TargetError(`"${url.host}": credentials inside a URL would show on screen and in recordings; use FDTOP_TOKEN, --token-file or -H 'Authorization: …' instead`);
		}
		if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
		return {kind: 'http', url: url.toString(), name: name || url.host};
	}
	if (existsSync(text) && statSync(text).isFile()) {
		return RECORDING.test(text) ? {kind: 'recording', path: text, name: name || text} : {kind: 'file', path: text, name: name || text};
	}
	if (/^(\[[0-9a-f:]+\]|[A-Za-z0-9_.-]*):\d{1,5}(\/.*)?$/i.test(text)) {
		const hp = hostPort(text);
		const slash = hp.indexOf('/');
		const port = Number((slash === -1 ? hp : hp.slice(0, slash)).split(':').at(-1));
		if (!(port >= 1 && port <= 65_535)) throw new TargetError(`"${input}": port must be 1–65535`);
		return parseTarget(`${name ? `${name}=` : ''}http://${slash === -1 ? `${hp}/metrics` : hp}`);
	}
	if (RECORDING.test(text) || /\.(txt|prom|metrics)$/i.test(text) || text.includes('/')) throw new TargetError(`"${input}": no such file`);
	throw new TargetError(`"${input}" is not a target: give a URL, host:port, :port, or an existing file`);
}

export function targetLocation(spec: TargetSpec): string {
	return spec.kind === 'http' ? spec.url : spec.path;
}

/** FastDeploy's default metrics ports: 8001 (2.0–2.2, --metrics-port) then 8000 (2.3+, the API port). */
export const DEFAULT_TARGETS = ['http://localhost:8001/metrics', 'http://localhost:8000/metrics'] as const;
