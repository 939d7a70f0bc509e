/**
 * English left in Chinese output: every ASCII word of a text that is not an allowed token. The
 * allowed tokens follow the rule of issue 15 §5 ("metric names, units and key names stay"), and
 * are derived, not listed by sentence:
 * - the catalog: every entry's key, display title and wire names (with and without the engine's
 *   `fastdeploy:`/`vllm:`/`sglang:` prefix), the short names objectives and alert rules accept;
 * - the config file's keys (`targets:`), flags (`--window`), URLs, paths and file names, numbers with units (`1m02s`, `5m/1h`, `p99`),
 *   ISO times;
 * - the metric kinds (counter, gauge, histogram), fdtop's commands;
 * - units, and the proper names and acronyms of the trade (fdtop, FastDeploy, Prometheus, KV, SLO…);
 * - single letters (A/B sides, x of a burn rate, p and t of a test, n of a count);
 * - what the caller passes as data: the user's own input echoed (a rule as typed), names from a
 *   recording (targets, the program that recorded it).
 */
import {CATALOG} from '../../source/metrics/catalog.js';
import {SLO_ALIASES} from '../../source/metrics/slo-objective.js';
import {ALERT_ALIASES, parseAlertRule} from '../../source/metrics/alert-rule.js';
import {parseObjective} from '../../source/metrics/slo-objective.js';
import {TOP_KEYS} from '../../source/config-file.js';

/** Units and the proper names or acronyms that stay in every language. */
const UNITS = ['s', 'ms', 'µs', 'us', 'm', 'h', 'd', 'x', 'req', 'tok', 'token', 'tokens', 'KiB', 'MiB', 'GiB', 'KB', 'MB', 'k', 'M', 'G'];
const NAMES = ['fdtop', 'FastDeploy', 'vLLM', 'SGLang', 'Prometheus', 'PromQL', 'Alertmanager', 'uPlot', 'MIT', 'SLO', 'KV', 'CPU', 'GPU', 'PD', 'DP', 'TTFT', 'TPOT', 'E2E', 'HTTP', 'HTTPS', 'TLS', 'DNS', 'URL', 'JSON', 'YAML', 'HTML', 'UTC', 'CI', 'README', 'Welch', 'OpenMetrics', 'gz', 'jsonl', 'NaN', 'Inf'];
/** fdtop's commands (what one types, like flags). */
const COMMANDS = ['check', 'report', 'compare', 'export', 'config', 'init'];
/** PromQL functions (alert rules are written in them): words of the rule language, like flags. */
const FUNCTIONS = ['rate', 'increase', 'mean', 'histogram_quantile', 'up'];

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Phrases removed whole (any case: a title may start a sentence or sit inside one) before the words are counted, longest first. */
function catalogPhrases(): string[] {
	const out = new Set<string>();
	for (const e of CATALOG) {
		out.add(e.key);
		out.add(e.title);
		for (const names of Object.values(e.wire)) for (const n of names ?? []) {
			out.add(n);
			out.add(n.replace(/^[a-z]+:/, ''));
		}
	}
	for (const a of [...Object.keys(SLO_ALIASES), ...Object.keys(ALERT_ALIASES)]) out.add(a);
	// The config file's keys as one writes them (`targets:`).
	for (const k of TOP_KEYS) out.add(`${k}:`);
	return [...out];
}

const WORD = /[A-Za-z][A-Za-z_']*/g;

/**
 * The ASCII words of `text` that are none of the allowed tokens, each with a little context; `data`
 * are more phrases allowed as they are (input echoed, names from a recording).
 */
export function englishLeft(text: string, data: readonly string[] = []): string[] {
	const phrases = [...catalogPhrases(), ...data].filter(p => p.length > 0).sort((a, b) => b.length - a.length);
	const allowed = new Set([...UNITS, ...NAMES, ...COMMANDS, ...FUNCTIONS, ...CATALOG.map(e => e.kind)].map(w => w.toLowerCase()));
	const found: string[] = [];
	for (const raw of text.split('\n')) {
		// A quoted alert rule or objective (an example or the input echoed) is the rule language, like a flag;
		// so is the rule's keyword "for" quoted on its own.
		let line = raw.replace(/"([^"]*)"|'([^']*)'/g, (m, a?: string, b?: string) => {
			const inner = a ?? b ?? '';
			return inner === 'for' || parseAlertRule(inner).error === undefined || parseObjective(inner).error === undefined ? ' ' : m;
		});
		// Data and catalog phrases, where they stand alone (not inside a longer word).
		for (const p of phrases) line = line.replace(new RegExp(`(?<![A-Za-z0-9_])${escape(p)}(?![A-Za-z0-9_])`, 'gi'), ' ');
		line = line
			.replace(/\b[a-z][a-z+]*:\/\/\S+/g, ' ') // URLs
			.replace(/(?<![A-Za-z0-9])--?[a-z][a-z-]*/g, ' ') // flags
			.replace(/\S*\.(?:jsonl|gz|html|om|txt|yaml|json|md)\b\S*|(?<=^|\s)\.{0,2}\/\S+/g, ' ') // files and paths
			.replace(/[A-Za-z_]*\d[A-Za-z0-9_]*/g, ' '); // numbers with units: 1m02s, p99, 2025-12-01T00:00:20Z
		for (const m of line.matchAll(WORD)) {
			const w = m[0].replace(/'$/, '');
			if (w.length <= 1 || allowed.has(w.toLowerCase())) continue;
			found.push(`"${w}" in: ${raw.trim().slice(0, 160)}`);
		}
	}
	return found;
}
