/**
 * sparkline and sideBySide, rewritten to compose the Overview with fewer allocations (no tail
 * copy or iterator, no array of parts and join), against their straightforward versions kept here:
 * the same strings over random inputs (gaps, infinities, negative values, bounds, CJK and SGR text,
 * cut and padded blocks, trailing spaces, empty blocks).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {maxOf} from '../../source/arrays.js';
import {sparkline} from '../../source/ui/components/sparkline.js';
import {createTheme, type Level, type Theme, type Tone} from '../../source/ui/theme.js';
import {fit, pad, sideBySide} from '../../source/ui/text-width.js';
import {seededRandom} from '../helpers/random.js';

function referenceSparkline(values: readonly number[], width: number, theme: Theme, options: {min?: number; max?: number; tone?: Tone} = {}): string {
	if (width <= 0) return '';
	const tail = values.slice(-width);
	const finite = tail.filter(v => Number.isFinite(v));
	const glyphs = [...theme.glyphs.spark];
	const levels = glyphs.length - 1;
	const min = options.min ?? 0;
	const max = maxOf(finite, options.max ?? Number.NEGATIVE_INFINITY);
	const range = max - min;
	let out = ' '.repeat(width - tail.length);
	for (const v of tail) {
		if (!Number.isFinite(v)) {
			out += ' ';
			continue;
		}
		const share = range > 0 ? (Math.min(max, Math.max(min, v)) - min) / range : 0;
		out += glyphs[1 + Math.round(share * (levels - 1))];
	}
	return theme.paint(out, options.tone);
}

function referenceSideBySide(blocks: readonly {lines: readonly string[]; width: number}[], gap = 2): string[] {
	const height = maxOf(blocks.map(b => b.lines.length), 0);
	const out: string[] = [];
	for (let row = 0; row < height; row++) {
		const parts = blocks.map((b, i) => (i === blocks.length - 1 ? fit(b.lines[row] ?? '', b.width) : pad(b.lines[row] ?? '', b.width)));
		out.push(parts.join(' '.repeat(gap)).trimEnd());
	}
	return out;
}

const themes = [createTheme({color: true, ascii: false, lang: 'en'}), createTheme({color: false, ascii: true, lang: 'en'}), createTheme({color: true, ascii: true, lang: 'zh'})];

/** theme.paint as it was, before the tones' codes were built once per theme. */
function referencePaint(color: boolean, text: string, tone: Tone | Level | undefined): string {
	const colours: Partial<Record<Tone, [string, string]>> = {ok: ['32', '39'], warn: ['33', '39'], crit: ['31', '39'], accent: ['36', '39'], muted: ['90', '39'], series1: ['36', '39'], series2: ['35', '39'], series3: ['33', '39']};
	const attributes: Partial<Record<Tone, [string, string]>> = {title: ['1', '22'], selected: ['7', '27'], dim: ['2', '22']};
	if (!tone || tone === 'none' || text === '') return text;
	const attribute = attributes[tone];
	if (attribute) return `\u001b[${attribute[0]}m${text}\u001b[${attribute[1]}m`;
	const colour = colours[tone];
	if (!colour || !color) return text;
	return `\u001b[${colour[0]}m${text}\u001b[${colour[1]}m`;
}

describe('composition helpers equal their straightforward versions', () => {
	test('paint writes what it wrote, and its affixes are what it writes around a text', () => {
		const tones: (Tone | Level | undefined)[] = ['ok', 'warn', 'crit', 'accent', 'muted', 'series1', 'series2', 'series3', 'title', 'selected', 'dim', 'none', undefined];
		for (const color of [true, false]) {
			for (const ascii of [true, false]) {
				const theme = createTheme({color, ascii, lang: 'en'});
				for (const tone of tones) {
					for (const text of ['', 'x', ' a b ', '数据', '\u001b[1mt\u001b[22m']) {
						assert.equal(theme.paint(text, tone), referencePaint(color, text, tone), `${color} ${tone} ${text}`);
						const [before, after] = theme.affixes(tone);
						if (text !== '') assert.equal(theme.paint(text, tone), `${before}${text}${after}`, `${color} ${tone} ${text}`);
					}
				}
			}
		}
	});

	test('sparkline over random series, widths and bounds', () => {
		const rand = seededRandom(5);
		for (let n = 0; n < 4000; n++) {
			const theme = themes[n % themes.length]!;
			const length = Math.floor(rand() * 140);
			const scale = [0.001, 1, 300][n % 3]!;
			const values = Array.from({length}, () => {
				const r = rand();
				if (r < 0.08) return Number.NaN;
				if (r < 0.1) return rand() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
				if (r < 0.13) return rand() < 0.5 ? 0 : -0;
				return (rand() - 0.15) * scale;
			});
			const width = Math.floor(rand() * 130) - 3;
			const options = {
				...(rand() < 0.3 ? {min: rand() < 0.5 ? -scale / 4 : scale / 4} : {}),
				...(rand() < 0.3 ? {max: rand() < 0.5 ? scale / 2 : 1} : {}),
				...(rand() < 0.7 ? {tone: 'series1' as Tone} : {}),
			};
			assert.equal(sparkline(values, width, theme, options), referenceSparkline(values, width, theme, options), JSON.stringify({values, width, options}));
		}
	});

	test('sideBySide over random blocks', () => {
		const rand = seededRandom(9);
		const words = ['', ' ', '  ', 'abc', '数据', '\u001b[36mcyan\u001b[39m', '\u001b[1mtitle\u001b[22m  ', 'x\u3000', '─┼·', 'end\u00a0', 'e\u0301', '👍🏽', '\t'];
		const lineOf = () => Array.from({length: Math.floor(rand() * 5)}, () => words[Math.floor(rand() * words.length)]!).join(rand() < 0.5 ? '' : ' ');
		for (let n = 0; n < 4000; n++) {
			const blocks = Array.from({length: Math.floor(rand() * 4)}, () => ({
				lines: Array.from({length: Math.floor(rand() * 5)}, lineOf),
				width: Math.floor(rand() * 24) - 2,
			}));
			const gap = rand() < 0.7 ? 2 : Math.floor(rand() * 4);
			assert.deepEqual(sideBySide(blocks, gap), referenceSideBySide(blocks, gap), JSON.stringify({blocks, gap}));
		}
	});
});
