import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {formatValue} from '../../source/format.js';
import {chartLines} from '../../source/ui/components/chart.js';
import {gauge} from '../../source/ui/components/gauge.js';
import {sparkline} from '../../source/ui/components/sparkline.js';
import {segmentCells, stackedBar} from '../../source/ui/components/stacked-bar.js';
import {FrameWriter} from '../../source/ui/frame-writer.js';
import {asciiText, createTheme} from '../../source/ui/theme.js';
import {fit, visibleWidth, wrap} from '../../source/ui/text-width.js';
import {bucketShares, levelOf} from '../../source/ui/view-model.js';
import {EventEmitter} from 'node:events';
import {stripAnsi} from './helpers.js';

const theme = createTheme({color: true, ascii: false, lang: 'en'});
const plain = createTheme({color: false, ascii: true, lang: 'en'});
const seconds = (v: number) => formatValue(v, 'seconds');

describe('chart lines', () => {
	test('exactly `height` lines, none wider than `width`, newest on the right', () => {
		const values = Array.from({length: 100}, (_, i) => 0.1 + (i % 10) / 20);
		const lines = chartLines({series: [{values, tone: 'series1'}], width: 40, height: 8, format: seconds, theme, empty: 'none'});
		assert.equal(lines.length, 8);
		for (const line of lines) assert.ok(visibleWidth(line) <= 40, line);
		assert.match(stripAnsi(lines[0]!), /┤/);
	});

	test('NaN gaps are blank, not zero; all-NaN and empty series show the empty text', () => {
		const gap = chartLines({series: [{values: [0.2, 0.2, Number.NaN, Number.NaN, 0.2, 0.2], tone: 'series1'}], width: 20, height: 3, format: seconds, theme: plain, empty: 'none'});
		const top = stripAnsi(gap[0]!);
		// label (7) + axis, then 12 cells, cell c joining points c and c+1: 6 padded gaps, then
		// 0.2 0.2 NaN NaN 0.2 0.2 → one segment, three blank cells, one segment, the blank last cell.
		assert.equal(top.slice(8), '      -   - ');
		for (const values of [[], [Number.NaN, Number.NaN]]) {
			const lines = chartLines({series: [{values, tone: 'series1'}], width: 30, height: 5, format: seconds, theme, empty: 'no requests'});
			assert.equal(lines.length, 5);
			assert.match(stripAnsi(lines.join('\n')), /no requests/);
		}
	});

	test('a constant or all-zero series keeps its height (asciichart alone collapses it)', () => {
		for (const v of [0, 0.5]) {
			const lines = chartLines({series: [{values: [v, v, v, v], tone: 'series1'}], width: 30, height: 6, format: seconds, theme, empty: ''});
			assert.equal(lines.length, 6);
			assert.ok(lines.every(l => l !== ''), 'every row drawn');
		}
	});

	test('two series: solid and dotted, colour only when enabled, ASCII symbols with --ascii', () => {
		const series = [
			{values: [0.1, 0.2, 0.3, 0.2], tone: 'series1' as const},
			{values: [0.5, 0.6, 0.7, 0.9], tone: 'series2' as const, dotted: true},
		];
		const coloured = chartLines({series, width: 20, height: 5, format: seconds, theme, empty: ''}).join('\n');
		assert.match(coloured, /\u001b\[36m/);
		assert.match(coloured, /·/);
		const ascii = chartLines({series, width: 20, height: 5, format: seconds, theme: plain, empty: ''}).join('\n');
		assert.doesNotMatch(ascii, /\u001b\[3\dm/);
		assert.match(ascii, /^[\x20-\x7e\n]*$/u, 'ASCII only (µ aside, which asciiText maps)');
	});
});

describe('bars, gauges, sparklines', () => {
	test('segment cells add up to the width and a small share keeps a cell', () => {
		assert.deepEqual(segmentCells([0.001, 0.2, 0.799], 50), [1, 10, 39]);
		assert.deepEqual(segmentCells([0, 0, 0], 10), [0, 0, 0]);
		assert.equal(
			segmentCells([1, 1, 1], 10).reduce((a, b) => a + b),
			10,
		);
		assert.equal(stripAnsi(stackedBar([{share: 0.5, glyph: '-', tone: 'series1'}, {share: 0.5, glyph: '#', tone: 'series2'}], 8, plain)), '----####');
	});

	test('gauge: fill by ratio, `--` when missing', () => {
		assert.equal(stripAnsi(gauge(0.5, 12, plain)), '[#####.....]'.replace('.....]', '.....]'));
		assert.match(gauge(null, 12, plain), /--/);
		assert.equal(visibleWidth(gauge(1.7, 12, theme, 'crit')), 12);
	});

	test('sparkline: gaps are spaces, newest on the right, fixed width', () => {
		const s = stripAnsi(sparkline([0, Number.NaN, 1], 5, theme));
		assert.equal(s, '  ▁ █');
	});

	test('health levels follow the catalog thresholds', () => {
		assert.equal(levelOf('queueTime', 0.01), 'ok');
		assert.equal(levelOf('queueTime', 3), 'warn');
		assert.equal(levelOf('queueTime', 25), 'crit');
		assert.equal(levelOf('kvCacheUsage', 0.96), 'crit');
		assert.equal(levelOf('waiting', null), 'none');
		assert.equal(levelOf('decodeTime', 100), 'none');
	});

	test('bucket shares: per bucket, trimmed of empty ends', () => {
		const shares = bucketShares([
			{le: 1, count: 0},
			{le: 2, count: 3},
			{le: 5, count: 4},
			{le: 10, count: 4},
			{le: Number.POSITIVE_INFINITY, count: 4},
		]);
		assert.deepEqual(
			shares.map(s => [s.lo, s.hi, s.count]),
			[
				[1, 2, 3],
				[2, 5, 1],
			],
		);
	});
});

describe('text width', () => {
	test('fit counts wide characters and keeps colours closed', () => {
		assert.equal(fit('hello world', 8), 'hello w…');
		assert.equal(visibleWidth('首token'), 7);
		assert.equal(visibleWidth(fit('每个请求的首token时延', 9)), 9);
		const cut = fit('\u001b[31mred text here\u001b[39m', 5);
		assert.equal(stripAnsi(cut), 'red …');
		assert.ok(cut.endsWith('\u001b[0m'));
	});

	test('wrap breaks words, long words and CJK within the width', () => {
		assert.deepEqual(wrap('a bb ccc dddd', 6), ['a bb', 'ccc', 'dddd']);
		assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
		for (const line of wrap('每个请求的首token时延（秒），即到产生第一个输出 token 为止的时间。', 12)) assert.ok(visibleWidth(line) <= 12, line);
	});

	test('asciiText maps fdtop punctuation and units', () => {
		assert.equal(asciiText('2.0–2.2 … 12 µs ≤ 5'), '2.0-2.2 ... 12 us <= 5');
	});
});

class FakeTerminal extends EventEmitter {
	columns = 20;
	rows = 5;
	out = '';
	write(text: string, done?: () => void): boolean {
		this.out += text;
		done?.();
		return true;
	}
}

describe('frame writer', () => {
	test('first frame: clear and draw at absolute rows; later frames: only changed lines', () => {
		const term = new FakeTerminal();
		const writer = new FrameWriter(term);
		writer.write('\u001b[?25l');
		assert.equal(term.out, '\u001b[?25l', 'modes pass through');
		term.out = '';
		writer.write('a\nb\nc\n');
		assert.equal(term.out, '\u001b[H\u001b[2J\u001b[1;1Ha\u001b[2;1Hb\u001b[3;1Hc');
		term.out = '';
		// Ink's standard mode: erase the previous 4 lines, then the whole frame.
		writer.write('\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[2K\u001b[Ga\nB\nc\n');
		assert.equal(term.out, '\u001b[2;1HB\u001b[0m\u001b[K');
		term.out = '';
		writer.write('\u001b[2K\u001b[Ga\nB\n');
		assert.equal(term.out, '\u001b[3;1H\u001b[0m\u001b[K', 'a removed line is erased');
	});

	test('an erase-only write or a resize forces a full repaint', () => {
		const term = new FakeTerminal();
		const writer = new FrameWriter(term);
		const resized: number[] = [];
		writer.on('resize', () => resized.push(writer.columns ?? 0));
		writer.write('x\ny\n');
		term.out = '';
		term.columns = 10;
		term.emit('resize');
		assert.deepEqual(resized, [10]);
		assert.match(term.out, /^\u001b\[H\u001b\[2J/);
		term.out = '';
		writer.write('\u001b[2K\u001b[1A\u001b[2K\u001b[G');
		assert.equal(term.out, '');
		writer.write('x\ny\n');
		assert.match(term.out, /^\u001b\[H\u001b\[2J/);
		writer.detach();
		assert.equal(term.listenerCount('resize'), 0);
	});
});
