/**
 * A deterministic discrete-time queueing model of one FastDeploy engine (continuous batching).
 * No timers: `step(dt)` advances simulated time. Metric updates go to a MetricsSink.
 */
import {Rng} from './rng.js';
import {SCENARIO_PARAMS, type Scenario, type ScenarioParams} from './scenarios.js';
import {SPEC_HEADS, type Era} from './catalog.js';

export const BLOCK_SIZE = 64;
export const MAX_MODEL_LEN = 32768;
/** Tokens of a shared system prompt that the prefix cache can serve. */
const SHARED_PREFIX = 1024;
const MAX_PREFILL_TOKENS = 8192;
const MAX_MACRO_STEPS = 64;

/** One request's life, in simulated seconds since the model started. */
export interface Req {
	readonly id: number;
	readonly arrival: number;
	readonly preprocessEnd: number;
	readonly prompt: number;
	readonly maxTokens: number;
	readonly output: number;
	/** Prompt tokens served from the prefix cache (decided when first scheduled). */
	cached: number;
	/** /v1/chat/completions (true) or /v1/completions: only chat observes e2e latency. */
	readonly chat: boolean;
	inferenceStart: number;
	firstToken: number;
	lastTokenTime: number;
	finish: number;
	responseEnd: number;
	generated: number;
	blocks: number;
	scheduled: boolean;
}

export interface GaugeState {
	readonly running: number;
	readonly waiting: number;
	readonly maxNumSeqs: number;
	readonly totalBlocks: number;
	readonly usedBlocks: number;
	readonly freeBlocks: number;
	readonly availableBlocks: number;
	readonly hitReqRate: number;
	readonly hitTokenRate: number;
	/** Waiting requests that ran before and were preempted (the rest are enqueued, never scheduled). */
	readonly preempted: number;
	readonly enqueued: number;
	/** KV blocks the preempted requests held, swapped out to CPU memory. */
	readonly swappedBlocks: number;
}

export interface SpecDelta {
	/** Which of the two data-parallel engine processes (by request id parity) did the work. */
	readonly rank: 0 | 1;
	readonly steps: number;
	readonly draft: number;
	readonly accepted: number;
	readonly emitted: number;
	readonly head0: number;
	readonly head1: number;
}

/** Where the model reports what FastDeploy would record. Times are simulated seconds. */
export interface MetricsSink {
	/** API layer received it (prompt tokens, max_tokens). */
	arrival(r: Req): void;
	/** Engine received it (requests_number). */
	received(r: Req): void;
	/** First scheduled (prefix-cache accounting). */
	scheduled(r: Req): void;
	firstToken(r: Req): void;
	tokens(n: number): void;
	/** `count` observations of the same inter-token gap. */
	tpot(seconds: number, count: number): void;
	finished(r: Req): void;
	/** Taken out of the running batch to free KV blocks (it waits again). */
	preempted?(r: Req): void;
	spec(d: SpecDelta): void;
	http(method: string, path: string, status: number, seconds: number): void;
	zmq(messagesSent: number, bytesSent: number, messagesReceived: number, bytesReceived: number, latencyMs: number): void;
	gauges(g: GaugeState): void;
	/** The server process restarted at this simulated time: every metric starts from scratch. */
	restart(at: number): void;
	/** The next start uses these settings (max_num_seqs, GPU blocks): told just before restart(). */
	configure?(settings: {readonly maxNumSeqs: number; readonly totalBlocks: number}): void;
}

export interface ModelOptions {
	readonly scenario: Scenario;
	readonly era: Era;
	readonly seed?: number;
	readonly sink?: MetricsSink;
}

export interface ModelStats {
	arrived: number;
	rejected: number;
	completed: number;
	preemptions: number;
	restarts: number;
}

const HTTP_CALLS = [
	{method: 'GET', path: '/v1/models', status: 200},
	{method: 'GET', path: '/config-info', status: 200},
	{method: 'GET', path: '/v1/model', status: 404},
] as const;

const blocksFor = (tokens: number): number => Math.ceil(tokens / BLOCK_SIZE);

export class SimModel {
	readonly era: Era;
	readonly stats: ModelStats = {arrived: 0, rejected: 0, completed: 0, preemptions: 0, restarts: 0};
	/** Simulated seconds since start that step() has reached. */
	now = 0;
	private scenarioName: Scenario;
	private p: ScenarioParams;
	private readonly rng: Rng;
	private readonly sink: MetricsSink | undefined;
	private readonly spec: boolean;
	/** The engine is busy until here (a prefill may run a little past `now`). */
	private clock = 0;
	private nextId = 1;
	private nextArrival: number;
	private nextHttp: number;
	private nextBurst: number;
	private burstUntil = -1;
	private nextRestart = Infinity;
	/** Settings changed by reconfigure(), over the scenario's. */
	private settings: Partial<Pick<ScenarioParams, 'maxNumSeqs' | 'totalBlocks'>> = {};
	private incoming: Req[] = [];
	private waiting: Req[] = [];
	private prefillQueue: Req[] = [];
	private running: Req[] = [];
	private usedBlocks = 0;
	private prefixWarm = false;
	private scheduledReqs = 0;
	private hitReqs = 0;
	private scheduledTokens = 0;
	private hitTokens = 0;

	constructor(options: ModelOptions) {
		this.era = options.era;
		this.rng = new Rng(options.seed ?? 1);
		this.sink = options.sink;
		this.spec = options.era !== '2.0';
		this.scenarioName = options.scenario;
		this.p = SCENARIO_PARAMS[options.scenario];
		this.nextBurst = this.rng.exponential(this.p.burstStartRate);
		this.nextArrival = this.rng.exponential(this.rateAt(0));
		this.nextHttp = this.rng.exponential(1 / 15);
		this.scheduleRestart();
	}

	get scenario(): Scenario {
		return this.scenarioName;
	}

	get params(): ScenarioParams {
		return this.p;
	}

	setScenario(s: Scenario): void {
		this.scenarioName = s;
		this.p = {...SCENARIO_PARAMS[s], ...this.settings};
		this.nextBurst = Math.min(this.nextBurst, this.now + this.rng.exponential(this.p.burstStartRate));
		this.scheduleRestart();
	}

	/** Restart the simulated server now (as the `restart` scenario does periodically). */
	restartNow(): void {
		this.restart(this.now);
	}

	/**
	 * Restart with another configuration, as an operator does to change it: max_num_seqs doubled
	 * and a quarter more GPU blocks, or back to the scenario's settings the next time.
	 */
	reconfigureNow(): void {
		const base = SCENARIO_PARAMS[this.scenarioName];
		this.settings = this.settings.maxNumSeqs === undefined ? {maxNumSeqs: base.maxNumSeqs * 2, totalBlocks: Math.round(base.totalBlocks * 1.25)} : {};
		this.p = {...base, ...this.settings};
		this.sink?.configure?.({maxNumSeqs: this.p.maxNumSeqs, totalBlocks: this.p.totalBlocks});
		this.restart(this.now);
	}

	/** Advance simulated time by `dt` seconds. */
	step(dt: number): void {
		if (!(dt > 0)) return;
		const target = this.now + dt;
		this.run(target);
		this.now = target;
		this.sink?.gauges(this.gaugeState());
	}

	gaugeState(): GaugeState {
		const total = this.p.totalBlocks;
		const lru = this.prefixWarm ? Math.min(blocksFor(SHARED_PREFIX), total - this.usedBlocks) : 0;
		const batch = this.running.length + this.prefillQueue.length;
		let preempted = 0;
		let swappedBlocks = 0;
		for (const r of this.waiting) {
			if (!r.scheduled) continue;
			preempted++;
			swappedBlocks += blocksFor(r.prompt + r.generated);
		}
		return {
			preempted,
			enqueued: this.waiting.length - preempted,
			swappedBlocks,
			running: batch,
			waiting: this.waiting.length,
			maxNumSeqs: this.p.maxNumSeqs,
			totalBlocks: total,
			usedBlocks: this.usedBlocks,
			freeBlocks: total - this.usedBlocks - lru,
			availableBlocks: total - this.usedBlocks,
			hitReqRate: this.scheduledReqs > 0 ? this.hitReqs / this.scheduledReqs : 0,
			hitTokenRate: this.scheduledTokens > 0 ? this.hitTokens / this.scheduledTokens : 0,
		};
	}

	/** Output tokens already generated by requests that have not finished. */
	inFlightGeneratedTokens(): number {
		let n = 0;
		for (const list of [this.waiting, this.prefillQueue, this.running]) for (const r of list) n += r.generated;
		return n;
	}

	/** Restarts come every `restartEverySeconds` × [0.5, 1) of simulated time, at no round time. */
	private scheduleRestart(from = this.now): void {
		const every = this.p.restartEverySeconds;
		this.nextRestart = every === undefined ? Infinity : from + every * (0.5 + 0.5 * this.rng.next());
	}

	private rateAt(t: number): number {
		while (t >= this.nextBurst) {
			this.burstUntil = this.nextBurst + this.p.burstSeconds;
			this.nextBurst = this.burstUntil + this.rng.exponential(this.p.burstStartRate);
		}
		// Speculative decoding (2.3 era) emits ~2.2 tokens per step; 1.5x the load keeps `steady` steady.
		const eraScale = this.spec ? 1.5 : 1;
		const burst = t < this.burstUntil ? this.p.burstFactor : 1;
		const wave = 1 + 0.15 * Math.sin((2 * Math.PI * t) / 3600);
		return this.p.rate * eraScale * burst * wave;
	}

	private run(target: number): void {
		for (;;) {
			this.arrivals(this.clock);
			if (this.nextRestart <= this.clock) {
				this.restart(this.nextRestart);
				continue;
			}
			this.admit();
			if (this.clock >= target) return;
			if (this.prefillQueue.length > 0) this.prefillIteration();
			else if (this.running.length > 0) this.decodeMacroStep(target);
			else this.clock = Math.min(this.nextArrival, this.nextReady(), this.nextRestart, target);
		}
	}

	private nextReady(): number {
		let t = Infinity;
		for (const r of this.incoming) t = Math.min(t, r.preprocessEnd);
		return t;
	}

	private arrivals(upTo: number): void {
		while (this.nextArrival <= upTo) {
			const t = this.nextArrival;
			this.createRequest(t);
			this.nextArrival = t + this.rng.exponential(this.rateAt(t));
		}
		while (this.nextHttp <= upTo) {
			const call = this.rng.pick(HTTP_CALLS, [6, 2, 1]);
			const seconds = call.path === '/config-info' ? this.rng.range(0.008, 0.04) : this.rng.range(0.001, 0.012);
			this.sink?.http(call.method, call.path, call.status, seconds);
			this.nextHttp += this.rng.exponential(1 / 15);
		}
		if (this.incoming.length === 0) return;
		const still: Req[] = [];
		for (const r of this.incoming) {
			if (r.preprocessEnd <= upTo) {
				this.waiting.push(r);
				this.sink?.received(r);
			} else still.push(r);
		}
		this.incoming = still;
	}

	private createRequest(t: number): void {
		const p = this.p;
		if (this.waiting.length + this.incoming.length >= p.maxWaiting) {
			this.stats.rejected++;
			return;
		}
		const rng = this.rng;
		const prompt = Math.max(4, Math.min(24000, Math.round(rng.lognormal(p.promptMedian, p.promptSigma))));
		const maxTokens = Math.max(1, Math.min(rng.pick(p.maxTokensChoices, p.maxTokensWeights), MAX_MODEL_LEN - prompt));
		const output = Math.max(1, Math.min(maxTokens, Math.round(rng.lognormal(p.outputMedian, p.outputSigma))));
		const hit = rng.next() < 0.55;
		const cached = hit ? Math.min(Math.floor((prompt - 1) / BLOCK_SIZE) * BLOCK_SIZE, SHARED_PREFIX) : 0;
		const r: Req = {
			id: this.nextId++,
			arrival: t,
			preprocessEnd: t + 0.002 + prompt * 1.5e-6 + rng.range(0, 0.004),
			prompt,
			maxTokens,
			output,
			cached,
			chat: rng.next() < 0.85,
			inferenceStart: NaN,
			firstToken: NaN,
			lastTokenTime: NaN,
			finish: NaN,
			responseEnd: NaN,
			generated: 0,
			blocks: 0,
			scheduled: false,
		};
		this.stats.arrived++;
		this.sink?.arrival(r);
		this.sink?.zmq(1, 256 + prompt * 4, 0, 0, rng.range(0.02, 0.3));
		this.incoming.push(r);
	}

	private admit(): void {
		const p = this.p;
		const reserve = Math.ceil(p.totalBlocks * 0.02);
		while (this.waiting.length > 0 && this.running.length + this.prefillQueue.length < p.maxNumSeqs) {
			const r = this.waiting[0] as Req;
			const need = blocksFor(r.prompt + r.generated + 1);
			if (this.usedBlocks + need + reserve > p.totalBlocks) return;
			this.waiting.shift();
			this.usedBlocks += need;
			r.blocks = need;
			if (!r.scheduled) {
				r.scheduled = true;
				r.inferenceStart = this.clock;
				const cached = this.prefixWarm ? r.cached : 0;
				this.prefixWarm = true;
				r.cached = cached;
				this.scheduledReqs++;
				this.scheduledTokens += r.prompt;
				if (cached > 0) this.hitReqs++;
				this.hitTokens += cached;
				this.sink?.scheduled(r);
			}
			this.prefillQueue.push(r);
		}
	}

	private prefillIteration(): void {
		const batch: Req[] = [];
		let tokens = 0;
		let quadratic = 0;
		while (this.prefillQueue.length > 0) {
			const r = this.prefillQueue[0] as Req;
			const cost = r.generated > 0 ? r.prompt + r.generated : r.prompt - r.cached;
			if (batch.length > 0 && tokens + cost > MAX_PREFILL_TOKENS) break;
			this.prefillQueue.shift();
			batch.push(r);
			tokens += cost;
			quadratic += cost * cost;
		}
		const dt = (0.006 + tokens * 6.5e-5 + quadratic * 2e-9) * (1 + 0.05 * Math.abs(this.rng.normal()));
		this.clock += dt;
		for (const r of batch) {
			if (r.generated === 0) {
				r.generated = 1;
				r.firstToken = this.clock;
				r.lastTokenTime = this.clock;
				this.sink?.firstToken(r);
				this.sink?.tokens(1);
			}
			if (r.generated >= r.output) this.finish(r, this.clock);
			else this.running.push(r);
		}
	}

	private decodeMacroStep(target: number): void {
		const rng = this.rng;
		const b = this.running.length;
		let context = 0;
		for (const r of this.running) context += r.prompt + r.generated;
		const p0 = 0.78 + 0.05 * Math.sin(this.clock / 900);
		const p1 = 0.6 + 0.05 * Math.sin(this.clock / 1300 + 1);
		const tps = this.spec ? 1 + p0 + p0 * p1 : 1;
		const s = Math.max(0.005, (0.012 + 0.00055 * b + 2.5e-8 * context) * (this.spec ? 1.15 : 1) * (1 + 0.06 * rng.normal()));
		let k = MAX_MACRO_STEPS;
		for (const r of this.running) k = Math.min(k, Math.ceil((r.output - r.generated) / tps));
		if (b < this.p.maxNumSeqs) k = Math.min(k, Math.ceil((Math.min(this.nextArrival, this.nextReady()) - this.clock) / s));
		k = Math.min(k, Math.floor((target - this.clock) / s), Math.ceil((this.nextRestart - this.clock) / s));
		k = Math.max(1, k);
		const start = this.clock;
		const gaps = new Map<number, number>();
		let bulk = 0;
		let emitted = 0;
		let steps = 0;
		const rankEmitted: [number, number] = [0, 0];
		const rankSteps: [number, number] = [0, 0];
		const done: Req[] = [];
		for (const r of this.running) {
			const remaining = r.output - r.generated;
			let tokens = k;
			if (this.spec) {
				const perStep = Math.min(1 + SPEC_HEADS, Math.max(1, tps * (1 + 0.08 * rng.normal())));
				tokens = Math.round(k * perStep);
			}
			let stepsR = k;
			if (tokens >= remaining) {
				tokens = remaining;
				stepsR = Math.min(k, Math.max(1, Math.ceil(remaining / tps)));
			}
			gaps.set(r.lastTokenTime, (gaps.get(r.lastTokenTime) ?? 0) + 1);
			bulk += stepsR - 1;
			r.generated += tokens;
			r.lastTokenTime = start + stepsR * s;
			emitted += tokens;
			steps += stepsR;
			const rank = (r.id & 1) as 0 | 1;
			rankEmitted[rank] += tokens;
			rankSteps[rank] += stepsR;
			if (r.generated >= r.output) done.push(r);
		}
		for (const [last, n] of gaps) this.sink?.tpot(start + s - last, n);
		if (bulk > 0) this.sink?.tpot(s, bulk);
		this.sink?.tokens(emitted);
		this.sink?.zmq(0, 0, steps, emitted * 48, rng.range(0.02, 0.4));
		if (this.spec) {
			for (const rank of [0, 1] as const) {
				const stepsK = rankSteps[rank];
				const emittedK = rankEmitted[rank];
				if (stepsK === 0) continue;
				const accepted = emittedK - stepsK;
				const head0 = Math.min(stepsK, Math.round(accepted / (1 + p1)));
				const draft = stepsK * SPEC_HEADS;
				this.sink?.spec({rank, steps: stepsK, draft, accepted, emitted: emittedK, head0, head1: accepted - head0});
			}
		}
		this.clock = start + k * s;
		if (done.length > 0) {
			this.running = this.running.filter((r) => r.generated < r.output);
			for (const r of done) this.finish(r, r.lastTokenTime);
		}
		for (const r of this.running) {
			const need = blocksFor(r.prompt + r.generated);
			if (need > r.blocks) {
				this.usedBlocks += need - r.blocks;
				r.blocks = need;
			}
		}
		while (this.usedBlocks > this.p.totalBlocks && this.running.length > 1) this.preempt(this.running.pop() as Req);
	}

	private preempt(r: Req): void {
		this.usedBlocks -= r.blocks;
		r.blocks = 0;
		this.stats.preemptions++;
		this.waiting.unshift(r);
		this.sink?.preempted?.(r);
	}

	private finish(r: Req, t: number): void {
		r.finish = t;
		r.responseEnd = t + this.rng.range(0.001, 0.008);
		this.usedBlocks -= r.blocks;
		r.blocks = 0;
		this.stats.completed++;
		this.sink?.finished(r);
	}

	private restart(at: number): void {
		this.stats.restarts++;
		this.incoming = [];
		this.waiting = [];
		this.prefillQueue = [];
		this.running = [];
		this.usedBlocks = 0;
		this.prefixWarm = false;
		this.scheduledReqs = this.hitReqs = this.scheduledTokens = this.hitTokens = 0;
		this.clock = Math.max(this.clock, at);
		this.scheduleRestart(at);
		this.sink?.restart(at);
		this.sink?.gauges(this.gaugeState());
	}
}
