/**
 * Number formatting shared by the report and the views. Fixed widths keep unchanged lines
 * unchanged between frames; `--` is "absent", never zero.
 */
import type {Unit} from './metrics/catalog-types.js';
import type {QuantileResult} from './metrics/quantile.js';

export const MISSING = '--';

/** Fixed digits, then trailing zeros dropped: 1.00 → "1", 1.50 → "1.5". */
function trim(n: number, digits: number): string {
	const text = n.toFixed(digits);
	return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** 0.000123 → "123 µs", 0.85 → "850 ms", 5.81 → "5.81 s", 75 → "1m15s". */
export function formatSeconds(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return MISSING;
	if (!Number.isFinite(seconds)) return seconds > 0 ? '+Inf' : '-Inf';
	const abs = Math.abs(seconds);
	if (abs === 0) return '0 s';
	if (abs < 0.001) return `${trim(seconds * 1e6, abs < 0.00001 ? 1 : 0)} µs`;
	if (abs < 1) return `${trim(seconds * 1000, abs < 0.01 ? 1 : 0)} ms`;
	if (abs < 60) return `${trim(seconds, abs < 10 ? 2 : 1)} s`;
	if (abs < 3600) return `${Math.floor(abs / 60)}m${String(Math.round(abs % 60)).padStart(2, '0')}s`;
	return `${Math.floor(abs / 3600)}h${String(Math.round((abs % 3600) / 60)).padStart(2, '0')}m`;
}

/** Short counts: 999, 1.2k, 45.6M. */
export function formatCount(n: number | null | undefined): string {
	if (n === null || n === undefined || Number.isNaN(n)) return MISSING;
	if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
	const abs = Math.abs(n);
	if (abs < 1000) return Number.isInteger(n) ? String(n) : n.toFixed(abs < 10 ? 2 : 1);
	const units = ['k', 'M', 'G', 'T'];
	let value = n;
	let i = -1;
	while (Math.abs(value) >= 1000 && i < units.length - 1) {
		value /= 1000;
		i++;
	}
	return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)}${units[i]}`;
}

export function formatRatio(ratio: number | null | undefined): string {
	if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return MISSING;
	return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}

export function formatRate(perSecond: number | null | undefined, suffix = '/s'): string {
	if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return MISSING;
	return `${formatCount(Math.round(perSecond * 100) / 100)}${suffix}`;
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
		default:
			return formatCount(value);
	}
}

/** A quantile estimate; one above the top finite bucket reads "> 1 s", never "1 s". */
export function formatQuantile(q: QuantileResult | null | undefined, unit: Unit): string {
	if (!q || q.value === null) return MISSING;
	const text = formatValue(q.value, unit);
	return q.aboveTopBucket ? `> ${text}` : text;
}

export function formatBytes(n: number | null | undefined): string {
	if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** "3 s", "2 m", "1 h" for intervals and windows. */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${ms} ms`;
	if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
	if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} m`;
	return `${+(ms / 3_600_000).toFixed(1)} h`;
}

export function padLeft(text: string, width: number): string {
	return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

export function padRight(text: string, width: number): string {
	return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `2 records out of order, skipped`: a replay or export that met records going back in time. */
export function formatOutOfOrder(n: number): string {
	return `${n} record${n === 1 ? '' : 's'} out of order, skipped`;
}
