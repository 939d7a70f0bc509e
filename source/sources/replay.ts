/**
 * Replays a recording through the same store as live data, at the recorded pace × speed, with
 * pause, single steps, speed changes and looping. Times come from the recording, so windows,
 * rates and percentiles are recomputed exactly as they were live.
 */
import type {Controls} from '../controls.js';
import type {Store} from '../store.js';
import {readRecording, type RecordedScrape} from './recording.js';
import type {Clock} from './types.js';
import {systemClock} from './types.js';

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 30, 100] as const;
/** A long gap in a recording (fdtop was paused) is replayed as at most this long. */
const MAX_GAP_MS = 10_000;

export interface ReplayOptions {
	readonly file: string;
	readonly speed: number;
	readonly loop: boolean;
	readonly demo: string | null;
	readonly clock?: Clock;
}

export class Replay implements Controls {
	readonly #store: Store;
	readonly #options: ReplayOptions;
	readonly #clock: Clock;
	#speed: number;
	#iterator: AsyncIterator<RecordedScrape> | undefined;
	#pending: RecordedScrape | undefined;
	#timer: unknown;
	#position = 0;
	#total: number | null = null;
	#offsetMs = 0;
	#firstT: number | undefined;
	#lastT: number | undefined;
	#finished = false;
	#stopped = false;
	#busy = false;
	tornLines = 0;

	constructor(store: Store, options: ReplayOptions) {
		this.#store = store;
		this.#options = options;
		this.#clock = options.clock ?? systemClock;
		this.#speed = options.speed;
		this.#publish();
	}

	#publish(): void {
		this.#store.setMode({
			kind: 'replay',
			demo: this.#options.demo,
			file: this.#options.file,
			speed: this.#speed,
			loop: this.#options.loop,
			position: this.#position,
			total: this.#total,
			finished: this.#finished,
		});
	}

	async #open(): Promise<void> {
		const {records, stats} = await readRecording(this.#options.file);
		this.#iterator = records[Symbol.asyncIterator]();
		this.#torn = stats;
	}

	#torn: {tornLines: number} = {tornLines: 0};

	/** The next record, looping to the start when asked to. Undefined at the end. */
	async #next(): Promise<RecordedScrape | undefined> {
		if (!this.#iterator) await this.#open();
		let result = await this.#iterator!.next();
		this.tornLines = this.#torn.tornLines;
		if (result.done && this.#options.loop && this.#position > 0) {
			this.#total = this.#position;
			// Keep time moving forward across loops, and start the history afresh: a loop is not a restart.
			this.#offsetMs += (this.#lastT ?? 0) - (this.#firstT ?? 0) + this.#store.getSnapshot().intervalMs;
			this.#position = 0;
			this.#store.resetHistory();
			await this.#open();
			result = await this.#iterator!.next();
		}
		if (result.done) return undefined;
		return result.value;
	}

	#ingest(record: RecordedScrape): void {
		if (this.#position === 0 && this.#firstT === undefined) this.#firstT = record.t;
		const t = record.t + this.#offsetMs;
		this.#store.ingest(record.i, {target: record.target, t, durationMs: record.durationMs, bytes: record.bytes, ...(record.error === undefined ? {text: record.text ?? ''} : {error: record.error})});
		this.#lastT = record.t;
		this.#position++;
	}

	/** Start playing at the recorded pace. */
	async start(): Promise<void> {
		this.#pending = await this.#next();
		await this.#tick();
	}

	async #tick(): Promise<void> {
		if (this.#stopped || this.#busy) return;
		this.#busy = true;
		try {
			const record = this.#pending;
			if (!record) {
				this.#finish();
				return;
			}
			this.#ingest(record);
			this.#pending = await this.#next();
			this.#publish();
			if (!this.#pending) {
				this.#finish();
				return;
			}
			if (this.#store.getSnapshot().paused) return;
			const gap = this.#pending.t - record.t;
			const delay = gap < 0 ? 0 : Math.min(gap, MAX_GAP_MS) / this.#speed;
			this.#timer = this.#clock.setTimeout(() => void this.#tick(), delay);
		} finally {
			this.#busy = false;
		}
	}

	#finish(): void {
		this.#finished = true;
		if (this.#total === null) this.#total = this.#position;
		this.#publish();
	}

	/** Ingest every remaining record at once (for --once): the report shows the last window. */
	async runToEnd(): Promise<void> {
		if (!this.#iterator) await this.#open();
		let record = this.#pending ?? (await this.#nextNoLoop());
		while (record) {
			this.#ingest(record);
			record = await this.#nextNoLoop();
		}
		this.tornLines = this.#torn.tornLines;
		this.#pending = undefined;
		this.#finish();
	}

	async #nextNoLoop(): Promise<RecordedScrape | undefined> {
		const result = await this.#iterator!.next();
		return result.done ? undefined : result.value;
	}

	togglePause(): void {
		if (this.#store.getSnapshot().paused) {
			this.#store.resume();
			if (this.#pending && !this.#finished) void this.#tick();
		} else {
			this.#clearTimer();
			this.#store.pause();
		}
	}

	/** One scrape forward; pauses first so the step is visible. */
	step(): void {
		if (!this.#store.getSnapshot().paused) {
			this.#clearTimer();
			this.#store.pause();
		}
		void this.#tick();
	}

	refresh(): void {
		this.step();
	}

	changeSpeed(direction: 1 | -1): void {
		const i = SPEEDS.findIndex(s => s >= this.#speed);
		const index = Math.max(0, Math.min(SPEEDS.length - 1, (i === -1 ? SPEEDS.length - 1 : i) + direction));
		this.#speed = SPEEDS[index]!;
		// The next gap is timed at the new speed.
		this.#publish();
	}

	stepInterval(): void {
		// A recording's interval is fixed; speed is what changes a replay's pace.
	}

	stepWindow(direction: 1 | -1): void {
		this.#store.stepWindow(direction);
	}

	#clearTimer(): void {
		if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	stop(): void {
		this.#stopped = true;
		this.#clearTimer();
	}
}
