/**
 * The statistics behind `fdtop compare`, written out so that each step can be checked against
 * published tables: the regularised incomplete gamma and beta functions (Numerical Recipes' series
 * and continued fractions), the chi-square and Student t tail probabilities built on them, a
 * chi-square test of homogeneity on two binned distributions (sparse bins merged until every
 * expected count is at least 5), and Welch's t-test on per-window figures. Pure functions.
 */

const EPS = 1e-14;
const MAX_ITERATIONS = 500;
const TINY = 1e-300;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
export function lnGamma(x: number): number {
	const c = [0.999_999_999_999_809_9, 676.520_368_121_885_1, -1259.139_216_722_402_8, 771.323_428_777_653_1, -176.615_029_162_140_6, 12.507_343_278_686_905, -0.138_571_095_265_720_12, 9.984_369_578_019_571_6e-6, 1.505_632_735_149_311_6e-7];
	if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
	const z = x - 1;
	let a = c[0]!;
	const t = z + 7.5;
	for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
	return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma function (a > 0, x ≥ 0). */
export function gammaQ(a: number, x: number): number {
	if (!(a > 0) || !(x >= 0)) return Number.NaN;
	if (x === 0) return 1;
	if (x === Number.POSITIVE_INFINITY) return 0;
	const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
	if (x < a + 1) {
		// Series for P(a, x); Q = 1 − P.
		let ap = a;
		let sum = 1 / a;
		let del = sum;
		for (let n = 0; n < MAX_ITERATIONS; n++) {
			ap += 1;
			del *= x / ap;
			sum += del;
			if (Math.abs(del) < Math.abs(sum) * EPS) break;
		}
		return Math.max(0, 1 - sum * front);
	}
	// Continued fraction for Q (modified Lentz).
	let b = x + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < MAX_ITERATIONS; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < EPS) break;
	}
	return Math.min(1, front * h);
}

/** P(X ≥ x) for a chi-square variable with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
	if (!(df > 0)) return Number.NaN;
	if (!(x > 0)) return 1;
	return gammaQ(df / 2, x / 2);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
	const qab = a + b;
	const qap = a + 1;
	const qam = a - 1;
	let c = 1;
	let d = 1 - (qab * x) / qap;
	if (Math.abs(d) < TINY) d = TINY;
	d = 1 / d;
	let h = d;
	for (let m = 1; m <= MAX_ITERATIONS; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < EPS) break;
	}
	return h;
}

/** I_x(a, b), the regularised incomplete beta function (a, b > 0, 0 ≤ x ≤ 1). */
export function betaI(a: number, b: number, x: number): number {
	if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
	if (x === 0 || x === 1) return x;
	const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
	return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided P(|T| ≥ |t|) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function studentTTwoSided(t: number, df: number): number {
	if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
	if (!Number.isFinite(t)) return 0;
	return betaI(df / 2, 0.5, df / (df + t * t));
}

/** A chi-square test of homogeneity of two binned samples (a 2 × k table). */
export interface ChiSquareResult {
	readonly test: 'chi-square';
	readonly statistic: number;
	readonly df: number;
	readonly pValue: number;
	/** Bins after merging neighbours so that every expected count is at least 5. */
	readonly bins: number;
	/** Observations on each side. */
	readonly nA: number;
	readonly nB: number;
}

export const MIN_EXPECTED = 5;

/**
 * Merge adjacent bins (left to right, the remainder into the last kept bin) until each bin's
 * expected count on both sides, n_side × column / N, is at least MIN_EXPECTED.
 */
export function mergeSparseBins(a: readonly number[], b: readonly number[]): {a: number[]; b: number[]} {
	const nA = a.reduce((s, v) => s + v, 0);
	const nB = b.reduce((s, v) => s + v, 0);
	const total = nA + nB;
	const outA: number[] = [];
	const outB: number[] = [];
	let accA = 0;
	let accB = 0;
	const enough = (col: number) => total > 0 && (nA * col) / total >= MIN_EXPECTED && (nB * col) / total >= MIN_EXPECTED;
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		accA += a[i] ?? 0;
		accB += b[i] ?? 0;
		if (enough(accA + accB)) {
			outA.push(accA);
			outB.push(accB);
			accA = 0;
			accB = 0;
		}
	}
	if (accA + accB > 0) {
		if (outA.length === 0) {
			outA.push(accA);
			outB.push(accB);
		} else {
			outA[outA.length - 1]! += accA;
			outB[outB.length - 1]! += accB;
		}
	}
	return {a: outA, b: outB};
}

/**
 * Chi-square test of homogeneity on per-bin counts of two samples (same bins on both sides).
 * Null when fewer than two bins remain after merging (nothing to compare the shapes with).
 */
export function chiSquareHomogeneity(countsA: readonly number[], countsB: readonly number[]): ChiSquareResult | null {
	const {a, b} = mergeSparseBins(countsA.map(v => Math.max(0, v)), countsB.map(v => Math.max(0, v)));
	const nA = a.reduce((s, v) => s + v, 0);
	const nB = b.reduce((s, v) => s + v, 0);
	if (a.length < 2 || !(nA > 0) || !(nB > 0)) return null;
	const total = nA + nB;
	let statistic = 0;
	for (let i = 0; i < a.length; i++) {
		const col = a[i]! + b[i]!;
		const eA = (nA * col) / total;
		const eB = (nB * col) / total;
		statistic += (a[i]! - eA) ** 2 / eA + (b[i]! - eB) ** 2 / eB;
	}
	const df = a.length - 1;
	return {test: 'chi-square', statistic, df, pValue: chiSquareSf(statistic, df), bins: a.length, nA, nB};
}

/** Welch's two-sample t-test on per-window values of each side. */
export interface WelchResult {
	readonly test: 'welch-t';
	readonly t: number;
	readonly df: number;
	readonly pValue: number;
	/** Windows on each side and the standard deviation between them. */
	readonly kA: number;
	readonly kB: number;
	readonly sdA: number;
	readonly sdB: number;
}

function meanSd(xs: readonly number[]): {mean: number; sd: number} {
	const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
	const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1);
	return {mean, sd: Math.sqrt(variance)};
}

/**
 * Welch's t-test (unequal variances, Welch–Satterthwaite degrees of freedom). Null with fewer than
 * two windows on a side. When neither side varies between its windows, the p-value is 1 for equal
 * means and 0 otherwise (the difference is then exact, not noise).
 */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult | null {
	if (a.length < 2 || b.length < 2) return null;
	const A = meanSd(a);
	const B = meanSd(b);
	const vA = A.sd ** 2 / a.length;
	const vB = B.sd ** 2 / b.length;
	const se = Math.sqrt(vA + vB);
	const base = {test: 'welch-t' as const, kA: a.length, kB: b.length, sdA: A.sd, sdB: B.sd};
	if (!(se > 0)) {
		const same = A.mean === B.mean;
		return {...base, t: same ? 0 : Number.POSITIVE_INFINITY, df: a.length + b.length - 2, pValue: same ? 1 : 0};
	}
	const t = (B.mean - A.mean) / se;
	const df = (vA + vB) ** 2 / (vA ** 2 / (a.length - 1) + vB ** 2 / (b.length - 1));
	return {...base, t, df, pValue: studentTTwoSided(t, df)};
}
