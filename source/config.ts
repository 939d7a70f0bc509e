/** Flags and environment → one validated Config. Every error names the flag and the fix. */
import meow from 'meow';
import {DEFAULT_MAX_BYTES} from './sources/http.js';
import {DEFAULT_MAX_API_BYTES} from './sources/prometheus-api.js';
import {canonicalMatch, MatcherError, matchUsageMessage} from './sources/promql-matchers.js';
import {DEFAULT_CONCURRENCY} from './sources/limit.js';
import {inert} from './text.js';
import {unicodeTerminal} from './charset.js';
import {parseTarget, TargetError, type TargetSpec} from './sources/targets.js';
import {addSecret, addSecretsFromText} from './redact.js';
import {checkRecordPath, loadConfig, readTargetsFile, readToken, UsageError} from './config-read.js';
import {append} from './arrays.js';
import {ERAS, type Era} from './metrics/era.js';
import {parseObjective, type Objective} from './metrics/slo.js';
import {parseAlertRule, type AlertRule} from './metrics/alert-rule.js';
import {HELP} from './help-text.js';
import {langFromEnv, type Lang} from './i18n/index.js';

export {UsageError};
import {didYouMean} from './did-you-mean.js';
import type {ConfigFile} from './config-file.js';

export {HELP};
export {defaultConfigPath} from './config-read.js';

export interface Config {
	readonly targets: readonly TargetSpec[];
	/** True when the user named no target (fdtop then probes FastDeploy's default ports). */
	readonly defaultTargets: boolean;
	readonly once: boolean;
	readonly json: boolean;
	readonly families: boolean;
	readonly intervalMs: number;
	readonly windowMs: number;
	readonly timeoutMs: number;
	readonly maxBytes: number;
	/** Cardinality cap per scrape. */
	readonly maxSeries: number;
	/** Scrapes in flight at once, across all targets (--concurrency). */
	readonly concurrency: number;
	readonly headers: Readonly<Record<string, string>>;
	readonly token: string | undefined;
	readonly insecure: boolean;
	readonly color: boolean;
	readonly ascii: boolean;
	readonly lang: 'en' | 'zh';
	/** Record every scrape to this file (`.gz` compresses). */
	readonly record: string | undefined;
	/** --record may replace a file that is not a recording of these targets, and write through a symbolic link. */
	readonly recordOverwrite: boolean;
	/** Replay speed (recordings and the demo). */
	readonly speed: number;
	readonly loop: boolean;
	/** Name of the bundled demo to replay ('' = the default one), undefined when not a demo. */
	readonly demo: string | undefined;
	/** A Prometheus server to read the fleet from, instead of scraping endpoints. */
	readonly prometheus: string | undefined;
	/** Label matchers for --prometheus, canonical, e.g. `{job="llm_job"}` (checked: nothing but matchers). */
	readonly match: string | undefined;
	/** Cap on each Prometheus API answer. */
	readonly maxApiBytes: number;
	/** The FastDeploy version given with --era, instead of the one guessed from the metrics. */
	readonly era: Era | undefined;
	/** Service-level objectives (--slo, repeatable), as given and parsed. */
	readonly slo: readonly string[];
	readonly objectives: readonly Objective[];
	/** --baseline: a recording (or demo:NAME, with an optional ,START/DURATION) that the Compare view (7) measures the live window against. */
	readonly baseline?: string;
	/** Alert rules as written (--alert, repeatable; the config file's `alerts:` list), each checked at start-up. */
	readonly alerts: readonly string[];
	/** The config file read, if any (--config FILE, or the default path when it exists). */
	readonly configFile: string | undefined;
}

/** Alert rule texts → rules; a bad one is bad usage, named with where it came from (e.g. `--alert`). */
export function alertRules(texts: readonly string[], from = '--alert', lang: Lang = 'en'): AlertRule[] {
	return texts.map(text => {
		const parsed = parseAlertRule(text, lang);
		if (parsed.error !== undefined) throw new UsageError(`${from} ${inert(parsed.error)}`);
		return parsed.rule;
	});
}


const FLAGS = {
	once: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	families: {type: 'boolean', default: false},
	interval: {type: 'string', shortFlag: 'i'},
	window: {type: 'string', shortFlag: 'w'},
	timeout: {type: 'string'},
	maxBytes: {type: 'string'},
	maxApiBytes: {type: 'string'},
	maxSeries: {type: 'string'},
	concurrency: {type: 'string'},
	header: {type: 'string', shortFlag: 'H', isMultiple: true},
	tokenFile: {type: 'string'},
	insecure: {type: 'boolean'},
	// No default: absent, NO_COLOR then the config file decide (flags beat environment beat file).
	color: {type: 'boolean'},
	// No default: absent, the locale and TERM decide (source/charset.ts); --no-ascii forces Unicode.
	ascii: {type: 'boolean'},
	unicode: {type: 'boolean', default: false},
	lang: {type: 'string'},
	era: {type: 'string'},
	record: {type: 'string'},
	recordOverwrite: {type: 'boolean', default: false},
	targets: {type: 'string'},
	prometheus: {type: 'string'},
	match: {type: 'string'},
	baseline: {type: 'string'},
	speed: {type: 'string'},
	loop: {type: 'boolean', default: false},
	demo: {type: 'string'},
	slo: {type: 'string', isMultiple: true},
	alert: {type: 'string', isMultiple: true},
	config: {type: 'string'},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', shortFlag: 'v', default: false},
} as const;

const KNOWN = new Set<string>([...Object.keys(FLAGS), ...Object.values(FLAGS).flatMap(f => ('shortFlag' in f ? [f.shortFlag] : [])), 'noColor', 'no-color', 'noAscii', 'no-ascii', '--']);
const kebab = (name: string) => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
/** Every long flag as written on the command line (a suggestion is one of these). */
const LONG_FLAGS = [...Object.keys(FLAGS).map(kebab), 'no-color', 'no-ascii', 'no-config'];
const SHORT_FLAGS = new Set<string>(Object.values(FLAGS).flatMap(f => ('shortFlag' in f ? [f.shortFlag] : [])));
/** The subcommands: only the first argument can be one (a bare word after it is a target). */
export const COMMANDS = ['check', 'export', 'config'] as const;

/**
 * `--windw`: one line naming the flag as typed, the nearest known one, and where all are listed.
 * meow reports the unknown flag normalised (`--no-colour` as `colour`), so the spelling is taken
 * from argv: the first flag there that is not a known one.
 */
function unknownFlagError(argv: readonly string[], normalised: string, extra: readonly string[]): UsageError {
	let typed: string | undefined;
	for (const arg of argv) {
		if (arg === '--') break;
		const long = /^--([^=]+)/.exec(arg);
		if (long && !LONG_FLAGS.includes(long[1]!) && !extra.includes(long[1]!)) {
			typed = `--${long[1]}`;
			break;
		}
		const short = /^-([^-])/.exec(arg);
		if (short && !SHORT_FLAGS.has(short[1]!)) {
			typed = `-${short[1]}`;
			break;
		}
	}
	typed ??= `${normalised.length === 1 ? '-' : '--'}${kebab(normalised)}`;
	const near = typed.startsWith('--') ? didYouMean(typed.slice(2), [...LONG_FLAGS, ...extra]) : undefined;
	return new UsageError(`unknown flag ${typed}${near === undefined ? '' : `: did you mean --${near}?`} (fdtop --help lists every flag)`, true);
}

/** "1", "1s", "500ms", "2m", "1h" → milliseconds. */
export function parseDuration(text: string, flag: string): number {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
	if (!match) throw new UsageError(`--${flag} "${text}" is not a duration: write e.g. 500ms, 2s, 5m`);
	const n = Number(match[1]);
	const unit = (match[2] ?? 's').toLowerCase();
	const ms = n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
	return Math.round(ms);
}

export function parseBytes(text: string, flag: string): number {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
	if (!match) throw new UsageError(`--${flag} "${text}" is not a size: write e.g. 16MiB or 1048576`);
	const unit = (match[2] ?? 'b').toLowerCase()[0]!;
	const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
	return Math.round(Number(match[1]) * factor);
}

function parseHeader(text: string): [string, string] {
	const colon = text.indexOf(':');
	const name = colon > 0 ? text.slice(0, colon).trim() : '';
	// Its value was registered as a secret already (registerSecrets); the name alone is shown.
	if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
		const shown = text.split(/[\s:]/)[0]!.slice(0, 40);
		throw new UsageError(`-H "${shown}${shown.length < text.length ? '…' : ''}": write a header as 'Name: value'`);
	}
	const value = text.slice(colon + 1).trim();
	if (/[\r\n]/.test(value)) throw new UsageError(`-H "${name}": a header value cannot contain a line break`);
	return [name, value];
}

/**
 * `fdtop chek`, `fdtop prod-x`: a word that is no target but near a command (in first place, where
 * a command goes) or near the name of a config file's target. A word that is a target (a file,
 * host:port, a URL, a name in the file) stays one; only a word that would fail anyway is a slip.
 */
function misspeltWord(argv: readonly string[], words: readonly string[], names: readonly string[], file: string | undefined): UsageError | undefined {
	for (const word of words) {
		try {
			if (!names.includes(word)) parseTarget(word);
			continue;
		} catch {
			const command = argv[0] === word ? didYouMean(word, COMMANDS) : undefined;
			if (command !== undefined) return new UsageError(`"${word}" is neither a target nor a command: did you mean fdtop ${command}? (fdtop --help lists every command)`, true);
			const name = didYouMean(word, names);
			if (name !== undefined) return new UsageError(`"${word}" is not a target nor a name in ${file}: did you mean ${name}?`, true);
			return undefined;
		}
	}
	return undefined;
}

export interface ParsedCli {
	readonly config: Config;
	readonly help: string;
	readonly version: string;
	readonly showHelp: boolean;
	readonly showVersion: boolean;
}

/**
 * Register every secret in argv and the environment with the redactor before anything is
 * validated, so no error message can show one: FDTOP_TOKEN, every -H value (whatever its length;
 * a malformed header's text after its name), and the userinfo of any URL-ish argument.
 */
function registerSecrets(argv: readonly string[], env: NodeJS.ProcessEnv): void {
	addSecret(env.FDTOP_TOKEN?.trim() || undefined);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		addSecretsFromText(arg);
		let header: string | undefined;
		if ((arg === '-H' || arg === '--header') && i + 1 < argv.length) header = argv[i + 1];
		else if (arg.startsWith('--header=')) header = arg.slice('--header='.length);
		else if (arg.startsWith('-H') && !arg.startsWith('--')) header = arg.slice(2).replace(/^=/, '');
		if (header === undefined) continue;
		const colon = header.indexOf(':');
		const value = colon === -1 ? header.replace(/^\S*\s*/, '') : header.slice(colon + 1);
		addSecret(value.trim() || undefined);
		// `Authorization: Bearer X`: X alone, as a server may echo it without the scheme.
		const scheme = /^\s*(?:bearer|basic|digest|token)\s+(\S+)\s*$/i.exec(value);
		if (scheme) addSecret(scheme[1]);
	}
}

export interface ParseOptions {
	/** Flags a subcommand takes itself (check's --whole), as suggestions for a misspelt flag. */
	readonly commandFlags?: readonly string[];
	/** The config file, read (loadConfig): flags beat environment beat it beat defaults. */
	readonly file?: ConfigFile;
}

/** parseCli with the config file these arguments choose. */
export async function parseCliWithConfig(argv: readonly string[], env: NodeJS.ProcessEnv, version: string, options: ParseOptions = {}): Promise<ParsedCli> {
	// --help and --version answer whatever the file holds.
	const asks = argv.some(a => ['-h', '--help', '-v', '--version'].includes(a));
	return parseCli(argv, env, version, {...options, file: asks ? undefined : await loadConfig(argv, env)});
}

/** Parse argv (without node and script) and the environment. Throws UsageError on bad usage. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, version: string, options: ParseOptions = {}): ParsedCli {
	registerSecrets(argv, env);
	const cli = meow(HELP, {
		importMeta: import.meta,
		argv: [...argv],
		flags: FLAGS,
		allowUnknownFlags: true,
		// A boolean flag without a default stays undefined when absent (--ascii: the terminal decides).
		booleanDefault: undefined,
		autoHelp: false,
		autoVersion: false,
		// Given, so meow does not look for and read package.json on every start. (Its name is the
		// process title meow sets, as the package.json it found gave: fdtop.)
		pkg: {name: 'fdtop', version},
		version,
		description: 'fdtop: a live terminal monitor for FastDeploy LLM serving (TTFT, TPOT, queue/prefill/decode, KV cache, throughput).',
	});
	const unknown = Object.keys(cli.unnormalizedFlags).filter(k => !KNOWN.has(k));
	if (unknown.length > 0) throw unknownFlagError(argv, unknown[0]!, options.commandFlags ?? []);
	const f = cli.flags;
	const result = {help: cli.help, version, showHelp: f.help, showVersion: f.version};
	if (f.help || f.version) return {...result, config: undefined as unknown as Config};

	// Flags beat environment beat the file beat defaults. The file's values were checked as it was read.
	const file = options.file;
	const fs = file?.settings ?? {};
	const interval = f.interval ?? fs.interval;
	const intervalMs = interval === undefined ? 1000 : parseDuration(interval, 'interval');
	if (intervalMs < 100 || intervalMs > 3_600_000) throw new UsageError(`--interval ${f.interval}: choose between 100ms and 1h`);
	const window = f.window ?? fs.window;
	const windowMs = window === undefined ? 60_000 : parseDuration(window, 'window');
	const windowFrom = f.window === undefined && fs.window !== undefined ? `${file!.at('window')}: window ${fs.window}` : `--window ${window ?? '60s'}`;
	if (windowMs < 2 * intervalMs) throw new UsageError(`${windowFrom}: must be at least two intervals (${(2 * intervalMs) / 1000}s) so a window holds two scrapes`);
	if (windowMs > 3_600_000) throw new UsageError(`--window ${f.window}: at most 1h`);
	const timeout = f.timeout ?? fs.timeout;
	const timeoutMs = timeout === undefined ? 5000 : parseDuration(timeout, 'timeout');
	if (timeoutMs < 100) throw new UsageError(`--timeout ${f.timeout}: at least 100ms`);
	const bytes = f.maxBytes ?? fs['max-bytes'];
	const maxBytes = bytes === undefined ? DEFAULT_MAX_BYTES : parseBytes(bytes, 'max-bytes');
	if (maxBytes < 1024) throw new UsageError(`--max-bytes ${f.maxBytes}: at least 1KiB`);
	const maxSeries = f.maxSeries === undefined ? (fs['max-series'] ?? 200_000) : Number(f.maxSeries);
	if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new UsageError(`--max-series ${f.maxSeries}: give a whole number of series, at least 1`);
	const concurrency = f.concurrency === undefined ? (fs.concurrency ?? DEFAULT_CONCURRENCY) : Number(f.concurrency);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000) throw new UsageError(`--concurrency ${inert(f.concurrency ?? '')}: give a whole number of scrapes in flight at once, from 1 to 10000`);
	if (f.json && !f.once) throw new UsageError('--json needs --once (the live view is for terminals)');
	if (f.families && !f.json) throw new UsageError('--families needs --once --json');
	if (f.ascii === true && f.unicode) throw new UsageError('--ascii and --unicode ask for opposite glyph sets: give one of them');
	// The environment speaks only when it says something: a locale or TERM without Unicode, a zh locale.
	const ascii = f.ascii ?? (f.unicode ? false : !unicodeTerminal(env) || (fs.ascii ?? false));
	const langText = f.lang ?? (langFromEnv(env) === 'zh' ? 'zh' : (fs.lang ?? 'en'));
	if (langText !== 'en' && langText !== 'zh') throw new UsageError(`--lang ${langText}: choose en or zh`);
	const era = f.era === undefined ? fs.era : ERAS.find(e => e === f.era);
	if (f.era !== undefined && era === undefined) throw new UsageError(`--era ${inert(f.era)}: choose one of ${ERAS.join(', ')} (the FastDeploy versions fdtop knows)`);

	const speed = f.speed === undefined ? 1 : Number(f.speed);
	if (!(speed >= 0.1 && speed <= 1000)) throw new UsageError(`--speed ${f.speed}: give a number from 0.1 to 1000`);
	if (f.record !== undefined && f.record.trim() === '') throw new UsageError('--record needs a file name, e.g. --record run.jsonl.gz');
	if (f.record !== undefined) checkRecordPath(f.record);
	if (f.recordOverwrite && f.record === undefined) throw new UsageError('--record-overwrite goes with --record FILE');

	const headers: Record<string, string> = {};
	for (const h of f.header ?? []) {
		const [name, value] = parseHeader(h);
		headers[name] = value;
	}
	let token = env.FDTOP_TOKEN?.trim() || undefined;
	// A line break would end the Authorization header and start another one.
	if (token !== undefined && /[\s\u0000-\u001f\u007f]/.test(token)) throw new UsageError('FDTOP_TOKEN: the token must be one word, without spaces or line breaks');
	if (f.tokenFile !== undefined) token = readToken(f.tokenFile);

	// A word that names a config file's target is that target; with no target at all (and no
	// --demo, --prometheus), the file's targets are watched rather than the default ports probed.
	const fileTargets = new Map((file?.targets ?? []).map(t => [t.name, t.spec]));
	let targets: TargetSpec[];
	try {
		const named = cli.input.map(String);
		if (f.targets !== undefined) append(named, readTargetsFile(f.targets));
		targets = named.map(t => fileTargets.get(t) ?? parseTarget(t));
		if (named.length === 0 && f.demo === undefined && f.prometheus === undefined) targets = [...fileTargets.values()];
	} catch (error) {
		if (error instanceof TargetError) throw misspeltWord(argv, cli.input.map(String), [...fileTargets.keys()], file?.path) ?? new UsageError(error.message);
		throw error;
	}
	const recordings = targets.filter(t => t.kind === 'recording');
	if (recordings.length > 0 && targets.length > 1) throw new UsageError('replay one recording at a time, without other targets');
	if (f.demo !== undefined && targets.length > 0) throw new UsageError('--demo replays a bundled recording: give no targets with it');
	if (f.record !== undefined && (recordings.length > 0 || f.demo !== undefined)) throw new UsageError('--record records live targets, not a replay');
	if (f.prometheus !== undefined && (targets.length > 0 || f.demo !== undefined)) throw new UsageError('--prometheus reads its targets from the Prometheus server: give no other targets');
	if (f.match !== undefined && f.prometheus === undefined) throw new UsageError('--match goes with --prometheus URL');
	if (f.maxApiBytes !== undefined && f.prometheus === undefined) throw new UsageError('--max-api-bytes goes with --prometheus URL (for scrapes, use --max-bytes)');
	const maxApiBytes = f.maxApiBytes === undefined ? DEFAULT_MAX_API_BYTES : parseBytes(f.maxApiBytes, 'max-api-bytes');
	if (maxApiBytes < 1024) throw new UsageError(`--max-api-bytes ${f.maxApiBytes}: at least 1KiB`);
	let match: string | undefined;
	try {
		match = f.match === undefined ? undefined : `{${canonicalMatch(f.match)}}`;
	} catch (error) {
		if (error instanceof MatcherError) throw new UsageError(matchUsageMessage(f.match!, error));
		throw error;
	}
	if (f.prometheus !== undefined && !/^https?:\/\/[^/@\s]+/i.test(f.prometheus)) throw new UsageError(`--prometheus ${f.prometheus}: give the server's base URL, e.g. http://prometheus:9090 (credentials go in FDTOP_TOKEN or -H, not the URL)`);
	const slo = f.slo !== undefined && f.slo.length > 0 ? f.slo : (file?.slo ?? []);
	const objectives = slo.map(text => {
		const parsed = parseObjective(text, langText);
		if (parsed.error !== undefined) throw new UsageError(parsed.error);
		return parsed.objective;
	});
	const alerts = f.alert !== undefined && f.alert.length > 0 ? f.alert : (file?.alerts ?? []);
	alertRules(alerts, f.alert !== undefined && f.alert.length > 0 ? '--alert' : `${file?.path ?? 'config'}: alerts:`, langText);
	if (f.loop && recordings.length === 0 && f.demo === undefined) throw new UsageError('--loop is for replays: give a recording (.jsonl or .jsonl.gz) or --demo');
	return {
		...result,
		config: {
			targets,
			defaultTargets: targets.length === 0 && f.demo === undefined && f.prometheus === undefined,
			once: f.once,
			json: f.json,
			families: f.families,
			intervalMs,
			windowMs,
			timeoutMs,
			maxBytes,
			maxSeries,
			concurrency,
			headers,
			token,
			insecure: f.insecure ?? fs.insecure ?? false,
			color: f.color ?? (env.NO_COLOR ? false : (fs.color ?? true)),
			ascii,
			lang: langText,
			era,
			record: f.record,
			recordOverwrite: f.recordOverwrite,
			speed,
			loop: f.loop,
			demo: f.demo,
			prometheus: f.prometheus,
			match,
			maxApiBytes,
			slo,
			objectives,
			...(f.baseline === undefined ? {} : {baseline: f.baseline}),
			alerts,
			configFile: file?.path,
		},
	};
}
