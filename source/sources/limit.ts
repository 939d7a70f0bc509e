/**
 * A bound on the scrapes in flight at once (`--concurrency`), shared by every target's source.
 * Ten thousand targets must not open ten thousand sockets at once: each scrape waits for a free
 * slot, first come first served, and only then starts (so its timeout counts from its own request,
 * not from the queue). A dead or slow endpoint holds one slot until its timeout and no more: the
 * other targets keep flowing through the remaining slots.
 */
import type {Scrape, Source} from './types.js';

export const DEFAULT_CONCURRENCY = 64;

export class Limiter {
	#active = 0;
	/** Waiters in arrival order; `#head` is the next one (a queue without shift()'s O(n)). */
	#queue: (() => void)[] = [];
	#head = 0;

	constructor(readonly limit: number) {
		if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('the limit must be a whole number, at least 1');
	}

	get active(): number {
		return this.#active;
	}

	get waiting(): number {
		return this.#queue.length - this.#head;
	}

	/** Run `task` once a slot is free; the slot is given back when it settles. */
	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.#active >= this.limit) await new Promise<void>(resolve => this.#queue.push(resolve));
		else this.#active++;
		try {
			return await task();
		} finally {
			this.#release();
		}
	}

	#release(): void {
		if (this.#head < this.#queue.length) {
			// The slot passes straight to the next waiter: #active stays as it is.
			const next = this.#queue[this.#head]!;
			this.#queue[this.#head++] = undefined as unknown as () => void;
			// A live fleet may never drain the queue: drop the used front now and then (amortised O(1)).
			if (this.#head === this.#queue.length || (this.#head >= 1024 && this.#head * 2 >= this.#queue.length)) {
				this.#queue = this.#queue.slice(this.#head);
				this.#head = 0;
			}
			next();
		} else {
			this.#active--;
		}
	}
}

/** The same sources, each scrape taking a slot of one shared limiter. */
export function limitSources(sources: readonly Source[], limit: number): Source[] {
	if (sources.length <= limit) return [...sources];
	const limiter = new Limiter(limit);
	return sources.map(
		(source): Source => ({
			target: source.target,
			scrape: (signal?: AbortSignal): Promise<Scrape> => limiter.run(() => source.scrape(signal)),
			close: () => source.close(),
		}),
	);
}
