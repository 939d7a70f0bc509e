/** Fixed-width table rows: one string per row, numbers right-aligned, the selected row inverted. */
import type {Theme} from '../theme.js';
import {pad, padStart, visibleWidth} from '../text-width.js';

export interface Column {
	readonly title: string;
	readonly width: number;
	readonly align?: 'left' | 'right';
}

export function tableRow(columns: readonly Column[], cells: readonly string[], theme: Theme): string {
	return columns
		.map((c, i) => {
			const text = cells[i] ?? '';
			if (c.align === 'left') return theme.pad(text, c.width);
			return visibleWidth(text) > c.width ? theme.fit(text, c.width) : padStart(text, c.width);
		})
		.join(' ');
}

export function tableHeader(columns: readonly Column[], theme: Theme): string {
	return theme.paint(tableRow(columns, columns.map(c => c.title), theme), 'muted');
}

export function selectRow(line: string, width: number, selected: boolean, theme: Theme): string {
	return selected ? theme.paint(pad(line, width), 'selected') : line;
}
