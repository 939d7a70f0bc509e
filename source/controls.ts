/**
 * What keys can ask of the data side. Live polling is driven by the Store itself; a replay adds
 * stepping and speed. The UI only ever calls these; it never touches sources.
 */
import type {Store} from './store.js';

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

export function liveControls(store: Store): Controls {
	return {
		togglePause: () => store.togglePause(),
		refresh: () => store.refresh(),
		stepInterval: direction => store.stepInterval(direction),
		stepWindow: direction => store.stepWindow(direction),
	};
}
