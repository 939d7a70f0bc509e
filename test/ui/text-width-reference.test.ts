/**
 * visibleWidth, fit and pad scan the code units once (no stripped copy, no token list) and keep
 * each BMP character's width once found; these check them against the plain definitions: strip
 * the SGR codes and add up `charWidth` per code point, cut token by token.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {charWidth, codePointWidth, fit, pad, stripSgr, visibleWidth} from '../../source/ui/text-width.js';
import {parseCells} from '../../source/ui/frame-writer.js';
import {seededRandom} from '../helpers/random.js';

function referenceWidth(text: string): number {
	let width = 0;
	for (const char of stripSgr(text)) width += charWidth(char);
	return width;
}

function referenceFit(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (referenceWidth(text) <= width) return text;
	const room = width - referenceWidth(ellipsis);
	let out = '';
	let used = 0;
	let styled = false;
	for (const token of text.match(/\u001b\[[0-9;]*m|[\s\S]/gu) ?? []) {
		if (token.startsWith('\u001b[')) {
			out += token;
			styled = true;
			continue;
		}
		const w = charWidth(token);
		if (used + w > room) break;
		out += token;
		used += w;
	}
	return `${out}${room >= 0 ? ellipsis : ''}${styled ? '\u001b[0m' : ''}`;
}

function referencePad(text: string, width: number, ellipsis = '…'): string {
	const cut = referenceFit(text, width, ellipsis);
	return cut + ' '.repeat(Math.max(0, width - referenceWidth(cut)));
}

const random = seededRandom;

// Pieces of lines: ASCII, box drawing, CJK, combining marks, emoji (astral), lone surrogates,
// control characters, SGR codes, broken escape sequences.
const PIECES = ['a', 'Z', ' ', '~', '─', '┤', '·', '█', '…', 'µ', '中', '文', 'ｱ', 'é', '\u0301', '\u200b', '\ufe0f', '😀', '𠀀', '\ud800', '\udc00', '\u0007', '\u007f', '\u0085', '\u001b[36m', '\u001b[0m', '\u001b[1;7m', '\u001b[m', '\u001b[', '\u001b[3x', '\u001b', '[', 'm', ';', '5'];

describe('text widths match their plain definitions', () => {
	test('every code point measures as charWidth says', () => {
		for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x30000 ? 1 : 97) {
			if (cp >= 0xd800 && cp <= 0xdfff) continue;
			const char = String.fromCodePoint(cp);
			assert.equal(codePointWidth(cp), charWidth(char), `U+${cp.toString(16)}`);
			// Twice: the second answer comes from the kept table.
			assert.equal(codePointWidth(cp), charWidth(char), `U+${cp.toString(16)} again`);
			assert.equal(visibleWidth(char), referenceWidth(char), `U+${cp.toString(16)} as text`);
		}
	});

	test('random lines: visibleWidth, fit, pad and the cells of a line', () => {
		const rand = random(11);
		for (let n = 0; n < 4000; n++) {
			const length = Math.floor(rand() * 30);
			let text = '';
			for (let i = 0; i < length; i++) text += PIECES[Math.floor(rand() * PIECES.length)];
			// One difference, on purpose: halves of a surrogate pair with a colour code between them
			// are two lone surrogates here, one character once the code is stripped. fdtop never
			// splits a character (fit cuts between code points).
			if (/[\ud800-\udbff](?:\u001b\[[0-9;]*m)+[\udc00-\udfff]/.test(text)) continue;
			assert.equal(visibleWidth(text), referenceWidth(text), JSON.stringify(text));
			const width = Math.floor(rand() * 34) - 2;
			const ellipsis = rand() < 0.5 ? '…' : '~';
			assert.equal(fit(text, width, ellipsis), referenceFit(text, width, ellipsis), JSON.stringify([text, width]));
			assert.equal(pad(text, width, ellipsis), referencePad(text, width, ellipsis), JSON.stringify([text, width]));
			const cells = parseCells(text);
			// The frame writer's cells: one per terminal column, each with its state.
			assert.equal(cells.codes.length, visibleWidth(text), JSON.stringify(text));
			assert.equal(cells.states.length, cells.codes.length);
		}
	});
});
