/**
 * chartLines (asciichart's `plot` per series, merged, gaps blanked) over random series: gaps,
 * infinities, constants, out-of-range values, negative bounds, shared tones, tiny and odd sizes.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {formatValue} from '../../source/format.js';
import {chartLines, type ChartOptions} from '../../source/ui/components/chart.js';
import {createTheme, type Tone} from '../../source/ui/theme.js';
import {visibleWidth} from '../../source/ui/text-width.js';
import {seededRandom} from '../helpers/random.js';

const strip = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');

const random = seededRandom;

const themes = [createTheme({color: true, ascii: false, lang: 'en'}), createTheme({color: false, ascii: true, lang: 'en'}), createTheme({color: true, ascii: true, lang: 'en'})];
const tones: readonly Tone[] = ['series1', 'series2', 'series3', 'ok'];

function randomSeries(rand: () => number, length: number, scale: number, low: number): number[] {
	const kind = Math.floor(rand() * 5);
	let v = low + rand() * scale;
	return Array.from({length}, () => {
		const r = rand();
		if (r < 0.08) return Number.NaN;
		if (r < 0.1) return rand() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
		if (kind === 0) return 0.42 * scale;
		if (kind === 1) v += (rand() - 0.5) * scale * 0.3;
		else v = low + rand() * scale * (kind === 2 ? 1 : 1.5);
		return v;
	});
}

describe('chart lines on random series', () => {
	test('always exactly height lines, none wider than width, never a throw', () => {
		const rand = random(7);
		for (let n = 0; n < 1500; n++) {
			const theme = themes[n % themes.length]!;
			const width = 8 + Math.floor(rand() * 70);
			const height = 1 + Math.floor(rand() * 22);
			const negative = rand() < 0.2;
			const scale = [0.001, 1, 37, 5000][Math.floor(rand() * 4)]!;
			const low = negative ? -scale : 0;
			const count = 1 + Math.floor(rand() * 3);
			const series = Array.from({length: count}, (_, i) => ({
				values: rand() < 0.05 ? [] : randomSeries(rand, Math.floor(rand() * (width + 20)), scale, low),
				tone: rand() < 0.3 ? 'series1' : tones[i % tones.length]!,
				dotted: rand() < 0.5,
			}));
			const options: ChartOptions = {
				series,
				width,
				height,
				format: v => formatValue(v, 'seconds'),
				theme,
				empty: 'nothing here',
				...(rand() < 0.2 ? {labelWidth: 3 + Math.floor(rand() * 6)} : {}),
				...(negative ? {min: low} : rand() < 0.2 ? {min: scale * 0.2} : {}),
				...(rand() < 0.2 ? {max: scale * 0.5} : {}),
			};
			const lines = chartLines(options);
			assert.equal(lines.length, height, JSON.stringify(options));
			for (const line of lines) assert.ok(visibleWidth(line) <= width, `${JSON.stringify(strip(line))} wider than ${width}`);
		}
	});

	test('every chart glyph of every theme is one UTF-16 unit (chartLines reads asciichart rows by index)', () => {
		for (const theme of themes) for (const glyph of [...theme.glyphs.chart, ...theme.glyphs.chartDots, ...theme.glyphs.chartBound]) assert.equal(glyph.length, 1, JSON.stringify(glyph));
	});

	test('a series with no value beside one with values: every column is a gap, only the axis is drawn', () => {
		const theme = themes[0]!;
		const lines = chartLines({series: [{values: [], tone: 'series1'}, {values: [1, 2, 3, 2, 1], tone: 'series2'}], width: 20, height: 5, format: v => v.toFixed(0), theme, empty: 'none'});
		assert.equal(lines.length, 5);
		for (const line of lines) assert.doesNotMatch(strip(line).slice(8), /\S/);
		assert.match(strip(lines[0]!), /\d/); // the axis labels are there
	});
});
