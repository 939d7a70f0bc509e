/**
 * The full line grammar: any sample line (quoted names, escapes, spaces, timestamps, exemplars)
 * and the comment lines HELP, TYPE, UNIT and EOF. Each rule that fails returns the message naming
 * what it expected and what it found; the parser (parse.ts) skips that line and keeps the rest. The
 * fast path in parse.ts takes the common line first and gives the same result.
 */
import {parseGoFloatRange} from './float.js';
import {CREATED, FamilyAssembler, METRIC_TYPES} from './families.js';
import {BACKSLASH, COMMA, decodeEscapes, EQUALS, HASH, is, LABEL_CHAR, LABEL_START, LBRACE, METRIC_CHAR, METRIC_START, metricNameEnd, QUOTE, RBRACE, sameText, skipSpace, SPACE, TAB} from './lexer.js';
import {clip, describe} from './parse-errors.js';
import {EMPTY_LABELS, ParsedSample, type SampleLog} from './sample.js';
import type {Labels} from './types.js';

export class LineGrammar extends FamilyAssembler {
	protected stopped = false;
	/** Label names by position in the previous label set, reused when the same text repeats. */
	protected readonly labelNames: string[] = [];
	// Secondary results of the scanning helpers, to avoid allocating result tuples.
	protected pos = 0;
	protected labels: Labels = EMPTY_LABELS;
	protected quotedName: string | undefined;
	/** Entries [0, distinctNames) of `labelNames` are known to be pairwise different. */
	protected distinctNames = 0;

	constructor(
		text: string,
		maxSeries: number,
		/** Where every accepted sample line's value sat (for the scrape cache), or null. */
		protected readonly log: SampleLog | null,
	) {
		super(text, maxSeries);
	}

	protected parseSample(start: number, end: number): string | null {
		const text = this.text;
		let p = start;
		// Resolved only once the whole line is known good, so a bad line leaves no empty family.
		let nameEnd = -1;
		if (is(text.charCodeAt(p), METRIC_START)) {
			p++;
			while (p < end && is(text.charCodeAt(p), METRIC_CHAR)) p++;
			if (p - start >= CREATED.length && text.startsWith(CREATED, p - CREATED.length)) {
				this.createdSamples++;
				return null;
			}
			if (p < end) {
				const c = text.charCodeAt(p);
				if (c !== SPACE && c !== TAB && c !== LBRACE) {
					return `expected whitespace or '{' after metric name, got ${describe(text, p, end)}`;
				}
			}
			nameEnd = p;
		} else if (text.charCodeAt(p) !== LBRACE) {
			return `expected metric name, got ${describe(text, p, end)}`;
		}

		let seriesEnd = p;
		p = skipSpace(text, p, end);
		let labels = EMPTY_LABELS;
		let quotedName: string | undefined;
		const blockStart = p + 1;
		if (p < end && text.charCodeAt(p) === LBRACE) {
			const error = this.parseLabels(p + 1, end);
			if (error !== null) return error;
			labels = this.labels;
			quotedName = this.quotedName;
			p = this.pos;
			if (labels !== EMPTY_LABELS) seriesEnd = p;
		}
		if (quotedName !== undefined) {
			if (nameEnd !== -1) return 'metric name given both before and inside the braces';
			if (quotedName.endsWith(CREATED)) {
				this.createdSamples++;
				return null;
			}
		} else if (nameEnd === -1) {
			return 'metric name not set';
		}

		p = skipSpace(text, p, end);
		if (p >= end) return `expected value after metric "${clip(quotedName ?? text.slice(start, nameEnd))}"`;
		let q = p;
		let c: number;
		while (q < end && (c = text.charCodeAt(q)) !== SPACE && c !== TAB) q++;
		const value = parseGoFloatRange(text, p, q);
		if (value === undefined) return `invalid value "${clip(text.slice(p, q))}"`;
		const valueStart = p;
		const valueEnd = q;
		let stampStart = -1;
		let stampEnd = -1;

		// Timestamps are ignored (fdtop uses its own scrape time) but must still be well formed;
		// an exemplar (` # {…} v [ts]`) ends the useful part of the line.
		p = skipSpace(text, q, end);
		if (p < end && text.charCodeAt(p) !== HASH) {
			q = p;
			while (q < end && (c = text.charCodeAt(q)) !== SPACE && c !== TAB) q++;
			if (!Number.isFinite(parseGoFloatRange(text, p, q))) {
				return `invalid timestamp "${clip(text.slice(p, q))}"`;
			}
			stampStart = p;
			stampEnd = q;
			p = skipSpace(text, q, end);
			if (p < end && text.charCodeAt(p) !== HASH) {
				return `unexpected text after timestamp, got ${describe(text, p, end)}`;
			}
		}

		const resolved = quotedName === undefined ? this.resolveRange(start, nameEnd) : this.resolveName(quotedName, false);
		const sample = new ParsedSample(resolved.name, value, labels);
		if (labels === EMPTY_LABELS) this.addSample(resolved.family, resolved.name, 0, resolved.name.length, resolved.name.length, sample);
		else this.addSample(resolved.family, text, start, blockStart, seriesEnd, sample);
		if (this.log !== null) this.log.push(sample, valueStart, valueEnd, stampStart, stampEnd, labels, -1);
		return null;
	}

	/** Parses a label set after its `{`; sets `pos` past the `}`, `labels` and `quotedName`. */
	protected parseLabels(p: number, end: number): string | null {
		const text = this.text;
		let labels: Record<string, string> | undefined;
		let index = 0;
		this.quotedName = undefined;
		p = skipSpace(text, p, end);
		for (;;) {
			if (p >= end) return "expected label name or '}', got end of line";
			let c = text.charCodeAt(p);
			if (c === RBRACE) {
				p++;
				break;
			}
			let name: string;
			if (is(c, LABEL_START)) {
				const nameStart = p++;
				while (p < end && is(text.charCodeAt(p), LABEL_CHAR)) p++;
				name = this.labelName(index, nameStart, p);
				p = skipSpace(text, p, end);
			} else if (c === QUOTE) {
				const quoted = this.readQuoted(p + 1, end);
				if (quoted === null) return 'unterminated quoted name';
				name = quoted;
				p = skipSpace(text, this.pos, end);
				if (p >= end || text.charCodeAt(p) !== EQUALS) {
					// Prometheus 3: a quoted string without '=' inside the braces is the metric name.
					if (this.quotedName !== undefined) return 'metric name given twice inside the braces';
					this.quotedName = quoted;
					c = p < end ? text.charCodeAt(p) : -1;
					if (c === COMMA) p = skipSpace(text, p + 1, end);
					else if (c !== RBRACE) return `expected ',' or '}' after quoted metric name, got ${describe(text, p, end)}`;
					continue;
				}
			} else {
				return `expected label name, got ${describe(text, p, end)}`;
			}

			if (p >= end || text.charCodeAt(p) !== EQUALS) {
				return `expected '=' after label name "${clip(name)}", got ${describe(text, p, end)}`;
			}
			p = skipSpace(text, p + 1, end);
			if (p >= end || text.charCodeAt(p) !== QUOTE) {
				return `expected '"' to start the value of label "${clip(name)}", got ${describe(text, p, end)}`;
			}
			const value = this.readQuoted(p + 1, end);
			if (value === null) return `unterminated label value for label "${clip(name)}"`;
			labels ??= {};
			if (Object.hasOwn(labels, name)) return `duplicate label name "${clip(name)}"`;
			if (name === '__proto__') {
				Object.defineProperty(labels, name, {value, enumerable: true, writable: true, configurable: true});
			} else {
				labels[name] = value;
			}
			index++;

			p = skipSpace(text, this.pos, end);
			c = p < end ? text.charCodeAt(p) : -1;
			if (c === COMMA) {
				p = skipSpace(text, p + 1, end);
			} else if (c === RBRACE) {
				p++;
				break;
			} else if (!is(c, LABEL_START) && c !== QUOTE) {
				// A missing comma before the next name is tolerated, as Prometheus does.
				return `expected ',' or '}' after label value, got ${describe(text, p, end)}`;
			}
		}
		this.pos = p;
		this.labels = labels ?? EMPTY_LABELS;
		return null;
	}

	/** Reads a quoted string whose opening quote is just before `p`; null if the line ends first. */
	protected readQuoted(p: number, end: number): string | null {
		const text = this.text;
		let escaped = false;
		for (let q = p; q < end; ) {
			const c = text.charCodeAt(q);
			if (c === QUOTE) {
				this.pos = q + 1;
				const raw = text.slice(p, q);
				return escaped ? decodeEscapes(raw, true) : raw;
			}
			if (c === BACKSLASH) {
				escaped = true;
				q += 2;
			} else {
				q++;
			}
		}
		return null;
	}

	protected labelName(index: number, start: number, end: number): string {
		const previous = this.labelNames[index];
		if (previous !== undefined && sameText(this.text, start, end, previous)) return previous;
		const name = this.text.slice(start, end);
		this.labelNames[index] = name;
		if (this.distinctNames > index) this.distinctNames = index;
		return name;
	}

	/** `p` is just after the `#`. */
	protected parseComment(p: number, end: number): string | null {
		const text = this.text;
		// `#HELP` and `#` alone are plain comments: metadata needs whitespace after the '#'.
		if (p >= end) return null;
		let c = text.charCodeAt(p);
		if (c !== SPACE && c !== TAB) return null;
		p = skipSpace(text, p, end);
		let keywordEnd = p;
		while (keywordEnd < end && (c = text.charCodeAt(keywordEnd)) !== SPACE && c !== TAB) keywordEnd++;
		const keyword = keywordEnd - p <= 4 ? text.slice(p, keywordEnd) : '';
		if (keyword === 'EOF') {
			if (skipSpace(text, keywordEnd, end) === end) this.stopped = true;
			return null;
		}
		if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') return null;

		p = skipSpace(text, keywordEnd, end);
		let name: string;
		if (p < end && is(text.charCodeAt(p), METRIC_START)) {
			const nameStart = p;
			p = metricNameEnd(text, p);
			name = text.slice(nameStart, p);
		} else if (p < end && text.charCodeAt(p) === QUOTE) {
			const quoted = this.readQuoted(p + 1, end);
			if (quoted === null) return `unterminated quoted metric name after ${keyword}`;
			name = quoted;
			p = this.pos;
		} else {
			return `expected metric name after ${keyword}, got ${describe(text, p, end)}`;
		}
		if (p < end && (c = text.charCodeAt(p)) !== SPACE && c !== TAB) {
			return `expected whitespace after metric name "${clip(name)}", got ${describe(text, p, end)}`;
		}
		p = skipSpace(text, p, end);

		if (keyword === 'HELP') {
			if (name.endsWith(CREATED)) return null;
			const raw = text.slice(p, end);
			this.family(name).help = raw.includes('\\') ? decodeEscapes(raw, false) : raw;
			return null;
		}
		let wordEnd = p;
		while (wordEnd < end && (c = text.charCodeAt(wordEnd)) !== SPACE && c !== TAB) wordEnd++;
		const word = text.slice(p, wordEnd);
		if (word === '') return `expected ${keyword === 'TYPE' ? 'metric type' : 'unit'} after ${keyword} ${clip(name)}`;
		if (skipSpace(text, wordEnd, end) !== end) {
			return `unexpected text after ${keyword} ${clip(name)} ${clip(word)}, got ${describe(text, skipSpace(text, wordEnd, end), end)}`;
		}
		if (keyword === 'UNIT') {
			if (!name.endsWith(CREATED)) this.family(name).unit = word;
			return null;
		}
		const type = METRIC_TYPES.get(word);
		if (type === undefined) return `unknown metric type "${clip(word)}" in TYPE ${clip(name)}`;
		return name.endsWith(CREATED) ? null : this.declare(name, type);
	}
}
