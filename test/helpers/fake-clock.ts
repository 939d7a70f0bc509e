import type {Clock} from '../../source/sources/types.js';

/** A clock whose time moves only when a test says so; timers fire in order as it advances. */
export class FakeClock implements Clock {
	#now: number;
	#seq = 0;
	readonly #timers = new Map<number, {at: number; callback: () => void}>();

	constructor(start = Date.UTC(2026, 0, 1)) {
		this.#now = start;
	}

	now = (): number => this.#now;

	setTimeout = (callback: () => void, ms: number): unknown => {
		const id = ++this.#seq;
		this.#timers.set(id, {at: this.#now + Math.max(0, ms), callback});
		return id;
	};

	clearTimeout = (handle: unknown): void => {
		this.#timers.delete(handle as number);
	};

	get pending(): number {
		return this.#timers.size;
	}

	/** Move time forward, firing due timers in time order and letting their promises settle. */
	async advance(ms: number): Promise<void> {
		const end = this.#now + ms;
		for (;;) {
			await flush();
			let next: [number, {at: number; callback: () => void}] | undefined;
			for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
			if (!next) break;
			this.#timers.delete(next[0]);
			this.#now = next[1].at;
			next[1].callback();
		}
		this.#now = end;
		await flush();
	}
}

/** Let pending promise callbacks run (a few macrotask turns, no wall-clock waiting). */
export async function flush(): Promise<void> {
	for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve));
}
