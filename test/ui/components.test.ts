import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {formatValue} from '../../source/format.js';
import {chartLines} from '../../source/ui/components/chart.js';
import {gauge} from '../../source/ui/components/gauge.js';
import {sparkline} from '../../source/ui/components/sparkline.js';
import {segmentCells, stackedBar} from '../../source/ui/components/stacked-bar.js';
import {cellText, compactLine, FrameWriter, parseCells, sgrChange} from '../../source/ui/frame-writer.js';
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

	test('direct mode: shown lines are drawn compactly, Ink\'s empty frames are ignored', () => {
		const term = new FakeTerminal();
		const writer = new FrameWriter(term, {direct: true});
		writer.write('\u001b[?25l');
		assert.equal(term.out, '\u001b[?25l', 'modes pass through');
		term.out = '';
		writer.write('');
		writer.write('\n');
		assert.equal(term.out, '', 'an empty Ink frame writes nothing');
		writer.show(['a', 'b      c  ', '']);
		assert.equal(term.out, '\u001b[H\u001b[2J\u001b[1;1Ha\u001b[0m\u001b[2;1Hb\u001b[6Cc\u001b[0m\u001b[3;1H\u001b[0m');
		term.out = '';
		writer.write('\u001b[2K\u001b[1A\u001b[2K\u001b[G\n');
		writer.show(['a', 'B', '']);
		assert.equal(term.out, '\u001b[2HB\u001b[6C\u001b[K', 'only the changed cells, and the now blank tail erased');
		term.out = '';
		writer.show(['a', 'B      \u001b[36mc\u001b[39m', 'x']);
		assert.equal(term.out, '\u001b[2;8H\u001b[36mc\u001b[3H\u001b[39mx');
		writer.detach();
	});

	test('direct mode: a blank is drawn in whatever colour is current, and a short unchanged gap is redrawn when cheaper than a move', () => {
		const term = new FakeTerminal();
		term.columns = 40;
		const writer = new FrameWriter(term, {direct: true});
		const dots = (...at: number[]) => {
			let line = '';
			for (let c = 0; c < 30; c++) line += at.includes(c) ? '\u001b[35m·\u001b[39m' : ' ';
			return line;
		};
		writer.show([dots(0, 10, 20)]);
		term.out = '';
		// A chart's dotted series moving one column: each old dot becomes a blank, each new one a dot.
		writer.show([dots(1, 11, 21)]);
		assert.equal(term.out.match(/\u001b\[[0-9;]*m/g)?.length, 1, `one colour change for the row, not one per dot: ${JSON.stringify(term.out)}`);
		assert.equal(term.out, '\u001b[1H \u001b[35m·\u001b[8C ·\u001b[8C ·');
		term.out = '';
		// Two changed cells with one unchanged character between, all in one state: the character is redrawn (1 byte, not 3).
		writer.show(['\u001b[35m·\u001b[39m ab']);
		term.out = '';
		writer.show(['\u001b[35m·\u001b[39m xbz']);
		assert.equal(term.out, '\u001b[1;3Hxbz');
		writer.detach();
	});

	test('direct mode: at most one frame per interval, the latest drawn at its end', async () => {
		const term = new FakeTerminal();
		const writer = new FrameWriter(term, {direct: true, minIntervalMs: 30});
		writer.show(['1']);
		writer.show(['2']);
		writer.show(['3']);
		assert.doesNotMatch(term.out, /H[23]/);
		await new Promise(resolve => setTimeout(resolve, 60));
		assert.match(term.out, /H3$/);
		assert.doesNotMatch(term.out, /H2/);
		writer.detach();
	});

	test('compactLine skips blank runs outside reverse video and drops a reset before a colour', () => {
		assert.equal(compactLine('ab      c'), 'ab\u001b[6Cc');
		assert.equal(compactLine('a    b'), 'a    b', 'short runs stay');
		assert.equal(compactLine('\u001b[36mx\u001b[39m\u001b[35my\u001b[39m'), '\u001b[36mx\u001b[35my\u001b[39m');
		assert.equal(compactLine('\u001b[7m      sel\u001b[27m      q'), '\u001b[7m      sel\u001b[27m\u001b[6Cq');
	});

	test('direct mode: the screen always ends up showing the last frame (random frames, emulated terminal)', () => {
		const columns = 30;
		const rows = 6;
		// A small terminal: absolute moves, cursor right, erase line/screen, SGR, narrow and wide text.
		const screen = Array.from({length: rows}, () => ({chars: Array<string>(columns).fill(' '), states: Array<number>(columns).fill(0)}));
		let row = 0;
		let col = 0;
		let state = 0;
		const feed = (text: string) => {
			const re = /\u001b\[([0-9;?]*)([A-Za-z])|([\s\S])/gu;
			for (const m of text.matchAll(re)) {
				if (m[3] !== undefined) {
					const cells = parseCells(m[3]);
					for (let k = 0; k < cells.codes.length && col < columns; k++) {
						screen[row]!.chars[col] = cellText(cells, k);
						screen[row]!.states[col] = state;
						col++;
					}
					continue;
				}
				const args = m[1]!.split(';').map(a => (a === '' ? NaN : Number(a)));
				if (m[2] === 'H') {
					row = (args[0] || 1) - 1;
					col = (args[1] || 1) - 1;
				} else if (m[2] === 'C') col = Math.min(columns - 1, col + (args[0] || 1));
				else if (m[2] === 'K') for (let k = col; k < columns; k++) [screen[row]!.chars[k], screen[row]!.states[k]] = [' ', 0];
				else if (m[2] === 'J') for (const line of screen) [line.chars, line.states] = [Array<string>(columns).fill(' '), Array<number>(columns).fill(0)];
				else if (m[2] === 'm') state = parseCells(`\u001b[${m[1]}mx`).states[0]! === 0 && m[1] !== '' && m[1] !== '0' ? applyOnto(state, m[1]!) : applyOnto(state, m[1]!);
			}
		};
		// SGR onto a state, through the parser (a cell after the codes carries the state).
		const applyOnto = (from: number, params: string) => parseCells(`${sgrChange(-1, from)}\u001b[${params}mx`).states[0]!;
		const visible = (chars: readonly string[], states: readonly number[]) => chars.map((c, k) => (c === ' ' && (states[k]! & 4) === 0 ? ' ' : `${c}:${states[k]}`)).join('|');
		let seed = 7;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		const pieces = ['ab', ' ', '      ', '指标', '\u001b[36m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[7m', '\u001b[27m', '·', '─', '42', '\u001b[35m', '\u001b[2m'];
		const term = new FakeTerminal();
		term.columns = columns;
		term.rows = rows;
		const writer = new FrameWriter(term, {direct: true});
		for (let frame = 0; frame < 300; frame++) {
			const lines = Array.from({length: rows - random(2)}, () => {
				let line = '';
				const n = random(12);
				for (let k = 0; k < n; k++) line += pieces[random(pieces.length)];
				return line;
			});
			term.out = '';
			writer.show(lines);
			feed(term.out);
			for (let r = 0; r < rows; r++) {
				const want = parseCells(lines[r] ?? '');
				const chars = [...want.codes.map((_, k) => cellText(want, k)), ...Array<string>(columns).fill(' ')].slice(0, columns);
				const states = [...want.states, ...Array<number>(columns).fill(0)].slice(0, columns);
				assert.equal(visible(screen[r]!.chars, screen[r]!.states), visible(chars, states), `frame ${frame} row ${r}: ${JSON.stringify(lines[r])} via ${JSON.stringify(term.out)}`);
			}
		}
		writer.detach();
	});
});
