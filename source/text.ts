/**
 * Everything a server, a recording, argv or a file sends is untrusted. `inert` is the one funnel
 * through which such text reaches the terminal (screen and stderr) or a message: it first hides
 * every secret (redact.ts), then shows escaped, never executed, what a terminal would act on or
 * hide: control characters (ESC, BEL, CR, backspace, C1 controls, DEL), line and paragraph
 * separators, bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069), zero-width and other
 * invisible characters (U+00AD soft hyphen, U+180E, U+200B–200D, U+2060–2064, U+FEFF), tag
 * characters (U+E0000–E007F) and lone surrogates, so no name can spoof another.
 */
import {redact} from './redact.js';

export const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u{e0000}-\u{e007f}\ud800-\udfff]/gu;

/** HIDDEN but U+0000–001F: JSON.stringify escapes those in strings, and its indentation is raw. */
const NOT_ASCII = /[^\x00-\x7f]/gu;

const JSON_HIDDEN = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u{e0000}-\u{e007f}\ud800-\udfff]/gu;

function escapeChar(c: string): string {
	switch (c) {
		case '\n':
			return '\\n';
		case '\r':
			return '\\r';
		case '\t':
			return '\\t';
		case '\u001b':
			return '\\e';
		default: {
			const code = c.codePointAt(0)!;
			if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
			return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
		}
	}
}

/** Show the hidden and control characters of a text escaped (no redaction). */
export function escapeHidden(text: string): string {
	HIDDEN.lastIndex = 0;
	return HIDDEN.test(text) ? text.replace(HIDDEN, escapeChar) : text;
}

/**
 * Outside text meant as one line of a message: its line breaks and tabs (`\r\n`, `\r`, `\n`,
 * U+2028/2029) become single spaces, so `inert` has no break left to show as a literal `\n`.
 */
export function oneLine(text: string): string {
	return text.replace(/[\s\u2028\u2029]+/gu, ' ').trim();
}

/** Make an outside string safe for a terminal or a message: secrets redacted, then escaped. */
export function inert(text: string): string {
	return escapeHidden(redact(text));
}

/** `inert`, then cut to `max` characters with an ellipsis. */
export function inertClip(text: string, max: number, ellipsis = '…'): string {
	const safe = inert(text);
	return safe.length <= max ? safe : safe.slice(0, Math.max(0, max - ellipsis.length)) + ellipsis;
}

/**
 * `--json`: string values redacted, and the characters `inert` escapes written as `\u` escapes
 * (JSON.stringify leaves all but U+0000–001F raw). They can only occur inside strings, so the
 * whole text is post-processed. With `ascii` every character outside ASCII is escaped too
 * (source/charset.ts chose ASCII): the same values, in bytes any terminal shows.
 */
export function safeJson(value: unknown, indent?: number, ascii = false): string {
	const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), indent);
	const hidden = ascii ? NOT_ASCII : JSON_HIDDEN;
	hidden.lastIndex = 0;
	return hidden.test(text)
		? text.replace(hidden, c => {
				let out = '';
				for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
				return out;
			})
		: text;
}
