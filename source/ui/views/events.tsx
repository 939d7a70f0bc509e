/**
 * Event log (key 8): the target's restarts, down/up, config changes, SLO and diagnosis changes,
 * newest first, with the Explorer's list keys. The selected event's whole detail and date are in
 * the footer. Events come from the store (source/metrics/events.ts); this only formats them, and
 * only the visible rows.
 */
import {MARKER_OF, type EventMarker, type TimelineEvent} from '../../metrics/events.js';
import {inert} from '../../text.js';
import {clockTime} from '../components/header.js';
import {selectRow, tableHeader, tableRow, type Column} from '../components/table.js';
import type {Glyphs, Theme, Tone} from '../theme.js';
import type {Bounds} from '../ui-state.js';
import type {ViewProps} from './types.js';

/** Every string of the view, in one place (for a message catalog). */
export const EVENTS_TEXT = {
	title: 'Events',
	keys: '↑↓ PgUp PgDn g G move',
	count: (n: number) => `${n} event${n === 1 ? '' : 's'}, newest first`,
	none: 'no events yet: restarts, down/up, config changes, SLO breaches and diagnoses show here',
	columns: {time: 'time', what: 'event', detail: 'detail'},
	legend: (g: Glyphs) => `${g.markerRestart} restart  ${g.markerConfig} config  ${g.markerAlert} down, SLO, diagnosis, alert`,
} as const;

/** Lines above the list (title, column heads) and below it (the selected event's detail). */
const CHROME = 3;

export function eventsBounds(events: number, height: number): Bounds {
	return {total: events, page: Math.max(1, height - CHROME)};
}

export function markerGlyph(marker: EventMarker, theme: Theme): string {
	return marker === 'restart' ? theme.glyphs.markerRestart : marker === 'config' ? theme.glyphs.markerConfig : theme.glyphs.markerAlert;
}

const TONE: Record<TimelineEvent['level'], Tone | undefined> = {crit: 'crit', warn: 'warn', info: undefined};

export function eventLines({model, ui, theme, width, height}: ViewProps): string[] {
	if (!model) return [theme.paint(theme.msg.common.waiting, 'muted')];
	const events = model.target.events ?? [];
	const head = `${theme.paint(EVENTS_TEXT.title, 'title')}  ${EVENTS_TEXT.count(events.length)}  ${theme.paint(EVENTS_TEXT.keys, 'muted')}`;
	if (events.length === 0) return [theme.fit(head, width), '', theme.fit(theme.paint(EVENTS_TEXT.none, 'muted'), width), theme.fit(theme.paint(EVENTS_TEXT.legend(theme.glyphs), 'muted'), width)];
	const whatWidth = 20;
	const cols: Column[] = [
		{title: EVENTS_TEXT.columns.time, width: 8, align: 'left'},
		{title: EVENTS_TEXT.columns.what, width: whatWidth, align: 'left'},
		{title: EVENTS_TEXT.columns.detail, width: Math.max(10, width - 8 - whatWidth - 2), align: 'left'},
	];
	const page = height - CHROME;
	const cursor = Math.min(ui.events.list.cursor, events.length - 1);
	const top = Math.max(0, Math.min(ui.events.list.top, events.length - page, cursor));
	// Row r is the r-th newest: the list is stored oldest first.
	const at = (r: number) => events[events.length - 1 - r]!;
	const visible: string[] = [];
	for (let r = top; r < Math.min(events.length, top + page); r++) {
		const e = at(r);
		const what = theme.paint(`${markerGlyph(MARKER_OF[e.kind], theme)} ${e.title}`, TONE[e.level]);
		visible.push(selectRow(theme.fit(tableRow(cols, [clockTime(e.t), what, inert(e.detail)], theme), width), width, r === cursor, theme));
	}
	const selected = at(cursor);
	const footer = `${new Date(selected.t).toISOString().replace('T', ' ').slice(0, 19)} UTC  ${selected.title}${selected.subject ? ` (${inert(selected.subject)})` : ''}: ${inert(selected.detail)}`;
	return [theme.fit(head, width), tableHeader(cols, theme), ...visible, ...Array.from({length: Math.max(0, page - visible.length)}, () => ''), theme.fit(theme.paint(footer, 'muted'), width)];
}
