/**
 * The root: reads the store, owns the UI state, lays out header, view and status line in
 * exactly rows − 1 lines, and turns keys into store controls or UI actions through the key map.
 * Keys never wait on a scrape: they only call Controls and dispatch.
 */
import {useApp, useInput, useStdin, type Key} from 'ink';
import {useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useSyncExternalStore} from 'react';
import type {Controls} from '../controls.js';
import {fleetRows, sortFleet} from '../metrics/fleet.js';
import type {AppState} from '../store.js';
import {headerLines} from './components/header.js';
import {Lines, shownLines} from './components/lines.js';
import {statusLine} from './components/status-line.js';
import {alertStripLine} from './components/alert-strip.js';
import {resolveKey, splitKeys, type Command, type KeyContext} from './keymap.js';
import {createTheme, type Theme} from './theme.js';
import {focus, initUiState, uiReducer, type Bounds, type UiAction, type UiState} from './ui-state.js';
import {useTerminalSize} from './use-terminal-size.js';
import {LATENCY_KEYS, targetView, type TargetView} from './view-model.js';
import {filterRows, type FamilyRow} from './explorer-model.js';
import {cacheLines} from './views/cache.js';
import {explainLines, type ExplainSubject} from './views/explain.js';
import {eventLines, eventsBounds} from './views/events.js';
import {fleetBounds, fleetLines} from './views/fleet.js';
import {detailRows, explorerBounds, explorerLines, explorerRows} from './views/explorer.js';
import {helpLines} from './views/help.js';
import {latencyLines} from './views/latency.js';
import {overviewLines} from './views/overview.js';
import {sloLines} from './views/slo.js';
import {tokensLines} from './views/tokens.js';
import type {ViewProps} from './views/types.js';
import {compareLines as compareViewLines} from './views/compare.js';
import type {Comparison} from '../metrics/compare.js';

export interface StoreLike {
	getSnapshot(): AppState;
	subscribe(listener: () => void): () => void;
}

export interface AppOptions {
	readonly color: boolean;
	readonly ascii: boolean;
	readonly lang: 'en' | 'zh';
	/** TLS certificates are not verified (--insecure): the header says INSECURE. */
	readonly insecure?: boolean;
	/** --baseline: the Compare view's A side; `compare` measures a target's live window against it (once per scrape). */
	readonly baseline?: {readonly compare: (state: AppState, target: number) => Comparison | null};
}

export interface AppProps {
	readonly store: StoreLike;
	readonly controls: Controls;
	readonly options: AppOptions;
	/** Called once when the user quits, before Ink exits. */
	readonly onQuit?: () => void;
	/**
	 * Draw the composed frame (exactly rows − 1 lines) here instead of through Ink's output stage,
	 * which re-tokenises every painted line on each frame (source/ui/frame-writer.ts, direct mode).
	 * Without it the frame is rendered by Ink, as under ink-testing-library.
	 */
	readonly frameSink?: (lines: readonly string[]) => void;
	/** Ctrl+Z: hand the terminal back to the shell and stop (source/ui/run.tsx); without it the key does nothing. */
	readonly onSuspend?: () => void;
}

const NO_ROWS: readonly FamilyRow[] = [];

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
/** Header (2 lines) and status line. */
const CHROME = 3;

function explainSubject(ui: UiState, rows: readonly FamilyRow[], model: TargetView | null): ExplainSubject {
	if (ui.view === 'latency') return {view: 'latency', focusKey: LATENCY_KEYS[ui.latencyRow] ?? null};
	if (ui.view === 'explorer') {
		const shown = filterRows(rows, ui.explorer.filter);
		const row = ui.explorer.open ? rows.find(r => r.name === ui.explorer.open) : shown[ui.explorer.list.cursor];
		if (row?.key) return {view: 'explorer', focusKey: row.key};
		const family = row ? model?.target.families[row.index] : undefined;
		return {view: 'explorer', focusKey: null, unknownFamily: family ? {name: row!.name, help: family.help} : undefined};
	}
	return {view: ui.view, focusKey: null};
}

function overlayPage({title, lines, top, height, theme, width}: {title: string; lines: readonly string[]; top: number; height: number; theme: Theme; width: number}): string[] {
	const page = Math.max(1, height - 1);
	const first = Math.min(top, Math.max(0, lines.length - page));
	const position = lines.length > page ? `  ${theme.msg.overlay.position(first + 1, Math.min(lines.length, first + page), lines.length)}` : '';
	const head = theme.fit(`${theme.paint(title, 'title')}  ${theme.paint(`${theme.msg.overlay.hint(theme.glyphs.up, theme.glyphs.down)}${position}`, 'muted')}`, width);
	return [head, ...lines.slice(first, first + page)];
}

/** Remembers one value per slot while its inputs stay the same (by identity): a hook-free useMemo. */
class Memo {
	readonly #slots = new Map<string, {deps: readonly unknown[]; value: unknown}>();

	get<T>(slot: string, deps: readonly unknown[], compute: () => T): T {
		const kept = this.#slots.get(slot);
		if (kept && kept.deps.length === deps.length && kept.deps.every((d, i) => Object.is(d, deps[i]))) return kept.value as T;
		const value = compute();
		this.#slots.set(slot, {deps, value});
		return value;
	}
}

interface FrameInput {
	readonly state: AppState;
	readonly ui: UiState;
	readonly columns: number;
	readonly rows: number;
	readonly theme: Theme;
	readonly options: AppOptions;
	readonly replay: boolean;
}

/** What the key handler reads from the frame on screen. */
interface FrameFacts {
	readonly ui: UiState;
	readonly bounds: Bounds;
	readonly keyContext: KeyContext;
	readonly shownRows: readonly FamilyRow[];
	readonly order: readonly number[];
}

interface Composed extends FrameFacts {
	/** Exactly rows − 1 lines (fewer when the terminal is too small). */
	readonly frame: string[];
	readonly tooSmall: boolean;
}

/**
 * The whole frame from the store's state and the UI state, each part rebuilt only when what it
 * depends on changed. A plain function of its inputs (and the memo), so that in a terminal a
 * scrape is drawn without a React render (see App).
 */
function composeFrame({state, ui, columns, rows, theme, options, replay}: FrameInput, memo: Memo): Composed {
	const model = memo.get('model', [state, ui.target], () => targetView(state, ui.target));
	const several = state.targets.length > 1;
	const fleet = memo.get('fleet', [several, state.targets], () => (several ? fleetRows(state.targets) : null));
	const fleetOrder = memo.get('fleetOrder', [fleet, ui.fleet.sort, ui.fleet.reverse], () => (fleet ? sortFleet(fleet.rows, ui.fleet.sort, ui.fleet.reverse) : []));
	// No row chosen yet (or its target gone): the first row as shown.
	const selected = fleetOrder.some(r => r.index === ui.fleet.selected) ? ui.fleet.selected : (fleetOrder[0]?.index ?? 0);
	const inFleet = ui.view === 'fleet' && fleet !== null;
	// In the Fleet view the status line speaks for the selected row's target.
	const statusModel = memo.get('statusModel', [inFleet, state, selected, model], () => (inFleet ? targetView(state, selected) : model));
	const target = model?.target;
	// Every family's rows (a label key per sample: thousands of strings a scrape): built only while
	// the Explorer is shown, its one reader (its keys and its Explain subject included).
	const explorerShown = ui.view === 'explorer';
	const familyRows = memo.get('familyRows', [explorerShown, target], () => (explorerShown ? explorerRows(target) : NO_ROWS));
	const shownRows = memo.get('shownRows', [familyRows, ui.explorer.filter], () => filterRows(familyRows, ui.explorer.filter));
	const openRow = ui.explorer.open ? familyRows.find(r => r.name === ui.explorer.open) : undefined;
	const openFamily = openRow ? target?.families[openRow.index] : undefined;
	const detail = memo.get('detail', [openFamily], () => (openFamily ? detailRows(openFamily) : null));

	const width = columns;
	// While a rule is pending or firing, its strip takes the line above the status line, on every view.
	const alertStrip = memo.get('alertStrip', [state.targets, theme, width], () => alertStripLine(state, theme, width));
	const bodyHeight = rows - 1 - CHROME - (alertStrip === null ? 0 : 1);
	const keyContext: KeyContext = memo.get('keyContext', [replay, state.targets.length], () => ({replay, targets: state.targets.length}));

	const overlay = ui.overlay;
	const subject = overlay === 'explain' ? explainSubject(ui, familyRows, model) : null;
	const subjectKey = subject ? JSON.stringify(subject) : '';
	const overlayLines = memo.get(
		'overlayLines',
		// `subject` is rebuilt each time; its JSON is the stable identity.
		[overlay, keyContext, theme, width, subjectKey, model, subject?.view === 'fleet' ? fleet : null],
		() =>
			overlay === 'help'
				? helpLines(keyContext, theme, width)
				: subject
					? subject.view === 'fleet'
						? explainLines(subject, fleet?.fleet?.derived ?? null, theme, width)
						: explainLines(subject, model?.derived ?? null, theme, width, model ? {era: model.target.era, confidence: model.target.eraConfidence, evidence: model.target.eraEvidence, says: model.target.eraSays ?? []} : null)
					: [],
	);

	let bounds: Bounds = {total: 0, page: 1};
	const where = focus(ui);
	if (where === 'overlay') bounds = {total: overlayLines.length, page: Math.max(1, bodyHeight - 1)};
	else if (where === 'families' || where === 'detail') bounds = explorerBounds(shownRows.length, where === 'detail' ? (detail?.length ?? 0) : null, bodyHeight);
	else if (where === 'latency') bounds = {total: LATENCY_KEYS.length, page: LATENCY_KEYS.length};
	else if (where === 'fleet') bounds = fleetBounds(fleetOrder.length, bodyHeight);
	else if (where === 'events') bounds = eventsBounds(model?.target.events?.length ?? 0, bodyHeight);
	const order = memo.get('order', [fleetOrder], () => fleetOrder.map(r => r.index));

	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	// The body's lines, rebuilt when its data, the UI state, the theme or the size changes.
	// Computed per scrape (the state changes), only while a view that shows it (Compare, the Overview's strip) is shown.
	const comparing = (ui.view === 'compare' || ui.view === 'overview') && options.baseline !== undefined;
	const comparison = memo.get('comparison', [comparing, state, ui.target], () => (comparing ? options.baseline!.compare(state, ui.target) : null));
	const body = memo.get('body', [tooSmall, overlay, overlayLines, state, model, ui, theme, width, bodyHeight, fleet, fleetOrder, familyRows, detail, comparison], () => {
		if (tooSmall) return [];
		if (overlay) {
			const title = overlay === 'help' ? theme.msg.help.title : theme.msg.overlay.explain;
			return shownLines(overlayPage({title, lines: overlayLines, top: ui.overlayTop, height: bodyHeight, theme, width}), {height: bodyHeight, ascii: theme.ascii, fill: true});
		}
		const props: ViewProps = {state, model, ui, theme, width, height: bodyHeight, comparison};
		if (ui.view === 'fleet' && fleet) {
			const lines = fleetLines({state, ui, theme, width, height: bodyHeight, aggregate: fleet.aggregate, rows: fleetOrder});
			return shownLines(lines, {height: bodyHeight, ascii: theme.ascii, fill: true});
		}
		const lines =
			ui.view === 'latency'
				? latencyLines(props)
				: ui.view === 'tokens'
					? tokensLines(props)
					: ui.view === 'cache'
						? cacheLines(props)
						: ui.view === 'explorer'
							? explorerLines({...props, rows: familyRows, detail})
							: ui.view === 'slo'
								? sloLines(props)
								: ui.view === 'compare'
									? compareViewLines({...props, comparison, hasBaseline: options.baseline !== undefined})
								: ui.view === 'events'
									? eventLines(props)
									: overviewLines(props);
		return shownLines(lines, {height: bodyHeight, dim: model?.stale ?? false, ascii: theme.ascii, fill: true});
	});

	let frame: string[];
	if (tooSmall) {
		const message = theme.msg.common.tooSmall(columns, rows, MIN_COLUMNS, MIN_ROWS).slice(0, Math.max(1, rows - 1));
		frame = shownLines(
			message.map(line => theme.fit(line, columns)),
			{ascii: theme.ascii},
		);
	} else {
		const header = headerLines(state, model, inFleet ? 'fleet' : ui.view, theme, width, {insecure: options.insecure === true});
		const status = statusLine(state, statusModel, theme, width, {filterEditing: ui.explorer.editing ? ui.explorer.filter : null, replay, fleet: inFleet});
		const strip = alertStrip === null ? [] : shownLines([alertStrip], {height: 1, ascii: theme.ascii, fill: true});
		frame = [...shownLines(header, {height: 2, ascii: theme.ascii, fill: true}), ...body, ...strip, ...shownLines([status], {height: 1, ascii: theme.ascii, fill: true})];
	}
	return {frame, tooSmall, ui, bounds, keyContext, shownRows, order};
}

const noSubscription = () => () => {};

export function App({store, controls, options, onQuit, frameSink, onSuspend}: AppProps) {
	// With a frame sink, a scrape is drawn by the subscription below, without a React render: a
	// render here happens for a key or a resize only, and reads the store's state as it is then.
	const state = useSyncExternalStore(frameSink ? noSubscription : store.subscribe, store.getSnapshot);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const theme = useMemo(() => createTheme({color: options.color, ascii: options.ascii, lang: options.lang}), [options.color, options.ascii, options.lang]);
	// Several targets start on the Fleet view; one target never sees it.
	const [ui, dispatch] = useReducer(uiReducer, state.targets.length, initUiState);
	const replay = controls.step !== undefined;
	const memo = useRef<Memo | null>(null);
	memo.current ??= new Memo();
	const input: FrameInput = {state, ui, columns, rows, theme, options, replay};
	const composed = composeFrame(input, memo.current);
	const frameHeight = rows - 1;

	// The key handler keeps one identity (Ink 6 re-subscribes on every new one) and reads the
	// values of the frame on screen through this ref.
	const latest = useRef<FrameFacts>(composed);
	latest.current = composed;
	const lastInput = useRef(input);
	lastInput.current = input;

	useLayoutEffect(() => {
		frameSink?.(composed.frame);
	});

	// Direct mode: store changes (coalesced within a tick) are composed and drawn with the UI
	// state, size and theme of the last render.
	useEffect(() => {
		if (!frameSink) return;
		let queued = false;
		const draw = () => {
			queued = false;
			const state = store.getSnapshot();
			if (state === lastInput.current.state) return;
			const now = {...lastInput.current, state};
			lastInput.current = now;
			const next = composeFrame(now, memo.current!);
			latest.current = next;
			frameSink(next.frame);
		};
		const unsubscribe = store.subscribe(() => {
			if (queued) return;
			queued = true;
			queueMicrotask(draw);
		});
		// A change between the render and this subscription.
		draw();
		return unsubscribe;
	}, [store, frameSink]);

	const run = useCallback(
		(command: Command) => {
			const {ui: now, bounds: b, keyContext: context, shownRows: shown, order: rows} = latest.current;
			const act = (action: UiAction) => dispatch(action);
			// Fleet rows are selected by target, so a row keeps its selection when the order changes.
			const inFleetList = focus(now) === 'fleet';
			switch (command.type) {
				case 'view':
					return act({type: 'view', view: command.view});
				case 'cycleView':
					return act({type: 'cycleView', delta: command.delta, targets: context.targets});
				case 'nextTarget':
					return act({type: 'nextTarget', count: context.targets});
				case 'pause':
					return controls.togglePause();
				case 'interval':
					return controls.stepInterval(command.direction);
				case 'window':
					return controls.stepWindow(command.direction);
				case 'refresh':
					return controls.refresh();
				case 'move': {
					const delta = command.direction * (command.by === 'page' ? b.page : 1);
					return act(inFleetList ? {type: 'fleetMove', order: rows, page: b.page, delta} : {type: 'move', delta, ...b});
				}
				case 'home':
					return act(inFleetList ? {type: 'fleetMove', order: rows, page: b.page, to: 'first'} : {type: 'home', ...b});
				case 'end':
					return act(inFleetList ? {type: 'fleetMove', order: rows, page: b.page, to: 'last'} : {type: 'end', ...b});
				case 'sort':
					return act({type: 'fleetSort'});
				case 'sortReverse':
					return act({type: 'fleetReverse'});
				case 'filter':
					return act({type: 'filterStart'});
				case 'open': {
					if (inFleetList) return act({type: 'drill', order: rows});
					if (focus(now) !== 'families') return;
					const row = shown[Math.min(now.explorer.list.cursor, shown.length - 1)];
					return row ? act({type: 'open', name: row.name}) : undefined;
				}
				case 'back':
					return act({type: 'back', targets: context.targets});
				case 'step':
					return controls.step?.();
				case 'speed':
					return controls.changeSpeed?.(command.direction);
				case 'help':
					return act({type: 'toggleOverlay', overlay: 'help'});
				case 'explain':
					return act({type: 'toggleOverlay', overlay: 'explain'});
				case 'quit':
					onQuit?.();
					return exit();
				case 'suspend':
					return onSuspend?.();
			}
		},
		[controls, exit, onQuit, onSuspend],
	);

	const onInput = useCallback(
		(input: string, key: Key) => {
			const {ui: now, keyContext: context} = latest.current;
			// Several keys in one read (fast typing, a paste, keys batched by a slow SSH link, "/name⏎"):
			// each in turn. UI state updates only after this read, so once `/` has opened the filter,
			// the read's next keys edit it here, up to Enter or Esc.
			const keys = key.ctrl || key.meta || input.length < 2 || input.startsWith('\u001b') ? [{input, key}] : splitKeys(input, key);
			let editing = now.explorer.editing;
			for (const {input: text, key: k} of keys) {
				// Text a person typed or pasted, not a control key or an escape sequence.
				const plain = text !== '' && !k.ctrl && !k.meta && !k.tab && !/[\u0000-\u001f\u007f]/.test(text);
				if (editing) {
					if (k.escape || k.return) editing = false;
					if (k.escape) dispatch({type: 'filterCancel'});
					else if (k.return) dispatch({type: 'filterDone'});
					else if (k.backspace || k.delete) dispatch({type: 'filterErase'});
					else if (k.ctrl && text === 'c') run({type: 'quit'});
					else if (k.ctrl && text === 'z') run({type: 'suspend'});
					else if (plain) dispatch({type: 'filterType', text});
					continue;
				}
				const command = resolveKey(text, k, context);
				if (!command) continue;
				run(command);
				if (command.type === 'filter') editing = true;
			}
		},
		[run],
	);
	// Without a terminal on stdin (input piped in) there are no keys to read, and raw mode would throw.
	const {isRawModeSupported} = useStdin();
	useInput(onInput, {isActive: isRawModeSupported === true});

	if (frameSink) return null;
	// One text node per line, already cut, coloured and padded to the frame's height.
	return <Lines lines={composed.frame} width={columns} height={composed.tooSmall ? undefined : frameHeight} />;
}
