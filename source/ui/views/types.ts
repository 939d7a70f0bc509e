import type {Comparison} from '../../metrics/compare.js';
import type {AppState} from '../../store.js';
import type {Theme} from '../theme.js';
import type {UiState} from '../ui-state.js';
import type {TargetView} from '../view-model.js';

/** What every view draws from: immutable data, UI state and its box on screen. */
export interface ViewProps {
	readonly state: AppState;
	readonly model: TargetView | null;
	readonly ui: UiState;
	readonly theme: Theme;
	readonly width: number;
	readonly height: number;
	/** --baseline: the target's window against the baseline (Overview strip, Compare view); absent without one. */
	readonly comparison?: Comparison | null;
}

