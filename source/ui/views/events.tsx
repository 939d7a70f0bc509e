/**
 * Event log (key 8): the target's restarts, down/up, config changes, SLO and diagnosis changes,
 * newest first, with the Explorer's list keys. The selected event's whole detail and date are in
 * the footer. Events come from the store (source/metrics/events.ts); this only formats them, and
 * only the visible rows, in the UI's language (theme.msg.eventsView, from each event's data).
 */
import {MARKER_OF, type EventMarker, type TimelineEvent} from '../../metrics/events.js';
import type {Objective} from '../../metrics/slo.js';
import {eventWords as wordEvent} from '../../event-words.js';
import {inert} from '../../text.js';
import {clockTime} from '../components/header.js';
import {selectRow, tableHeader, tableRow, type Column} from '../components/table.js';
import {fitParts, wrap} from '../text-width.js';
import type {Theme, Tone} from '../theme.js';
import type {Bounds} from '../ui-state.js';
import type {ViewProps} from './types.js';


/** Lines above the list (title, column heads) and below it (the selected event's detail). */
const CHROME = 3;

export function eventsBounds(events: number, height: number): Bounds {
	return {total: events, page: Math.max(1, height - CHROME)};
}

export function markerGlyph(marker: EventMarker, theme: Theme): string {
	return marker === 'restart' ? theme.glyphs.markerRestart : marker === 'config' ? theme.glyphs.markerConfig : theme.glyphs.markerAlert;
}

const TONE: Record<TimelineEvent['level'], Tone | undefined> = {crit: 'crit', warn: 'warn', info: undefined};

/** An event's title and detail in the UI's language, from its data (the English title and detail without). */
export function eventWords(e: TimelineEvent, theme: Theme, objectives: readonly Objective[]): {readonly title: string; readonly detail: string} {
	return wordEvent(e, theme.msg, theme.lang, objectives, theme.ascii);
}

export function eventLines({state, model, ui, theme, width, height}: ViewProps): string[] {
	if (!model) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const m = theme.msg.eventsView;
	const events = model.target.events ?? [];
	const objectives = state.objectives ?? [];
	const head = fitParts([theme.paint(m.title, 'title'), m.count(events.length), ...m.keys.split(/ {2,}/).map(k => theme.paint(k, 'muted'))], width, {keep: 2}).join('  ');
	const g = theme.glyphs;
	// The empty log's sentence wraps (a narrow terminal would cut it mid-word); the legend stays one line.
	if (events.length === 0) return [theme.fit(head, width), '', ...wrap(m.none, width).map(l => theme.paint(l, 'muted')), theme.fit(theme.paint(m.legend(g.markerRestart, g.markerConfig, g.markerAlert), 'muted'), width)];
	const whatWidth = 20;
	const cols: Column[] = [
		{title: m.columns.time, width: 8, align: 'left'},
		{title: m.columns.what, width: whatWidth, align: 'left'},
		{title: m.columns.detail, width: Math.max(10, width - 8 - whatWidth - 2), align: 'left'},
	];
	const page = height - CHROME;
	const cursor = Math.min(ui.events.list.cursor, events.length - 1);
	const top = Math.max(0, Math.min(ui.events.list.top, events.length - page, cursor));
	// Row r is the r-th newest: the list is stored oldest first.
	const at = (r: number) => events[events.length - 1 - r]!;
	const visible: string[] = [];
	for (let r = top; r < Math.min(events.length, top + page); r++) {
		const e = at(r);
		const words = eventWords(e, theme, objectives);
		const what = theme.paint(`${markerGlyph(MARKER_OF[e.kind], theme)} ${words.title}`, TONE[e.level]);
		visible.push(selectRow(theme.fit(tableRow(cols, [clockTime(e.t), what, inert(words.detail)], theme), width), width, r === cursor, theme));
	}
	const selected = at(cursor);
	const words = eventWords(selected, theme, objectives);
	// The subject names an objective or a rule: the detail already says which for an SLO change.
	const subject = selected.subject && selected.data?.kind !== 'slo' ? ` (${inert(selected.subject)})` : '';
	const footer = m.footer(new Date(selected.t).toISOString().replace('T', ' ').slice(0, 19), `${words.title}${subject}`, inert(words.detail));
	return [theme.fit(head, width), tableHeader(cols, theme), ...visible, ...Array.from({length: Math.max(0, page - visible.length)}, () => ''), theme.fit(theme.paint(footer, 'muted'), width)];
}
