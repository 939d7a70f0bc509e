/**
 * The one place that decides the character set fdtop writes, and turns its text into plain ASCII
 * when that is the choice. ASCII is chosen by --ascii, or by itself for a locale that is not
 * UTF-8 (`LANG=C`, `LC_ALL=POSIX`, `en_US.ISO-8859-1`) or a terminal that cannot draw box and
 * block glyphs (`TERM=linux`, `vt100`, `dumb`); --no-ascii or --unicode force Unicode. Every
 * output goes through here: the TUI's lines (source/ui/components/lines.tsx), the --once text
 * and the messages on stderr (source/cli.tsx); --json escapes it (safeJson in source/text.ts).
 */

/** Terminals whose fonts or charsets lack the box, block and arrow glyphs fdtop draws. */
const ASCII_TERMS = /^(?:linux|vt\d+|dumb|ansi|cons\d+|sun|pcansi|wsvt\d*)(?:$|-)/i;

/** Unicode unless the terminal or the locale says it cannot show it (an unset locale says nothing). */
export function unicodeTerminal(env: NodeJS.ProcessEnv): boolean {
	if (ASCII_TERMS.test(env.TERM ?? '')) return false;
	// POSIX precedence: LC_ALL, then LC_CTYPE, then LANG; an empty one is unset.
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
	return locale ? /utf-?8/i.test(locale) : true;
}

/** Each glyph fdtop draws, in ASCII: punctuation, units, arrows, box and block drawing. */
const ASCII_TEXT: Readonly<Record<string, string>> = {
	'–': '-', '—': '-', '−': '-', '‐': '-', '“': '"', '”': '"', '‘': "'", '’': "'", '…': '...', 'µ': 'u', 'μ': 'u',
	'×': 'x', '≤': '<=', '≥': '>=', '±': '+-', '≈': '~', '→': '->', '←': '<-', '↑': '^', '↓': 'v', '·': '.',
	'•': '*', '●': '*', '↺': '!', '⚙': 'C', '⏎': 'Enter', 'Δ': 'd', '²': '2', '°': 'deg', '：': ':', '。': '.',
	'│': '|', '─': '-', '┼': '+', '┤': '|', '├': '|', '┬': '+', '┴': '+', '╶': '-', '╴': '-', '╰': '`', '╭': '.', '╮': '.', '╯': "'",
	'█': '#', '▒': '=', '░': '.', '▁': '.', '▂': ':', '▃': '-', '▄': '=', '▅': '+', '▆': '*', '▇': '%',
};

const NON_ASCII = /[^\x00-\x7f]/gu;

/**
 * Text in plain ASCII: fdtop's own glyphs by their ASCII spelling, anything else (a label value,
 * a Chinese explanation) as `?`, so nothing outside ASCII reaches a terminal that cannot draw it.
 */
export function asciiText(text: string): string {
	NON_ASCII.lastIndex = 0;
	return NON_ASCII.test(text) ? text.replace(NON_ASCII, c => ASCII_TEXT[c] ?? '?') : text;
}
