/**
 * Replays a recording through the same store as live data, at the recorded pace × speed, with
 * pause, single steps, speed changes and looping. Times come from the recording, so windows,
 * rates and percentiles are recomputed exactly as they were live.
 *
 * Records are read ahead into a small buffer, so playback itself is synchronous: a timer fires,
 * a scrape is ingested, the next timer is set from the next record's time. File I/O never sits
 * between two ticks (and tests can drive it with a fake clock).
 */
import {readRecording, type RecordedScrape} from './recording.js';
import type {Clock, Controls, Mode, Scrape} from './types.js';
import {systemClock} from './types.js';

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 30, 100] as const;
/** A long gap in a recording (fdtop was paused) is replayed as at most this long. */
const MAX_GAP_MS = 10_000;
const READ_AHEAD = 64;
/** runToEnd derives and publishes the figures once per this many records. */
const PUBLISH_EVERY = 1000;
const LOOP = Symbol('loop');
type Item = RecordedScrape | typeof LOOP;

export interface ReplayOptions {
	readonly file: string;
	readonly speed: number;
	readonly loop: boolean;
	readonly demo: string | null;
	readonly clock?: Clock;
	/** Ingest this much of the recording's start at once, so charts open with history (the demo). */
	readonly prefillMs?: number;
}

/** The store as a replay drives it (store.ts's Store is one; sources/ never import the store). */
export interface ReplaySink {
	getSnapshot(): {readonly intervalMs: number; readonly paused: boolean};
	setMode(mode: Mode): void;
	ingest(index: number, scrape: Scrape): void;
	ingestMany(index: number, scrapes: readonly Scrape[], options?: {readonly publish?: boolean}): void;
	publish(): void;
	resetHistory(): void;
	pause(): void;
	resume(): void;
	stepWindow(direction: 1 | -1): void;
}

export class Replay implements Controls {
	readonly #store: ReplaySink;
	readonly #options: ReplayOptions;
	readonly #clock: Clock;
	#speed: number;
	#iterator: AsyncIterator<RecordedScrape> | undefined;
	#stats: {tornLines: number} = {tornLines: 0};
	#tornBefore = 0;
	readonly #buffer: Item[] = [];
	#filling: Promise<void> | undefined;
	#exhausted = false;
	#readInPass = 0;
	#timer: unknown;
	#position = 0;
	#total: number | null = null;
	#offsetMs = 0;
	#firstT: number | undefined;
	#lastT: number | undefined;
	#finished = false;
	#stopped = false;
	#last: RecordedScrape | undefined;
	/** Per target, the time of its last record shown in this pass. */
	#lastByTarget: number[] = [];
	#outOfOrder = 0;

	constructor(store: ReplaySink, options: ReplayOptions) {
		this.#store = store;
		this.#options = options;
		this.#clock = options.clock ?? systemClock;
		this.#speed = options.speed;
		this.#publish();
	}

	/** Records skipped because their time was not after the previous record of their target. */
	get outOfOrder(): number {
		return this.#outOfOrder;
	}

	/**
	 * A record whose time is not after the last one shown for its target (the recording's clock
	 * went back): the store would keep it as no scrape at all, so it is skipped and counted instead.
	 */
	#behind(record: RecordedScrape): boolean {
		const last = this.#lastByTarget[record.i];
		return last !== undefined && record.t <= last;
	}

	/** Lines of the recording that were torn or invalid (skipped). */
	get tornLines(): number {
		return this.#tornBefore + this.#stats.tornLines;
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
			outOfOrder: this.#outOfOrder,
		});
	}

	async #open(): Promise<void> {
		this.#tornBefore += this.#stats.tornLines;
		const {records, stats} = await readRecording(this.#options.file);
		this.#iterator = records[Symbol.asyncIterator]();
		this.#stats = stats;
		this.#readInPass = 0;
	}

	/** Top the buffer up; at the end of the file either loop (a marker, then the start again) or stop. */
	#fill(): Promise<void> {
		this.#filling ??= (async () => {
			try {
				if (!this.#iterator) await this.#open();
				while (!this.#exhausted && !this.#stopped && this.#buffer.length < READ_AHEAD) {
					const next = await this.#iterator!.next();
					if (!next.done) {
						this.#readInPass++;
						this.#buffer.push(next.value);
					} else if (this.#options.loop && this.#readInPass > 0) {
						this.#buffer.push(LOOP);
						await this.#open();
					} else {
						this.#exhausted = true;
					}
				}
			} finally {
				this.#filling = undefined;
			}
		})();
		return this.#filling;
	}

	#toScrape(record: RecordedScrape): Scrape {
		return {
			target: record.target,
			t: record.t + this.#offsetMs,
			durationMs: record.durationMs,
			bytes: record.bytes,
			...(record.error === undefined ? {text: record.text ?? ''} : {error: record.error}),
		};
	}

	#ingest(record: RecordedScrape): void {
		this.#firstT ??= record.t;
		this.#lastByTarget[record.i] = record.t;
		this.#store.ingest(record.i, this.#toScrape(record));
		this.#lastT = record.t;
		this.#last = record;
		this.#position++;
	}

	#loopAround(): void {
		this.#total = this.#position;
		// Time keeps moving forward across loops and the history starts afresh: a loop is not a restart.
		this.#offsetMs += (this.#lastT ?? 0) - (this.#firstT ?? 0) + this.#store.getSnapshot().intervalMs;
		this.#firstT = undefined;
		this.#lastByTarget = [];
		this.#position = 0;
		this.#store.resetHistory();
	}

	/** The next record in time order (handling loop markers, skipping records behind), or undefined when the buffer is empty. */
	#take(): RecordedScrape | undefined {
		let item = this.#buffer.shift();
		for (; item !== undefined; item = this.#buffer.shift()) {
			if (item === LOOP) this.#loopAround();
			else if (this.#behind(item)) this.#outOfOrder++;
			else break;
		}
		if (this.#buffer.length < READ_AHEAD / 2) void this.#fill();
		return item;
	}

	/** The record #take would give (records behind are passed over), without taking it. */
	#peek(): RecordedScrape | undefined {
		for (let k = 0; k < this.#buffer.length; k++) {
			const item = this.#buffer[k]!;
			if (item === LOOP) {
				const next = this.#buffer[k + 1];
				return next === LOOP ? undefined : next;
			}
			if (!this.#behind(item)) return item;
		}
		return undefined;
	}

	/** Start playing at the recorded pace; resolves once the first scrape is shown. */
	async start(): Promise<void> {
		await this.#fill();
		const prefill = this.#options.prefillMs ?? 0;
		const first = this.#peek();
		if (first && prefill > 0) {
			for (let next = this.#peek(); next && next.t - first.t < prefill && this.#buffer[0] !== LOOP; next = this.#peek()) {
				const record = this.#take();
				if (record) this.#ingest(record);
				if (this.#buffer.length === 0) await this.#fill();
			}
		}
		this.#tick();
	}

	/** Show the next scrape and time the one after it. */
	#tick(): void {
		this.#timer = undefined;
		if (this.#stopped) return;
		const record = this.#take();
		if (!record) {
			if (this.#exhausted) this.#finish();
			else void this.#fill().then(() => this.#tick());
			return;
		}
		this.#ingest(record);
		this.#publish();
		this.#scheduleAfter(record);
	}

	#scheduleAfter(record: RecordedScrape): void {
		if (this.#stopped || this.#store.getSnapshot().paused) return;
		const next = this.#peek();
		if (!next) {
			if (this.#exhausted && this.#buffer.length === 0) this.#finish();
			else void this.#fill().then(() => this.#scheduleAfter(record));
			return;
		}
		// Across a loop the gap is one interval; a long pause in the recording is shortened.
		const gap = this.#buffer[0] === LOOP ? this.#store.getSnapshot().intervalMs : next.t - record.t;
		this.#timer = this.#clock.setTimeout(() => this.#tick(), Math.max(0, Math.min(gap, MAX_GAP_MS)) / this.#speed);
	}

	#finish(): void {
		if (this.#finished) return;
		this.#finished = true;
		this.#total ??= this.#position;
		this.#publish();
	}

	/**
	 * Ingest every record at once, ignoring --loop (for --once): the report shows the last window.
	 * Each record goes into the store as it is read (so decompressing the next part of the file
	 * overlaps with parsing this one), but figures are derived and published only every
	 * PUBLISH_EVERY records and at the end.
	 */
	async runToEnd(): Promise<void> {
		if (!this.#iterator) await this.#open();
		let unpublished = 0;
		const take = (record: RecordedScrape) => {
			if (this.#behind(record)) {
				this.#outOfOrder++;
				return;
			}
			this.#lastByTarget[record.i] = record.t;
			this.#store.ingestMany(record.i, [this.#toScrape(record)], {publish: false});
			this.#position++;
			if (++unpublished >= PUBLISH_EVERY) {
				this.#store.publish();
				unpublished = 0;
			}
		};
		for (const item of this.#buffer.splice(0)) if (item !== LOOP) take(item);
		for (;;) {
			const next = await this.#iterator!.next();
			if (next.done) break;
			take(next.value);
		}
		this.#store.publish();
		this.#exhausted = true;
		this.#finish();
	}

	togglePause(): void {
		if (this.#store.getSnapshot().paused) {
			this.#store.resume();
			// Carry on at the recorded pace from the scrape on screen.
			if (this.#finished) return;
			if (this.#last) this.#scheduleAfter(this.#last);
			else this.#tick();
		} else {
			this.#clearTimer();
			this.#store.pause();
		}
	}

	/** One scrape forward; pauses first so the step stays on screen. */
	step(): void {
		if (!this.#store.getSnapshot().paused) {
			this.#clearTimer();
			this.#store.pause();
		}
		this.#tick();
	}

	/**
	 * `r`, "scrape now": the next recorded scrape now. A playing replay plays on from it (it used
	 * to pause without a word); a paused one stays paused, one scrape on, as `.` does.
	 */
	refresh(): void {
		if (this.#finished) return;
		this.#clearTimer();
		this.#tick();
	}

	changeSpeed(direction: 1 | -1): void {
		const faster = SPEEDS.find(s => s > this.#speed) ?? SPEEDS.at(-1)!;
		const slower = [...SPEEDS].reverse().find(s => s < this.#speed) ?? SPEEDS[0];
		this.#speed = direction > 0 ? faster : slower;
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
