/** The shape of one row of the metric catalog (see catalog.ts). */

export type MetricKind = 'histogram' | 'counter' | 'gauge' | 'info';

export type Unit = 'seconds' | 'milliseconds' | 'tokens' | 'tokensPerSecond' | 'requests' | 'ratio' | 'blocks' | 'count' | 'bytes' | 'none';

/** Where the metric is shown; also the order of sections in reports. */
export type Group = 'latency' | 'tokens' | 'requests' | 'batch' | 'kvCache' | 'prefixCache' | 'specDecode' | 'transfer' | 'http' | 'info';

/** How several series of one family in one scrape combine into one value. */
export type Combine =
	| 'sum' // counters, histograms (merged bucket by bucket), DP ranks, multiprocess pids
	| 'max' // gauges where the worst series matters (e.g. KV usage across pids)
	| 'mean' // ratios reported per pid
	| 'first' // a single-valued gauge that multiprocess mode may duplicate
	| 'live'; // per-pid gauges whose dead workers' series stay: the series that moved in the window (combine.ts)

export type Engine = 'fastdeploy' | 'vllm' | 'sglang';

export interface Thresholds {
	/** Value at or above which the metric is a warning (yellow). */
	readonly warn: number;
	/** Value at or above which the metric is critical (red). */
	readonly crit: number;
	/** Human wording of the bands, shown by the explain view. */
	readonly note: {readonly en: string; readonly zh: string};
}

export interface CatalogEntry {
	/** Semantic key used by views, reports and JSON (`ttft`, `kvCacheUsage`, …). Never a wire name. */
	readonly key: string;
	readonly kind: MetricKind;
	readonly unit: Unit;
	readonly group: Group;
	/** Short label for tables, at most 18 characters. */
	readonly title: string;
	/**
	 * Family names as they appear on the wire, per engine, in preference order. Counters carry
	 * `_total` exactly as the server prints it. The parser's family name is matched against these.
	 */
	readonly wire: Readonly<Partial<Record<Engine, readonly string[]>>>;
	readonly combine: Combine;
	readonly help: {readonly en: string; readonly zh: string};
	/** Highest finite bucket bound on FastDeploy (histograms only). */
	readonly topBucket?: number;
	/** FastDeploy version or date it appeared, e.g. '2.0', '2.2', '2.3'. */
	readonly since?: string;
	/** FastDeploy version or date it was removed, when it was. */
	readonly removed?: string;
	/** Why it may read all-zero on some versions or set-ups (shown when the metric never moved). */
	readonly zeroNote?: {readonly en: string; readonly zh: string};
	/** Where the same wire name means something different on some engine or version. */
	readonly meaningNote?: {readonly en: string; readonly zh: string};
	readonly thresholds?: Thresholds;
}
