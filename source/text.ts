/**
 * Everything a server or a recording sends is untrusted: before it reaches the terminal, control
 * characters (ESC, BEL, CR, backspace, C1 controls, DEL) are shown escaped and never executed.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

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
			return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
		}
	}
}

/** Make a server-provided string inert for a terminal. */
export function inert(text: string): string {
	CONTROL.lastIndex = 0;
	return CONTROL.test(text) ? text.replace(CONTROL, escapeChar) : text;
}

/** `inert`, then cut to `max` characters with an ellipsis. */
export function inertClip(text: string, max: number, ellipsis = '…'): string {
	const safe = inert(text);
	return safe.length <= max ? safe : safe.slice(0, Math.max(0, max - ellipsis.length)) + ellipsis;
}
