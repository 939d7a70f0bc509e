/**
 * Colours and glyphs. Views paint their own strings with SGR codes through `paint`, so that with
 * colour off (NO_COLOR, --no-color) no colour code is ever written, and with --ascii no glyph
 * outside ASCII is drawn by fdtop itself.
 */
import {msgs, type Messages} from '../i18n/index.js';
import {fit, pad} from './text-width.js';

export type Tone = 'ok' | 'warn' | 'crit' | 'accent' | 'muted' | 'series1' | 'series2' | 'series3' | 'title' | 'selected' | 'dim';

export type Level = 'ok' | 'warn' | 'crit' | 'none';

const COLOURS: Partial<Record<Tone, [string, string]>> = {
	ok: ['32', '39'],
	warn: ['33', '39'],
	crit: ['31', '39'],
	accent: ['36', '39'],
	muted: ['90', '39'],
	series1: ['36', '39'],
	series2: ['35', '39'],
	series3: ['33', '39'],
};

// Attributes, not colours: kept under NO_COLOR so the selection and titles stay visible.
const ATTRIBUTES: Partial<Record<Tone, [string, string]>> = {
	title: ['1', '22'],
	selected: ['7', '27'],
	dim: ['2', '22'],
};

export interface Glyphs {
	readonly full: string;
	readonly empty: string;
	/** Stacked-bar fills for queue, prefill, decode (distinct even without colour). */
	readonly segments: readonly [string, string, string];
	readonly spark: string;
	readonly vertical: string;
	readonly horizontal: string;
	readonly dot: string;
	readonly restart: string;
	/** Event markers under the charts and in the event log: a restart, a config change, the rest (down, SLO, diagnosis, alert). */
	readonly markerRestart: string;
	readonly markerConfig: string;
	readonly markerAlert: string;
	readonly ellipsis: string;
	readonly up: string;
	readonly down: string;
	readonly times: string;
	/** asciichart's ten symbols: a solid line, and a dotted one for a second series. */
	readonly chart: readonly string[];
	readonly chartDots: readonly string[];
	/** A dashed line: a bound drawn where only the bound is known (a percentile in a coarse bucket). */
	readonly chartBound: readonly string[];
}

const UNICODE: Glyphs = {
	full: '█',
	empty: '░',
	segments: ['░', '▒', '█'],
	spark: ' ▁▂▃▄▅▆▇█',
	vertical: '│',
	horizontal: '─',
	dot: '●',
	restart: '↺',
	markerRestart: '↺',
	markerConfig: '⚙',
	markerAlert: '!',
	ellipsis: '…',
	up: '↑',
	down: '↓',
	times: '×',
	chart: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
	chartDots: ['┼', '┤', '·', '·', '·', '·', '·', '·', '·', '·'],
	chartBound: ['┼', '┤', '╌', '╌', '╌', '╎', '╎', '╎', '╎', '╎'],
};

const ASCII: Glyphs = {
	full: '#',
	empty: '.',
	segments: ['-', '=', '#'],
	spark: ' .:-=+*#%@',
	vertical: '|',
	horizontal: '-',
	dot: '*',
	restart: '!',
	markerRestart: 'R',
	markerConfig: 'C',
	markerAlert: '!',
	ellipsis: '~',
	up: 'up',
	down: 'down',
	times: 'x',
	chart: ['+', '|', '-', '-', '-', '`', '.', '.', "'", '|'],
	chartDots: ['+', '|', ':', ':', ':', ':', ':', ':', ':', ':'],
	chartBound: ['+', '|', '^', '^', '^', '^', '^', '^', '^', '^'],
};

/** With ASCII chosen (source/charset.ts decides): every line drawn, in plain ASCII. */
export {asciiText} from '../charset.js';

export interface Theme {
	readonly color: boolean;
	readonly ascii: boolean;
	readonly lang: 'en' | 'zh';
	/** The words of this language (source/i18n), picked once with the theme. */
	readonly msg: Messages;
	readonly glyphs: Glyphs;
	paint(text: string, tone: Tone | Level | undefined): string;
	/**
	 * What paint writes before and after a non-empty text in `tone` (two empty strings when it writes
	 * the text as it is): paint(text, tone) is their concatenation around the text, for lines built
	 * out of code units (code-line.ts) without a painted string per run.
	 */
	affixes(tone: Tone | Level | undefined): readonly [string, string];
	/** Cut to a width with this theme's ellipsis. */
	fit(text: string, width: number): string;
	pad(text: string, width: number): string;
}

const PLAIN: readonly [string, string] = ['', ''];

export function createTheme(options: {color: boolean; ascii: boolean; lang: 'en' | 'zh'}): Theme {
	const glyphs = options.ascii ? ASCII : UNICODE;
	// Each tone's codes once per theme: the attributes always, the colours when colour is on.
	const wraps = new Map<Tone | Level, readonly [string, string]>();
	for (const [tone, codes] of Object.entries(COLOURS)) if (options.color) wraps.set(tone as Tone, [`\u001b[${codes[0]}m`, `\u001b[${codes[1]}m`]);
	for (const [tone, codes] of Object.entries(ATTRIBUTES)) wraps.set(tone as Tone, [`\u001b[${codes[0]}m`, `\u001b[${codes[1]}m`]);
	return {
		...options,
		msg: msgs(options.lang),
		glyphs,
		paint(text, tone) {
			if (!tone || text === '') return text;
			const wrap = wraps.get(tone);
			return wrap ? `${wrap[0]}${text}${wrap[1]}` : text;
		},
		affixes: tone => (tone && wraps.get(tone)) || PLAIN,
		fit: (text, width) => fit(text, width, glyphs.ellipsis),
		pad: (text, width) => pad(text, width, glyphs.ellipsis),
	};
}
