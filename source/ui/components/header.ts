/**
 * The two header lines: what is watched and in which state (target, engine and era, up/STALE with
 * the age of the last good scrape, interval, window, PAUSED, DEMO/REPLAY, INSECURE, the last
 * restart, the recording and whether it failed; in the Fleet view the number of targets and how
 * many are up), then the view tabs.
 * Whatever does not fit is dropped by priority; the state never is.
 */
import {formatDuration} from '../../format.js';
import {eraLabel} from '../../metrics/era.js';
import {windowCoverText} from '../../format.js';
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';
import {fitParts, pad, stripSgr, visibleWidth} from '../text-width.js';
import type {TargetView} from '../view-model.js';
import {viewKey, viewsFor, type ViewId} from '../ui-state.js';

export function clockTime(t: number): string {
	return new Date(t).toTimeString().slice(0, 8);
}

function stateText(view: TargetView | null, theme: Theme): string {
	const target = view?.target;
	const m = theme.msg.header;
	if (!target) return theme.paint(m.noTarget, 'muted');
	switch (target.state) {
		case 'connecting':
			return theme.paint(`${m.connecting}${theme.glyphs.ellipsis}`, 'muted');
		case 'up':
			return theme.paint(`${theme.glyphs.dot} ${m.up}`, 'ok');
		case 'down':
			return theme.paint(m.down, 'crit');
		case 'stale':
			return theme.paint(`${m.stale}${view.staleForMs === null ? '' : ` ${formatDuration(Math.max(0, Math.round(view.staleForMs / 1000) * 1000))}`}`, 'crit');
	}
}

function replayText(state: AppState, theme: Theme): string {
	const mode = state.mode;
	if (mode.kind !== 'replay') return '';
	const m = theme.msg.header;
	const label = mode.demo !== null ? `${m.demo}${mode.demo ? ` ${inert(mode.demo)}` : ''}` : m.replay;
	// Words, and a width that does not change as the count grows (the target name beside it keeps its cut).
	const digits = Math.max(4, String(mode.total ?? mode.position).length);
	const progress = `${m.scrape(String(mode.position).padStart(digits), mode.total)}${mode.finished ? ` ${m.end}` : ''}`;
	return theme.paint(`${label}  ${m.speed(mode.speed)}  ${progress}`, 'accent');
}

/** `REC run.jsonl.gz 42 scrapes` while recording works; `REC FAILED: <reason>` from the first failure on. */
function recordingText(state: AppState, theme: Theme): string {
	const rec = state.recording;
	if (!rec) return '';
	if (rec.error !== null) return theme.paint(theme.paint(theme.msg.header.recordingFailed(inert(rec.error)), 'title'), 'crit');
	const name = theme.fit(inert(rec.file.slice(rec.file.lastIndexOf('/') + 1)), 24);
	return theme.paint(theme.msg.header.recording(name, rec.scrapes), 'accent');
}

function fleetStateText(state: AppState, theme: Theme): string {
	const up = state.targets.filter(t => t.state === 'up').length;
	const n = state.targets.length;
	if (up === n) return theme.paint(`${theme.glyphs.dot} ${theme.msg.header.fleetUp(n)}`, 'ok');
	return theme.paint(theme.msg.header.fleetSomeUp(up, n), up === 0 ? 'crit' : 'warn');
}

/** `prod http://host/metrics`, but a name that is the location or its host (the default) once. */
export function namedOnce(name: string, location: string): string {
	const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(location)?.[1];
	return name === location || name === host ? location : `${name} ${location}`;
}

export interface HeaderOptions {
	/** TLS certificates are not verified (--insecure). */
	readonly insecure?: boolean;
}

export function headerLines(state: AppState, view: TargetView | null, current: ViewId, theme: Theme, width: number, options: HeaderOptions = {}): string[] {
	const fleet = current === 'fleet';
	const d = fleet ? null : (view?.derived ?? null);
	const era = view ? eraLabel({era: view.target.era, confidence: view.target.eraConfidence}) : '';
	const engine = d?.engine ? `${d.engine}${era ? ` ${era}` : ''}` : '';
	// A window shorter than asked says so (`window 41 s of 1 m (restart)`); one cut by a restart or
	// an outage is never dropped for width.
	// The covered part keeps its width as it grows (` 9 s of 1 m`, `10 s of 1 m`: windowCoverText pads it).
	const m = theme.msg.header;
	const windowText = m.window(windowCoverText(d, state.windowMs, m.cover));
	const broken = d?.partial?.reasons.some(r => r !== 'filling') ?? false;
	// Most important first; parts are dropped from the end of `optional` until the line fits.
	const essential = [
		fleet ? fleetStateText(state, theme) : stateText(view, theme),
		state.paused ? theme.paint(theme.paint(m.paused, 'title'), 'warn') : '',
		replayText(state, theme),
		recordingText(state, theme),
		options.insecure ? theme.paint(theme.paint(m.insecure, 'title'), 'warn') : '',
		!fleet && view?.restartAt != null ? theme.paint(`${theme.glyphs.restart} ${m.restart(clockTime(view.restartAt))}`, 'warn') : '',
		// Beside `↺ restart …` the reason goes without saying (and 80 columns are tight).
		broken ? theme.paint(view?.restartAt != null ? windowText.replace(` (${m.cover.reasons.restart})`, '') : windowText, 'warn') : '',
	].filter(Boolean);
	const optional = [!fleet && view && view.count > 1 ? `[${view.index + 1}/${view.count}]` : '', theme.paint(engine, 'accent'), m.every(formatDuration(state.intervalMs)), broken ? '' : windowText].filter(Boolean);
	const title = theme.paint('fdtop', 'title');
	// A bundled demo is named by its DEMO label; its recorded name and URL would only repeat it.
	const demo = state.mode.kind === 'replay' && state.mode.demo !== null;
	const targetName = fleet ? m.fleetOf(state.targets.length) : view && !demo ? inert(namedOnce(view.target.name, view.target.location)) : '';
	// Even the essentials go whole from the last (the window, the restart, …) when they alone overflow; the state stays.
	const kept = fitParts(essential, width - 5 - 2, {keep: 1});
	let parts = [...kept, ...optional];
	const minTarget = Math.min(16, visibleWidth(targetName));
	while (parts.length > kept.length && 5 + 2 + minTarget + 2 + visibleWidth(parts.join('  ')) > width) parts = parts.slice(0, -1);
	const right = parts.join('  ');
	const room = width - 5 - 2 - 2 - visibleWidth(right);
	// A name left a few cells would be a stub (`h…`): then none.
	const name = room >= Math.min(6, visibleWidth(targetName)) ? theme.fit(targetName, room) : '';
	const line1 = room > 0 ? `${title}  ${pad(name, room)}  ${right}` : theme.fit(`${title}  ${right}`, width);

	return [theme.fit(line1, width), tabsLineOf(state.targets.length, current, theme, width)];
}

/** Tab lines drawn, per theme: the same few on every frame (the line changes with the view and the width only). */
const tabLines = new WeakMap<Theme, Map<string, string>>();

function tabsLineOf(targets: number, current: ViewId, theme: Theme, width: number): string {
	let lines = tabLines.get(theme);
	if (!lines) tabLines.set(theme, (lines = new Map()));
	const key = `${targets > 1 ? 'fleet' : 'one'} ${current} ${width}`;
	let line = lines.get(key);
	if (line === undefined) {
		// A handful of views and widths in a session; a long resize drag cannot grow it without end.
		if (lines.size >= 64) lines.clear();
		lines.set(key, (line = tabsLine(targets, current, theme, width)));
	}
	return line;
}

/**
 * The view tabs and, right-aligned, the key hints, given up by priority as the room shrinks (the
 * first arrangement that fits): the tabs spaced, then closer, then by short names one by one from
 * the last (all hints still there), then without `e explain`, then (all hints again) by their keys
 * alone one by one from the last; then the hints one by one, `q quit` last. The current view always keeps its full name, and
 * nothing is cut mid-word.
 */
function tabsLine(targets: number, current: ViewId, theme: Theme, width: number): string {
	const m = theme.msg;
	const views = viewsFor(targets);
	// The last `short` tabs take their short names, the last `bare` their keys alone (the current one neither).
	const tabsAt = (spaced: boolean, short: number, bare = 0) =>
		views
			.map((v, i) => {
				const selected = v.id === current;
				const name = selected ? m.views[v.id] : i >= views.length - bare ? '' : i >= views.length - short ? m.viewsShort[v.id] : m.views[v.id];
				// Spaced tabs end in a space, and so does the selected one while all have their names (its highlight is a block).
				const text = ` ${viewKey(v.id)}${name ? ` ${name}` : ''}${spaced || (selected && short === 0) ? ' ' : ''}`;
				return selected ? theme.paint(text, 'selected') : text;
			})
			.join('');
	const [help = '', explain = '', quit = ''] = m.header.hints;
	const all = [help, explain, quit];
	// Built lazily: on a wide terminal the first arrangement is the only one drawn.
	type Step = [tabs: () => string, hints: readonly string[]];
	const ladder: Step[] = [
		[() => tabsAt(true, 0), all],
		...views.map((_, n): Step => [() => tabsAt(false, n), all]),
		[() => tabsAt(false, views.length), all],
		[() => tabsAt(false, views.length), [help, quit]],
		...views.map((_, n): Step => [() => tabsAt(false, views.length, n + 1), all]),
		...[[help, quit], [quit], []].map((hints): Step => [() => tabsAt(false, 0, views.length), hints]),
	];
	for (const [tabsOf, hints] of ladder) {
		const tabs = tabsOf();
		const text = hints.join('  ');
		// Two spaces before the hints, counting the one a spaced or selected last tab ends in.
		const room = width - visibleWidth(tabs) - visibleWidth(text);
		if (room < (text ? (stripSgr(tabs).endsWith(' ') ? 1 : 2) : 0)) continue;
		return text ? `${tabs}${' '.repeat(room)}${theme.paint(text, 'muted')}` : tabs;
	}
	return theme.fit(tabsAt(false, 0, views.length), width);
}
