/**
 * A bounded ring of snapshots for one target, plus where the server restarted. Increases between
 * two entries are Prometheus' `increase` without extrapolation: last − first, plus the value just
 * before every reset in between. Computed from raw values only, so a window gives exactly the
 * same figures however long fdtop has been running (no ever-growing running totals).
 */
import type {HistogramData, Snapshot} from './snapshot.js';

export interface HistoryEntry {
	readonly snapshot: Snapshot;
	/** Keys whose raw value went down since the previous entry (a server restart). */
	readonly resets: readonly string[];
	/** The previous snapshot, kept only on entries with resets (its values are added back). */
	readonly before: Snapshot | undefined;
	/** Position in the target's whole run, increasing by one per entry. */
	readonly seq: number;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
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

export function resetsBetween(previous: Snapshot | undefined, snapshot: Snapshot): string[] {
	const resets: string[] = [];
	if (!previous) return resets;
	for (const [key, data] of snapshot.metrics) {
		const before = previous.metrics.get(key);
		if (data.kind === 'counter' && before?.kind === 'counter' && data.value < before.value) resets.push(key);
		else if (data.kind === 'histogram' && before?.kind === 'histogram' && histogramReset(data.hist, before.hist)) resets.push(key);
	}
	return resets;
}

/** Fixed-capacity ring; `push` drops the oldest entry when full. */
export class History {
	readonly #entries: (HistoryEntry | undefined)[];
	#start = 0;
	#size = 0;
	#seq = 0;
	/** Entries with resets that are still in the ring, oldest first. */
	#resetEntries: HistoryEntry[] = [];

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

	push(snapshot: Snapshot): HistoryEntry {
		const previous = this.last?.snapshot;
		const resets = resetsBetween(previous, snapshot);
		const entry: HistoryEntry = {snapshot, resets, before: resets.length > 0 ? previous : undefined, seq: this.#seq++};
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
		if (entry.resets.length > 0) this.#resetEntries.push(entry);
		const oldest = this.at(0)!.seq;
		while (this.#resetEntries.length > 0 && this.#resetEntries[0]!.seq <= oldest) this.#resetEntries.shift();
	}

	/** Entries with a reset of `key` after `from` and up to `to`. */
	resetsOf(key: string, from: HistoryEntry, to: HistoryEntry): HistoryEntry[] {
		const out: HistoryEntry[] = [];
		for (const entry of this.#resetEntries) if (entry.seq > from.seq && entry.seq <= to.seq && entry.resets.includes(key)) out.push(entry);
		return out;
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
		next.#seq = this.#seq;
		for (let i = Math.max(0, this.#size - capacity); i < this.#size; i++) next.#append(this.at(i)!);
		return next;
	}
}
