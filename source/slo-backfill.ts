/**
 * History for objectives from a Prometheus server: the main window at fdtop's own step (so its
 * attainment uses the scrapes PromQL would), and, when objectives need it, the hour before at a
 * coarser step for the 5 m / 15 m / 1 h windows. Concatenated per target in time order.
 */
import type {PrometheusClient} from './sources/prometheus-api.js';
import {backfill, prometheusStepSec, type DiscoveredTarget} from './sources/prometheus.js';
import type {Scrape} from './sources/types.js';
import {LONG_BURN_MS} from './metrics/slo.js';

export async function backfillWindows(client: PrometheusClient, targets: readonly DiscoveredTarget[], options: {readonly endSec: number; readonly windowMs: number; readonly intervalMs: number; readonly match?: string; readonly long: boolean}): Promise<Scrape[][]> {
	const windowSec = options.windowMs / 1000;
	// Every scrape of the window (the caller's step is the scrape interval): PromQL sees them all.
	// One step more: the window ends at the last scrape, up to a step before endSec, so it starts
	// before endSec − window, and the history must reach back to there.
	const stepSec = prometheusStepSec(options.intervalMs, targets, windowSec);
	const nearSec = windowSec + stepSec;
	const near = await backfill(client, targets, {endSec: options.endSec, windowSec: nearSec, stepSec, match: options.match});
	const longSec = LONG_BURN_MS / 1000;
	if (!options.long || nearSec >= longSec) return near;
	// The earlier part of the hour, ending where the window starts.
	const far = await backfill(client, targets, {endSec: options.endSec - nearSec, windowSec: longSec - nearSec, stepSec: prometheusStepSec(options.intervalMs, targets, longSec - nearSec), match: options.match});
	return near.map((scrapes, i) => {
		const first = scrapes[0]?.t ?? Number.POSITIVE_INFINITY;
		return [...far[i]!.filter(s => s.t < first), ...scrapes];
	});
}
