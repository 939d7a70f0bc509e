/**
 * One row per target plus the fleet's aggregate row (over the targets that are up): what the Fleet view and the --once report
 * show side by side. Pure: target statuses in, figures out (formatting is the caller's).
 */
import {aggregate, type Aggregate} from './aggregate.js';
import type {Derived} from './derive.js';
import type {QuantileResult} from './quantile.js';
import type {TargetState} from '../sources/types.js';

/** What fleetRows reads of a target: the store's TargetStatus has all of it. */
export interface FleetTarget {
	readonly name: string;
	readonly location: string;
	readonly state: TargetState;
	readonly error: string | null;
	readonly derived: Derived | null;
}

export interface FleetRow {
	readonly name: string;
	readonly location: string;
	/** `partial` only for the aggregate row: some targets are not up. */
	readonly state: TargetState | 'partial';
	readonly error: string | null;
	readonly aggregate: boolean;
	/** Requests per second: arrivals where the server counts them, else first tokens per second. */
	readonly requestRate: number | null;
	/** What requestRate counts: arrivals, or first tokens (servers before 2.2 count no arrivals); both in the aggregate. */
	readonly requestBasis: 'arrivals' | 'firstTokens' | 'mixed' | null;
	readonly generationRate: number | null;
	readonly running: number | null;
	readonly waiting: number | null;
	readonly kvUsage: number | null;
	readonly ttftP99: QuantileResult | null;
	readonly tpotP99: QuantileResult | null;
	readonly queueMean: number | null;
	/** Index into the store's targets (−1 for the aggregate). */
	readonly index: number;
}

export type FleetSort = 'name' | 'requestRate' | 'generationRate' | 'waiting' | 'kvUsage' | 'ttftP99' | 'queueMean';
export const FLEET_SORTS: readonly FleetSort[] = ['name', 'requestRate', 'generationRate', 'waiting', 'kvUsage', 'ttftP99', 'queueMean'];

function figures(d: Derived | null): Omit<FleetRow, 'name' | 'location' | 'state' | 'error' | 'aggregate' | 'index'> {
	const m = (key: string) => d?.metrics.get(key);
	const counterRate = (key: string) => {
		const c = m(key);
		return c?.kind === 'counter' ? c.rate : null;
	};
	const gauge = (key: string) => {
		const g = m(key);
		return g?.kind === 'gauge' && Number.isFinite(g.value) ? Math.max(0, g.value) : null;
	};
	const hist = (key: string) => {
		const h = m(key);
		return h?.kind === 'histogram' ? h.window : null;
	};
	const ttft = hist('ttft');
	return {
		requestRate: m('requestsReceivedTotal') ? counterRate('requestsReceivedTotal') : (ttft?.rate ?? null),
		requestBasis: m('requestsReceivedTotal') ? 'arrivals' : ttft ? 'firstTokens' : null,
		generationRate: counterRate('generationTokensTotal'),
		running: gauge('running'),
		waiting: gauge('waiting'),
		kvUsage: gauge('kvCacheUsage'),
		ttftP99: ttft ? ttft.p99 : null,
		tpotP99: hist('tpot')?.p99 ?? null,
		queueMean: hist('queueTime')?.mean ?? null,
	};
}

export function fleetRows(targets: readonly FleetTarget[]): {aggregate: FleetRow; rows: FleetRow[]; fleet: Aggregate | null} {
	const rows = targets.map((t, index): FleetRow => ({name: t.name, location: t.location, state: t.state, error: t.error, aggregate: false, index, ...figures(t.derived)}));
	// The whole is what is up now: a STALE target's last values are history, not current load.
	const live = rows.filter(r => r.state === 'up');
	const fleet = aggregate(targets.filter(t => t.state === 'up').map(t => t.derived));
	const up = live.length;
	const rates = live.map(r => r.requestRate).filter((r): r is number => r !== null);
	return {
		fleet,
		aggregate: {
			name: `all ${targets.length}`,
			location: '',
			state: up === targets.length ? 'up' : up === 0 ? 'down' : 'partial',
			error: up === targets.length ? null : `${targets.length - up} of ${targets.length} not up`,
			aggregate: true,
			index: -1,
			...figures(fleet?.derived ?? null),
			// Rows count arrivals or first tokens, whichever each server reports: the whole adds the rows.
			requestRate: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) : null,
			requestBasis: live.some(r => r.requestBasis === 'firstTokens') ? (live.some(r => r.requestBasis === 'arrivals') ? 'mixed' : 'firstTokens') : live.some(r => r.requestBasis === 'arrivals') ? 'arrivals' : null,
		},
		rows,
	};
}

/**
 * Sort rows by a column; absent values last; descending for figures, ascending for names, the
 * other way with `reverse` (absent values still last).
 */
export function sortFleet(rows: readonly FleetRow[], by: FleetSort, reverse = false): FleetRow[] {
	const flip = reverse ? -1 : 1;
	const value = (r: FleetRow): number | null => {
		switch (by) {
			case 'ttftP99':
				return r.ttftP99?.value ?? null;
			case 'name':
				return null;
			default:
				return r[by];
		}
	};
	return [...rows].sort((a, b) => {
		if (by === 'name') return flip * a.name.localeCompare(b.name);
		const x = value(a);
		const y = value(b);
		if (x === null && y === null) return a.name.localeCompare(b.name);
		if (x === null) return 1;
		if (y === null) return -1;
		return flip * (y - x) || a.name.localeCompare(b.name);
	});
}
