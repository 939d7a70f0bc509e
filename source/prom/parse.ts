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
 * - Speed, as in promparse.go: the common line (`name{a="b",…} value`, no escapes, single spaces)
 *   takes a fast path that validates it with `indexOf` jumps and records offsets; its labels are
 *   decoded only when first read (`Sample.labels` is a getter). Any other line goes through the
 *   full grammar below, which gives the same result and names the error. A test checks that both
 *   paths agree on every line of the fixtures and on random text.
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

/** A legacy metric name at `lastIndex` (native code beats a charCodeAt loop on long names). */
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/** End of the legacy metric name starting at `p` (which must be a METRIC_START char). */
function metricNameEnd(text: string, p: number): number {
	METRIC_NAME.lastIndex = p;
	METRIC_NAME.test(text);
	return METRIC_NAME.lastIndex;
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
/** The labels of every sample without labels (frozen, shared). */
export const EMPTY_LABELS: Labels = Object.freeze({});

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

/**
 * One sample. `labels` is decoded from the scrape text on first read (the fast path only checked
 * the label block; most consumers read a few samples' labels, or only `le`).
 */
export class ParsedSample implements Sample {
	#labels: Labels | undefined;
	/** The scrape text, or labels to copy on first read (a scrape cache hit: see `copiedSample`). */
	readonly #text: string | Labels;
	readonly #start: number;
	readonly #end: number;

	constructor(
		readonly name: string,
		readonly value: number,
		labels: Labels | undefined,
		text: string | Labels = '',
		/** The label block `{…}` of a fast-path line, braces included. */
		start = 0,
		end = 0,
	) {
		this.#labels = labels;
		this.#text = text;
		this.#start = start;
		this.#end = end;
	}

	get labels(): Labels {
		const text = this.#text;
		return (this.#labels ??= typeof text === 'string' ? decodeSimpleLabels(text, this.#start + 1, this.#end - 1) : copyLabels(text));
	}

	/** One label's value, without decoding the others (the snapshot reads only `le` of a bucket). */
	label(name: string): string | undefined {
		const text = this.#text;
		if (this.#labels !== undefined || typeof text !== 'string') {
			const labels = this.#labels ?? (text as Labels);
			return Object.hasOwn(labels, name) ? labels[name] : undefined;
		}
		// A fast-path block has no quotes or backslashes inside values, so `{name="` or `,name="`
		// can only be the label itself. Searched in the block alone: a label the sample lacks must
		// not cost a search through the rest of the scrape.
		const block = text.slice(this.#start, this.#end);
		const key = `${name}="`;
		for (let at = block.indexOf(key, 1); at !== -1; at = block.indexOf(key, at + 1)) {
			const before = block.charCodeAt(at - 1);
			if (before === LBRACE || before === COMMA) {
				const from = at + key.length;
				return block.slice(from, block.indexOf('"', from));
			}
		}
		return undefined;
	}

	/** How many labels the sample has, without decoding them. */
	get labelCount(): number {
		const text = this.#text;
		if (this.#labels !== undefined || typeof text !== 'string') {
			const labels = this.#labels ?? (text as Labels);
			return labels === EMPTY_LABELS ? 0 : Object.keys(labels).length;
		}
		let quotes = 0;
		for (let at = text.indexOf('"', this.#start); at !== -1 && at < this.#end; at = text.indexOf('"', at + 1)) quotes++;
		return quotes >> 1;
	}

	toJSON(): {name: string; labels: Labels; value: number} {
		return {name: this.name, labels: this.labels, value: this.value};
	}
}

/**
 * A sample whose labels are a fresh copy of `labels`, made on first read (the scrape cache's hits
 * reuse labels the full grammar decoded; each result still gets its own object, as a parse gives).
 */
export function copiedSample(name: string, value: number, labels: Labels): ParsedSample {
	return labels === EMPTY_LABELS ? new ParsedSample(name, value, EMPTY_LABELS) : new ParsedSample(name, value, undefined, labels);
}

/** A copy of parsed labels (a `__proto__` label stays an own property, as the parser makes it). */
export function copyLabels(labels: Labels): Labels {
	if (labels === EMPTY_LABELS) return labels;
	const copy: Record<string, string> = {};
	for (const name of Object.keys(labels)) {
		if (name === '__proto__') Object.defineProperty(copy, name, {value: labels[name], enumerable: true, writable: true, configurable: true});
		else copy[name] = labels[name]!;
	}
	return copy;
}

/** Decodes a label block the fast path accepted: `a="b",c="d"` with no escapes or spaces. */
function decodeSimpleLabels(text: string, p: number, end: number): Labels {
	const labels: Record<string, string> = {};
	while (p < end) {
		const eq = text.indexOf('=', p);
		const name = text.slice(p, eq);
		const close = text.indexOf('"', eq + 2);
		const value = text.slice(eq + 2, close);
		if (name === '__proto__') {
			Object.defineProperty(labels, name, {value, enumerable: true, writable: true, configurable: true});
		} else {
			labels[name] = value;
		}
		p = close + 2; // past the quote and the comma (or the end)
	}
	return labels;
}

/**
 * A series key's fingerprint from its length, the first twelve chars of its label block and its
 * last twelve chars: one family's series differ in their label values, which sit at either end
 * (`le` first or last, a pid or a path last). Keys that differ only in the middle share a print
 * and are told apart by comparing them. `full` reads every char instead (see SeriesTable's
 * fallback). Equal text gives equal prints (`block` is where the label block's text starts, or
 * `to` without labels: the same offset in equal keys).
 */
function fingerprint(s: string, from: number, block: number, to: number, full: boolean): number {
	let h = to - from;
	if (full) {
		for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
	} else {
		const head = Math.min(block + 12, to);
		for (let i = block; i < head; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
		for (let i = Math.max(head, to - 12); i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b);
	}
	return (h ^ (h >>> 15)) & 0x3fffffff;
}

function sameRange(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): boolean {
	if (aTo - aFrom !== bTo - bFrom) return false;
	if (a === b && aFrom === bFrom) return true;
	for (let i = aTo - aFrom - 1; i >= 0; i--) if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
	return true;
}

/** More equal prints than this on one probe means the sampled fingerprint is being defeated. */
const MAX_EQUAL_PRINTS = 8;

/**
 * Series identity (the sample's name and label text as written, kept as offsets into the scrape,
 * so a sample costs no key string) → where its sample is: one open-addressing table per parse.
 * Keys are compared in full on equal prints. If sampled prints collide too often (hostile text
 * built to defeat them), every print is recomputed from all chars once, so work stays linear.
 */
class SeriesTable {
	private slots: Int32Array; // entry + 1; 0 = empty
	private full = false;
	private readonly source: string[] = [];
	private readonly from: number[] = [];
	private readonly block: number[] = [];
	private readonly to: number[] = [];
	private readonly print: number[] = [];
	readonly family: FamilyBuilder[] = [];
	/** Index of the entry's sample in its family's `samples`. */
	readonly index: number[] = [];

	/** Sized for a line per ~40 chars of text at most half full, so most scrapes never rehash. */
	constructor(textLength: number) {
		let size = 1024;
		while (size < textLength / 20 && size < 1 << 20) size *= 2;
		this.slots = new Int32Array(size);
	}

	/** The entry with this key in `family`, or the negative slot (minus one) to insert it at. */
	find(family: FamilyBuilder, source: string, from: number, block: number, to: number): number {
		const print = (fingerprint(source, from, block, to, this.full) ^ Math.imul(family.id, 0x27d4eb2f)) & 0x3fffffff;
		const mask = this.slots.length - 1;
		let equalPrints = 0;
		for (let slot = print & mask; ; slot = (slot + 1) & mask) {
			const e = this.slots[slot]! - 1;
			if (e < 0) {
				this.pendingPrint = print;
				return -slot - 1;
			}
			if (this.print[e] === print) {
				if (this.family[e] === family && sameRange(this.source[e]!, this.from[e]!, this.to[e]!, source, from, to)) return e;
				if (++equalPrints > MAX_EQUAL_PRINTS && !this.full) {
					this.full = true;
					this.rehash(this.slots.length);
					return this.find(family, source, from, block, to);
				}
			}
		}
	}

	private pendingPrint = 0;

	/** Adds the key `find` just missed (`at` is what it returned); returns the new entry. */
	add(at: number, family: FamilyBuilder, source: string, from: number, block: number, to: number, index: number): number {
		const e = this.print.length;
		this.source.push(source);
		this.from.push(from);
		this.block.push(block);
		this.to.push(to);
		this.print.push(this.pendingPrint);
		this.family.push(family);
		this.index.push(index);
		this.slots[-at - 1] = e + 1;
		if (2 * (e + 1) > this.slots.length) this.rehash(this.slots.length * 2);
		return e;
	}

	/** Key of an entry, to re-add it elsewhere (adoption by a later TYPE). */
	key(e: number): [string, number, number, number] {
		return [this.source[e]!, this.from[e]!, this.block[e]!, this.to[e]!];
	}

	private rehash(size: number): void {
		const slots = new Int32Array(size);
		const mask = size - 1;
		for (let e = 0; e < this.print.length; e++) {
			if (this.full) this.print[e] = (fingerprint(this.source[e]!, this.from[e]!, this.block[e]!, this.to[e]!, true) ^ Math.imul(this.family[e]!.id, 0x27d4eb2f)) & 0x3fffffff;
			let slot = this.print[e]! & mask;
			while (slots[slot] !== 0) slot = (slot + 1) & mask;
			slots[slot] = e + 1;
		}
		this.slots = slots;
	}
}

const NO_SHAPE = /(?!)/y;
const shapes = new Map<string, RegExp>();

/** `{a="…",b="…"}` with these names, values without quotes, backslashes or newlines. */
function shapeOf(names: readonly string[], count: number): RegExp {
	const key = names.slice(0, count).join(',');
	let re = shapes.get(key);
	if (re === undefined) {
		if (shapes.size > 10_000) shapes.clear();
		// Label names are [a-zA-Z0-9_]: nothing to escape.
		re = new RegExp(`\\{${names.slice(0, count).map((name) => `${name}="[^"\\\\\\n]*"`).join(',')}\\}`, 'y');
		shapes.set(key, re);
	}
	return re;
}

/** Most label blocks hold a few names; a longer one goes the full way (duplicate check is quadratic). */
const FAST_MAX_LABELS = 32;

let nextFamilyId = 1;

class FamilyBuilder {
	readonly samples: Sample[] = [];
	/** Distinct per family of one parse (mixed into series prints). */
	readonly id = nextFamilyId++;
	/** SeriesTable entry of each sample. */
	readonly entries: number[] = [];
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
	/** First seen written without quotes (legacy charset): the fast path may match it in place. */
	readonly legacy: boolean;
	/** Sticky regex matching the name followed by `{` or a space; made once the name repeats. */
	matcher: RegExp | undefined;
}

const matchers = new Map<string, RegExp>();
function matcherFor(name: string): RegExp {
	let re = matchers.get(name);
	if (re === undefined) {
		if (matchers.size > 10_000) matchers.clear();
		re = new RegExp(`${name.replace(/[^A-Za-z0-9_]/g, (ch) => `\\${ch}`)}(?=[{ ])`, 'y');
		matchers.set(name, re);
	}
	return re;
}

class ExpositionParser {
	private line = 0;
	private stopped = false;
	private skippedLines = 0;
	private firstError: ParseError | null = null;
	private createdSamples = 0;
	private duplicateSamples = 0;
	private readonly duplicated = new Set<FamilyBuilder>();
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

	private readonly series: SeriesTable;
	/** Sticky regex for the label block of the last fast line (its names, in order). */
	private shape = NO_SHAPE;
	/** Label count of the last block scanLabels checked. */
	private lastCount = -1;
	/** Families not (yet) declared by a TYPE: only they can be adopted by a later TYPE. */
	private untyped = 0;
	private seriesCount = 0;
	private droppedSamples = 0;
	/** Entries [0, distinctNames) of `labelNames` are known to be pairwise different. */
	private distinctNames = 0;
	/** Position of the next backslash at or after the last label value looked at (length if none). */
	private nextBackslash = -1;

	constructor(
		private readonly text: string,
		private readonly maxSeries: number,
		private readonly fastPath: boolean,
		/** Where every accepted sample line's value sat (for the scrape cache), or null. */
		private readonly log: SampleLog | null = null,
	) {
		this.series = new SeriesTable(text.length);
	}

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
			duplicateFamilies: Array.from(this.duplicated, f => f.name),
			droppedSamples: this.droppedSamples,
		};
	}

	/** Returns an error message, or null when the line was fine (or deliberately ignored). */
	private parseLine(start: number, end: number): string | null {
		const c = this.text.charCodeAt(start);
		if (c < 128 && (CHAR_CLASS[c]! & METRIC_START) !== 0 && this.fastPath && this.fastSample(start, end)) return null;
		const p = skipSpace(this.text, start, end);
		if (p >= end) return null;
		return this.text.charCodeAt(p) === HASH ? this.parseComment(p + 1, end) : this.parseSample(p, end);
	}

	/**
	 * The common sample line, `name value` or `name{a="b",c="d"} value`: single spaces, no escapes,
	 * no timestamp. Returns false, having changed nothing, for anything else (the full parser then
	 * takes the line). Labels are checked here but decoded on first read.
	 */
	private fastSample(start: number, end: number): boolean {
		const text = this.text;
		const last = this.last;
		let p = start;
		let c = 0;
		let same = false;
		if (last !== null && last.legacy) {
			// Consecutive lines mostly share a name (a histogram's buckets): match it in place.
			const name = last.name;
			const re = last.matcher;
			if (re !== undefined) {
				re.lastIndex = start;
				same = re.test(text);
			} else if (((c = text.charCodeAt(start + name.length)) === LBRACE || c === SPACE) && text.startsWith(name, start)) {
				same = true;
				last.matcher = matcherFor(name); // it repeats: worth a compiled matcher
			}
			if (same) {
				p = start + name.length;
				c = text.charCodeAt(p);
			}
		}
		if (!same) {
			p = metricNameEnd(text, start);
			c = text.charCodeAt(p);
			// `_created` samples are counted by the full parser.
			if (p - start >= CREATED.length && text.startsWith(CREATED, p - CREATED.length)) return false;
		}
		const nameEnd = p;
		let labelsEnd = -1;
		if (c === LBRACE) {
			// Most lines repeat the previous line's label names: one native match checks the block.
			const shape = this.shape;
			shape.lastIndex = nameEnd;
			if (shape.test(text)) {
				labelsEnd = shape.lastIndex;
			} else {
				labelsEnd = this.scanLabels(nameEnd + 1, end);
				if (labelsEnd === -1) return false;
			}
			c = text.charCodeAt(labelsEnd);
		}
		if (c !== SPACE) return false;
		const valueStart = (labelsEnd === -1 ? nameEnd : labelsEnd) + 1;
		let q = valueStart;
		while (q < end && (c = text.charCodeAt(q)) !== SPACE && c !== TAB) q++;
		if (q !== end) return false;
		const value = parseGoFloatRange(text, valueStart, end);
		if (value === undefined) return false;

		const resolved = same ? last! : this.resolveName(text.slice(start, nameEnd), true);
		let sample: ParsedSample;
		if (labelsEnd === -1) {
			sample = new ParsedSample(resolved.name, value, EMPTY_LABELS);
			this.addSample(resolved.family, text, start, nameEnd, nameEnd, sample);
		} else {
			sample = new ParsedSample(resolved.name, value, undefined, text, nameEnd, labelsEnd);
			this.addSample(resolved.family, text, start, nameEnd + 1, labelsEnd, sample);
		}
		if (this.log !== null) this.log.push(sample, valueStart, end, -1, -1, labelsEnd === -1 ? null : nameEnd, labelsEnd);
		return true;
	}

	/**
	 * Checks a label block from just after its `{` the fast path's way; returns the position after
	 * its `}`, or -1 when the full parser must take the line. Learns the block's shape.
	 */
	private scanLabels(p: number, end: number): number {
		const text = this.text;
		let c = text.charCodeAt(p);
		if (c === RBRACE) return -1;
		let count = 0;
		let changed = false;
		for (;;) {
			// A label name, then `="`.
			const nameStart = p;
			if (!(c < 128 && (CHAR_CLASS[c]! & LABEL_START) !== 0)) return -1;
			p++;
			while ((c = text.charCodeAt(p)) < 128 && (CHAR_CLASS[c]! & LABEL_CHAR) !== 0) p++;
			if (c !== EQUALS || text.charCodeAt(p + 1) !== QUOTE || count >= FAST_MAX_LABELS) return -1;
			const known = this.labelNames[count];
			if (known === undefined || known.length !== p - nameStart || !text.startsWith(known, nameStart)) {
				this.labelNames[count] = text.slice(nameStart, p);
				if (this.distinctNames > count) this.distinctNames = count;
				changed = true;
			}
			count++;
			// The value: up to the next quote, which must be on this line with no backslash before it.
			const valueStart = p + 2;
			const close = text.indexOf('"', valueStart);
			if (close === -1 || close >= end) return -1;
			if (this.nextBackslash < valueStart) {
				const found = text.indexOf('\\', valueStart);
				this.nextBackslash = found === -1 ? text.length : found;
			}
			if (this.nextBackslash < close) return -1;
			p = close + 1;
			c = text.charCodeAt(p);
			if (c === COMMA) {
				c = text.charCodeAt(++p);
				if (c !== RBRACE) continue;
			}
			if (c !== RBRACE) return -1;
			p++;
			break;
		}
		if (count > this.distinctNames && !this.namesDistinct(count)) return -1;
		// A compiled shape only for names that repeat on consecutive lines.
		this.shape = !changed && count === this.lastCount ? shapeOf(this.labelNames, count) : NO_SHAPE;
		this.lastCount = count;
		return p;
	}

	/** Whether the first `count` cached label names differ pairwise; remembers the answer. */
	private namesDistinct(count: number): boolean {
		const names = this.labelNames;
		for (let i = Math.max(1, this.distinctNames); i < count; i++) {
			for (let j = 0; j < i; j++) if (names[i] === names[j]) return false;
		}
		this.distinctNames = count;
		return true;
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
		if (this.distinctNames > index) this.distinctNames = index;
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

	private family(name: string): FamilyBuilder {
		let family = this.byName.get(name);
		if (family === undefined) {
			family = new FamilyBuilder(name, 'untyped', this.order.length);
			this.untyped++;
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
		this.untyped--;
		// Samples that arrived before their TYPE live in implicit untyped families: fold them in.
		if (this.untyped > 0) for (const suffix of OWNED_SUFFIXES[type]) this.adopt(family, name + suffix);
		this.resolved.clear();
		this.last = null;
		return null;
	}

	private adopt(family: FamilyBuilder, name: string): void {
		const orphan = this.byName.get(name);
		if (orphan === undefined || orphan.typed || orphan === family) return;
		orphan.samples.forEach((sample, i) => {
			const [source, from, block, to] = this.series.key(orphan.entries[i]!);
			this.addSample(family, source, from, block, to, sample);
		});
		if (family.help === '') family.help = orphan.help;
		if (family.unit === '') family.unit = orphan.unit;
		this.byName.delete(name);
		this.untyped--;
		this.order[orphan.slot] = null;
		if (orphan.slot < family.slot) {
			this.order[family.slot] = null;
			this.order[orphan.slot] = family;
			family.slot = orphan.slot;
		}
	}

	/** Adds a sample whose series key is `source[from, to)` (labels from `block`), or replaces the sample of an equal key. */
	private addSample(family: FamilyBuilder, source: string, from: number, block: number, to: number, sample: Sample): void {
		const found = this.series.find(family, source, from, block, to);
		if (found >= 0) {
			family.samples[this.series.index[found]!] = sample;
			this.duplicateSamples++;
			this.duplicated.add(family);
			return;
		}
		// A cardinality cap keeps memory bounded: series past it are counted, not kept.
		if (this.seriesCount >= this.maxSeries) {
			this.droppedSamples++;
			return;
		}
		this.seriesCount++;
		family.entries.push(this.series.add(found, family, source, from, block, to, family.samples.length));
		family.samples.push(sample);
	}

	/** Consecutive samples usually share a name (buckets): compare in place before slicing. */
	private resolveRange(start: number, end: number): ResolvedName {
		const last = this.last;
		if (last !== null && sameText(this.text, start, end, last.name)) return last;
		return this.resolveName(this.text.slice(start, end), true);
	}

	private resolveName(name: string, legacy: boolean): ResolvedName {
		let resolved = this.resolved.get(name);
		if (resolved === undefined) {
			resolved = {name, family: this.familyFor(name), legacy, matcher: undefined};
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

/**
 * Every sample line the parser accepted, in text order: where its value (and timestamp, or -1)
 * sat, and its labels (an object, or the label block `[block, blockEnd)` of a fast-path line that
 * decodes them lazily). A duplicate or a sample past `maxSeries` is logged too, though not kept.
 */
export class SampleLog {
	readonly samples: ParsedSample[] = [];
	readonly valueStart: number[] = [];
	readonly valueEnd: number[] = [];
	readonly stampStart: number[] = [];
	readonly stampEnd: number[] = [];
	/** Decoded labels, or the start of the label block (its `{`) for lazy labels. */
	readonly labels: (Labels | number)[] = [];
	readonly blockEnd: number[] = [];

	push(sample: ParsedSample, valueStart: number, valueEnd: number, stampStart: number, stampEnd: number, labels: Labels | number | null, blockEnd: number): void {
		this.samples.push(sample);
		this.valueStart.push(valueStart);
		this.valueEnd.push(valueEnd);
		this.stampStart.push(stampStart);
		this.stampEnd.push(stampEnd);
		this.labels.push(labels ?? EMPTY_LABELS);
		this.blockEnd.push(blockEnd);
	}
}

/** parseExposition that also logs where each accepted sample line's value sat (the scrape cache primes on it). */
export function parseLogged(text: string, maxSeries: number): {result: ParseResult; log: SampleLog} {
	const log = new SampleLog();
	return {result: new ExpositionParser(text, maxSeries, true, log).run(), log};
}

/** `sample.labels[name]`, without decoding every label of a parsed sample. */
export function sampleLabel(sample: Sample, name: string): string | undefined {
	if (sample instanceof ParsedSample) return sample.label(name);
	return Object.hasOwn(sample.labels, name) ? sample.labels[name] : undefined;
}

/** The number of labels of a sample, without decoding the labels of a parsed one. */
export function sampleLabelCount(sample: Sample): number {
	if (sample instanceof ParsedSample) return sample.labelCount;
	let n = 0;
	for (const _ in sample.labels) n++;
	return n;
}

export interface ParseOptions {
	/** Keep at most this many series; the rest are counted in `droppedSamples`. */
	readonly maxSeries?: number;
	/** false: every line through the full grammar (tests compare both paths; same result). */
	readonly fastPath?: boolean;
}

/** Never throws: malformed lines are skipped and reported in the result. */
export function parseExposition(text: string, options: ParseOptions = {}): ParseResult {
	return new ExpositionParser(typeof text === 'string' ? text : String(text ?? ''), options.maxSeries ?? Number.POSITIVE_INFINITY, options.fastPath ?? true).run();
}
