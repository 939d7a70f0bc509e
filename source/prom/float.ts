/**
 * Go `strconv.ParseFloat(s, 64)` as Prometheus's text parser uses it (which also refuses `_`, `p`
 * and `P`, so no hex floats and no digit separators). JS `Number()` is no substitute: it accepts
 * `0x10`, `0b11` and `''`, and rejects `+Inf`/`Inf`, which every Prometheus client writes.
 */

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Exactly representable powers of ten: the limit of the one-operation fast path below. */
const POW10 = [
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	1e19, 1e20, 1e21, 1e22,
];

/** At most 15 significant digits always fit in the 53-bit mantissa. */
const MAX_FAST_DIGITS = 15;

/** Case-insensitive match of `word` (lower-case letters only) against `s[start, end)`. */
function matchesWord(s: string, start: number, end: number, word: string): boolean {
	if (end - start !== word.length) return false;
	for (let i = 0; i < word.length; i++) {
		// Setting bit 0x20 lower-cases an ASCII letter; every other char stays unequal to a letter.
		if ((s.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) return false;
	}
	return true;
}

/**
 * Parse `s[start, end)` without slicing it first (the exposition parser calls this for every
 * sample). Returns undefined where Go returns an error, including out-of-range values (`1e400`).
 */
export function parseGoFloatRange(s: string, start: number, end: number): number | undefined {
	let i = start;
	if (i >= end) return undefined;
	let c = s.charCodeAt(i);
	let negative = false;
	let signed = false;
	if (c === PLUS || c === MINUS) {
		negative = c === MINUS;
		signed = true;
		if (++i >= end) return undefined;
		c = s.charCodeAt(i);
	}
	if (c > NINE) {
		if (matchesWord(s, i, end, 'inf') || matchesWord(s, i, end, 'infinity')) {
			return negative ? -Infinity : Infinity;
		}
		// Go takes no sign on NaN.
		return !signed && matchesWord(s, i, end, 'nan') ? NaN : undefined;
	}

	let mantissa = 0;
	let digits = 0;
	let exponent = 0;
	let sawDigit = false;
	let sawDot = false;
	let exact = true;
	for (; i < end; i++) {
		c = s.charCodeAt(i);
		if (c >= ZERO && c <= NINE) {
			sawDigit = true;
			if (mantissa === 0 && c === ZERO) {
				if (sawDot) exponent--;
			} else if (digits < MAX_FAST_DIGITS) {
				mantissa = mantissa * 10 + (c - ZERO);
				digits++;
				if (sawDot) exponent--;
			} else {
				exact = false;
			}
		} else if (c === DOT && !sawDot) {
			sawDot = true;
		} else {
			break;
		}
	}
	if (!sawDigit) return undefined;

	if (i < end) {
		if (c !== LOWER_E && c !== UPPER_E) return undefined;
		if (++i >= end) return undefined;
		c = s.charCodeAt(i);
		let negativeExponent = false;
		if (c === PLUS || c === MINUS) {
			negativeExponent = c === MINUS;
			if (++i >= end) return undefined;
		}
		let e = 0;
		for (; i < end; i++) {
			c = s.charCodeAt(i);
			if (c < ZERO || c > NINE) return undefined;
			// Clamp: beyond this the result is 0 or out of range anyway, and Number() decides which.
			if (e < 100_000) e = e * 10 + (c - ZERO);
		}
		exponent += negativeExponent ? -e : e;
	}

	let value: number;
	if (exact && exponent >= -22 && exponent <= 22) {
		// Both operands are exact, so one IEEE operation gives the correctly rounded result.
		value = exponent < 0 ? mantissa / (POW10[-exponent] as number) : mantissa * (POW10[exponent] as number);
		return negative ? -value : value;
	}
	// The text is now known to be plain decimal, a grammar Number() parses with correct rounding.
	value = Number(s.slice(start, end));
	// Go reports overflow as a range error; underflow quietly becomes 0 in both languages.
	return Number.isFinite(value) ? value : undefined;
}

export function parseGoFloat(text: string): number | undefined {
	return parseGoFloatRange(text, 0, text.length);
}

/** The spelling Prometheus uses for the specials; `-0` keeps its sign as in Go. */
export function formatGoFloat(n: number): string {
	if (Number.isNaN(n)) return 'NaN';
	if (n === Infinity) return '+Inf';
	if (n === -Infinity) return '-Inf';
	if (n === 0 && 1 / n < 0) return '-0';
	return String(n);
}
