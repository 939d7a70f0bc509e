import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {formatGoFloat, parseGoFloat} from '../../source/prom/index.js';

describe('parseGoFloat', () => {
	const valid: [string, number][] = [
		['0', 0],
		['1', 1],
		['-1', -1],
		['+1.5E-3', 0.0015],
		['1e3', 1000],
		['1E+3', 1000],
		['.5', 0.5],
		['5.', 5],
		['-.5', -0.5],
		['+.5e1', 5],
		['007', 7],
		['1.0', 1],
		['30.0', 30],
		['20000.0', 20000],
		['0.001', 0.001],
		['4.9351e-05', 4.9351e-5],
		['7.424100000000001e-05', 7.424100000000001e-5],
		['174.25801753997803', 174.25801753997803],
		['1.7513551218838148e+09', 1751355121.8838148],
		['123456789012345678901234567890', 1.2345678901234568e29],
		['0.1', 0.1],
		['0.3', 0.3],
		['9007199254740993', 9007199254740992],
		['1e22', 1e22],
		['1e23', 1e23],
		['1e-22', 1e-22],
		['1e-400', 0],
		['0e999999', 0],
		['1.7976931348623157e308', Number.MAX_VALUE],
		['5e-324', Number.MIN_VALUE],
	];
	for (const [text, expected] of valid) {
		test(`parses ${JSON.stringify(text)}`, () => {
			assert.equal(parseGoFloat(text), expected);
		});
	}

	test('keeps the sign of zero', () => {
		assert.ok(Object.is(parseGoFloat('-0'), -0));
		assert.ok(Object.is(parseGoFloat('-0.0e5'), -0));
		assert.ok(Object.is(parseGoFloat('0'), 0));
	});

	test('agrees with Number() on many random decimals (correct rounding on the fast path)', () => {
		let seed = 7;
		const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
		for (let i = 0; i < 20_000; i++) {
			const digits = String(next()) + String(next()).slice(0, next() % 8);
			const dot = next() % (digits.length + 1);
			const exponent = next() % 3 === 0 ? `e${(next() % 60) - 30}` : '';
			const text = `${digits.slice(0, dot)}.${digits.slice(dot)}${exponent}`.replace(/^\.$/, '0');
			assert.equal(parseGoFloat(text), Number(text), text);
		}
	});

	test('accepts the specials case-insensitively', () => {
		for (const text of ['Inf', '+Inf', 'inf', '+inf', 'INF', 'Infinity', '+infinity', 'INFINITY', 'iNfInItY']) {
			assert.equal(parseGoFloat(text), Infinity, text);
		}
		for (const text of ['-Inf', '-inf', '-Infinity', '-INFINITY']) {
			assert.equal(parseGoFloat(text), -Infinity, text);
		}
		for (const text of ['NaN', 'nan', 'NAN', 'nAn']) {
			assert.ok(Number.isNaN(parseGoFloat(text)), text);
		}
	});

	const invalid = [
		'',
		' ',
		'+',
		'-',
		'.',
		'e5',
		'1e',
		'1e+',
		'1e-',
		'1.2.3',
		'1..2',
		'0x10',
		'0X1p-3',
		'0x1p-3',
		'0b11',
		'0o7',
		'1_000',
		'1p3',
		'abc',
		'true',
		'1 ',
		' 1',
		'1\t',
		'1,5',
		'Infin',
		'infinit',
		'infinityy',
		'+NaN',
		'-nan',
		'nana',
		'in',
		'1e400',
		'-1e400',
		'1.8e308',
		'\u0000',
		'１',
	];
	for (const text of invalid) {
		test(`rejects ${JSON.stringify(text)}`, () => {
			assert.equal(parseGoFloat(text), undefined);
		});
	}
});

describe('formatGoFloat', () => {
	test('spells the specials the Prometheus way', () => {
		assert.equal(formatGoFloat(Infinity), '+Inf');
		assert.equal(formatGoFloat(-Infinity), '-Inf');
		assert.equal(formatGoFloat(NaN), 'NaN');
	});

	test('uses the shortest round-tripping form otherwise', () => {
		assert.equal(formatGoFloat(1), '1');
		assert.equal(formatGoFloat(0.1), '0.1');
		assert.equal(formatGoFloat(1e21), '1e+21');
		assert.equal(formatGoFloat(4.9351e-5), '0.000049351');
		assert.equal(formatGoFloat(-0), '-0');
	});

	test('round-trips through parseGoFloat', () => {
		for (const n of [0, -0, 1, -1.5, 0.1, 1e-7, 123456.789, 1e300, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity]) {
			assert.ok(Object.is(parseGoFloat(formatGoFloat(n)), n), String(n));
		}
		assert.ok(Number.isNaN(parseGoFloat(formatGoFloat(NaN))));
	});
});
