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
import {pad, visibleWidth} from '../text-width.js';
import type {TargetView} from '../view-model.js';
import {viewKey, viewsFor, type ViewId} from '../ui-state.js';

export function clockTime(t: number): string {
	return new Date(t).toTimeString().slice(0, 8);
}

function stateText(view: TargetView | null, theme: Theme): string {
	const target = view?.target;
	if (!target) return theme.paint('no target', 'muted');
	switch (target.state) {
		case 'connecting':
			return theme.paint(`connecting${theme.glyphs.ellipsis}`, 'muted');
		case 'up':
			return theme.paint(`${theme.glyphs.dot} up`, 'ok');
		case 'down':
			return theme.paint('DOWN', 'crit');
		case 'stale':
			return theme.paint(`STALE${view.staleForMs === null ? '' : ` ${formatDuration(Math.max(0, Math.round(view.staleForMs / 1000) * 1000))}`}`, 'crit');
	}
}

function replayText(state: AppState, theme: Theme): string {
	const mode = state.mode;
	if (mode.kind !== 'replay') return '';
	const label = mode.demo !== null ? `DEMO${mode.demo ? ` ${inert(mode.demo)}` : ''}` : 'REPLAY';
	// Words, and a width that does not change as the count grows (the target name beside it keeps its cut).
	const digits = Math.max(4, String(mode.total ?? mode.position).length);
	const progress = `scrape ${String(mode.position).padStart(digits)}${mode.total === null ? '' : ` of ${mode.total}`}${mode.finished ? ' end' : ''}`;
	return theme.paint(`${label}  speed ${mode.speed}x  ${progress}`, 'accent');
}

/** `REC run.jsonl.gz 42 scrapes` while recording works; `REC FAILED: <reason>` from the first failure on. */
function recordingText(state: AppState, theme: Theme): string {
	const rec = state.recording;
	if (!rec) return '';
	if (rec.error !== null) return theme.paint(theme.paint(`REC FAILED: ${inert(rec.error)}`, 'title'), 'crit');
	const name = theme.fit(inert(rec.file.slice(rec.file.lastIndexOf('/') + 1)), 24);
	return theme.paint(`REC ${name} ${rec.scrapes} scrape${rec.scrapes === 1 ? '' : 's'}`, 'accent');
}

function fleetStateText(state: AppState, theme: Theme): string {
	const up = state.targets.filter(t => t.state === 'up').length;
	const n = state.targets.length;
	if (up === n) return theme.paint(`${theme.glyphs.dot} ${n} up`, 'ok');
	return theme.paint(`${up} of ${n} up`, up === 0 ? 'crit' : 'warn');
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
	const windowText = `window ${windowCoverText(d, state.windowMs)}`;
	const broken = d?.partial?.reasons.some(r => r !== 'filling') ?? false;
	// Most important first; parts are dropped from the end of `optional` until the line fits.
	const essential = [
		fleet ? fleetStateText(state, theme) : stateText(view, theme),
		state.paused ? theme.paint(theme.paint('PAUSED', 'title'), 'warn') : '',
		replayText(state, theme),
		recordingText(state, theme),
		options.insecure ? theme.paint(theme.paint('INSECURE', 'title'), 'warn') : '',
		!fleet && view?.restartAt != null ? theme.paint(`${theme.glyphs.restart} restart ${clockTime(view.restartAt)}`, 'warn') : '',
		// Beside `↺ restart …` the reason goes without saying (and 80 columns are tight).
		broken ? theme.paint(view?.restartAt != null ? windowText.replace(/ \(restart\)$/, '') : windowText, 'warn') : '',
	].filter(Boolean);
	const optional = [!fleet && view && view.count > 1 ? `[${view.index + 1}/${view.count}]` : '', theme.paint(engine, 'accent'), `every ${formatDuration(state.intervalMs)}`, broken ? '' : windowText].filter(Boolean);
	const title = theme.paint('fdtop', 'title');
	// A bundled demo is named by its DEMO label; its recorded name and URL would only repeat it.
	const demo = state.mode.kind === 'replay' && state.mode.demo !== null;
	const targetName = fleet ? `fleet of ${state.targets.length} targets` : view && !demo ? inert(view.target.name === view.target.location ? view.target.location : `${view.target.name} ${view.target.location}`) : '';
	let parts = [...essential, ...optional];
	const minTarget = Math.min(16, visibleWidth(targetName));
	while (parts.length > essential.length && 5 + 2 + minTarget + 2 + visibleWidth(parts.join('  ')) > width) parts = parts.slice(0, -1);
	const right = parts.join('  ');
	const room = width - 5 - 2 - 2 - visibleWidth(right);
	const line1 = room > 0 ? `${title}  ${pad(theme.fit(targetName, room), room)}  ${right}` : theme.fit(`${title}  ${right}`, width);

	// Tabs as wide as there is room for beside `e explain`: spaced, then closer, then the other
	// views by their keys alone (the selected one keeps its title).
	const views = viewsFor(state.targets.length);
	const tabsAt = (level: number) =>
		views
			.map(v => {
				const selected = v.id === current;
				const text = level < 2 || selected ? ` ${viewKey(v.id)} ${v.title}${level === 0 || selected ? ' ' : ''}` : ` ${viewKey(v.id)}`;
				return selected ? theme.paint(text, 'selected') : text;
			})
			.join('');
	let tabs = tabsAt(0);
	for (let level = 1; level <= 2 && visibleWidth(tabs) + 1 + 'e explain'.length > width; level++) tabs = tabsAt(level);
	// The last tab ends in a space: one more keeps two between it and the hints.
	const hintRoom = width - visibleWidth(tabs) - 1;
	// `e explain` outlives `q quit` (a key every user knows) as the room shrinks.
	const hints = ['? help  e explain  q quit', '? help  e explain', '? help e explain', 'e explain', '? help'].find(h => h.length <= hintRoom);
	const line2 = hints ? `${tabs}${' '.repeat(hintRoom + 1 - hints.length)}${theme.paint(hints, 'muted')}` : theme.fit(tabs, width);
	return [theme.fit(line1, width), line2];
}
