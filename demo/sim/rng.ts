/** Seeded pseudo-random numbers for the simulator (mulberry32): same seed, same run. */

export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Uniform in [lo, hi). */
	range(lo: number, hi: number): number {
		return lo + (hi - lo) * this.next();
	}

	/** Integer in [lo, hi]. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	/** Standard normal (Box-Muller). */
	normal(): number {
		const u = 1 - this.next();
		const v = this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Lognormal with the given median and shape. */
	lognormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	/** Exponential waiting time for a Poisson process of `rate` events per second. */
	exponential(rate: number): number {
		return -Math.log(1 - this.next()) / rate;
	}

	/** One of the items, with the given weights. */
	pick<T>(items: readonly T[], weights: readonly number[]): T {
		let total = 0;
		for (const w of weights) total += w;
		let r = this.next() * total;
		for (let i = 0; i < items.length; i++) {
			r -= weights[i] ?? 0;
			if (r < 0) return items[i] as T;
		}
		return items[items.length - 1] as T;
	}
}
