/**
 * What fdtop's sources import from 'undici' (Agent, Dispatcher, ProxyAgent, request), built from undici's own modules:
 * the bundle resolves 'undici' here (scripts/build.mjs). undici's index.js loads every feature at
 * start-up (fetch, WebSocket, EventSource, caches, mocks, cookies; cookies reads globalThis.Headers,
 * which loads Node's own copy of undici too): ~100 ms of CPU before the first scrape, for code
 * fdtop never calls. A name the sources import that is missing here fails the build.
 *
 * `request` is undici's index.js `makeDispatcher(api.request)` (undici 7, MIT), unchanged.
 */
import {URL} from 'node:url';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';
import global from 'undici/lib/global.js';

const {InvalidArgumentError} = errors;
const {getGlobalDispatcher} = global;

// As index.js does: dispatchers get request/stream/pipeline/upgrade/connect as methods.
Object.assign(Dispatcher.prototype, api);

function makeDispatcher(fn) {
	return (url, opts, handler) => {
		if (typeof opts === 'function') {
			handler = opts;
			opts = null;
		}
		if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
			throw new InvalidArgumentError('invalid url');
		}
		if (opts != null && typeof opts !== 'object') {
			throw new InvalidArgumentError('invalid opts');
		}
		if (opts && opts.path != null) {
			if (typeof opts.path !== 'string') {
				throw new InvalidArgumentError('invalid opts.path');
			}
			let path = opts.path;
			if (!opts.path.startsWith('/')) {
				path = `/${path}`;
			}
			url = new URL(util.parseOrigin(url).origin + path);
		} else {
			if (!opts) {
				opts = typeof url === 'object' ? url : {};
			}
			url = util.parseURL(url);
		}
		const {agent, dispatcher = getGlobalDispatcher()} = opts;
		if (agent) {
			throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
		}
		return fn.call(dispatcher, {
			...opts,
			origin: url.origin,
			path: url.search ? `${url.pathname}${url.search}` : url.pathname,
			method: opts.method || (opts.body ? 'PUT' : 'GET'),
		}, handler);
	};
}

export {Agent, Dispatcher};

/**
 * undici's ProxyAgent, loaded on first use (a proxy variable is set: source/sources/http.ts): with
 * its SOCKS5 agent it is ~40 KB of the bundle that a start without a proxy need not evaluate.
 * `new ProxyAgent(…)` returns the real one.
 */
export function ProxyAgent(options) {
	// esbuild bundles the module this require() names and evaluates it here, on the first call.
	// eslint-disable-next-line @typescript-eslint/no-require-imports, no-undef -- this file exists only to be bundled
	const Real = require('undici/lib/dispatcher/proxy-agent.js');
	return new Real(options);
}
export const request = makeDispatcher(api.request);
