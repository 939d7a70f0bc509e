/**
 * UI state (which view, overlays, selections, the explorer's filter and scroll, the fleet's
 * selection and sort) in a plain reducer. Data state lives in the store; this holds only what the
 * keyboard changes on screen.
 */
import {FLEET_SORTS, type FleetSort} from '../metrics/fleet.js';

/** The per-target views, in tab order (keys 1–8). */
export const VIEWS = [
	{id: 'overview', title: 'Overview'},
	{id: 'latency', title: 'Latency'},
	{id: 'tokens', title: 'Tokens'},
	{id: 'cache', title: 'Cache'},
	{id: 'explorer', title: 'Explorer'},
	{id: 'slo', title: 'SLO'},
	{id: 'compare', title: 'Compare'},
	{id: 'events', title: 'Events', key: '8'},
] as const;

/** The key that opens a view (its place in VIEWS, unless it has a key of its own). */
export function viewKey(id: ViewId): string {
	if (id === 'fleet') return '0';
	const i = VIEWS.findIndex(v => v.id === id);
	const view = VIEWS[i];
	return view && 'key' in view ? view.key : String(i + 1);
}

/** With several targets the Fleet view comes first (key 0), and the views above show one target. */
export const FLEET_VIEW = {id: 'fleet', title: 'Fleet'} as const;

export type ViewId = (typeof VIEWS)[number]['id'] | (typeof FLEET_VIEW)['id'];

/** The views in tab order for this many targets. */
export function viewsFor(targets: number): readonly {readonly id: ViewId; readonly title: string}[] {
	return targets > 1 ? [FLEET_VIEW, ...VIEWS] : VIEWS;
}
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
	/** The event log's selection (row 0: the newest event). */
	readonly events: {readonly list: ListPosition};
	readonly fleet: {
		/**
		 * The selected row, by target index (it follows its endpoint when the order changes); −1
		 * until a key moves it: the first row as shown.
		 */
		readonly selected: number;
		readonly top: number;
		readonly sort: FleetSort;
		/** `S`: the sort column in the other direction. */
		readonly reverse: boolean;
	};
}

export const initialUiState: UiState = {
	view: 'overview',
	overlay: null,
	overlayTop: 0,
	target: 0,
	latencyRow: 0,
	explorer: {filter: '', editing: false, list: {cursor: 0, top: 0}, open: null, detailTop: 0},
	events: {list: {cursor: 0, top: 0}},
	fleet: {selected: -1, top: 0, sort: FLEET_SORTS[0]!, reverse: false},
};

/** The state to start in: the Fleet view when there are several targets. */
export function initUiState(targets: number): UiState {
	return targets > 1 ? {...initialUiState, view: 'fleet'} : initialUiState;
}

/** Size of the list the arrows act on: rows in it and rows visible. */
export interface Bounds {
	readonly total: number;
	readonly page: number;
}

export type UiAction =
	| {readonly type: 'view'; readonly view: ViewId}
	/** `targets`: how many there are (the Fleet view is in the cycle when more than one). */
	| {readonly type: 'cycleView'; readonly delta: 1 | -1; readonly targets?: number}
	| {readonly type: 'toggleOverlay'; readonly overlay: Overlay}
	/** Esc: close the overlay, else the explorer's detail, else its filter, else back to the fleet. */
	| {readonly type: 'back'; readonly targets?: number}
	| ({readonly type: 'move'; readonly delta: number} & Bounds)
	| ({readonly type: 'home'} & Bounds)
	| ({readonly type: 'end'} & Bounds)
	| {readonly type: 'filterStart'}
	| {readonly type: 'filterType'; readonly text: string}
	| {readonly type: 'filterErase'}
	| {readonly type: 'filterDone'}
	| {readonly type: 'filterCancel'}
	| {readonly type: 'open'; readonly name: string}
	| {readonly type: 'nextTarget'; readonly count: number}
	/**
	 * Move the fleet's selection through the rows as shown (`order`: target indexes): by `delta`
	 * rows, or to the first or last. Worked out here from the latest state, so keys that arrive
	 * together (two ↓ in one read) each move one row.
	 */
	| {readonly type: 'fleetMove'; readonly order: readonly number[]; readonly page: number; readonly delta?: number; readonly to?: 'first' | 'last'}
	| {readonly type: 'fleetSort'}
	| {readonly type: 'fleetReverse'}
	/** Enter on the fleet: the selected row's target (the first row's if it is gone) in the overview. */
	| {readonly type: 'drill'; readonly order: readonly number[]};

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

/** Where the arrows act: 'overlay', 'detail', 'families', 'latency', 'fleet', 'events' or nothing. */
export function focus(state: UiState): 'overlay' | 'detail' | 'families' | 'latency' | 'fleet' | 'events' | null {
	if (state.overlay) return 'overlay';
	if (state.view === 'events') return 'events';
	if (state.view === 'fleet') return 'fleet';
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
		case 'events':
			return {...state, events: {list: moveCursor(state.events.list, target(state.events.list.cursor), bounds)}};
		default:
			return state;
	}
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'view':
			return {...state, view: action.view, overlay: null, overlayTop: 0};
		case 'cycleView': {
			const views = viewsFor(action.targets ?? 1);
			const i = views.findIndex(v => v.id === state.view);
			const next = views[(i + action.delta + views.length) % views.length]!;
			return {...state, view: next.id, overlay: null, overlayTop: 0};
		}
		case 'toggleOverlay':
			return state.overlay === action.overlay ? {...state, overlay: null, overlayTop: 0} : {...state, overlay: action.overlay, overlayTop: 0};
		case 'back':
			if (state.overlay) return {...state, overlay: null, overlayTop: 0};
			if (state.view === 'explorer' && state.explorer.open) return withExplorer(state, {open: null, detailTop: 0});
			if (state.view === 'explorer' && state.explorer.filter) return withExplorer(state, {filter: '', list: {cursor: 0, top: 0}});
			if ((action.targets ?? 1) > 1 && state.view !== 'fleet') return {...state, view: 'fleet', fleet: {...state.fleet, selected: state.target}};
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
			if (action.count <= 1) return state;
			return {...state, target: (state.target + 1) % action.count, fleet: {...state.fleet, selected: (state.target + 1) % action.count}};
		case 'fleetMove': {
			const {order} = action;
			if (order.length === 0) return state;
			const current = Math.max(0, order.indexOf(state.fleet.selected));
			const position = action.to === 'first' ? 0 : action.to === 'last' ? order.length - 1 : clamp(current + (action.delta ?? 0), 0, order.length - 1);
			const list = moveCursor({cursor: current, top: state.fleet.top}, position, {total: order.length, page: action.page});
			return {...state, fleet: {...state.fleet, selected: order[position]!, top: list.top}};
		}
		case 'fleetSort': {
			if (state.view !== 'fleet' || state.overlay) return state;
			const i = FLEET_SORTS.indexOf(state.fleet.sort);
			return {...state, fleet: {...state.fleet, sort: FLEET_SORTS[(i + 1) % FLEET_SORTS.length]!, reverse: false}};
		}
		case 'fleetReverse':
			if (state.view !== 'fleet' || state.overlay) return state;
			return {...state, fleet: {...state.fleet, reverse: !state.fleet.reverse}};
		case 'drill': {
			const index = action.order.includes(state.fleet.selected) ? state.fleet.selected : action.order[0];
			if (index === undefined || state.view !== 'fleet') return state;
			return {...state, view: 'overview', target: index, overlay: null, overlayTop: 0, fleet: {...state.fleet, selected: index}};
		}
	}
}
