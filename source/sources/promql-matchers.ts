/**
 * `--match`: a PromQL label matcher list and nothing else. fdtop splices the list into its own
 * selectors (`{__name__=~"…", <the list>}`), so the text is tokenized here by the matcher grammar
 * and written back canonically: whatever the user typed can only ever become matchers, never other
 * PromQL (`{job="x"} or vector(1)`, `offset 1h`, a closing brace or a metric name).
 *
 *   input   := ws ( '{' ws list? '}' | list? ) ws
 *   list    := matcher ( ',' matcher )* ','?
 *   matcher := ws name ws op ws string ws
 *   name    := [A-Za-z_][A-Za-z0-9_]*  |  a quoted string (Prometheus 3 UTF-8 label names)
 *   op      := '=' | '!=' | '=~' | '!~'
 *   string  := "…" | '…' with Go escapes (\a \b \f \n \r \t \v \\ \' \" \NNN \xNN \uNNNN \UNNNNNNNN),
 *              or `…` raw
 */
import {inert, inertClip} from '../text.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
	readonly name: string;
	readonly op: MatchOp;
	readonly value: string;
}

export class MatcherError extends Error {
	override readonly name = 'MatcherError';

	constructor(
		/** What is wrong, e.g. `unexpected "o" at character 11, expected "," or "}"`. */
		readonly problem: string,
	) {
		super(problem);
	}
}

const LEGACY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPACE = new Set([' ', '\t', '\n', '\r']);
const NAME_START = /[A-Za-z_]/;
const NAME_REST = /[A-Za-z0-9_]/;

/** A character of the input for a message: quoted, control characters escaped (`inert` runs later too). */
function shown(c: string | undefined): string {
	if (c === undefined) return 'the end';
	return JSON.stringify(c);
}

/** The matchers of a `--match` value (`{job="x", instance=~"h.*"}`, `job="x"`, `{}` or ''). */
export function parseMatchers(input: string): LabelMatcher[] {
	const text = input;
	let i = 0;
	const at = (): string => `at character ${i + 1}`;
	const skip = (): void => {
		while (i < text.length && SPACE.has(text[i]!)) i++;
	};
	const fail = (expected: string): never => {
		const c = text[i];
		if (c === undefined) throw new MatcherError(`it ends early, expected ${expected}`);
		throw new MatcherError(`unexpected ${shown(c)} ${at()}, expected ${expected}`);
	};

	const readString = (): string => {
		const quote = text[i]!;
		const start = i;
		i++;
		if (quote === '`') {
			const end = text.indexOf('`', i);
			if (end < 0) {
				i = start;
				throw new MatcherError(`the string opened ${at()} is not closed`);
			}
			const value = text.slice(i, end);
			i = end + 1;
			return value;
		}
		let value = '';
		for (;;) {
			const c = text[i];
			if (c === undefined || c === '\n') {
				i = start;
				throw new MatcherError(`the string opened ${at()} is not closed`);
			}
			i++;
			if (c === quote) return value;
			if (c !== '\\') {
				value += c;
				continue;
			}
			value += readEscape(quote);
		}
	};

	const readEscape = (quote: string): string => {
		const c = text[i];
		const escapeAt = i - 1;
		i++;
		const simple: Record<string, string> = {a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\'};
		if (c !== undefined && c in simple) return simple[c]!;
		if (c === quote) return quote;
		const digits = (n: number, base: number): number => {
			const part = text.slice(i, i + n);
			const ok = base === 8 ? /^[0-7]+$/ : /^[0-9A-Fa-f]+$/;
			if (part.length < n || !ok.test(part)) {
				i = escapeAt;
				throw new MatcherError(`a bad escape ${at()}: \\${c} needs ${n} ${base === 8 ? 'octal' : 'hex'} digits`);
			}
			i += n;
			return Number.parseInt(part, base);
		};
		let code: number;
		if (c !== undefined && c >= '0' && c <= '7') {
			i--;
			code = digits(3, 8);
		} else if (c === 'x') {
			code = digits(2, 16);
		} else if (c === 'u') {
			code = digits(4, 16);
		} else if (c === 'U') {
			code = digits(8, 16);
		} else {
			i = escapeAt;
			throw new MatcherError(`unknown escape \\ then ${shown(c)} ${at()}`);
		}
		// \x and octal escapes are bytes in Go: only ASCII ones are whole characters.
		if ((c === 'x' || (c! >= '0' && c! <= '7')) && code > 0x7f) {
			i = escapeAt;
			throw new MatcherError(`the byte escape ${at()} is above \\x7f: write the character, or \\u00${code.toString(16)}`);
		}
		if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
			i = escapeAt;
			throw new MatcherError(`the escape ${at()} is not a Unicode character`);
		}
		return String.fromCodePoint(code);
	};

	const readName = (): string => {
		const c = text[i];
		if (c === '"' || c === "'" || c === '`') return readString();
		if (c === undefined || !NAME_START.test(c)) fail('a label name');
		const start = i;
		while (i < text.length && NAME_REST.test(text[i]!)) i++;
		return text.slice(start, i);
	};

	const readOp = (name: string): MatchOp => {
		const two = text.slice(i, i + 2);
		if (two === '!=' || two === '=~' || two === '!~') {
			i += 2;
			return two;
		}
		if (text[i] === '=') {
			i++;
			return '=';
		}
		if (text[i] === '{' || text[i] === '}' || text[i] === ',' || text[i] === undefined) {
			throw new MatcherError(`${JSON.stringify(name)} is a metric name; fdtop chooses the metrics, --match only narrows the series`);
		}
		return fail(`=, !=, =~ or !~ after the label name ${JSON.stringify(name)}`);
	};

	skip();
	const braced = text[i] === '{';
	if (braced) i++;
	const matchers: LabelMatcher[] = [];
	for (;;) {
		skip();
		if (i >= text.length || (braced && text[i] === '}')) break;
		const name = readName();
		if (name === '') fail('a label name');
		skip();
		const op = readOp(name);
		skip();
		const q = text[i];
		if (q !== '"' && q !== "'" && q !== '`') fail(`a quoted string after ${JSON.stringify(name)}${op}`);
		const value = readString();
		matchers.push({name, op, value});
		skip();
		if (text[i] === ',') {
			i++;
			continue;
		}
		if (i >= text.length || (braced && text[i] === '}')) break;
		fail(braced ? '"," or "}"' : '","');
	}
	if (braced) {
		if (text[i] !== '}') fail('"}"');
		i++;
	}
	skip();
	if (i < text.length) fail(braced ? 'nothing after the closing "}"' : 'a label matcher');
	return matchers;
}

/** A PromQL string literal (JSON's escapes are a subset of Go's). */
const quote = (s: string): string => JSON.stringify(s);

/** The canonical text of a matcher list, without braces: `job="x", instance=~"h.*"` ('' for none). */
export function formatMatchers(matchers: readonly LabelMatcher[]): string {
	return matchers.map(m => `${LEGACY_NAME.test(m.name) ? m.name : quote(m.name)}${m.op}${quote(m.value)}`).join(', ');
}

/** An example for messages. */
export const MATCH_EXAMPLE = `'{job="llm_job", instance=~"gpu-.*"}'`;

/** `--match` text → the canonical matcher list without braces ('' for none); throws MatcherError. */
export function canonicalMatch(input: string): string {
	return formatMatchers(parseMatchers(input));
}

/** The one-line usage error for a `--match` that is not a matcher list (argv text made inert, clipped). */
export function matchUsageMessage(input: string, error: MatcherError): string {
	return inert(`--match '${inertClip(input, 120)}': ${error.problem}; give label matchers only, e.g. ${MATCH_EXAMPLE}`);
}
