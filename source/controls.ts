/** The store's controls for live polling; a replay (sources/replay.ts) is the other kind of Controls. */
import type {Controls} from './sources/types.js';
import type {Store} from './store.js';

export type {Controls};

export function liveControls(store: Store): Controls {
	return {
		togglePause: () => store.togglePause(),
		refresh: () => store.refresh(),
		stepInterval: direction => store.stepInterval(direction),
		stepWindow: direction => store.stepWindow(direction),
	};
}
