/**
 * The SLO verdicts in the UI's language: the metrics layer (metrics/slo.ts) judges and returns
 * data (status, attainment, bounds, burn, coverage); these turn that data into the words of
 * `theme.msg.sloView`, so the SLO view, the verdict strips and the Fleet's column speak one
 * language. slo-report.ts keeps the English of the --once report and `check`.
 */
import {formatShare, formatThreshold, shortDuration, statusMark, attainmentText, type Burn, type ObjectiveReport, type SloReport, type Verdict} from '../../metrics/slo.js';
import {MIN_PERCENTILE_COUNT} from '../../metrics/quantile.js';
import type {Messages} from '../../i18n/en.js';
import {statusWord} from '../../event-words.js';
import {objectiveText} from '../../metrics/slo.js';

type M = Messages['sloView'];

export {statusWord} from '../../event-words.js';
export {objectiveText} from '../../metrics/slo.js';

/** `met`, `breached (estimate)`. */
export function statusCell(v: Verdict, m: M): string {
	const word = statusWord(v.status, m);
	return v.estimate ? m.estimate(word) : word;
}

/** `exact`, `97.1 %–99.2 %`, or nothing (no figure, or n too small). */
export function boundsCell(v: Verdict, m: M): string {
	const a = v.attainment;
	if (!a || v.status === 'too-few') return '';
	return a.exact ? m.exact : `${formatShare(a.lower)}–${formatShare(a.upper)}`;
}

/**
 * Why a verdict is not met or breached, from its data: the key absent (unknown, no figure), no
 * window yet (no observation count), no requests, too few, or the threshold above the top bucket.
 */
export function whyText(v: Verdict, m: M): string | null {
	const title = v.objective.entry.title;
	const a = v.attainment;
	if (v.status === 'unknown' && !a) return m.absent(title);
	if (v.status === 'no-data') return v.observations === null ? m.noWindow : m.noRequests;
	if (v.status === 'too-few') return m.tooFew(v.observations ?? 0, MIN_PERCENTILE_COUNT);
	if (v.status === 'unknown' && a?.aboveTop) return m.aboveTop(title, formatThreshold(a.top ?? 0, v.objective.entry), formatThreshold(v.objective.threshold, v.objective.entry), formatShare(a.lower));
	return null;
}

/** A window the history does not cover yet: no burn for it (the note under the table says how much is covered). */
export const burnWaits = (b: Burn): boolean => !b.covered && b.coveredMs > 0;

/** `1.2x`, `≤100x`, `--` without data, the `wait` sign while the history fills the window. */
export function burnCell(b: Burn, m: M, ascii = false): string {
	if (burnWaits(b)) return m.waits;
	if (b.value === null || !Number.isFinite(b.value)) return '--';
	return `${b.atMost ? (ascii ? '<=' : '≤') : ''}${b.value.toFixed(b.value < 10 ? 1 : 0)}x`;
}

/** `1.2x/0.8x`, `FAST BURN` or `slow burn` after it when both windows burn (and `marks`). */
export function burnPairText(o: ObjectiveReport, m: M, marks: boolean, ascii = false): string {
	const mark = !marks ? '' : o.burn.fast ? ` ${m.fast}` : o.burn.slow ? ` ${m.slow}` : '';
	return `${burnCell(o.burn.short, m, ascii)}/${burnCell(o.burn.long, m, ascii)}${mark}`;
}

/**
 * The one note for every `wait` cell: how much of each burn window the history covers (the same
 * history for every objective: the largest coverage seen per window). Null when no cell waits.
 */
export function burnWaitNote(report: SloReport, m: M): string | null {
	const covered = new Map<number, number>();
	for (const o of report.objectives) {
		for (const b of [o.burn.short, o.burn.long]) if (burnWaits(b)) covered.set(b.windowMs, Math.max(covered.get(b.windowMs) ?? 0, b.coveredMs));
	}
	if (covered.size === 0) return null;
	const parts = [...covered].sort((a, b) => a[0] - b[0]).map(([windowMs, ms]) => m.coveredOf(shortDuration(ms), shortDuration(windowMs)));
	return m.waitNote(parts);
}

/** `SLO 3/3 met`, or the worst objective: `✗ TTFT ≤ 2 s for 99 %: 96.1 %, burn 3.9x`. */
export function verdictStripText(report: SloReport, m: M, ascii = false): string {
	const total = report.objectives.length;
	if (total === 0) return '';
	if (report.met === total) return m.allMet(report.met, total);
	const w = report.worst!;
	const v = w.verdict;
	const mark = statusMark(v.status, ascii);
	const label = objectiveText(v.objective, m, ascii);
	if (v.status !== 'breached') return m.stripOther(m.allMet(report.met, total), mark, label, whyText(v, m) ?? statusWord(v.status, m));
	// The burn is the 5 m window's, as in the SLO view and check; while the history fills that
	// window, how much of it the history covers (no burn).
	const b = w.burn.short;
	const burn = burnWaits(b) ? m.coveredOf(shortDuration(b.coveredMs), shortDuration(b.windowMs)) : burnCell(b, m, ascii);
	return `${m.stripBreached(mark, label, attainmentText(v, ascii))}${burn === '--' ? '' : m.stripBurn(burn)}`;
}
