/**
 * The characters a frame draws (ASCII, Latin, box drawing, blocks, arrows, CJK, fullwidth forms)
 * are measured without a grapheme segmenter, whose first use costs the first frame ~20 ms (ICU's
 * break iterators) and string-width's RGI_Emoji class ~20 ms more; and their widths are
 * string-width's, the library Ink measures with.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import stringWidth from 'string-width';
import {charWidth} from '../../source/ui/text-width.js';

test('a frame of simple characters is measured without a grapheme segmenter', () => {
	// In a process of its own: count every segment() call from the start, then measure.
	const script = `
		let calls = 0;
		const segment = Intl.Segmenter.prototype.segment;
		Intl.Segmenter.prototype.segment = function (...args) { calls++; return segment.apply(this, args); };
		const {visibleWidth, fit} = await import('./source/ui/text-width.ts');
		const lines = ['─ Overview ──┬──╮ │ ▁▂▃▄▅▆▇█ … × µs ° ← → ↑ ↓ ● ○ ◆ ▲ ▼ ¼ é ñ ß', 'TTFT p50 1.2 s  KV 93 %  ⣿⣀⡀  ░▒▓', 'モデル 中文 한국어 ＡＢＣ'];
		let width = 0;
		for (const line of lines) width += visibleWidth(line) + fit(line, 10).length;
		process.stdout.write(JSON.stringify({calls, width}));
	`;
	const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'});
	assert.equal(r.status, 0, r.stderr);
	const {calls, width} = JSON.parse(r.stdout) as {calls: number; width: number};
	assert.ok(width > 0);
	assert.equal(calls, 0, 'the segmenter was used to measure simple characters');
});

test('every BMP character is as wide as string-width says', () => {
	const wrong: string[] = [];
	for (let c = 0x20; c <= 0xffff; c++) {
		if (c >= 0xd800 && c <= 0xdfff) continue;
		const ch = String.fromCharCode(c);
		if (charWidth(ch) !== stringWidth(ch)) wrong.push(`U+${c.toString(16).padStart(4, '0')}: ${charWidth(ch)} vs ${stringWidth(ch)}`);
	}
	assert.deepEqual(wrong.slice(0, 20), []);
});
