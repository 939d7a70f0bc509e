/** Scrapes of a simulated server in fast simulated time: recordings and long-run fixtures. */
import type {Era} from './catalog.js';
import type {Scenario} from './scenarios.js';
import {Simulation} from './simulation.js';

export interface GenerateOptions {
	readonly scenario: Scenario;
	readonly era: Era;
	readonly seed?: number;
	readonly intervalSeconds: number;
	readonly count: number;
	/** Unix ms of the first scrape (default 2025-12-01T00:00:00Z, so output is reproducible). */
	readonly startTime?: number;
	/** Simulated seconds the server runs before the first scrape (default 0: a fresh server). */
	readonly warmupSeconds?: number;
	readonly fdDebug?: boolean;
}

export interface Scrape {
	/** Unix ms. */
	readonly t: number;
	readonly text: string;
}

export const DEFAULT_START_TIME = Date.UTC(2025, 11, 1);

export function* generateScrapes(o: GenerateOptions): Generator<Scrape, void, undefined> {
	if (!(o.intervalSeconds > 0)) throw new RangeError('intervalSeconds must be > 0');
	const start = o.startTime ?? DEFAULT_START_TIME;
	const warmup = Math.max(0, o.warmupSeconds ?? 0);
	const sim = new Simulation({
		scenario: o.scenario,
		era: o.era,
		seed: o.seed,
		startUnixSeconds: start / 1000 - warmup,
		fdDebug: o.fdDebug,
	});
	if (warmup > 0) sim.step(warmup);
	for (let i = 0; i < o.count; i++) {
		if (i > 0) sim.step(o.intervalSeconds);
		yield {t: start + Math.round(i * o.intervalSeconds * 1000), text: sim.text()};
	}
}
