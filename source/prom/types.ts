/** Plain data produced by the exposition parser. No behaviour lives here. */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
	/** The sample's own name as on the wire, e.g. `fastdeploy:ttft_bucket`. */
	readonly name: string;
	/** Decoded from the scrape text on first read for parsed samples (see `sampleLabel` for one). */
	readonly labels: Labels;
	/** Parsed with Go semantics: may be NaN or ±Infinity. */
	readonly value: number;
}

export interface Family {
	/** Family name as declared by `# TYPE` (counters keep `_total` when the server wrote it so). */
	readonly name: string;
	readonly type: MetricType;
	/** HELP text with `\\` and `\n` escapes decoded, '' when absent. */
	readonly help: string;
	/** OpenMetrics `# UNIT`, '' when absent. */
	readonly unit: string;
	readonly samples: readonly Sample[];
}

export interface ParseError {
	/** 1-based line number. */
	readonly line: number;
	/** What was expected, e.g. `expected '=' after label name`. */
	readonly message: string;
}

export interface ParseResult {
	/** Families in first-seen order. */
	readonly families: readonly Family[];
	readonly sampleCount: number;
	/** Lines that could not be parsed (each skipped, the rest of the scrape kept). */
	readonly skippedLines: number;
	/** The first malformed line, or null. */
	readonly firstError: ParseError | null;
	/** `_created` samples dropped on purpose (not errors). */
	readonly createdSamples: number;
	/** Samples that repeated an earlier series (same name and label text); the last value is kept. */
	readonly duplicateSamples: number;
	/** The families those repeated series belong to, in first-seen order. */
	readonly duplicateFamilies: readonly string[];
	/** Samples of new series past the `maxSeries` cap, not kept. */
	readonly droppedSamples: number;
}
