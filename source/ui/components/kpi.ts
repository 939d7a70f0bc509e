/** KPI tiles: a label and a fixed-width value, several per line, coloured by health. */
import {formatCount, formatRate} from '../../format.js';
import type {Kpi} from '../view-model.js';
import type {Theme} from '../theme.js';
import {pad, padStart} from '../text-width.js';

export function kpiValue(k: Kpi, allZero = 'all zero'): string {
	if (k.allZero) return allZero;
	return k.kind === 'rate' ? formatRate(k.value, '') : formatCount(k.value);
}

export function kpiLines(kpis: readonly Kpi[], width: number, theme: Theme): string[] {
	const perLine = Math.max(1, Math.min(kpis.length, Math.floor((width + 2) / 24)));
	const tileWidth = Math.floor((width - 2 * (perLine - 1)) / perLine);
	const lines: string[] = [];
	for (let i = 0; i < kpis.length; i += perLine) {
		const tiles = kpis.slice(i, i + perLine).map(k => {
			const value = padStart(kpiValue(k, theme.msg.chart.allZero), 8);
			const label = pad(theme.msg.kpi[k.key as keyof Theme['msg']['kpi']] ?? k.label, Math.max(1, tileWidth - 9));
			return `${theme.paint(label, 'muted')} ${theme.paint(theme.paint(value, 'title'), k.allZero ? 'warn' : k.level)}`;
		});
		lines.push(tiles.join('  '));
	}
	return lines;
}
