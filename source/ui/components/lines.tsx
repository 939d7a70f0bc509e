/** The frame is a list of pre-built lines, one text node each, never wrapping. */
import {Box} from 'ink';
import {createElement} from 'react';
import {asciiText} from '../theme.js';
import {fit, visibleWidth} from '../text-width.js';

/** Grey a line out, keeping it grey past any bold or dim that closes inside it. */
export function dimmed(line: string): string {
	return `\u001b[2m${line.replaceAll('\u001b[22m', '\u001b[22;2m')}\u001b[22m`;
}

/**
 * One line as Ink's own text node with a fixed size (what <Text> renders, minus the measuring).
 * Ink 6.8 measures a <Text> through a process-wide cache that keeps every distinct string for
 * good: a monitor redrawing changing charts for days would grow without bound (measured: about
 * 1 KB a frame at 120x40). A node whose width and height are fixed is never measured by Yoga.
 * The lines are already cut to the width, so nothing needs wrapping.
 */
function Line({text, width}: {text: string; width: number}) {
	return createElement('ink-text', {style: {width, height: 1, flexGrow: 0, flexShrink: 0, flexDirection: 'row', textWrap: 'truncate'}}, text === '' ? ' ' : text);
}

/** A line in ASCII, no wider than it was: `…` → `...` or `≤` → `<=` must not push it past the edge. */
function asciiLine(line: string): string {
	const plain = asciiText(line);
	if (plain === line) return line;
	const width = visibleWidth(line);
	if (visibleWidth(plain) <= width) return plain;
	// Padding goes first, then the end of the text.
	const trimmed = plain.replace(/ +$/, '');
	return visibleWidth(trimmed) <= width ? trimmed : fit(plain, width, '~');
}

/**
 * The lines as drawn: cut to `height` and, when `fill` is set, padded with empty lines to it;
 * with --ascii in ASCII, greyed out when stale.
 */
export function shownLines(lines: readonly string[], {height, dim = false, ascii = false, fill = false}: {height?: number; dim?: boolean; ascii?: boolean; fill?: boolean}): string[] {
	const cut = height === undefined ? lines.slice() : lines.slice(0, height);
	const plain = ascii ? cut.map(asciiLine) : cut;
	const shown = dim ? plain.map(dimmed) : plain;
	if (fill && height !== undefined) while (shown.length < height) shown.push('');
	return shown;
}

export function Lines({lines, width, height, dim = false, ascii = false}: {lines: readonly string[]; width: number; height?: number; dim?: boolean; ascii?: boolean}) {
	const shown = shownLines(lines, {height, dim, ascii});
	return (
		<Box flexDirection="column" width={width} height={height}>
			{shown.map((line, i) => (
				<Line key={i} text={line} width={width} />
			))}
		</Box>
	);
}
