/**
 * A per-target parse cache, in the spirit of Prometheus's scrape cache: consecutive scrapes of one
 * target almost always have the same shape (the same lines in the same order, only the values
 * differ), so once a scrape has been parsed in full, the next one is only checked against it.
 *
 * A parsed scrape is kept as a template: the text between the values (and timestamps) of its
 * accepted sample lines, and where each such sample went in the result. A new scrape hits when it
 * is those constant pieces with, between them, tokens the full parser would accept in the same
 * place: a value (Go float grammar, the same `parseGoFloatRange`) and a finite timestamp. Anything
 * else (a line more or less, a changed label, a bad value, a different line end) is a miss: the
 * full parser takes the scrape and its result becomes the template.
 *
 * Why a hit gives exactly the full parser's result: what the parser decides about a line (its
 * family, its series, whether it is kept, a duplicate, past `maxSeries`, or an error and its line
 * number) depends only on the text of the lines so far, never on a sample's value; a token that
 * parses holds no space, tab, CR or LF, so the lines and their ends are the template's; and a
 * token takes the place of one the full parser accepted, ending where that one ended. So every
 * count and every family, name and label is the template's; only the values are new.
 */
import {copiedSample, copyLabels, ParsedSample, parseLogged, type SampleLog} from './parse.js';
import {parseGoFloatRange} from './float.js';
import type {Family, Labels, MetricType, ParseError, ParseResult, Sample} from './types.js';

interface FamilyPlan {
	readonly name: string;
	readonly type: MetricType;
	readonly help: string;
	readonly unit: string;
}

/**
 * Every kept sample's value, and where each family's are: sample `j` of family `f` has the value
 * `values[lines[f][j]]`. What a snapshot reads of a scrape, without its Sample objects.
 */
export interface SampleValues {
	readonly values: Float64Array;
	readonly lines: readonly Int32Array[];
}

class Template {
	/** Text before each token, then the text after the last one: `tokens + 1` pieces. */
	readonly #pieces: string[] = [];
	readonly #usable: boolean;
	/** Per token: the first char of the piece after it ('' at the end of the text). */
	readonly #stops: string[];
	/** Per token: the logged line it belongs to, or -1 for a timestamp (checked, not kept). */
	readonly #tokenLine: Int32Array;
	readonly #lineCount: number;
	// Read by the results of hits (HitResult, HitFamily) when their samples are asked for.
	/** The text that primed the template: a hit's label blocks are the same text, decoded from here. */
	readonly text: string;
	readonly names: string[];
	/** Per line: decoded labels, or null when the sample decodes its label block lazily. */
	readonly labels: (Labels | null)[] = [];
	/** Per lazy line: its label block in `text`, braces included. */
	readonly blockStart: Int32Array;
	readonly blockEnd: Int32Array;
	readonly families: FamilyPlan[] = [];
	/** Per family: the logged line of each kept sample, in the family's order (shared by every hit). */
	readonly lines: Int32Array[] = [];
	readonly sampleCount: number;
	readonly skippedLines: number;
	readonly firstError: ParseError | null;
	readonly createdSamples: number;
	readonly duplicateSamples: number;
	readonly duplicateFamilies: readonly string[];
	readonly droppedSamples: number;

	constructor(text: string, result: ParseResult, log: SampleLog) {
		const lines = log.samples.length;
		this.#lineCount = lines;
		this.text = text;
		this.names = log.samples.map(s => s.name);
		this.blockStart = new Int32Array(lines);
		this.blockEnd = new Int32Array(lines);
		const tokenLine: number[] = [];
		let pos = 0;
		for (let i = 0; i < lines; i++) {
			const labels = log.labels[i]!;
			if (typeof labels === 'number') {
				this.labels.push(null);
				this.blockStart[i] = labels;
				this.blockEnd[i] = log.blockEnd[i]!;
			} else {
				this.labels.push(copyLabels(labels));
			}
			this.#pieces.push(text.slice(pos, log.valueStart[i]));
			tokenLine.push(i);
			pos = log.valueEnd[i]!;
			if (log.stampStart[i]! >= 0) {
				this.#pieces.push(text.slice(pos, log.stampStart[i]));
				tokenLine.push(-1);
				pos = log.stampEnd[i]!;
			}
		}
		this.#pieces.push(text.slice(pos));
		this.#stops = this.#pieces.slice(1).map(piece => piece.charAt(0));
		// Tokens are always separated (by a newline, or blanks before a timestamp); were two ever
		// adjacent, a token's end could not be found from the next piece: then nothing ever hits.
		this.#usable = this.#stops.every((stop, k) => stop !== '' || k === this.#stops.length - 1);
		this.#tokenLine = Int32Array.from(tokenLine);
		const lineOf = new Map<Sample, number>();
		log.samples.forEach((sample, i) => lineOf.set(sample, i));
		for (const f of result.families) {
			this.families.push({name: f.name, type: f.type, help: f.help, unit: f.unit});
			this.lines.push(Int32Array.from(f.samples, s => lineOf.get(s)!));
		}
		this.sampleCount = result.sampleCount;
		this.skippedLines = result.skippedLines;
		// Copied: the parse that primed the template hands its own error object to its consumer.
		this.firstError = result.firstError && {line: result.firstError.line, message: result.firstError.message};
		this.createdSamples = result.createdSamples;
		this.duplicateSamples = result.duplicateSamples;
		this.duplicateFamilies = result.duplicateFamilies.slice();
		this.droppedSamples = result.droppedSamples;
	}

	/** The full parser's result for `text`, or undefined when `text` does not have this shape. */
	read(text: string): ParseResult | undefined {
		if (!this.#usable) return undefined;
		const pieces = this.#pieces;
		const stops = this.#stops;
		const tokenLine = this.#tokenLine;
		// Each result's own values (a result shares nothing mutable): the one array a hit allocates.
		const values = new Float64Array(this.#lineCount);
		const length = text.length;
		let pos = 0;
		for (let k = 0; k < tokenLine.length; k++) {
			const piece = pieces[k]!;
			// A slice compared with `===` is a memcmp; startsWith and charCodeAt loops are several times slower.
			if (text.slice(pos, pos + piece.length) !== piece) return undefined;
			pos += piece.length;
			// The token ends where the next piece starts, with its first char (a space, tab, CR or LF):
			// a token that parses holds none of these, so this is where a scan for one would stop.
			const stop = stops[k]!;
			const end = stop === '' ? length : text.indexOf(stop, pos);
			if (end === -1) return undefined;
			const value = parseGoFloatRange(text, pos, end);
			const line = tokenLine[k]!;
			if (line >= 0) {
				if (value === undefined) return undefined;
				values[line] = value;
			} else if (value === undefined || !Number.isFinite(value)) {
				return undefined;
			}
			pos = end;
		}
		const last = pieces[tokenLine.length]!;
		if (pos + last.length !== length || text.slice(pos) !== last) return undefined;
		return new HitResult(this, values);
	}
}

/**
 * A hit's result: the template's counts, and the values. Its families (and each family's samples)
 * are made on first read: the store's snapshot reads the values alone (sampleValues), and only the
 * Explorer view and the --once report read samples. What they read is what the full parser gives.
 */
class HitResult implements ParseResult {
	readonly sampleCount: number;
	readonly skippedLines: number;
	readonly firstError: ParseError | null;
	readonly createdSamples: number;
	readonly duplicateSamples: number;
	readonly duplicateFamilies: readonly string[];
	readonly droppedSamples: number;
	readonly #template: Template;
	readonly #values: SampleValues;
	#families: Family[] | undefined;

	constructor(template: Template, values: Float64Array) {
		this.sampleCount = template.sampleCount;
		this.skippedLines = template.skippedLines;
		const error = template.firstError;
		this.firstError = error === null ? null : {line: error.line, message: error.message};
		this.createdSamples = template.createdSamples;
		this.duplicateSamples = template.duplicateSamples;
		this.duplicateFamilies = template.duplicateFamilies;
		this.droppedSamples = template.droppedSamples;
		this.#template = template;
		this.#values = {values, lines: template.lines};
	}

	get families(): readonly Family[] {
		if (this.#families === undefined) {
			const plans = this.#template.families;
			const families = new Array<Family>(plans.length);
			for (let f = 0; f < plans.length; f++) families[f] = new HitFamily(plans[f]!, this.#template, this.#values.values, f);
			this.#families = families;
		}
		return this.#families;
	}

	static valuesOf(result: HitResult): SampleValues {
		return result.#values;
	}
}

class HitFamily implements Family {
	readonly name: string;
	readonly type: MetricType;
	readonly help: string;
	readonly unit: string;
	readonly #template: Template;
	readonly #values: Float64Array;
	readonly #index: number;
	#samples: Sample[] | undefined;

	constructor(plan: FamilyPlan, template: Template, values: Float64Array, index: number) {
		this.name = plan.name;
		this.type = plan.type;
		this.help = plan.help;
		this.unit = plan.unit;
		this.#template = template;
		this.#values = values;
		this.#index = index;
	}

	get samples(): readonly Sample[] {
		if (this.#samples === undefined) {
			const {names, labels, blockStart, blockEnd, text} = this.#template;
			const lines = this.#template.lines[this.#index]!;
			const values = this.#values;
			const samples: Sample[] = [];
			for (let j = 0; j < lines.length; j++) {
				const i = lines[j]!;
				const decoded = labels[i]!;
				samples.push(decoded === null ? new ParsedSample(names[i]!, values[i]!, undefined, text, blockStart[i]!, blockEnd[i]!) : copiedSample(names[i]!, values[i]!, decoded));
			}
			this.#samples = samples;
		}
		return this.#samples;
	}

	/** As a parsed family serialises (its samples are a getter, not an own property). */
	toJSON(): Family {
		return {name: this.name, type: this.type, help: this.help, unit: this.unit, samples: this.samples};
	}
}

/** The values of `parsed`'s samples: a hit's own, else gathered from its families in order. */
export function sampleValues(parsed: ParseResult): SampleValues {
	if (parsed instanceof HitResult) return HitResult.valuesOf(parsed);
	let count = 0;
	for (const family of parsed.families) count += family.samples.length;
	const values = new Float64Array(count);
	const lines: Int32Array[] = [];
	let k = 0;
	for (const {samples} of parsed.families) {
		const index = new Int32Array(samples.length);
		for (let j = 0; j < samples.length; j++) {
			index[j] = k;
			values[k++] = samples[j]!.value;
		}
		lines.push(index);
	}
	return {values, lines};
}

/**
 * `parse(text)` gives what `parseExposition(text, {maxSeries})` gives, cheaply when `text` has the
 * shape of the last scrape that missed. One per target: scrapes of different targets rarely share
 * a shape. Results share nothing mutable with each other or with the cache.
 */
export class ParseCache {
	#template: Template | undefined;
	#hits = 0;
	#misses = 0;
	#lastHit = false;

	constructor(readonly maxSeries: number = Number.POSITIVE_INFINITY) {}

	parse(input: string): ParseResult {
		const text = typeof input === 'string' ? input : String(input ?? '');
		const cached = this.#template?.read(text);
		this.#lastHit = cached !== undefined;
		if (cached !== undefined) {
			this.#hits++;
			return cached;
		}
		this.#misses++;
		const {result, log} = parseLogged(text, this.maxSeries);
		this.#template = new Template(text, result, log);
		return result;
	}

	/** Whether the last parse() reused the template (a result of the same shape as the one before). */
	get lastHit(): boolean {
		return this.#lastHit;
	}

	/** Changes (to a new object) whenever a miss re-primes the cache: results of one shape share it. */
	get shape(): object | undefined {
		return this.#template;
	}

	get hits(): number {
		return this.#hits;
	}

	get misses(): number {
		return this.#misses;
	}
}
