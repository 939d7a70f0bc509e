/** One chart axis, one number format: no `864 ms` under `1.73 s`, no `961` under `1.92k`. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {chartLines} from '../../source/ui/components/chart.js';
import {latencyChart} from '../../source/ui/components/latency-chart.js';
import {createTheme} from '../../source/ui/theme.js';
import {formatCount} from '../../source/format.js';

const theme = createTheme({color: false, ascii: false, lang: 'en'});

/** The axis labels of a chart's lines (left of the axis glyph), zero left out. */
function labels(lines: readonly string[]): string[] {
	return lines.map(l => /^\s*([^┤┼]+?)[┤┼]/.exec(l)?.[1]?.trim()).filter((l): l is string => l !== undefined && l !== '0');
}

test('a token-rate axis from 0 to 10.6k: every label in k, with as many decimals', () => {
	const values = Array.from({length: 60}, (_, i) => i * 180);
	const axis = labels(chartLines({series: [{values, tone: 'series1'}], width: 80, height: 12, format: v => formatCount(Math.round(v)), axis: 'count', theme, empty: ''}));
	assert.ok(axis.length >= 8, axis.join(' '));
	for (const label of axis) assert.match(label, /^\d+\.\dk$/, `${label} in ${axis.join(' | ')}`);
});

test('a latency axis from 0 to 10 s: every label in s, none in ms', () => {
	const values = Array.from({length: 60}, (_, i) => i / 6);
	const axis = labels(latencyChart({key: 'ttft', title: 'TTFT', metric: undefined, series: {mean: values, p99: values, p99Shown: values, p99Kind: values.map(() => 0)} as never, width: 80, height: 16, theme}));
	assert.ok(axis.length >= 8, axis.join(' '));
	const units = new Set(axis.map(l => l.replace(/^[\d.]+\s*/, '')));
	assert.deepEqual([...units], ['s'], axis.join(' | '));
	assert.equal(new Set(axis.map(l => /\.(\d+)/.exec(l)?.[1]?.length ?? 0)).size, 1, `one number of decimals: ${axis.join(' | ')}`);
});
