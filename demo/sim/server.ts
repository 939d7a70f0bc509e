/**
 * An HTTP server that answers GET /metrics like a FastDeploy server of the chosen era, backed by
 * the simulation, with switchable faults (POST /control) for testing fdtop's error handling.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Era} from './catalog.js';
import {
	isFault,
	FAULTS,
	send503,
	sendGarbage,
	sendHtml,
	sendHuge,
	sendSlowBody,
	sendTruncated,
	type Fault,
} from './faults.js';
import {isScenario, SCENARIOS, type Scenario} from './scenarios.js';
import {Simulation} from './simulation.js';

export type {Fault} from './faults.js';

export interface SimulatorOptions {
	/** 0 (default) picks a free port. */
	readonly port?: number;
	readonly host?: string;
	readonly scenario: Scenario;
	readonly era: Era;
	/** Simulated seconds per real second (default 1; 0 = time moves only through advance()). */
	readonly speed?: number;
	readonly seed?: number;
	readonly fault?: Fault | null;
	/** Seconds up, then seconds 503, … for the `flapping` fault (default 5). */
	readonly flapSeconds?: number;
	/** How long the `slow-body` fault takes to send a body (default 5). */
	readonly slowSeconds?: number;
	/** Add FastDeploy's FD_DEBUG-only ZMQ metrics (2.3). */
	readonly fdDebug?: boolean;
	/** Unix ms at which the simulated server started (default now). */
	readonly startTime?: number;
	/** Simulated seconds at which the server restarts. */
	readonly restartAt?: readonly number[];
	/** Simulated seconds at which it restarts with another configuration (max_num_seqs ×2, blocks ×1.25, and back). */
	readonly reconfigureAt?: readonly number[];
}

export interface FaultOptions {
	/** Clear the fault again after this many real seconds. */
	readonly seconds?: number;
}

export interface SimulatorHandle {
	/** The /metrics URL. */
	readonly url: string;
	readonly port: number;
	readonly simulation: Simulation;
	/** Resolves once the fault is in force (`refuse` closes the listening socket). */
	setFault(fault: Fault | null, options?: FaultOptions): Promise<void>;
	setScenario(scenario: Scenario): void;
	/** Step the model by hand, in simulated seconds. */
	advance(seconds: number): void;
	/** Restart the simulated server: counters and histograms start from zero. */
	restart(): void;
	/** Restart it with another configuration (max_num_seqs ×2, blocks ×1.25; again: back). */
	reconfigure(): void;
	close(): Promise<void>;
}

export function contentType(era: Era): string {
	return era === '2.0' ? 'text/plain; version=0.0.4; charset=utf-8' : 'text/plain; charset=utf-8';
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
	const body = `${JSON.stringify(value)}\n`;
	res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
	res.end(body);
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
	let body = '';
	for await (const chunk of req) {
		body += String(chunk);
		if (body.length > limit) throw new Error('request body too large');
	}
	return body;
}

interface ControlRequest {
	fault?: Fault | null;
	scenario?: Scenario;
	seconds?: number;
	restart?: boolean;
	reconfigure?: boolean;
	advance?: number;
}

/** Validates a POST /control body; returns an error message or the request. */
export function parseControl(text: string): ControlRequest | string {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return 'body must be JSON, e.g. {"fault": "503"} or {"fault": null}';
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'body must be a JSON object';
	const o = raw as Record<string, unknown>;
	const out: ControlRequest = {};
	if ('fault' in o) {
		if (o.fault !== null && !isFault(o.fault)) return `fault must be null or one of: ${FAULTS.join(', ')}`;
		out.fault = o.fault;
	}
	if ('scenario' in o) {
		if (!isScenario(o.scenario)) return `scenario must be one of: ${SCENARIOS.join(', ')}`;
		out.scenario = o.scenario;
	}
	for (const key of ['seconds', 'advance'] as const) {
		if (key in o) {
			const v = o[key];
			if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${key} must be a positive number`;
			out[key] = v;
		}
	}
	if ('restart' in o) out.restart = o.restart === true;
	if ('reconfigure' in o) out.reconfigure = o.reconfigure === true;
	return out;
}

export async function startSimulator(options: SimulatorOptions): Promise<SimulatorHandle> {
	const host = options.host ?? '127.0.0.1';
	const speed = options.speed ?? 1;
	const era = options.era;
	const seed = options.seed ?? 1;
	const flapSeconds = options.flapSeconds ?? 5;
	const slowSeconds = options.slowSeconds ?? 5;
	const sim = new Simulation({
		scenario: options.scenario,
		era,
		seed,
		startUnixSeconds: (options.startTime ?? Date.now()) / 1000,
		fdDebug: options.fdDebug,
		restartAt: options.restartAt,
		reconfigureAt: options.reconfigureAt,
	});
	let lastReal = performance.now();
	const tick = (): void => {
		const now = performance.now();
		const dt = ((now - lastReal) / 1000) * speed;
		lastReal = now;
		if (dt > 0) sim.step(dt);
	};

	let fault: Fault | null = null;
	let faultSince = 0;
	let faultTimer: NodeJS.Timeout | undefined;
	let scrapes = 0;
	const timers = new Set<NodeJS.Timeout>();
	const currentFault = (): Fault | null => {
		if (fault !== 'flapping') return fault;
		const phase = Math.floor((performance.now() - faultSince) / (flapSeconds * 1000)) % 2;
		return phase === 0 ? null : '503';
	};

	const serveMetrics = async (res: ServerResponse): Promise<void> => {
		tick();
		scrapes++;
		const f = currentFault();
		if (f === '503') return send503(res);
		if (f === 'html') return sendHtml(res);
		if (f === 'garbage') return sendGarbage(res, seed + scrapes);
		const body = await sim.textAsync();
		const type = contentType(era);
		if (f === 'slow-body') return sendSlowBody(res, body, type, slowSeconds, timers);
		if (f === 'truncated') return sendTruncated(res, body, type);
		if (f === 'huge') return sendHuge(res, body, type);
		res.writeHead(200, {'Content-Type': type, 'Content-Length': Buffer.byteLength(body)});
		res.end(body);
	};

	const state = (): Record<string, unknown> => ({
		era,
		scenario: sim.model.scenario,
		fault,
		speed,
		simulatedSeconds: sim.now,
		restarts: sim.model.stats.restarts,
		maxNumSeqs: sim.model.params.maxNumSeqs,
		totalBlocks: sim.model.params.totalBlocks,
	});

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const path = (req.url ?? '/').split('?')[0];
		if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return serveMetrics(res);
		if (path === '/control' && req.method === 'GET') return sendJson(res, 200, state());
		if (path === '/control' && req.method === 'POST') {
			const parsed = parseControl(await readBody(req));
			if (typeof parsed === 'string') return sendJson(res, 400, {error: parsed});
			tick();
			if (parsed.scenario !== undefined) sim.model.setScenario(parsed.scenario);
			if (parsed.restart === true) sim.model.restartNow();
			if (parsed.reconfigure === true) sim.model.reconfigureNow();
			if (parsed.advance !== undefined) sim.step(parsed.advance);
			if (parsed.fault === undefined) return sendJson(res, 200, state());
			const next = parsed.fault;
			// Answer first: `refuse` drops every connection, this one included.
			res.on('finish', () => {
				setFault(next, {seconds: parsed.seconds}).catch((err: unknown) => {
					process.stderr.write(`fdtop simulator: could not apply fault ${String(next)}: ${String(err)}\n`);
				});
			});
			return sendJson(res, 200, {...state(), fault: next});
		}
		if (path === '/health' && req.method === 'GET') {
			res.writeHead(200, {'Content-Length': 0});
			return void res.end();
		}
		sendJson(res, 404, {detail: 'Not Found'});
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((err: unknown) => {
			if (!res.headersSent) sendJson(res, 500, {error: String(err)});
			else res.destroy();
		});
	});

	let listening = false;
	let closed = false;
	const listen = (port: number): Promise<number> =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				listening = true;
				resolve((server.address() as AddressInfo).port);
			});
		});
	const stopListening = (): Promise<void> =>
		new Promise((resolve) => {
			if (!listening) return resolve();
			listening = false;
			server.close(() => resolve());
			server.closeAllConnections();
		});

	const port = await listen(options.port ?? 0);
	const interval = setInterval(tick, 100);
	interval.unref();

	async function setFault(next: Fault | null, opts: FaultOptions = {}): Promise<void> {
		if (next !== null && !isFault(next)) throw new RangeError(`fault must be null or one of: ${FAULTS.join(', ')}`);
		clearTimeout(faultTimer);
		faultTimer = undefined;
		fault = next;
		faultSince = performance.now();
		if (next === 'refuse') await stopListening();
		else if (!listening && !closed) await listen(port);
		if (opts.seconds !== undefined && next !== null) {
			faultTimer = setTimeout(() => {
				setFault(null).catch((err: unknown) => process.stderr.write(`fdtop simulator: ${String(err)}\n`));
			}, opts.seconds * 1000);
			faultTimer.unref();
		}
	}

	if (options.fault) await setFault(options.fault);

	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
		port,
		simulation: sim,
		setFault,
		setScenario: (s) => {
			tick();
			sim.model.setScenario(s);
		},
		advance: (seconds) => {
			tick();
			sim.step(seconds);
		},
		restart: () => {
			tick();
			sim.model.restartNow();
		},
		reconfigure: () => {
			tick();
			sim.model.reconfigureNow();
		},
		close: async () => {
			closed = true;
			clearInterval(interval);
			clearTimeout(faultTimer);
			for (const t of timers) clearTimeout(t);
			timers.clear();
			await stopListening();
		},
	};
}
