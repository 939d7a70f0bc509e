/**
 * Values a server should never send (issue 13, item 8). A figure built from one is not shown
 * (absent: `--` on screen, its key missing in JSON) and the target gets a warning saying why:
 * - not a number or infinite;
 * - beyond 2^53, where adding one no longer changes a double (counts and rates are wrong);
 * - negative where the unit cannot be (counters, histogram buckets and counts, every unit but `none`);
 * - a ratio outside 0..1.
 * Buckets whose cumulative counts fall as the bound rises are kept, as Prometheus's
 * `histogram_quantile` keeps them (it makes them monotonic), with a warning that says so.
 */
import {formatGoFloat} from '../prom/float.js';
import type {Sample} from '../prom/types.js';
import type {CatalogEntry} from './catalog-types.js';
import type {HistogramData, MetricData} from './snapshot.js';
import {valuesOfSamples} from './histogram-plan.js';

const EXACT = 2 ** 53;
/** Float noise in a ratio (0.30000000000000004 summed from parts) is not a hostile value. */
const RATIO_SLACK = 1e-9;

function why(v: number, entry: CatalogEntry, negativeOk: boolean): string | null {
	if (Number.isNaN(v)) return 'NaN is not a value';
	if (!Number.isFinite(v)) return `${formatGoFloat(v)} is not a finite value`;
	if (Math.abs(v) > EXACT) return `${formatGoFloat(v)} is beyond 2^53, where counting is no longer exact`;
	if (v < 0 && !negativeOk) return `${formatGoFloat(v)} is negative, which a ${entry.kind === 'gauge' ? `count of ${entry.unit}` : entry.kind} never is`;
	if (entry.unit === 'ratio' && entry.kind === 'gauge' && (v < -RATIO_SLACK || v > 1 + RATIO_SLACK)) return `${formatGoFloat(v)} is not a ratio between 0 and 1`;
	return null;
}

/**
 * Why the samples `data` was read from cannot be trusted, or null. Every sample counts, not only
 * the combined figure: a sum or a max would hide one bad series among good ones.
 */
export function untrusted(entry: CatalogEntry, samples: readonly Sample[]): string | null {
	const {values, index} = valuesOfSamples(samples);
	return untrustedValues(entry, values, index, samples.map(s => s.name));
}

/** untrusted() of a family whose sample `j` is named `names[j]` and has the value `values[index[j]]`. */
export function untrustedValues(entry: CatalogEntry, values: Float64Array, index: Int32Array, names: readonly string[]): string | null {
	const negativeOk = entry.unit === 'none';
	for (let i = 0; i < index.length; i++) {
		const v = values[index[i]!]!;
		// Cheap common case first: a small non-negative finite number is fine for every unit but ratio.
		if (v >= 0 && v <= 1) continue;
		if (v > 1 && v <= EXACT && !(entry.unit === 'ratio' && entry.kind === 'gauge')) continue;
		// A histogram's sum may be negative only for a unit that can be; buckets and counts never.
		const name = names[i]!;
		const reason = why(v, entry, entry.kind === 'histogram' && name.endsWith('_sum') ? negativeOk : entry.kind === 'gauge' ? negativeOk : false);
		if (reason !== null) return index.length === 1 ? reason : `${reason} (${name})`;
	}
	return null;
}

/** A note when cumulative bucket counts fall as the bound rises (the merged histogram), or null. */
export function bucketOrder(data: MetricData): string | null {
	if (data.kind !== 'histogram') return null;
	const hist: HistogramData = data.hist;
	const {counts, les} = hist;
	for (let i = 1; i < counts.length; i++) {
		if (counts[i - 1]! - counts[i]! > 1e-12 * Math.abs(counts[i - 1]!)) {
			return `bucket counts fall as the bound rises (le ${formatGoFloat(les[i - 1]!)}: ${formatGoFloat(counts[i - 1]!)}, le ${formatGoFloat(les[i]!)}: ${formatGoFloat(counts[i]!)}); percentiles use the counts made monotonic, as Prometheus does`;
		}
	}
	return null;
}
