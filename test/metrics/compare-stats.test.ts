/**
 * The compare statistics against values known independently: closed forms (chi-square with 2 and
 * 4 degrees of freedom, Student t with 1 and 2), published table entries (the 5 % and 1 % critical
 * values), and values computed with SciPy 1.17 (scipy.stats.chi2.sf, chi2_contingency without
 * continuity correction, ttest_ind(equal_var=False)), quoted below with the call that gave them.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {betaI, chiSquareHomogeneity, chiSquareSf, gammaQ, lnGamma, mergeSparseBins, studentTTwoSided, welchTest} from '../../source/metrics/compare-stats.js';

function close(actual: number, expected: number, relative = 1e-6): void {
	const scale = Math.max(Math.abs(expected), 1e-300);
	assert.ok(Math.abs(actual - expected) / scale <= relative, `${actual} is not ${expected} (±${relative * 100} %)`);
}

describe('gamma functions', () => {
	test('ln Γ at integers and halves', () => {
		close(lnGamma(5), Math.log(24), 1e-12);
		close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
		close(lnGamma(10.5), Math.log(1_133_278.388_948_785), 1e-10);
	});

	test('Q(1, x) = e^−x on both branches (series and continued fraction)', () => {
		for (const x of [0.1, 1.5, 2, 5, 30]) close(gammaQ(1, x), Math.exp(-x), 1e-10);
	});
});

describe('chi-square survival function', () => {
	test('table critical values: 5 % and 1 %', () => {
		close(chiSquareSf(3.841_458_82, 1), 0.05, 1e-6);
		close(chiSquareSf(6.634_896_6, 1), 0.01, 1e-6);
		close(chiSquareSf(5.991_464_5, 2), 0.05, 1e-6);
		close(chiSquareSf(18.307_038, 10), 0.05, 1e-6);
	});

	test('closed forms: df 2 is e^(−x/2), df 4 is e^(−x/2)(1 + x/2)', () => {
		for (const x of [0.2, 1, 3, 8, 40]) {
			close(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-10);
			close(chiSquareSf(x, 4), Math.exp(-x / 2) * (1 + x / 2), 1e-10);
		}
	});

	test('SciPy values in both tails and at many degrees of freedom', () => {
		close(chiSquareSf(100, 50), 3.454_931_382_984_871e-5); // chi2.sf(100, 50)
		close(chiSquareSf(0.5, 7), 0.999_446_481_390_424_9); // chi2.sf(0.5, 7)
		close(chiSquareSf(250, 200), 0.009_379_131_668_826_098); // chi2.sf(250, 200)
	});

	test('edges: 0 gives 1; no degrees of freedom is not a number', () => {
		assert.equal(chiSquareSf(0, 3), 1);
		assert.ok(Number.isNaN(chiSquareSf(1, 0)));
	});
});

describe('Student t', () => {
	test('closed forms: df 1 (Cauchy) and df 2', () => {
		for (const t of [0.3, 1, 2.5, 12.706]) {
			close(studentTTwoSided(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-9);
			close(studentTTwoSided(-t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-9);
		}
	});

	test('table: t = 2.228 at 10 df is the 5 % two-sided value; fractional df from SciPy', () => {
		close(studentTTwoSided(2.228_138_85, 10), 0.05, 1e-6);
		close(studentTTwoSided(2, 3.5), 0.126_138_522_575_913_43, 1e-8); // 2 * t.sf(2.0, 3.5)
	});

	test('I_x(a, b) symmetry and I_x(1, 1) = x', () => {
		close(betaI(1, 1, 0.3), 0.3, 1e-12);
		close(betaI(2.5, 4, 0.35) + betaI(4, 2.5, 0.65), 1, 1e-12);
	});
});

describe('chi-square test of homogeneity', () => {
	test('2 × 2 and 2 × 4 tables as chi2_contingency(correction=False) gives them', () => {
		const two = chiSquareHomogeneity([10, 20], [30, 40])!;
		close(two.statistic, 0.793_650_793_650_793_6, 1e-12);
		assert.equal(two.df, 1);
		close(two.pValue, 0.372_998_483_613_486_86, 1e-8);
		const four = chiSquareHomogeneity([120, 80, 40, 10], [90, 95, 60, 30])!;
		close(four.statistic, 18.422_727_272_727_272, 1e-12);
		assert.equal(four.df, 3);
		close(four.pValue, 0.000_359_808_903_641_801_45, 1e-7);
		assert.deepEqual([four.nA, four.nB, four.bins], [250, 275, 4]);
	});

	test('sparse bins merge into neighbours until every expected count is at least 5', () => {
		const merged = mergeSparseBins([0, 1, 2, 30, 40, 1, 0, 1], [0, 2, 1, 35, 30, 2, 1, 0]);
		// 0+1+2 | 0+2+1 → expected 3 each: merged with the 30/35 bin; the tail 1,0,1 | 2,1,0 joins the 40/30 bin.
		assert.deepEqual(merged, {a: [33, 42], b: [38, 33]});
		for (let i = 0; i < merged.a.length; i++) {
			const col = merged.a[i]! + merged.b[i]!;
			assert.ok((75 * col) / 146 >= 5 && (71 * col) / 146 >= 5);
		}
	});

	test('one bin left after merging: nothing to test', () => {
		assert.equal(chiSquareHomogeneity([2, 1], [1, 3]), null);
		assert.equal(chiSquareHomogeneity([0, 0], [10, 20]), null);
	});
});

describe('Welch t-test', () => {
	test('as ttest_ind(equal_var=False) gives it', () => {
		const r = welchTest([1, 2, 3], [4, 5, 6])!;
		close(r.t, 3.674_234_614_174_767_3, 1e-12);
		close(r.df, 4, 1e-12);
		close(r.pValue, 0.021_311_641_128_756_713, 1e-8);
		const s = welchTest([10.1, 9.8, 10.4, 10.0, 9.7], [10.9, 11.2, 10.6, 11.5])!;
		close(s.t, 4.582_575_694_955_842_5, 1e-10);
		close(s.df, 5.25, 1e-10);
		close(s.pValue, 0.005_258_369_663_068_485, 1e-7);
	});

	test('fewer than two windows: no test; no spread: exact', () => {
		assert.equal(welchTest([1], [1, 2]), null);
		assert.equal(welchTest([2, 2], [2, 2])!.pValue, 1);
		assert.equal(welchTest([2, 2], [3, 3])!.pValue, 0);
	});
});
