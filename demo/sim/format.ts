/**
 * Number and string formatting exactly as Python's prometheus_client writes the text format:
 * `floatToGoString` over Python's float `repr`, and its label/HELP escaping.
 */

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
export function pythonFloatRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (x === Infinity) return 'inf';
	if (x === -Infinity) return '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
	const ax = Math.abs(x);
	if (ax >= 1e-4 && ax < 1e16) {
		// JS uses the same shortest digits and fixed notation in this range; Python adds `.0` to integers.
		return Number.isInteger(x) ? `${x}.0` : String(x);
	}
	const [mantissa = '0', exp = '0'] = x.toExponential().split('e');
	const e = Number(exp);
	return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** prometheus_client.utils.floatToGoString, including its `e+0<n>` quirk for large values. */
export function floatToGoString(d: number): string {
	if (d === Infinity) return '+Inf';
	if (d === -Infinity) return '-Inf';
	if (Number.isNaN(d)) return 'NaN';
	if (d === 0) return '0.0';
	if (d > 0 && d < 1e6 && Number.isInteger(d)) return `${d}.0`;
	const s = pythonFloatRepr(d);
	const dot = s.indexOf('.');
	// Go switches to exponents sooner than Python (only positive values are rewritten).
	if (d > 0 && dot > 6) {
		const mantissa = `${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '');
		return `${mantissa}e+0${dot - 1}`;
	}
	return s;
}

/** Label value escaping of the text format: backslash, newline, double quote. */
export function escapeLabelValue(v: string): string {
	return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** HELP escaping: backslash and newline only. */
export function escapeHelp(v: string): string {
	return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `{a="1",b="2"}` with names sorted, as generate_latest does; '' for no labels. */
export function labelString(labels: Readonly<Record<string, string | number | undefined>>): string {
	const names = Object.keys(labels).sort();
	if (names.length === 0) return '';
	let out = '{';
	for (let i = 0; i < names.length; i++) {
		const name = names[i] as string;
		const raw = labels[name];
		const value = typeof raw === 'number' ? floatToGoString(raw) : (raw ?? '');
		out += `${i > 0 ? ',' : ''}${name}="${escapeLabelValue(value)}"`;
	}
	return `${out}}`;
}
