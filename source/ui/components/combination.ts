/** A gauge combined over several series names its rule (`avg of 2`), marked when they disagree. */
import {combinationTag, type GaugeCombination} from '../../metrics/combine.js';
import {inert} from '../../text.js';
import type {Theme} from '../theme.js';

/** ' avg of 2', ' live pid=2563 of 2 disagree', or '' for a single series. */
export function combinationNote(c: GaugeCombination | undefined, theme: Theme): string {
	if (!c) return '';
	return ` ${theme.paint(inert(combinationTag(c)), 'muted')}${c.disagree ? ` ${theme.paint('disagree', 'warn')}` : ''}`;
}
