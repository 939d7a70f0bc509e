/**
 * One target's scrapes → parse result and snapshot, reusing the work of the scrape before: the
 * parse cache checks a scrape against the last one's shape, and a snapshot plan made for that shape
 * (which family feeds which key, which samples which bucket) is reused for every scrape of it.
 * Results are exactly parseExposition's and buildSnapshot's (test/metrics/snapshot-plan-cache.test.ts).
 */
import {ParseCache} from '../prom/parse-template-cache.js';
import type {ParseResult} from '../prom/types.js';
import {SnapshotPlan, type Snapshot} from './snapshot.js';

export class ScrapeCache {
	readonly #parser: ParseCache;
	#last: ParseResult | undefined;
	#plan: SnapshotPlan | undefined;
	#planShape: object | undefined;
	#planReuses = 0;

	constructor(maxSeries: number = Number.POSITIVE_INFINITY) {
		this.#parser = new ParseCache(maxSeries);
	}

	/** parseExposition(text, {maxSeries}). */
	parse(text: string): ParseResult {
		this.#last = this.#parser.parse(text);
		return this.#last;
	}

	/** buildSnapshot(parsed, t); cheap when `parsed` is the last parse() result and its shape was seen. */
	snapshot(parsed: ParseResult, t: number): Snapshot {
		const shape = parsed === this.#last ? this.#parser.shape : undefined;
		if (shape !== undefined && shape === this.#planShape) {
			this.#planReuses++;
			return this.#plan!.build(parsed, t);
		}
		const plan = new SnapshotPlan(parsed);
		if (shape !== undefined) {
			this.#plan = plan;
			this.#planShape = shape;
		}
		return plan.build(parsed, t);
	}

	#memoShape: object | undefined;
	#memo: unknown;

	/**
	 * `compute()` once per scrape shape (same families, samples, names, labels, HELP and order):
	 * for what depends on the shape alone. `parsed` must be the last parse() result to be reused.
	 */
	perShape<T>(parsed: ParseResult, compute: () => T): T {
		const shape = parsed === this.#last ? this.#parser.shape : undefined;
		if (shape !== undefined && shape === this.#memoShape) return this.#memo as T;
		const value = compute();
		if (shape !== undefined) {
			this.#memoShape = shape;
			this.#memo = value;
		}
		return value;
	}

	/** Counters, for tests and benches: parses that reused the last shape, full parses, reused snapshot plans. */
	get stats(): {readonly hits: number; readonly misses: number; readonly planReuses: number} {
		return {hits: this.#parser.hits, misses: this.#parser.misses, planReuses: this.#planReuses};
	}
}
