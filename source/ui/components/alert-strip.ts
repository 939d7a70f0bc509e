/**
 * The alert strip: one line above the status line on every view while a rule is pending or firing
 * anywhere (the worst first, how long, the value now, `+N more`); else, muted, a rule on a metric a
 * target does not export (never silently inactive); nothing otherwise. Red when the worst fires,
 * yellow while it is pending.
 */
import {alertStrip} from '../../alert-report.js';
import type {AppState} from '../../store.js';
import type {Theme} from '../theme.js';

/** The strip's line, fitted to `width`, or null when no rule is pending or firing. */
export function alertStripLine(state: AppState, theme: Theme, width: number): string | null {
	if (!state.alertRules || state.alertRules.length === 0) return null;
	const strip = alertStrip(state, theme.ascii);
	if (!strip) return null;
	return theme.fit(theme.paint(strip.text, strip.state === 'firing' ? 'crit' : strip.state === 'pending' ? 'warn' : 'muted'), width);
}
