/** A horizontal gauge `[█████░░░░]` of a ratio 0–1, filled in its health colour. */
import {MISSING} from '../../format.js';
import type {Level, Theme} from '../theme.js';

export function gauge(ratio: number | null, width: number, theme: Theme, level: Level = 'none'): string {
	const inner = Math.max(1, width - 2);
	if (ratio === null || !Number.isFinite(ratio)) return `[${MISSING.padStart(Math.ceil(inner / 2) + 1).padEnd(inner)}]`;
	const filled = Math.round(Math.min(1, Math.max(0, ratio)) * inner);
	const bar = theme.paint(theme.glyphs.full.repeat(filled), level === 'none' ? 'accent' : level);
	return `[${bar}${theme.paint(theme.glyphs.empty.repeat(inner - filled), 'muted')}]`;
}
