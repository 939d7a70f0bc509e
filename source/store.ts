/**
 * The one place state changes. Sources hand in scrapes; the store parses, snapshots, keeps history
 * and derives once per scrape, then publishes a new immutable AppState to subscribers
 * (React's useSyncExternalStore, the --once report, tests). Time and timers are injected.
 *
 * This file is the scheduling: one poll loop per target, pause and resume, --once's scrapeAll.
 * What is state (AppState, ingest, publish, windows, intervals) is store/state.ts, which Store
 * extends; the UI, reports and the CLI import everything from here.
 */
import {setMaxListeners} from 'node:events';
import type {Clock, Source} from './sources/types.js';
import {systemClock} from './sources/types.js';
import {StoreState, type StoreOptions} from './store/state.js';

export {DEFAULT_MAX_SERIES, INTERVALS_MS, WINDOWS_MS} from './store/state.js';
export type {AppState, Listener, StoreOptions, TargetStatus} from './store/state.js';
// Defined below the store (sources/ and metrics/ use them too); the UI and reports import them from here.
export type {Mode, TargetState} from './sources/types.js';

export class Store extends StoreState {
	readonly #clock: Clock;
	#sources: readonly Source[] = [];
	readonly #timers: unknown[] = [];
	readonly #inFlight: boolean[] = [];
	#controller = newController();
	#running = false;
	#publishQueued = false;

	constructor(options: StoreOptions) {
		super(options);
		this.#clock = options.clock ?? systemClock;
	}

	override setIntervalMs(intervalMs: number): void {
		const changed = intervalMs !== this.getSnapshot().intervalMs;
		super.setIntervalMs(intervalMs);
		if (changed && this.#running && !this.getSnapshot().paused) this.#rescheduleAll(intervalMs);
	}

	pause(): void {
		if (this.getSnapshot().paused) return;
		this.#clearTimers();
		this.setState({paused: true});
	}

	resume(): void {
		if (!this.getSnapshot().paused) return;
		this.setState({paused: false});
		if (this.#running) this.#rescheduleAll(0);
	}

	togglePause(): void {
		if (this.getSnapshot().paused) this.resume();
		else this.pause();
	}

	/** Poll these sources (one per target, same order) until stop(). */
	start(sources: readonly Source[]): void {
		if (sources.length !== this.getSnapshot().targets.length) throw new RangeError('one source per target');
		this.#sources = sources;
		this.#running = true;
		this.#controller = newController();
		this.#rescheduleAll(0);
	}

	/** Scrape every target now (skipping any whose scrape is still in flight). */
	refresh(): void {
		if (this.#running) this.#rescheduleAll(0);
	}

	/** Scrape every target once and wait for all of them (used by --once). */
	async scrapeAll(sources: readonly Source[] = this.#sources): Promise<void> {
		// Taken in as they come and published once: ten thousand targets are one new state, not ten
		// thousand copies of a ten-thousand-entry list.
		await Promise.all(sources.map(async (source, i) => this.ingestMany(i, [await source.scrape(this.#controller.signal)], {publish: false})));
		this.publish();
	}

	async stop(): Promise<void> {
		this.#running = false;
		this.#clearTimers();
		this.#controller.abort();
		await Promise.all(this.#sources.map(s => s.close()));
	}

	/**
	 * Scrapes that finish in the same turn of the event loop (many, with a large fleet) make one new
	 * state: publishing each would copy the target list and redraw once per target, O(n²) a round.
	 * Not a timer: no time passes, the publish waits only for the I/O of this turn to be taken in.
	 */
	#publishSoon(): void {
		if (this.#publishQueued) return;
		this.#publishQueued = true;
		setImmediate(() => {
			this.#publishQueued = false;
			this.publish();
		});
	}

	#clearTimers(): void {
		for (const handle of this.#timers) if (handle !== undefined) this.#clock.clearTimeout(handle);
		this.#timers.length = 0;
	}

	#rescheduleAll(delayMs: number): void {
		this.#clearTimers();
		for (let i = 0; i < this.#sources.length; i++) this.#schedule(i, delayMs);
	}

	#schedule(index: number, delayMs: number): void {
		this.#timers[index] = this.#clock.setTimeout(() => void this.#poll(index), delayMs);
	}

	// Each target runs its own loop: a slow or dead endpoint never delays another, and a slow
	// scrape never has a second one stacked on top of it.
	async #poll(index: number): Promise<void> {
		this.#timers[index] = undefined;
		if (!this.#running || this.getSnapshot().paused || this.#inFlight[index]) return;
		this.#inFlight[index] = true;
		const started = this.#clock.now();
		try {
			const scrape = await this.#sources[index]!.scrape(this.#controller.signal);
			if (this.#running && !this.getSnapshot().paused) {
				this.ingestMany(index, [scrape], {publish: false});
				this.#publishSoon();
			}
		} finally {
			this.#inFlight[index] = false;
		}
		if (!this.#running || this.getSnapshot().paused || this.#timers[index] !== undefined) return;
		const elapsed = this.#clock.now() - started;
		this.#schedule(index, Math.max(0, this.getSnapshot().intervalMs - elapsed));
	}
}

/** Every scrape in flight listens to this signal: a fleet is more than Node's default of 10 listeners, and no leak. */
function newController(): AbortController {
	const controller = new AbortController();
	setMaxListeners(0, controller.signal);
	return controller;
}
