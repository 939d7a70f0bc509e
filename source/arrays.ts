/**
 * Loops over arrays of any length. A spread into a call (`Math.max(...values)`,
 * `lines.push(...rows)`) puts every element on the call stack and throws `RangeError: Maximum
 * call stack size exceeded` past about 120,000 elements: series, buckets and families are
 * data-sized, so fdtop never spreads into a call (eslint.config.js forbids it) and uses these.
 */

/** The largest value, as `Math.max(initial, ...values)` would give it (NaN wins; empty: `initial`). */
export function maxOf(values: Iterable<number>, initial = Number.NEGATIVE_INFINITY): number {
	let max = initial;
	for (const v of values) {
		if (Number.isNaN(v)) return Number.NaN;
		if (v > max || (v === 0 && max === 0 && Object.is(max, -0))) max = v;
	}
	return max;
}

/** The smallest value, as `Math.min(initial, ...values)` would give it (NaN wins; empty: `initial`). */
export function minOf(values: Iterable<number>, initial = Number.POSITIVE_INFINITY): number {
	let min = initial;
	for (const v of values) {
		if (Number.isNaN(v)) return Number.NaN;
		if (v < min || (v === 0 && min === 0 && Object.is(v, -0))) min = v;
	}
	return min;
}

/** Appends `items` to `target` (what `target.push(...items)` does, for any length); returns `target`. */
export function append<T>(target: T[], ...lists: readonly (readonly T[])[]): T[] {
	for (const items of lists) for (let i = 0; i < items.length; i++) target.push(items[i]!);
	return target;
}
