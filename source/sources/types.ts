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

/** A target's health as the store tracks it from its scrapes. */
export type TargetState = 'connecting' | 'up' | 'stale' | 'down';

/** Where the data comes from; replays also say how far along they are. */
export type Mode =
	| {readonly kind: 'live'}
	| {readonly kind: 'file'}
	| {
			readonly kind: 'replay';
			/** Name of the bundled demo being replayed, or null for a user's recording. */
			readonly demo: string | null;
			readonly file: string;
			readonly speed: number;
			readonly loop: boolean;
			/** Scrapes replayed so far, and in the recording. */
			readonly position: number;
			readonly total: number | null;
			readonly finished: boolean;
			/** Records skipped because their time went back (not after their target's previous one). */
			readonly outOfOrder?: number;
	  };

/**
 * What keys can ask of the data side. Live polling is driven by the Store itself; a replay adds
 * stepping and speed. The UI only ever calls these; it never touches sources.
 */
export interface Controls {
	togglePause(): void;
	/** Scrape now (live); in a replay, the next recorded scrape now, playing on unless paused. */
	refresh(): void;
	stepInterval(direction: 1 | -1): void;
	stepWindow(direction: 1 | -1): void;
	/** Replay only: advance one scrape while paused. */
	step?(): void;
	/** Replay only: faster (+1) or slower (−1). */
	changeSpeed?(direction: 1 | -1): void;
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

/** Which Prometheus windowed figures follow: 3 (left-open ranges, the default) or 2 (left-closed). A server's answer (buildinfo) decides it in --prometheus mode. */
export type PromqlVersion = 2 | 3;
