/**
 * A bounded ring of snapshots for one target, plus where counters were corrected. Increases
 * between two entries follow Prometheus' `sum(increase())` without extrapolation: last − first,
 * plus a correction wherever a series went down (a restart: the value before it is added back) or
 * a labelled series vanished (it stops counting; a new one counts from its first sample). Only raw
 * values are kept, so a window gives exactly the same figures however long fdtop has been running.
 */
import type {HistogramData, MetricData, Snapshot} from './snapshot.js';

export interface HistoryEntry {
	readonly snapshot: Snapshot;
	/** Keys that restarted since the previous entry (a series or histogram went down). */
	readonly resets: readonly string[];
	/** Counters: amount to add to (this − previous) so the step counts only real increases. */
	readonly corrections: ReadonlyMap<string, number> | undefined;
	/** Histograms that restarted: their value when last seen before the restart (added back). */
	readonly resetBefore: ReadonlyMap<string, HistogramData> | undefined;
	/** Position in the target's whole run, increasing by one per entry. */
	readonly seq: number;
}

/** Two bucket layouts are the same (bounds are usually shared arrays, so this is mostly `===`). */
export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** A histogram resets as a whole: the count or any bucket going down, or its layout changing. */
function histogramReset(now: HistogramData, before: HistogramData): boolean {
	if (!sameBounds(now.les, before.les)) return true;
	if (now.count < before.count) return true;
	for (let i = 0; i < now.les.length; i++) if (now.counts[i]! < before.counts[i]!) return true;
	return false;
}

type Counter = Extract<MetricData, {kind: 'counter'}>;

/** Whether counterCorrection's last step had a series really go down (read right after the call). */
let stepReset = false;

/**
 * The correction for one counter step (and, in stepReset, whether a series really went down).
 * `before` is the value when the key was last seen (it may have been absent from the scrapes in
 * between). No object per step: the store takes a step for every counter of every scrape.
 */
function counterCorrection(now: Counter, before: Counter): number {
	if (!now.series && !before.series) {
		stepReset = now.value < before.value;
		return stepReset ? before.value : 0;
	}
	// Per series, as sum(increase()) would: a series that went down restarted; one that vanished
	// stops contributing; a new one counts from its first sample.
	const previous = before.series ?? new Map([['', before.value]]);
	const current = now.series ?? new Map([['', now.value]]);
	let increase = 0;
	let reset = false;
	for (const [key, value] of current) {
		const old = previous.get(key);
		if (old === undefined) continue;
		if (value < old) {
			reset = true;
			increase += value;
		} else {
			increase += value - old;
		}
	}
	stepReset = reset;
	return increase - (now.value - before.value);
}

/** The resets of an entry without any (shared: an entry's lists are read-only). */
const NO_RESETS: readonly string[] = Object.freeze([]);

/** Fixed-capacity ring; `push` drops the oldest entry when full. */
export class History {
	readonly #entries: (HistoryEntry | undefined)[];
	#start = 0;
	#size = 0;
	#seq = 0;
	/** Entries with corrections that are still in the ring, oldest first. */
	#corrected: HistoryEntry[] = [];
	/** Each key's value when last seen, so a key that skipped scrapes is still compared. */
	readonly #lastSeen = new Map<string, MetricData>();

	constructor(readonly capacity: number) {
		if (!(capacity >= 2)) throw new RangeError('history capacity must be at least 2');
		// Grown as entries arrive (the ring fills in order from 0): ten thousand targets that never
		// answer hold no slots.
		this.#entries = [];
	}

	get size(): number {
		return this.#size;
	}

	get last(): HistoryEntry | undefined {
		return this.#size === 0 ? undefined : this.at(this.#size - 1);
	}

	/** i-th entry from the oldest (0) to the newest (size − 1). */
	at(i: number): HistoryEntry | undefined {
		if (i < 0 || i >= this.#size) return undefined;
		return this.#entries[(this.#start + i) % this.capacity];
	}

	push(snapshot: Snapshot): HistoryEntry {
		let resets: string[] | undefined;
		let corrections: Map<string, number> | undefined;
		let resetBefore: Map<string, HistogramData> | undefined;
		const lastSeen = this.#lastSeen;
		snapshot.metrics.forEach((data, key) => {
			const before = lastSeen.get(key);
			if (data.kind === 'counter' && before?.kind === 'counter') {
				const correction = counterCorrection(data, before);
				if (correction !== 0) (corrections ??= new Map()).set(key, correction);
				if (stepReset) (resets ??= []).push(key);
			} else if (data.kind === 'histogram' && before?.kind === 'histogram' && histogramReset(data.hist, before.hist)) {
				(resetBefore ??= new Map()).set(key, before.hist);
				(resets ??= []).push(key);
			}
			lastSeen.set(key, data);
		});
		const entry: HistoryEntry = {snapshot, resets: resets ?? NO_RESETS, corrections, resetBefore, seq: this.#seq++};
		this.#append(entry);
		return entry;
	}

	#append(entry: HistoryEntry): void {
		if (this.#size < this.capacity) {
			this.#entries[(this.#start + this.#size) % this.capacity] = entry;
			this.#size++;
		} else {
			this.#entries[this.#start] = entry;
			this.#start = (this.#start + 1) % this.capacity;
		}
		if (entry.corrections || entry.resetBefore) this.#corrected.push(entry);
		const oldest = this.at(0)!.seq;
		while (this.#corrected.length > 0 && this.#corrected[0]!.seq <= oldest) this.#corrected.shift();
	}

	/** Sum of the counter corrections of `key` after `from` and up to `to`. */
	correctionOf(key: string, from: HistoryEntry, to: HistoryEntry): number {
		let total = 0;
		for (const entry of this.#corrected) if (entry.seq > from.seq && entry.seq <= to.seq) total += entry.corrections?.get(key) ?? 0;
		return total;
	}

	/** Histograms of `key` as last seen before each restart after `from` and up to `to`. */
	histogramResetsOf(key: string, from: HistoryEntry, to: HistoryEntry): HistogramData[] {
		const out: HistogramData[] = [];
		for (const entry of this.#corrected) {
			const before = entry.seq > from.seq && entry.seq <= to.seq ? entry.resetBefore?.get(key) : undefined;
			if (before) out.push(before);
		}
		return out;
	}

	/** Index of the oldest entry with t ≥ fromT (t > fromT when `strict`), or −1 when there is none. */
	indexFrom(fromT: number, strict = false): number {
		let lo = 0;
		let hi = this.#size;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			const t = this.at(mid)!.snapshot.t;
			if (strict ? t > fromT : t >= fromT) hi = mid;
			else lo = mid + 1;
		}
		return lo < this.#size ? lo : -1;
	}

	/** A copy with another capacity, keeping the newest entries. */
	resized(capacity: number): History {
		const next = new History(capacity);
		next.#seq = this.#seq;
		for (const [key, data] of this.#lastSeen) next.#lastSeen.set(key, data);
		for (let i = Math.max(0, this.#size - capacity); i < this.#size; i++) next.#append(this.at(i)!);
		return next;
	}
}
