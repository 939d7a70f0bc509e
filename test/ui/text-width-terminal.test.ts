/**
 * Issue 13 item 5 (d): the width model agrees with string-width, the library Ink itself measures
 * with (and with real terminals): emoji U+1F680–1F6FF and U+1FA70–1FAFF, VS16 sequences, keycaps,
 * skin tones and ZWJ families take two cells, zero-width characters none. visibleWidth, fit, pad
 * and the frame writer's cells all agree, so the screen never keeps stale cells.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import {fit, pad, visibleWidth} from '../../source/ui/text-width.js';
import {cellText, parseCells} from '../../source/ui/frame-writer.js';
import {seededRandom} from '../helpers/random.js';

const TWO = ['🚀', '🛸', '🚗', '🛻', '🩷', '🪐', '🫠', '🫶', '❤️', '🛋️', '☁️', '1️⃣', '#️⃣', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '🇯🇵', '中', '가'];
const ZERO = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u{e0041}', '\ufe0f', '\u0301'];

function runsWidth(text: string): number {
	return text.split(/\u001b\[[0-9;]*m/).reduce((sum, run) => sum + stringWidth(run), 0);
}

function cellsText(line: string): string {
	const cells = parseCells(line);
	let out = '';
	for (let c = 0; c < cells.codes.length; c++) out += cellText(cells, c);
	return out;
}

describe('widths agree with string-width (what Ink and terminals use)', () => {
	test('emoji and VS16 sequences take two cells', () => {
		for (const s of TWO) {
			assert.equal(stringWidth(s), 2, `string-width of ${JSON.stringify(s)}`);
			assert.equal(visibleWidth(s), 2, JSON.stringify(s));
			assert.equal(visibleWidth(`a${s}b`), 4, JSON.stringify(s));
			assert.equal(parseCells(`a${s}b`).codes.length, 4, `cells of ${JSON.stringify(s)}`);
			assert.equal(cellsText(`a${s}b`), `a${s}b`, 'the cells hold the whole sequence');
			assert.equal(pad(s, 3), `${s} `);
			assert.equal(visibleWidth(fit(`${s}${s}${s}`, 5)), 5, JSON.stringify(s));
		}
	});

	test('zero-width characters take none', () => {
		for (const s of ZERO) {
			assert.equal(visibleWidth(`a${s}b`), 2, JSON.stringify(s));
			assert.equal(parseCells(`a${s}b`).codes.length, 2, JSON.stringify(s));
		}
	});

	test('random lines: visibleWidth, fit, pad and the cells equal string-width', () => {
		const rand = seededRandom(13);
		const pieces = ['a', ' ', '─', '…', '中', 'é', 'e\u0301', ...TWO, ...ZERO, '\u001b[36m', '\u001b[0m', '\u001b[1;7m'];
		for (let n = 0; n < 3000; n++) {
			let text = '';
			const length = Math.floor(rand() * 20);
			for (let i = 0; i < length; i++) text += pieces[Math.floor(rand() * pieces.length)];
			// A colour code between two characters ends a cluster (fdtop never colours half of one):
			// each run between codes is measured as string-width measures it.
			const expected = runsWidth(text);
			assert.equal(visibleWidth(text), expected, JSON.stringify(text));
			assert.equal(parseCells(text).codes.length, expected, `cells of ${JSON.stringify(text)}`);
			const width = Math.floor(rand() * 24);
			const cut = fit(text, width);
			assert.ok(runsWidth(cut) <= width, JSON.stringify([text, width, cut]));
			assert.equal(runsWidth(pad(text, width)), Math.max(0, width), JSON.stringify([text, width]));
		}
	});
});
