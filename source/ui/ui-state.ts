/**
 * UI state (which view, overlays, selections, the explorer's filter and scroll) in a plain reducer.
 * Data state lives in the store; this holds only what the keyboard changes on screen.
 */
export const VIEWS = [
	{id: 'overview', title: 'Overview'},
	{id: 'latency', title: 'Latency'},
	{id: 'tokens', title: 'Tokens'},
	{id: 'cache', title: 'Cache'},
	{id: 'explorer', title: 'Explorer'},
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
export type Overlay = 'help' | 'explain';

/** A list with a selected row (`cursor`) and the first visible row (`top`). */
export interface ListPosition {
	readonly cursor: number;
	readonly top: number;
}

export interface UiState {
	readonly view: ViewId;
	readonly overlay: Overlay | null;
	/** Scroll of the open overlay. */
	readonly overlayTop: number;
	readonly target: number;
	readonly latencyRow: number;
	readonly explorer: {
		readonly filter: string;
		readonly editing: boolean;
		readonly list: ListPosition;
		/** Name of the family whose series are open, or null. */
		readonly open: string | null;
		readonly detailTop: number;
	};
}

export const initialUiState: UiState = {
	view: 'overview',
	overlay: null,
	overlayTop: 0,
	target: 0,
	latencyRow: 0,
	explorer: {filter: '', editing: false, list: {cursor: 0, top: 0}, open: null, detailTop: 0},
};

/** Size of the list the arrows act on: rows in it and rows visible. */
export interface Bounds {
	readonly total: number;
	readonly page: number;
}

export type UiAction =
	| {readonly type: 'view'; readonly view: ViewId}
	| {readonly type: 'cycleView'; readonly delta: 1 | -1}
	| {readonly type: 'toggleOverlay'; readonly overlay: Overlay}
	/** Esc: close the overlay, else the explorer's detail, else its filter. */
	| {readonly type: 'back'}
	| ({readonly type: 'move'; readonly delta: number} & Bounds)
	| ({readonly type: 'home'} & Bounds)
	| ({readonly type: 'end'} & Bounds)
	| {readonly type: 'filterStart'}
	| {readonly type: 'filterType'; readonly text: string}
	| {readonly type: 'filterErase'}
	| {readonly type: 'filterDone'}
	| {readonly type: 'filterCancel'}
	| {readonly type: 'open'; readonly name: string}
	| {readonly type: 'nextTarget'; readonly count: number};

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), Math.max(lo, hi));

/** Move a selection and keep it in view. */
export function moveCursor(list: ListPosition, cursor: number, bounds: Bounds): ListPosition {
	const page = Math.max(1, bounds.page);
	const c = clamp(cursor, 0, bounds.total - 1);
	let top = list.top;
	if (c < top) top = c;
	if (c >= top + page) top = c - page + 1;
	return {cursor: c, top: clamp(top, 0, bounds.total - page)};
}

/** Scroll a plain text (no selection). */
export function scrollTop(top: number, to: number, bounds: Bounds): number {
	return clamp(to, 0, bounds.total - Math.max(1, bounds.page));
}

/** Where the arrows act: 'overlay', 'detail', 'families', 'latency' or nothing. */
export function focus(state: UiState): 'overlay' | 'detail' | 'families' | 'latency' | null {
	if (state.overlay) return 'overlay';
	if (state.view === 'explorer') return state.explorer.open ? 'detail' : 'families';
	if (state.view === 'latency') return 'latency';
	return null;
}

function withExplorer(state: UiState, patch: Partial<UiState['explorer']>): UiState {
	return {...state, explorer: {...state.explorer, ...patch}};
}

function moveTo(state: UiState, target: (current: number) => number, bounds: Bounds): UiState {
	switch (focus(state)) {
		case 'overlay':
			return {...state, overlayTop: scrollTop(state.overlayTop, target(state.overlayTop), bounds)};
		case 'detail':
			return withExplorer(state, {detailTop: scrollTop(state.explorer.detailTop, target(state.explorer.detailTop), bounds)});
		case 'families':
			return withExplorer(state, {list: moveCursor(state.explorer.list, target(state.explorer.list.cursor), bounds)});
		case 'latency':
			return {...state, latencyRow: clamp(target(state.latencyRow), 0, bounds.total - 1)};
		default:
			return state;
	}
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'view':
			return {...state, view: action.view, overlay: null, overlayTop: 0};
		case 'cycleView': {
			const i = VIEWS.findIndex(v => v.id === state.view);
			const next = VIEWS[(i + action.delta + VIEWS.length) % VIEWS.length]!;
			return {...state, view: next.id, overlay: null, overlayTop: 0};
		}
		case 'toggleOverlay':
			return state.overlay === action.overlay ? {...state, overlay: null, overlayTop: 0} : {...state, overlay: action.overlay, overlayTop: 0};
		case 'back':
			if (state.overlay) return {...state, overlay: null, overlayTop: 0};
			if (state.view === 'explorer' && state.explorer.open) return withExplorer(state, {open: null, detailTop: 0});
			if (state.view === 'explorer' && state.explorer.filter) return withExplorer(state, {filter: '', list: {cursor: 0, top: 0}});
			return state;
		case 'move':
			return moveTo(state, current => current + action.delta, action);
		case 'home':
			return moveTo(state, () => 0, action);
		case 'end':
			return moveTo(state, () => action.total - 1, action);
		case 'filterStart':
			return {...withExplorer(state, {editing: true, open: null, detailTop: 0}), view: 'explorer', overlay: null};
		case 'filterType':
			return withExplorer(state, {filter: state.explorer.filter + action.text, list: {cursor: 0, top: 0}});
		case 'filterErase':
			return withExplorer(state, {filter: [...state.explorer.filter].slice(0, -1).join(''), list: {cursor: 0, top: 0}});
		case 'filterDone':
			return withExplorer(state, {editing: false});
		case 'filterCancel':
			return withExplorer(state, {editing: false, filter: '', list: {cursor: 0, top: 0}});
		case 'open':
			return withExplorer(state, {open: action.name, detailTop: 0});
		case 'nextTarget':
			return action.count > 1 ? {...state, target: (state.target + 1) % action.count} : state;
	}
}
