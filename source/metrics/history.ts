/**
 * A bounded ring of snapshots for one target. Each entry also carries reset-corrected cumulative
 * values ("adjusted"): once a counter or histogram has been corrected on entry, the increase over
 * any window is a plain difference of two entries, the way Prometheus' `increase` adds back the
 * value before each reset.
 */
import type {HistogramData, MetricData, Snapshot} from './snapshot.js';

export interface AdjustedHistogram {
	/** Bounds shared with the snapshot, counts reset-corrected. */
	readonly les: readonly number[];
	readonly counts: Float64Array;
	readonly sum: number;
	readonly count: number;
}

export interface HistoryEntry {
	readonly snapshot: Snapshot;
	/** Reset-corrected cumulative counter values by key. */
	readonly counters: ReadonlyMap<string, number>;
	readonly histograms: ReadonlyMap<string, AdjustedHistogram>;
	/** Keys whose raw value went down since the previous entry (a server restart). */
	readonly resets: readonly string[];
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function adjustHistogram(key: string, hist: HistogramData, previous: HistoryEntry | undefined, resets: string[]): AdjustedHistogram {
	const before = previous?.histograms.get(key);
	const prevRaw = previous?.snapshot.metrics.get(key);
	const raw = prevRaw?.kind === 'histogram' ? prevRaw.hist : undefined;
	const les = hist.les;
	if (!before || !raw || !sameBounds(before.les, raw.les) || !sameBounds(les, raw.les)) {
		// First sight, or the bucket layout changed: start a fresh baseline from the raw values.
		return {les, counts: hist.counts, sum: hist.sum, count: hist.count};
	}
	// A histogram resets as a whole: any bucket or the count going down means the server restarted.
	let reset = hist.count < raw.count;
	for (let i = 0; !reset && i < les.length; i++) if (hist.counts[i]! < raw.counts[i]!) reset = true;
	if (reset) resets.push(key);
	const counts = new Float64Array(les.length);
	for (let i = 0; i < les.length; i++) counts[i] = before.counts[i]! + (reset ? hist.counts[i]! : hist.counts[i]! - raw.counts[i]!);
	// `_sum` may legitimately fall for negative observations; treat it with the histogram's reset.
	const sum = before.sum + (reset ? hist.sum : hist.sum - raw.sum);
	const count = before.count + (reset ? hist.count : hist.count - raw.count);
	return {les, counts, sum, count};
}

export function makeEntry(snapshot: Snapshot, previous: HistoryEntry | undefined): HistoryEntry {
	const counters = new Map<string, number>();
	const histograms = new Map<string, AdjustedHistogram>();
	const resets: string[] = [];
	for (const [key, data] of snapshot.metrics as ReadonlyMap<string, MetricData>) {
		if (data.kind === 'counter') {
			const before = previous?.counters.get(key);
			const prevRaw = previous?.snapshot.metrics.get(key);
			if (before === undefined || prevRaw?.kind !== 'counter') {
				counters.set(key, data.value);
			} else if (data.value < prevRaw.value) {
				resets.push(key);
				counters.set(key, before + data.value);
			} else {
				counters.set(key, before + (data.value - prevRaw.value));
			}
		} else if (data.kind === 'histogram') {
			histograms.set(key, adjustHistogram(key, data.hist, previous, resets));
		}
	}
	return {snapshot, counters, histograms, resets};
}

/** Fixed-capacity ring; `push` drops the oldest entry when full. Immutable from the outside. */
export class History {
	readonly #entries: (HistoryEntry | undefined)[];
	#start = 0;
	#size = 0;

	constructor(readonly capacity: number) {
		if (!(capacity >= 2)) throw new RangeError('history capacity must be at least 2');
		this.#entries = Array.from({length: capacity});
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

	/** Add a snapshot and return its entry (with reset-corrected values). */
	push(snapshot: Snapshot): HistoryEntry {
		const entry = makeEntry(snapshot, this.last);
		if (this.#size < this.capacity) {
			this.#entries[(this.#start + this.#size) % this.capacity] = entry;
			this.#size++;
		} else {
			this.#entries[this.#start] = entry;
			this.#start = (this.#start + 1) % this.capacity;
		}
		return entry;
	}

	/** Index of the oldest entry with t ≥ fromT, or −1 when there is none. */
	indexFrom(fromT: number): number {
		let lo = 0;
		let hi = this.#size;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.at(mid)!.snapshot.t >= fromT) hi = mid;
			else lo = mid + 1;
		}
		return lo < this.#size ? lo : -1;
	}

	/** A copy with another capacity, keeping the newest entries. */
	resized(capacity: number): History {
		const next = new History(capacity);
		const from = Math.max(0, this.#size - capacity);
		for (let i = from; i < this.#size; i++) next.#append(this.at(i)!);
		return next;
	}

	#append(entry: HistoryEntry): void {
		this.#entries[this.#size] = entry;
		this.#size++;
	}
}
