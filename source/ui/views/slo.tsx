/**
 * SLO: each objective's verdict over the main window with its bounds and burn rates, attainment
 * over 1 m / 5 m / 15 m / 1 h (as far as the history reaches), a sparkline of attainment over
 * time, goodput and the backlog. Figures come judged from the store (once per scrape); this
 * formats them, in the UI's language (theme.msg.sloView, through slo-text.ts).
 */
import {append, maxOf} from '../../arrays.js';
import {MISSING, formatDuration, formatRate, formatSeconds} from '../../format.js';
import {attainmentText, shortDuration, statusMark, type ObjectiveReport, type SloReport, type SloStatus, type Verdict} from '../../metrics/slo.js';
import {wholeSlo} from '../../report.js';
import {formatRange} from '../../slo-report.js';
import {boundsCell, burnPairText, burnWaitNote, objectiveText, statusCell, statusWord, verdictStripText, whyText} from './slo-text.js';
import type {AppState} from '../../store.js';
import {inert} from '../../text.js';
import {sparkline} from '../components/sparkline.js';
import {asciiText, type Theme, type Tone} from '../theme.js';
import {pad, visibleWidth, wrap} from '../text-width.js';
import type {ViewProps} from './types.js';
import type {Messages} from '../../i18n/en.js';


/**
 * Cut to the width after the ASCII fallback: `≥` becomes `>=` there, so a line fitted before
 * would end up one column too wide (and be cut by the terminal, not by us).
 */
function fitLine(theme: Theme, text: string, width: number): string {
	return theme.fit(theme.ascii ? asciiText(text).replaceAll('≈', '~') : text, width);
}

export function statusTone(status: SloStatus): Tone {
	return status === 'met' ? 'ok' : status === 'breached' ? 'crit' : 'warn';
}

function mark(v: Verdict, theme: Theme): string {
	const glyph = statusMark(v.status, theme.ascii);
	return theme.paint(glyph, statusTone(v.status));
}

function windowCells(o: ObjectiveReport, theme: Theme): string {
	return o.windows
		.map(w => {
			// Coverage written as the burn writes it (`1.7m`), from the same verdict.
			const partial = !w.covered && w.coveredMs > 0 ? ` (${shortDuration(w.coveredMs)})` : '';
			const text = w.status === 'too-few' ? statusWord(w.status, theme.msg.sloView) : attainmentText(w).replace('≥ ', '≥');
			return `${shortDuration(w.windowMs)} ${text}${partial}`;
		})
		.join('  ');
}

/** Column widths of the objective rows: label, attainment, bounds, status (burn takes the rest). */
type Cols = readonly [number, number, number, number];
const COLS: Cols = [28, 10, 14, 15];

/**
 * Below 100 columns each column is as wide as its widest cell (and its heading) plus a gap, so the
 * burn rates still fit at 70 columns (the fixed widths cut them to `…` there).
 */
function columnsFor(objectives: readonly ObjectiveReport[], theme: Theme, width: number): Cols {
	if (width >= 100) return COLS;
	const m = theme.msg.sloView;
	const [label, attain, bounds, status] = m.columns as [string, string, string, string];
	const widest = (heading: string, cells: string[]) => maxOf([heading, ...cells].map(c => visibleWidth(c))) + 2;
	return [
		widest(label, objectives.map(o => objectiveText(o.verdict.objective, m, theme.ascii))),
		widest(attain, objectives.map(o => attainmentText(o.verdict))),
		widest(bounds, objectives.map(o => boundsCell(o.verdict, m))),
		widest(status, objectives.map(o => statusCell(o.verdict, m))),
	];
}

/** Below 80 columns the burn rates lead each objective's second line instead of ending its first. */
const NARROW = 80;

function columnsLine(theme: Theme, width: number, cols: Cols): string {
	const m = theme.msg.sloView;
	const [label, attain, bounds, status] = m.columns as [string, string, string, string];
	return fitLine(theme, theme.paint(`  ${pad(label, cols[0])}${pad(attain, cols[1])}${pad(bounds, cols[2])}${width < NARROW ? status : pad(status, cols[3])}${width < NARROW ? '' : m.burn}`, 'muted'), width);
}

function objectiveLines(o: ObjectiveReport, theme: Theme, width: number, cols: Cols): string[] {
	const v = o.verdict;
	const m = theme.msg.sloView;
	const label = pad(objectiveText(v.objective, m, theme.ascii), cols[0] - 1);
	const status = theme.paint(pad(statusCell(v, m), cols[3]), statusTone(v.status));
	const burn = theme.paint(burnPairText(o, m, width >= 100, theme.ascii), o.burn.fast ? 'crit' : o.burn.slow ? 'warn' : undefined);
	const head = `${mark(v, theme)} ${label} ${pad(attainmentText(v), cols[1])}${pad(boundsCell(v, m), cols[2])}${status}${width < NARROW ? '' : burn}`;
	const lines = [fitLine(theme, head, width)];
	const why = whyText(v, m);
	if (why) lines.push(fitLine(theme, `  ${theme.paint(why, 'warn')}`, width));
	const spark = o.spark.length > 1 ? sparkline(o.spark, Math.min(o.spark.length, width >= 100 ? 40 : 12), theme, {min: Math.min(v.objective.share - (1 - v.objective.share) * 4, 0.9), max: 1, tone: statusTone(v.status)}) : '';
	lines.push(fitLine(theme, `  ${width < NARROW ? `${m.burn} ${burn}  ` : ''}${spark ? `${spark}  ` : ''}${windowCells(o, theme)}`, width));
	return lines;
}

function footLines(report: SloReport, theme: Theme, width: number): string[] {
	const out: string[] = [];
	const m = theme.msg.sloView;
	// One note for every `wait` burn cell, wrapped, never cut.
	const note = burnWaitNote(report, m);
	if (note) append(out, wrap(note, width - 2).map(l => fitLine(theme, theme.paint(`  ${l}`, 'muted'), width)));
	const g = report.goodput;
	if (g.requests || g.tokens) {
		// The note beside the figures when it fits, else under them, wrapped: never cut.
		const line = `${theme.paint(m.goodput, 'title')}  ${m.goodputLine(formatRange(g.requests), formatRange(g.tokens))}`;
		const gnote = theme.paint(m.goodputNote, 'muted');
		if (visibleWidth(`${line} ${gnote}`) <= width) out.push(fitLine(theme, `${line} ${gnote}`, width));
		else append(out, [fitLine(theme, line, width)], wrap(m.goodputNote, width - 9).map(l => fitLine(theme, `${' '.repeat(9)}${theme.paint(l, 'muted')}`, width)));
	}
	const b = report.backlog;
	if (b) out.push(fitLine(theme, `${theme.paint(theme.msg.backlog.title, 'title')}  ${backlogText(b, width - 9, theme.msg.backlog)}`, width));
	return out;
}

/**
 * `arrivals 3.7/s  done 3.8/s  shrinking 0.13/s  holds 7  drain 1.8 s  mean time in system 1.9 s
 * (Little's law)`, the parts that fit (measured in cells: Chinese is two a character).
 */
export function backlogText(b: NonNullable<SloReport['backlog']>, width: number, m: Messages['backlog']): string {
	const trend = Math.abs(b.growth) < 0.005 ? m.steady : b.growth > 0 ? m.growing(formatRate(b.growth, '/s')) : m.shrinking(formatRate(-b.growth, '/s'));
	const parts = [m.arrivals(formatRate(b.arrivals, '/s')), m.done(formatRate(b.completions, '/s')), trend];
	if (b.inFlight !== null) parts.push(m.holds(Math.round(b.inFlight)));
	if (b.drain !== null) parts.push(m.drain(formatSeconds(b.drain)));
	else if (b.inFlight) parts.push(m.neverDrains);
	if (b.residence !== null) parts.push(m.residence(formatSeconds(b.residence)));
	let text = parts[0]!;
	for (const part of parts.slice(1)) {
		if (visibleWidth(text) + 2 + visibleWidth(part) > width) break;
		text += `  ${part}`;
	}
	return text;
}

export function sloLines({state, model, theme, width, height}: ViewProps): string[] {
	const objectives = state.objectives ?? [];
	const m = theme.msg.sloView;
	const title = theme.paint(theme.msg.views.slo, 'title');
	// The empty view's lines wrap: a long hint cut at 80 columns would lose its example.
	const wrapped = (text: string, tone?: Tone) => wrap(text, width).map(l => fitLine(theme, tone ? theme.paint(l, tone) : l, width));
	if (objectives.length === 0) return [title, '', ...wrapped(m.none), ...wrapped(m.noneMore, 'muted')];
	const slo = model?.target.slo;
	if (!model || !slo) return [title, theme.paint(model?.target.error ? theme.msg.common.noDataFrom(inert(model.target.location)) : theme.msg.common.waiting, 'muted')];
	const head = `${title}  ${m.head(inert(model.target.name), formatDuration(state.windowMs))}`;
	const legend = theme.ascii ? asciiText(m.legend).replaceAll('≈', '~') : m.legend;
	// The legend goes beside the title when it fits, else under it, wrapped, never cut.
	const top = visibleWidth(head) + 2 + visibleWidth(legend) <= width ? [`${head}  ${theme.paint(legend, 'muted')}`] : [fitLine(theme, head, width), ...wrap(legend, width - 2).map(l => theme.paint(`  ${l}`, 'muted'))];
	const cols = columnsFor(slo.report.objectives, theme, width);
	const lines = [...top, columnsLine(theme, width, cols)];
	for (const o of slo.report.objectives) append(lines, objectiveLines(o, theme, width, cols));
	append(lines, [''], footLines(slo.report, theme, width));
	if (state.targets.length > 1) {
		const whole = fleetOf(state);
		lines.push('', fitLine(theme, `${theme.paint(m.fleet, 'title')}  ${stripPainted(whole.report, theme)}`, width));
	}
	return lines.slice(0, height);
}

const fleetCache = new WeakMap<readonly unknown[], ReturnType<typeof wholeSlo>>();

/** The fleet's verdicts for this state (the same as --json and check: report.ts' wholeSlo), once per state. */
export function fleetOf(state: AppState): ReturnType<typeof wholeSlo> {
	const cached = fleetCache.get(state.targets);
	if (cached) return cached;
	const whole = wholeSlo(state);
	fleetCache.set(state.targets, whole);
	return whole;
}

/** The verdict strip, coloured: green when all met, red on a breach, yellow otherwise. */
export function stripPainted(report: SloReport, theme: Theme): string {
	const text = verdictStripText(report, theme.msg.sloView, theme.ascii);
	const tone: Tone = report.met === report.objectives.length ? 'ok' : report.worst?.verdict.status === 'breached' ? 'crit' : 'warn';
	return theme.paint(text, tone);
}

/** Short verdict for a table cell: `3/3 met`, `✗ TTFT`, `? TTFT`. */
export function verdictCell(report: SloReport | null | undefined, theme: Theme): string {
	if (!report || report.objectives.length === 0) return MISSING;
	if (report.met === report.objectives.length) return theme.paint(theme.msg.sloView.cellMet(report.met, report.objectives.length), 'ok');
	const v = report.worst!.verdict;
	const glyph = statusMark(v.status, theme.ascii);
	return theme.paint(`${glyph} ${v.objective.entry.title.split(' ')[0]}`, statusTone(v.status));
}

