/**
 * The bottom line: the scrape error while a target fails (in the Fleet view, the selected row's
 * target), else warnings, else the main keys (those that do not fit dropped whole, the last first).
 */
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';
import type {TargetView} from '../view-model.js';
import {formatOutOfOrder} from '../../format.js';
import {fitParts} from '../text-width.js';

export function statusLine(state: AppState, view: TargetView | null, theme: Theme, width: number, options: {filterEditing: string | null; replay: boolean; fleet?: boolean}): string {
	const m = theme.msg.status;
	if (options.filterEditing !== null) {
		return theme.fit(`/${inert(options.filterEditing)}${theme.paint('_', 'accent')}  ${theme.paint(m.filterKeys, 'muted')}`, width);
	}
	const target = view?.target;
	if (target && target.state !== 'up' && target.error) {
		const label = target.state === 'stale' ? m.stale : target.state === 'down' ? m.down : m.error;
		return theme.fit(theme.paint(`${label}: ${inert(target.error)}`, 'crit'), width);
	}
	const notes: string[] = [];
	if (target && target.skippedLines > 0) {
		const first = target.parseError ? m.skippedAt(target.parseError.line, inert(target.parseError.message)) : '';
		notes.push(m.skipped(target.skippedLines, first));
	}
	for (const w of target?.warnings ?? []) notes.push(inert(w));
	const outOfOrder = state.mode.kind === 'replay' ? (state.mode.outOfOrder ?? 0) : 0;
	if (outOfOrder > 0) notes.push(formatOutOfOrder(outOfOrder));
	const keys = `${options.fleet ? m.fleetKeys : ''}${m.keys}${options.replay ? m.replayKeys : ''}`;
	if (notes.length > 0) return theme.fit(theme.paint(m.warning(notes.join('; ')), 'warn'), width);
	// Key hints that do not fit are dropped whole from the end (PAUSED, the first, stays); paused,
	// `space pause` (the catalog's first key) goes beside `PAUSED (space resumes)`.
	const parts = (text: string) => text.split(/ {2,}/).filter(Boolean);
	const pause = parts(m.keys)[0];
	const hints = state.paused ? parts(m.paused(keys)).filter(p => p !== pause) : parts(keys);
	return theme.fit(theme.paint(fitParts(hints, width, {keep: 1}).join('  '), 'muted'), width);
}
