/** A gauge combined over several series names its rule (`avg of 2`), marked when they disagree. */
import type {GaugeCombination} from '../../metrics/combine.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';

/** ' avg of 2', ' live pid=2563 of 2 disagree', or '' for a single series. */
export function combinationNote(c: GaugeCombination | undefined, theme: Theme): string {
	if (!c) return '';
	// combinationTag (source/metrics/combine.ts) in the screen's language.
	const m = theme.msg.combination;
	const used = c.how !== 'live' ? '' : c.used === 1 && c.from.length === 1 ? c.from[0]! : String(c.used);
	return ` ${theme.paint(inert(m.of(m.how[c.how], used, c.series)), 'muted')}${c.disagree ? ` ${theme.paint(m.disagree, 'warn')}` : ''}`;
}
