/**
 * Prometheus text exposition format 0.0.4 (plus the harmless OpenMetrics bits: `# UNIT`, `# EOF`,
 * exemplars, float timestamps) → families. One pass over the string with charCodeAt and offsets,
 * in the spirit of Prometheus's own promparse.go (grammar notes: the shared reference
 * ink-and-prometheus.md §C1).
 *
 * Decisions worth knowing:
 * - Samples join families by suffix, never by position: FastDeploy 2.3 prints `_sum` before the
 *   buckets and spreads one histogram's series across the family (multiprocess collector).
 * - `_created` samples and families are dropped and counted (prometheus_client in-memory mode
 *   prints one `# TYPE x_created gauge` family per counter and histogram).
 * - A bad line is skipped and counted; the rest of the scrape survives. Lines never span: a raw
 *   newline ends an unterminated label value, which makes that line an error.
 * - Duplicate series (same name and same label text as written) keep the LAST value, in the
 *   position of the first, and are counted in `duplicateSamples`: later code sums series, so
 *   keeping both would double-count.
 * - Families declared by HELP/TYPE but without samples are kept (empty `samples`).
 */

import {parseGoFloatRange} from './float.js';
import type {Family, Labels, MetricType, ParseError, ParseResult, Sample} from './types.js';

const TAB = 0x09;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

const METRIC_START = 1;
const METRIC_CHAR = 2;
const LABEL_START = 4;
const LABEL_CHAR = 8;
/** ASCII classes; legacy names are ASCII-only (UTF-8 names must be quoted). */
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
	const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
	const digit = c >= 0x30 && c <= 0x39;
	const colon = c === 0x3a;
	CHAR_CLASS[c] =
		(letter || colon ? METRIC_START : 0) |
		(letter || digit || colon ? METRIC_CHAR : 0) |
		(letter ? LABEL_START : 0) |
		(letter || digit ? LABEL_CHAR : 0);
}

function is(c: number, charClass: number): boolean {
	return c < 128 && ((CHAR_CLASS[c] ?? 0) & charClass) !== 0;
}

function skipSpace(text: string, p: number, end: number): number {
	let c: number;
	while (p < end && ((c = text.charCodeAt(p)) === SPACE || c === TAB)) p++;
	return p;
}

/** OpenMetrics `unknown` is accepted as a spelling of `untyped`; anything else unknown is an error. */
const METRIC_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
	['counter', 'counter'],
	['gauge', 'gauge'],
	['histogram', 'histogram'],
	['summary', 'summary'],
	['untyped', 'untyped'],
	['unknown', 'untyped'],
]);

/** Sample-name suffixes a declared family owns besides its own name (scrape.go isSeriesPartOfFamily). */
const OWNED_SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
	counter: ['_total'],
	gauge: [],
	histogram: ['_bucket', '_sum', '_count'],
	summary: ['_sum', '_count'],
	untyped: [],
};

const CREATED = '_created';
const EMPTY_LABELS: Labels = Object.freeze({});

function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether `text[start, end)` equals `s`; from the end, where sample names of one family differ. */
function sameText(text: string, start: number, end: number, s: string): boolean {
	if (s.length !== end - start) return false;
	for (let i = s.length - 1; i >= 0; i--) {
		if (text.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
	}
	return true;
}

function describe(text: string, p: number, end: number): string {
	return p >= end ? 'end of line' : JSON.stringify(text.charAt(p));
}

/** Decodes `\\` and `\n` always and `\"` when `quotes`; any other escape stays verbatim. */
function decodeEscapes(raw: string, quotes: boolean): string {
	// Pieces are joined once at the end: a string grown by `+=` per escape turns into a deep rope
	// whose flattening made a line of a million backslashes cost far more than linear time.
	const parts: string[] = [];
	let from = 0;
	for (let i = raw.indexOf('\\'); i !== -1 && i + 1 < raw.length; i = raw.indexOf('\\', from)) {
		const next = raw.charCodeAt(i + 1);
		if (next === BACKSLASH || next === LOWER_N || (quotes && next === QUOTE)) {
			if (i > from) parts.push(raw.slice(from, i));
			parts.push(next === LOWER_N ? '\n' : next === QUOTE ? '"' : '\\');
		} else {
			parts.push(raw.slice(from, i + 2));
		}
		from = i + 2;
	}
	parts.push(raw.slice(from));
	return parts.join('');
}

class FamilyBuilder {
	readonly samples: Sample[] = [];
	/** Series identity (name + label text as written) → index in `samples`, to replace duplicates. */
	readonly series = new Map<string, number>();
	typed = false;
	help = '';
	unit = '';

	constructor(
		readonly name: string,
		public type: MetricType,
		/** Position in first-seen order. */
		public slot: number,
	) {}
}

/** A sample name with the family it resolved to; the name string is shared by all its samples. */
interface ResolvedName {
	readonly name: string;
	readonly family: FamilyBuilder;
}

class ExpositionParser {
	private line = 0;
	private stopped = false;
	private skippedLines = 0;
	private firstError: ParseError | null = null;
	private createdSamples = 0;
	private duplicateSamples = 0;
	private readonly order: (FamilyBuilder | null)[] = [];
	private readonly byName = new Map<string, FamilyBuilder>();
	private readonly resolved = new Map<string, ResolvedName>();
	private last: ResolvedName | null = null;
	/** Label names by position in the previous label set, reused when the same text repeats. */
	private readonly labelNames: string[] = [];
	// Secondary results of the scanning helpers, to avoid allocating result tuples.
	private pos = 0;
	private labels: Labels = EMPTY_LABELS;
	private quotedName: string | undefined;

	private seriesCount = 0;
	private droppedSamples = 0;

	constructor(
		private readonly text: string,
		private readonly maxSeries: number,
	) {}

	run(): ParseResult {
		const text = this.text;
		const length = text.length;
		let pos = 0;
		while (pos < length && !this.stopped) {
			this.line++;
			let eol = text.indexOf('\n', pos);
			if (eol === -1) eol = length;
			const end = eol > pos && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
			let error: string | null;
			try {
				error = this.parseLine(pos, end);
			} catch (e) {
				// Only resource limits (e.g. Map size) can get here; keep the rest of the scrape.
				error = `internal error: ${String(e)}`;
			}
			if (error !== null) {
				this.skippedLines++;
				this.firstError ??= {line: this.line, message: error};
			}
			pos = eol + 1;
		}
		return this.result();
	}

	private result(): ParseResult {
		const families: Family[] = [];
		let sampleCount = 0;
		for (const f of this.order) {
			if (f === null) continue;
			families.push({name: f.name, type: f.type, help: f.help, unit: f.unit, samples: f.samples});
			sampleCount += f.samples.length;
		}
		return {
			families,
			sampleCount,
			skippedLines: this.skippedLines,
			firstError: this.firstError,
			createdSamples: this.createdSamples,
			duplicateSamples: this.duplicateSamples,
			droppedSamples: this.droppedSamples,
		};
	}

	/** Returns an error message, or null when the line was fine (or deliberately ignored). */
	private parseLine(start: number, end: number): string | null {
		const p = skipSpace(this.text, start, end);
		if (p >= end) return null;
		return this.text.charCodeAt(p) === HASH ? this.parseComment(p + 1, end) : this.parseSample(p, end);
	}

	private parseSample(start: number, end: number): string | null {
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

		// Timestamps are ignored (fdtop uses its own scrape time) but must still be well formed;
		// an exemplar (` # {…} v [ts]`) ends the useful part of the line.
		p = skipSpace(text, q, end);
		if (p < end && text.charCodeAt(p) !== HASH) {
			q = p;
			while (q < end && (c = text.charCodeAt(q)) !== SPACE && c !== TAB) q++;
			if (!Number.isFinite(parseGoFloatRange(text, p, q))) {
				return `invalid timestamp "${clip(text.slice(p, q))}"`;
			}
			p = skipSpace(text, q, end);
			if (p < end && text.charCodeAt(p) !== HASH) {
				return `unexpected text after timestamp, got ${describe(text, p, end)}`;
			}
		}

		const resolved = quotedName === undefined ? this.resolveRange(start, nameEnd) : this.resolveName(quotedName);
		const key = labels === EMPTY_LABELS ? resolved.name : text.slice(start, seriesEnd);
		this.addSample(resolved.family, key, {name: resolved.name, labels, value});
		return null;
	}

	/** Parses a label set after its `{`; sets `pos` past the `}`, `labels` and `quotedName`. */
	private parseLabels(p: number, end: number): string | null {
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
	private readQuoted(p: number, end: number): string | null {
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

	private labelName(index: number, start: number, end: number): string {
		const previous = this.labelNames[index];
		if (previous !== undefined && sameText(this.text, start, end, previous)) return previous;
		const name = this.text.slice(start, end);
		this.labelNames[index] = name;
		return name;
	}

	/** `p` is just after the `#`. */
	private parseComment(p: number, end: number): string | null {
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
			const nameStart = p++;
			while (p < end && is(text.charCodeAt(p), METRIC_CHAR)) p++;
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

	private family(name: string): FamilyBuilder {
		let family = this.byName.get(name);
		if (family === undefined) {
			family = new FamilyBuilder(name, 'untyped', this.order.length);
			this.order.push(family);
			this.byName.set(name, family);
		}
		return family;
	}

	private declare(name: string, type: MetricType): string | null {
		const family = this.family(name);
		if (family.typed) {
			return family.type === type ? null : `TYPE ${type} for ${clip(name)} conflicts with the earlier TYPE ${family.type}`;
		}
		family.type = type;
		family.typed = true;
		// Samples that arrived before their TYPE live in implicit untyped families: fold them in.
		for (const suffix of OWNED_SUFFIXES[type]) this.adopt(family, name + suffix);
		this.resolved.clear();
		this.last = null;
		return null;
	}

	private adopt(family: FamilyBuilder, name: string): void {
		const orphan = this.byName.get(name);
		if (orphan === undefined || orphan.typed || orphan === family) return;
		for (const [key, index] of orphan.series) {
			const sample = orphan.samples[index];
			if (sample !== undefined) this.addSample(family, key, sample);
		}
		if (family.help === '') family.help = orphan.help;
		if (family.unit === '') family.unit = orphan.unit;
		this.byName.delete(name);
		this.order[orphan.slot] = null;
		if (orphan.slot < family.slot) {
			this.order[family.slot] = null;
			this.order[orphan.slot] = family;
			family.slot = orphan.slot;
		}
	}

	private addSample(family: FamilyBuilder, key: string, sample: Sample): void {
		const index = family.series.get(key);
		if (index === undefined) {
			// A cardinality cap keeps memory bounded: series past it are counted, not kept.
			if (this.seriesCount >= this.maxSeries) {
				this.droppedSamples++;
				return;
			}
			this.seriesCount++;
			family.series.set(key, family.samples.length);
			family.samples.push(sample);
		} else {
			family.samples[index] = sample;
			this.duplicateSamples++;
		}
	}

	/** Consecutive samples usually share a name (buckets): compare in place before slicing. */
	private resolveRange(start: number, end: number): ResolvedName {
		const last = this.last;
		if (last !== null && sameText(this.text, start, end, last.name)) return last;
		return this.resolveName(this.text.slice(start, end));
	}

	private resolveName(name: string): ResolvedName {
		let resolved = this.resolved.get(name);
		if (resolved === undefined) {
			resolved = {name, family: this.familyFor(name)};
			this.resolved.set(name, resolved);
		}
		this.last = resolved;
		return resolved;
	}

	/** Declared exact name, then a declared family owning the suffix, then an untyped family. */
	private familyFor(name: string): FamilyBuilder {
		const exact = this.byName.get(name);
		if (exact !== undefined && exact.typed) return exact;
		const owner = this.suffixOwner(name);
		return owner ?? exact ?? this.family(name);
	}

	private suffixOwner(name: string): FamilyBuilder | undefined {
		let owner: FamilyBuilder | undefined;
		if (name.endsWith('_bucket')) {
			owner = this.byName.get(name.slice(0, -7));
			return owner?.typed && owner.type === 'histogram' ? owner : undefined;
		}
		const suffix = name.endsWith('_sum') ? 4 : name.endsWith('_count') ? 6 : 0;
		if (suffix !== 0) {
			owner = this.byName.get(name.slice(0, -suffix));
			return owner?.typed && (owner.type === 'histogram' || owner.type === 'summary') ? owner : undefined;
		}
		if (name.endsWith('_total')) {
			owner = this.byName.get(name.slice(0, -6));
			return owner?.typed && owner.type === 'counter' ? owner : undefined;
		}
		return undefined;
	}
}

export interface ParseOptions {
	/** Keep at most this many series; the rest are counted in `droppedSamples`. */
	readonly maxSeries?: number;
}

/** Never throws: malformed lines are skipped and reported in the result. */
export function parseExposition(text: string, options: ParseOptions = {}): ParseResult {
	return new ExpositionParser(typeof text === 'string' ? text : String(text ?? ''), options.maxSeries ?? Number.POSITIVE_INFINITY).run();
}
