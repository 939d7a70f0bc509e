/** Target spec → the source that reads it. */
import {FileSource} from './file.js';
import {HttpSource, type HttpOptions} from './http.js';
import type {TargetSpec} from './targets.js';
import type {Source} from './types.js';

export function createSource(spec: TargetSpec, http: HttpOptions): Source {
	switch (spec.kind) {
		case 'http':
			return new HttpSource(spec.url, spec.headers || spec.token ? targetOptions(spec, http) : http);
		case 'file':
			return new FileSource(spec.path, http.clock);
		case 'recording':
			throw new Error('recordings are replayed by the replay driver, not scraped');
	}
}

/**
 * A config file's target with its own headers or token: the run's (flags, FDTOP_TOKEN) win, header
 * by header whatever the case of the name; a token from the run also replaces the target's
 * Authorization header, so one credential is sent.
 */
function targetOptions(spec: {readonly headers?: Readonly<Record<string, string>>; readonly token?: string}, http: HttpOptions): HttpOptions {
	const run = new Set(Object.keys(http.headers ?? {}).map(h => h.toLowerCase()));
	if (http.token) run.add('authorization');
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(spec.headers ?? {})) if (!run.has(name.toLowerCase())) headers[name] = value;
	Object.assign(headers, http.headers);
	return {...http, headers, token: http.token ?? spec.token};
}
