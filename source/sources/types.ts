/** What every source hands to the store: one scrape's raw text or its error. */
export interface Scrape {
	/** The target as the user named it, resolved (a URL or a file path). */
	readonly target: string;
	/** When the scrape finished, milliseconds since the epoch (the injected clock). */
	readonly t: number;
	/** Exposition text on success. */
	readonly text?: string;
	/** One line saying what went wrong, naming the target, on failure. */
	readonly error?: string;
	readonly durationMs: number;
	readonly bytes: number;
}

export interface Source {
	readonly target: string;
	/** Never rejects: failures come back as a Scrape with `error`. */
	scrape(signal?: AbortSignal): Promise<Scrape>;
	close(): Promise<void>;
}

export interface Clock {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout(callback, ms) {
		const handle = setTimeout(callback, ms);
		return handle;
	},
	clearTimeout(handle) {
		clearTimeout(handle as NodeJS.Timeout);
	},
};
