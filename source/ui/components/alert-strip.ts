/**
 * The alert strip: one line above the status line on every view while a rule is pending or firing
 * anywhere (the worst first, how long, the value now, `+N more`); else, muted, a rule on a metric a
 * target does not export (never silently inactive); nothing otherwise. Red when the worst fires,
 * yellow while it is pending. Worded in the UI's language (theme.msg.alertStrip) from
 * alert-report.ts' facts; its alertStrip() keeps the English of the --once report.
 */
import {alertStripFacts, alertValueText, compactDuration, ruleLabel} from '../../alert-report.js';
import type {AlertRule} from '../../metrics/alert-rule.js';
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';

/** `kv_cache ≥ 90 % for 30s` (`>=` with --ascii), in the UI's language. */
function ruleText(rule: AlertRule, theme: Theme): string {
	return ruleLabel(rule, theme.ascii, theme.lang);
}

/** The strip's line, fitted to `width`, or null when no rule is pending or firing. */
export function alertStripLine(state: AppState, theme: Theme, width: number): string | null {
	if (!state.alertRules || state.alertRules.length === 0) return null;
	const f = alertStripFacts(state);
	if (!f) return null;
	const m = theme.msg.alertStrip;
	const s = f.status;
	const rule = f.target === null ? ruleText(s.rule, theme) : m.on(ruleText(s.rule, theme), inert(f.target));
	const line =
		f.state === 'no-data'
			? m.absent(rule)
			: m.active(rule, m.state[f.state], f.forMs > 0 ? m.progress(f.held, compactDuration(f.forMs)) : f.held, alertValueText(s.rule, s.value, s.lowerBound));
	const text = f.more > 0 ? m.more(line, f.more) : line;
	return theme.fit(theme.paint(text, f.state === 'firing' ? 'crit' : f.state === 'pending' ? 'warn' : 'muted'), width);
}
