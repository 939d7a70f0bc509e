/**
 * `fdtop compare A B [options]`: two runs side by side, every headline figure with its change and
 * whether the change is larger than the noise (metrics/compare.ts). A and B come first; each is a
 * recording, a demo, a live target or a Prometheus server with a range (compare-sides.ts). Prints
 * text, or `{generatedAt, compare}` with --json. Exit 0 compared, 2 bad usage, 3 a side unreadable.
 */
import process from 'node:process';
import {HELP, parseCli, UsageError, type Config} from './config.js';
import {compareJson, compareLines} from './compare-report.js';
import {loadSide, parseSide, SideError, type LoadedSide, type SideSpec} from './compare-sides.js';
import {compareRuns, DEFAULT_ALPHA, DEFAULT_WINDOWS, type Comparison} from './metrics/compare.js';
import type {History} from './metrics/history.js';
import {formatDuration} from './format.js';
import type {AppState} from './store.js';
import {canonicalMatch, MatcherError, matchUsageMessage} from './sources/promql-matchers.js';
import {inert, safeJson} from './text.js';
import {langOf, localize, msgs} from './i18n/index.js';

/** The usage errors, English (the catalog's errors section: localize() words them in the user's language when printed). */
const E = msgs('en').errors;
export const COMPARE_USAGE = {sides: E.compareSides, alpha: E.compareAlpha, windows: E.compareWindows, hint: E.compareHint} as const;

/** Pull `--name value` / `--name=value` out of argv. */
function takeOption(argv: string[], name: string): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === `--${name}`) {
			const value = argv[i + 1];
			argv.splice(i, 2);
			return value ?? '';
		}
		if (arg.startsWith(`--${name}=`)) {
			argv.splice(i, 1);
			return arg.slice(name.length + 3);
		}
	}
	return undefined;
}

interface Parsed {
	readonly config: Config;
	readonly sides: readonly [SideSpec, SideSpec];
	readonly alpha: number;
	readonly windows: number;
}

function parse(argv: readonly string[], version: string): Parsed | 'help' {
	const rest = [...argv];
	if (rest.includes('--help') || rest.includes('-h')) return 'help';
	const alphaText = takeOption(rest, 'alpha');
	const windowsText = takeOption(rest, 'windows');
	// --match narrows a prom+URL side (fdtop's own --match needs --prometheus): checked the same way.
	const matchText = takeOption(rest, 'match');
	let match: string | undefined;
	try {
		match = matchText === undefined ? undefined : `{${canonicalMatch(matchText)}}`;
	} catch (error) {
		if (error instanceof MatcherError) throw new UsageError(matchUsageMessage(matchText!, error));
		throw error;
	}
	const alpha = alphaText === undefined ? DEFAULT_ALPHA : Number(alphaText);
	if (!(alpha > 0 && alpha <= 0.5)) throw new UsageError(COMPARE_USAGE.alpha);
	const windows = windowsText === undefined ? DEFAULT_WINDOWS : Number(windowsText);
	if (!Number.isInteger(windows) || windows < 2 || windows > 60) throw new UsageError(COMPARE_USAGE.windows);
	const [a, b, ...flags] = rest;
	if (a === undefined || b === undefined || a.startsWith('-') || b.startsWith('-')) throw new UsageError(COMPARE_USAGE.sides);
	const config = {...parseCli(['--once', ...flags], process.env, version).config, match};
	if (config.targets.length > 0 && !config.defaultTargets) throw new UsageError(`${COMPARE_USAGE.sides}${E.compareExtra}`);
	const sides: [SideSpec, SideSpec] = [parseSide(a, 'A'), parseSide(b, 'B')];
	if (match !== undefined && !sides.some(s => s.kind === 'prometheus')) throw new UsageError(E.matchNeedsProm);
	return {config, sides, alpha, windows};
}

/** `fdtop compare …` (argv after `compare`): the exit status. */
export async function runCompare(argv: readonly string[], version: string): Promise<number> {
	const lang = langOf(argv, process.env);
	let parsed: Parsed | 'help';
	try {
		parsed = parse(argv, version);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`fdtop compare: ${localize(inert(error.message), lang)}\n${inert(localize(COMPARE_USAGE.hint, lang))}\n`);
			return 2;
		}
		throw error;
	}
	if (parsed === 'help') {
		process.stdout.write(`${HELP}\n`);
		return 0;
	}
	const {config, sides, alpha, windows} = parsed;
	const now = Date.now();
	const progress = (text: string) => process.stderr.write(`fdtop compare: ${localize(inert(text), lang)}\n`);
	let loaded: LoadedSide[];
	try {
		// Live sides are watched at the same time, so that A and B see the same minutes.
		loaded = await Promise.all(sides.map(spec => loadSide(spec, config, {windows, now, progress})));
	} catch (error) {
		if (error instanceof SideError || error instanceof UsageError) {
			process.stderr.write(`fdtop compare: ${localize(inert(error.message), lang)}\n`);
			return error instanceof UsageError ? 2 : 3;
		}
		throw error;
	}
	const comparison = compareRuns(loaded[0]!, loaded[1]!, {windows, alpha, objectives: config.objectives});
	if (config.json) {
		process.stdout.write(`${safeJson({generatedAt: new Date().toISOString(), compare: compareJson(comparison)}, 2)}\n`);
	} else {
		for (const line of compareLines(comparison, {ascii: config.ascii, lang: config.lang})) process.stdout.write(`${inert(line)}\n`);
	}
	return 0;
}

/** What the live app needs of its store to compare a target's window with the baseline. */
interface HistorySource {
	historyOf(index: number): History | undefined;
}

/**
 * `--baseline FILE`: the recording read once, and a function that measures a target's live window
 * (the store's --window) against it; or why it cannot be read (a message for the user).
 */
export async function loadBaseline(config: Config, store: HistorySource): Promise<{compare: (state: AppState, target: number) => Comparison | null} | string> {
	const text = config.baseline ?? '';
	let base: LoadedSide;
	try {
		const spec = parseSide(text, 'A');
		if (spec.kind !== 'recording') return `--baseline ${text}: give a recording (run.jsonl.gz or demo:NAME, optionally ,START/DURATION), made with --record`;
		base = await loadSide(spec, config, {windows: DEFAULT_WINDOWS, now: Date.now(), progress: () => undefined});
	} catch (error) {
		if (error instanceof UsageError || error instanceof SideError) return `--baseline: ${error.message.replace(/^A: /, '')}`;
		throw error;
	}
	const words = msgs('en').compareText;
	const baseline = {...base, label: words.baselineSide(base.label), side: {kind: 'baseline', name: base.label} as const};
	return {
		compare(state, target) {
			const history = store.historyOf(target);
			const last = history?.last;
			const status = state.targets[target];
			if (!history || !last || !status) return null;
			const side = {kind: 'live', name: status.name, window: formatDuration(state.windowMs)} as const;
			const live = {label: words.liveSide(side.name, side.window), side, history, fromT: last.snapshot.t - state.windowMs, era: status.era, events: status.events ?? []};
			return compareRuns(baseline, live, {objectives: state.objectives});
		},
	};
}
