/** The text reports' cell widths (format.ts displayWidth) agree with string-width, the live UI's and Ink's measure, on every message fdtop prints. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import {displayWidth, padLeft, padRight} from '../source/format.js';
import {msgs} from '../source/i18n/index.js';

/** Every string a catalog holds, functions called with sample arguments. */
function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (typeof value === 'function') {
		const args = Array.from({length: value.length}, (_, i) => (i % 2 === 0 ? '12.5 ms' : 3));
		try {
			strings(value(...args), out);
		} catch {
			// A message whose parameters these samples do not fit: its literal parts are tested through the others.
		}
	} else if (Array.isArray(value)) for (const v of value) strings(v, out);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
	return out;
}

test('displayWidth equals string-width on every message of both catalogs, and on hostile samples', () => {
	const samples = [...strings(msgs('en')), ...strings(msgs('zh')), '≤ 300 ms', '…', '─│┼', 'ｆｕｌｌ', '한국어', 'ﾊﾝｶｸ', 'e\u0301', 'a\u200bb', '中文，标点。', '\u3000'];
	assert.ok(samples.length > 500, `${samples.length} strings`);
	const wrong = samples.filter(s => displayWidth(s) !== stringWidth(s)).map(s => `${JSON.stringify(s)}: ${displayWidth(s)} vs ${stringWidth(s)}`);
	assert.deepEqual(wrong, []);
});

test('padding counts a Chinese character as two cells', () => {
	assert.equal(padRight('总览', 6), '总览  ');
	assert.equal(padLeft('令牌', 5), ' 令牌');
	assert.equal(padRight('abc', 2), 'abc');
});
