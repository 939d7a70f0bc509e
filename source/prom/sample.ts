/**
 * The samples the parser makes: a fast-path sample keeps its label block as offsets and decodes it
 * on first read; helpers read one label, or count them, without decoding the rest; the log of
 * where each accepted line's value sat (the parse template cache primes on it).
 */
import {COMMA, LBRACE} from './lexer.js';
import type {Labels, Sample} from './types.js';

/** The labels of every sample without labels (frozen, shared). */
export const EMPTY_LABELS: Labels = Object.freeze({});

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
