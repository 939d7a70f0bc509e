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
 *   full grammar (line-grammar.ts), which gives the same result and names the error. A test checks that both
 *   paths agree on every line of the fixtures and on random text.
 */

import {parseGoFloatRange} from './float.js';
import {CREATED} from './families.js';
import {CHAR_CLASS, COMMA, CR, EQUALS, HASH, LABEL_CHAR, LABEL_START, LBRACE, METRIC_START, metricNameEnd, QUOTE, RBRACE, skipSpace, SPACE, TAB} from './lexer.js';
import {LineGrammar} from './line-grammar.js';
import {EMPTY_LABELS, ParsedSample, SampleLog} from './sample.js';
import type {Family, ParseError, ParseResult} from './types.js';

// The parser is split by concern: lexer.ts (tokenizing), sample.ts (samples), series-table.ts
// (duplicate series), families.ts (families, histogram assembly), line-grammar.ts (the full
// grammar and its errors), parse-errors.ts; this file is the loop over lines and the fast path.
export {copiedSample, copyLabels, EMPTY_LABELS, ParsedSample, SampleLog, sampleLabel, sampleLabelCount} from './sample.js';

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

class ExpositionParser extends LineGrammar {
	private line = 0;
	private skippedLines = 0;
	private firstError: ParseError | null = null;
	/** Sticky regex for the label block of the last fast line (its names, in order). */
	private shape = NO_SHAPE;
	/** Label count of the last block scanLabels checked. */
	private lastCount = -1;
	/** Position of the next backslash at or after the last label value looked at (length if none). */
	private nextBackslash = -1;

	constructor(
		text: string,
		maxSeries: number,
		private readonly fastPath: boolean,
		log: SampleLog | null = null,
	) {
		super(text, maxSeries, log);
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
}

/** parseExposition that also logs where each accepted sample line's value sat (the scrape cache primes on it). */
export function parseLogged(text: string, maxSeries: number): {result: ParseResult; log: SampleLog} {
	const log = new SampleLog();
	return {result: new ExpositionParser(text, maxSeries, true, log).run(), log};
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
