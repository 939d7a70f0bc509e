/**
 * The bottom line: the scrape error while a target fails (in the Fleet view, the selected row's
 * target), else warnings, else the main keys.
 */
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';
import type {TargetView} from '../view-model.js';
import {formatOutOfOrder} from '../../format.js';

export function statusLine(state: AppState, view: TargetView | null, theme: Theme, width: number, options: {filterEditing: string | null; replay: boolean; fleet?: boolean}): string {
	if (options.filterEditing !== null) {
		return theme.fit(`/${inert(options.filterEditing)}${theme.paint('_', 'accent')}  ${theme.paint('Enter keep  Esc clear', 'muted')}`, width);
	}
	const target = view?.target;
	if (target && target.state !== 'up' && target.error) {
		const label = target.state === 'stale' ? 'STALE, last values kept' : target.state === 'down' ? 'DOWN' : 'error';
		return theme.fit(theme.paint(`${label}: ${inert(target.error)}`, 'crit'), width);
	}
	const notes: string[] = [];
	if (target && target.skippedLines > 0) {
		const first = target.parseError ? ` (line ${target.parseError.line}: ${inert(target.parseError.message)})` : '';
		notes.push(`${target.skippedLines} line${target.skippedLines === 1 ? '' : 's'} skipped${first}`);
	}
	for (const w of target?.warnings ?? []) notes.push(inert(w));
	const outOfOrder = state.mode.kind === 'replay' ? (state.mode.outOfOrder ?? 0) : 0;
	if (outOfOrder > 0) notes.push(formatOutOfOrder(outOfOrder));
	const keys = `${options.fleet ? 'Enter open  s sort  ' : ''}space pause  +/- interval  [ ] window  r refresh${options.replay ? '  . step  < > speed' : ''}`;
	if (notes.length > 0) return theme.fit(theme.paint(`warning: ${notes.join('; ')}`, 'warn'), width);
	return theme.fit(theme.paint(state.paused ? `PAUSED (space resumes)  ${keys}` : keys, 'muted'), width);
}
