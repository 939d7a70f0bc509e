/**
 * chartLines draws straight into a cell grid; this checks it cell for cell against the way it was
 * built before, on asciichart's `plot` (one text grid per series, split, merged), over random
 * series: gaps, infinities, constants, out-of-range values, negative bounds, shared tones.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {plot} from 'asciichart';
import {formatValue} from '../../source/format.js';
import {chartLines, type ChartOptions} from '../../source/ui/components/chart.js';
import {createTheme, type Tone} from '../../source/ui/theme.js';
import {padStart} from '../../source/ui/text-width.js';

type Symbols = [string, string, string, string, string, string, string, string, string, string];

function filled(values: readonly number[]): number[] {
	const out = values.slice();
	let last = Number.NaN;
	for (let i = 0; i < out.length; i++) {
		if (Number.isFinite(out[i])) last = out[i]!;
		else out[i] = last;
	}
	let next = Number.NaN;
	for (let i = out.length - 1; i >= 0; i--) {
		if (Number.isFinite(out[i])) next = out[i]!;
		else out[i] = next;
	}
	return out;
}

/** The asciichart-based chartLines, as it was. */
function referenceChartLines(options: ChartOptions): string[] {
	const {theme, height, width} = options;
	if (height <= 0) return [];
	const labelWidth = options.labelWidth ?? 7;
	const points = width - labelWidth - 1;
	const emptyChart = () => {
		const lines = Array.from({length: options.height}, () => '');
		const middle = Math.floor((options.height - 1) / 2);
		const text = options.theme.fit(options.empty, options.width);
		lines[middle] = options.theme.paint(padStart(text, Math.floor((options.width + text.length) / 2)), 'muted');
		return lines;
	};
	if (points < 2 || height < 2) return emptyChart();
	const lastPoints = options.series.map(s => {
		const tail = s.values.slice(-points);
		return [...Array.from({length: points - tail.length}, () => Number.NaN), ...tail];
	});
	const min = options.min ?? 0;
	let max = options.max ?? Number.NEGATIVE_INFINITY;
	let any = false;
	for (const values of lastPoints) {
		for (const v of values) {
			if (!Number.isFinite(v)) continue;
			any = true;
			if (v > max) max = v;
		}
	}
	if (!any) return emptyChart();
	if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
	const symbols = theme.glyphs.chart as Symbols;
	const config = {min, max, height: height - 1, offset: 2, format: () => ' '};
	const grids = lastPoints.map((values, i) => {
		const clamped = filled(values).map(v => Math.min(max, Math.max(min, v)));
		const own = (options.series[i]!.dotted ? theme.glyphs.chartDots : theme.glyphs.chart) as Symbols;
		return plot(clamped, {...config, symbols: own})
			.split('\n')
			.map(row => [...row].slice(1));
	});
	const rows = grids[0]?.length ?? 0;
	const gap = new Set<number>();
	for (const values of lastPoints) {
		values.forEach((v, x) => {
			if (Number.isFinite(v)) return;
			gap.add(x);
			if (x > 0) gap.add(x - 1);
		});
	}
	const lines: string[] = [];
	for (let r = 0; r < rows; r++) {
		const value = r === rows - 1 ? min : max - (r * (max - min)) / Math.max(1, rows - 1);
		const label = padStart(options.format(value), labelWidth).slice(-labelWidth);
		let line = theme.paint(`${label}${symbols[r === rows - 1 ? 0 : 1]}`, 'muted');
		let run = '';
		let runTone: Tone | undefined;
		const flush = () => {
			line += runTone ? theme.paint(run, runTone) : run;
			run = '';
		};
		for (let c = 0; c < points; c++) {
			let char = ' ';
			let tone: Tone | undefined;
			if (!gap.has(c)) {
				for (let s = grids.length - 1; s >= 0; s--) {
					const cell = grids[s]![r]?.[c + 1] ?? ' ';
					if (cell !== ' ') {
						char = cell;
						tone = options.series[s]!.tone;
						break;
					}
				}
			}
			if (tone !== runTone) {
				flush();
				runTone = tone;
			}
			run += char;
		}
		flush();
		lines.push(line);
	}
	while (lines.length < height) lines.push('');
	return lines.slice(0, height);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

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

describe('chart lines match the asciichart-based drawing', () => {
	test('random series, sizes, bounds and themes', () => {
		const rand = random(7);
		let compared = 0;
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
			let expected: string[];
			try {
				expected = referenceChartLines(options);
			} catch {
				// asciichart throws when one series has no value at all and another has: every column
				// is then a gap, so only the axis is drawn.
				const lines = chartLines(options);
				assert.equal(lines.length, height);
				for (const line of lines) assert.doesNotMatch(line.replace(/\u001b\[[0-9;]*m/g, '').slice((options.labelWidth ?? 7) + 1), /\S/);
				continue;
			}
			assert.deepEqual(chartLines(options), expected, JSON.stringify(options));
			compared++;
		}
		assert.ok(compared > 1000, `${compared} compared`);
	});
});
