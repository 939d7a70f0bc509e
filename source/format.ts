/**
 * Number formatting shared by the report and the views. Fixed widths keep unchanged lines
 * unchanged between frames; `--` is "absent", never zero.
 */
import type {Unit} from './metrics/catalog-types.js';
import {MIN_PERCENTILE_COUNT, type QuantileResult} from './metrics/quantile.js';
import type {Derived} from './metrics/derive.js';

export const MISSING = '--';

/**
 * The widest text each formatter can return, for any number at all (finite, ±Infinity, NaN,
 * ±1e308, 5e-324): columns are at least this wide, so a hostile value never breaks a table.
 * Beyond the named units a value is written in short exponent form (`2e308`).
 */
export const FORMAT_WIDTH = {count: 7, seconds: 8, ratio: 7, bytes: 11, duration: 8} as const;

/** Fixed digits, then trailing zeros dropped: 1.00 → "1", 1.50 → "1.5". */
function trim(n: number, digits: number): string {
	const text = n.toFixed(digits);
	return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** One significant digit and the exponent (asked only of large values): 1.8e308 → "2e308". */
function exponent(n: number): string {
	return n.toExponential(0).replace('e+', 'e');
}

function sign(n: number): string {
	return n < 0 ? '-' : '';
}

/** 0.000123 → "123 µs", 0.85 → "850 ms", 5.81 → "5.81 s", 75 → "1m15s", 400000 → "4d15h". */
export function formatSeconds(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return MISSING;
	if (!Number.isFinite(seconds)) return seconds > 0 ? '+Inf' : '-Inf';
	const abs = Math.abs(seconds);
	if (abs === 0) return '0 s';
	if (abs < 0.001 && Math.round(abs * 1e6) < 1000) return `${trim(seconds * 1e6, abs < 0.00001 ? 1 : 0)} µs`;
	if (abs < 1 && Math.round(abs * 1000) < 1000) return `${trim(seconds * 1000, abs < 0.01 ? 1 : 0)} ms`;
	if (abs < 59.95) return `${trim(seconds, abs < 9.995 ? 2 : 1)} s`;
	const whole = Math.round(abs);
	if (whole < 3600) return `${sign(seconds)}${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
	const minutes = Math.round(abs / 60);
	if (minutes < 100 * 60) return `${sign(seconds)}${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
	const days = Math.round(abs / 86_400);
	if (days < 100_000) return `${sign(seconds)}${days}d`;
	return `${exponent(seconds)} s`;
}

const COUNT_UNITS = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** Short counts: 999, 1.2k, 45.6M; past 999.9E in exponent form (2e308). */
/**
 * The labels of one chart axis in one format: one unit (ms or s; k, M or G; %) chosen by the
 * largest, and as many decimals as tell the steps apart, so that `864 ms` does not stand under
 * `1.73 s` nor `961` under `1.92k`. Zero is `0`.
 */
export function axisLabels(values: readonly number[], unit: 'seconds' | 'count' | 'ratio'): string[] {
	let top = 0;
	let step = Infinity;
	for (let i = 0; i < values.length; i++) {
		top = Math.max(top, Math.abs(values[i]!));
		if (i > 0 && values[i] !== values[i - 1]) step = Math.min(step, Math.abs(values[i]! - values[i - 1]!));
	}
	let scale = 1;
	let suffix = '';
	if (unit === 'seconds') [scale, suffix] = top < 1 ? [1000, ' ms'] : [1, ' s'];
	else if (unit === 'ratio') [scale, suffix] = [100, ' %'];
	else {
		const power = top >= 1e9 ? 3 : top >= 1e6 ? 2 : top >= 1e3 ? 1 : 0;
		[scale, suffix] = [1 / 1000 ** power, ['', 'k', 'M', 'G'][power]!];
	}
	const scaledStep = Number.isFinite(step) ? step * scale : top * scale;
	const decimals = scaledStep > 0 ? Math.min(2, Math.max(0, Math.ceil(-Math.log10(scaledStep) + 1e-9))) : 0;
	return values.map(v => (v === 0 ? '0' : `${(v * scale).toFixed(decimals)}${suffix}`));
}

export function formatCount(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return MISSING;
	if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
	const abs = Math.abs(n);
	if (abs < 999.5 && Number.isInteger(n)) return String(n);
	if (abs < 9.995) return n.toFixed(2);
	if (abs < 999.95) return n.toFixed(1);
	for (let i = 1; i < COUNT_UNITS.length; i++) {
		const value = n / 1000 ** i;
		const a = Math.abs(value);
		if (a < 9.995) return `${value.toFixed(2)}${COUNT_UNITS[i]}`;
		if (a < 999.95) return `${value.toFixed(1)}${COUNT_UNITS[i]}`;
	}
	return exponent(n);
}

/** 0.38 → "38 %", 0.042 → "4.2 %"; beyond ±999 % the bound itself (">999 %", "<-999 %"). */
export function formatRatio(ratio: number | null | undefined): string {
	if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return MISSING;
	const percent = ratio * 100;
	if (percent >= 999.5) return '>999 %';
	if (percent <= -999.5) return '<-999 %';
	return `${percent.toFixed(Math.abs(ratio) < 0.1 ? 1 : 0)} %`;
}

/**
 * A rate: at most FORMAT_WIDTH.count wide, and the suffix. One format whatever the value, so a
 * column of rates reads alike: 8 is "8.00" beside "7.60", 11 is "11.0" beside "11.5" (a rate is
 * never a whole count); from 999.95 on as a count (1.23k).
 */
export function formatRate(perSecond: number | null | undefined, suffix = '/s'): string {
	if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return MISSING;
	const abs = Math.abs(perSecond);
	// No "-0.00" for a rate that rounds to zero.
	const text = abs < 0.005 ? '0.00' : abs < 9.995 ? perSecond.toFixed(2) : abs < 999.95 ? perSecond.toFixed(1) : formatCount(perSecond);
	return `${text}${suffix}`;
}

/** A value in its catalog unit. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
	switch (unit) {
		case 'seconds':
			return formatSeconds(value);
		case 'milliseconds':
			return value === null || value === undefined ? MISSING : formatSeconds(value / 1000);
		case 'ratio':
			return formatRatio(value);
		case 'tokensPerSecond':
			// The row names the unit (`Request tok/s`): ` tok/s` beside every cell would not fit a 9-column cell.
			return formatRate(value, '/s');
		default:
			return formatCount(value);
	}
}

/** A percentile with what its buckets know (see metrics/derive.ts Percentile); the extras are optional. */
export interface ShownQuantile extends QuantileResult {
	readonly bounds?: readonly [number, number] | null;
	readonly coarse?: boolean;
	readonly tooFew?: boolean;
}

/** Shown instead of percentiles of fewer than MIN_PERCENTILE_COUNT observations; the short form for one cell. */
export const TOO_FEW = 'n too small';
export const TOO_FEW_SHORT = `n < ${MIN_PERCENTILE_COUNT}`;

export interface QuantileFormat {
	/** The widest text the caller can place (default 10): a bucket is written shorter, or as `≤ upper`. */
	readonly width?: number;
	/** Write `<=` and `-` rather than `≤` and `–` (a caller measuring ASCII output). */
	readonly ascii?: boolean;
}

/** A number as short as it reads: 3 significant digits, no trailing zeros (0.25, 100, 2.5). */
function plain(n: number): string {
	return String(Number(n.toPrecision(3)));
}

const SECOND_SCALES: Record<string, number> = {'µs': 1e6, ms: 1e3, s: 1};

/** `lo–hi unit` with the unit written once, or null when the bounds do not share a simple unit. */
function bucketRange(lo: number, hi: number, unit: Unit, dash: string): string[] {
	if (unit === 'seconds' || unit === 'milliseconds') {
		const [a, b] = unit === 'milliseconds' ? [lo / 1000, hi / 1000] : [lo, hi];
		const upper = formatSeconds(b);
		const m = /^([\d.]+) (µs|ms|s)$/.exec(upper);
		if (!m) return [`${formatSeconds(a)}${dash}${upper}`];
		const out = [`${plain(a * SECOND_SCALES[m[2]!]!)}${dash}${m[1]} ${m[2]}`];
		// 0.3–0.6 s reads as well as 300–600 ms and is shorter.
		if (m[2] === 'ms' && b >= 0.1) out.push(`${plain(a)}${dash}${plain(b)} s`);
		return out.sort((x, y) => x.length - y.length);
	}
	if (unit === 'ratio') return [`${formatRatio(lo)}${dash}${formatRatio(hi)}`];
	// Counts: 2k–5k, not 2.00k–5.00k.
	const short = (n: number) => formatCount(n).replace(/\.0+(?=[a-zA-Z]|$)|(\.\d*?)0+(?=[a-zA-Z]|$)/, '$1');
	return [`${short(lo)}${dash}${short(hi)}`];
}

/**
 * A coarse bucket as text, in at most `width` characters when it can be: `0.1–0.25 s`, else
 * `≤ 250 ms` (what is certain: the percentile is at most the upper bound), else `≤250 ms`.
 */
export function formatBucket(bounds: readonly [number, number], unit: Unit, options: QuantileFormat = {}): string {
	const width = options.width ?? 10;
	const le = options.ascii ? '<=' : '≤';
	const [lo, hi] = bounds;
	const upper = formatValue(hi, unit);
	const atMost = [`${le} ${upper}`, `${le}${upper}`];
	const candidates = Number.isFinite(lo) && lo !== 0 ? [...bucketRange(lo, hi, unit, options.ascii ? '-' : '–'), ...atMost] : atMost;
	return candidates.find(c => c.length <= width) ?? candidates.at(-1)!;
}

/**
 * A percentile as far as the buckets know it: the estimate; `> 1 s` above the top finite bucket
 * (never "1 s"); the bucket itself (`≤ 300 ms`, `0.1–0.25 s`) when the bucket is too wide to
 * interpolate in; `n too small` (`n < 5` in a narrow cell) with too few observations.
 */
export function formatQuantile(q: ShownQuantile | null | undefined, unit: Unit, options: QuantileFormat = {}): string {
	if (!q || q.value === null) return MISSING;
	const width = options.width ?? 10;
	if (q.tooFew) return TOO_FEW.length <= width ? TOO_FEW : TOO_FEW_SHORT;
	const text = formatValue(q.value, unit);
	if (q.aboveTopBucket) return `> ${text}`;
	if (q.coarse && q.bounds) return formatBucket(q.bounds, unit, options);
	return text;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(n: number | null | undefined): string {
	if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
	const abs = Math.abs(n);
	if (abs < 1024 && Number.isInteger(n)) return `${n} B`;
	if (abs < 1023.95) return `${n.toFixed(1)} B`;
	for (let i = 0; i < BYTE_UNITS.length; i++) {
		const value = n / 1024 ** (i + 1);
		if (Math.abs(value) < 1023.95) return `${value.toFixed(1)} ${BYTE_UNITS[i]}`;
	}
	return `${exponent(n)} B`;
}

/** "3 s", "2 m", "1 h" for intervals and windows. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return Number.isNaN(ms) ? MISSING : ms > 0 ? '+Inf' : '-Inf';
	const abs = Math.abs(ms);
	if (abs < 999.5) return `${Math.round(ms)} ms`;
	if (abs < 59_950) return `${+(ms / 1000).toFixed(1)} s`;
	if (abs < 3_597_000) return `${+(ms / 60_000).toFixed(1)} m`;
	if (abs < 3_600_000 * 999.5) return `${+(ms / 3_600_000).toFixed(1)} h`;
	return `${exponent(ms / 3_600_000)} h`;
}

/** East Asian Wide and Fullwidth blocks (Hangul, CJK, kana, Yi, fullwidth forms, pictographs). */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
/** Characters that take no cell: combining marks, format characters, controls. */
const NONE = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

/**
 * Terminal cells the text takes, for the aligned tables of the text reports: a CJK character two,
 * a combining mark none. By code point, not grapheme: exact for every message of the catalogs
 * (test/format-width.test.ts holds it to string-width, Ink's measure, which the live UI uses
 * through ui/text-width.ts); kept here without string-width so that the reports, in dist/main.js,
 * do not carry a second copy of what the UI's bundle has.
 */
export function displayWidth(text: string): number {
	if (/^[\u0000-\u007f]*$/.test(text)) return text.length;
	let cells = 0;
	for (const char of text) cells += WIDE.test(char) ? 2 : NONE.test(char) ? 0 : 1;
	return cells;
}

export function padLeft(text: string, width: number): string {
	const cells = displayWidth(text);
	return cells >= width ? text : ' '.repeat(width - cells) + text;
}

export function padRight(text: string, width: number): string {
	const cells = displayWidth(text);
	return cells >= width ? text : text + ' '.repeat(width - cells);
}

/** `2 records out of order, skipped`: a replay or export that met records going back in time. */
export function formatOutOfOrder(n: number): string {
	return `${n} record${n === 1 ? '' : 's'} out of order, skipped`;
}

/** The window as the screen names it: `30 s` when whole, `12.5 s of 30 s (filling)` when not. */
export function windowCoverText(
	d: Pick<Derived, 'coveredMs' | 'partial'> | null | undefined,
	windowMs: number,
	words: {of: (covered: string, window: string) => string; reasons: Record<string, string>} = {of: (covered, window) => `${covered} of ${window}`, reasons: {}},
): string {
	if (!d || (!d.partial && d.coveredMs >= windowMs)) return formatDuration(windowMs);
	// Whole seconds, padded: a count that grows (9 s, 10 s, 24.2 s) must not move the rest of the line.
	const covered = formatDuration(Math.round(d.coveredMs / 1000) * 1000).padStart(4);
	return `${words.of(covered, formatDuration(windowMs))}${d.partial ? ` (${d.partial.reasons.map(r => words.reasons[r] ?? r).join(', ')})` : ''}`;
}
