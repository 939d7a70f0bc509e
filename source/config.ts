/** Flags and environment → one validated Config. Every error names the flag and the fix. */
import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import meow from 'meow';
import {DEFAULT_MAX_BYTES} from './sources/http.js';
import {DEFAULT_MAX_API_BYTES} from './sources/prometheus-api.js';
import {canonicalMatch, MatcherError, matchUsageMessage} from './sources/promql-matchers.js';
import {DEFAULT_CONCURRENCY} from './sources/limit.js';
import {inert} from './text.js';
import {unicodeTerminal} from './charset.js';
import {parseTarget, TargetError, type TargetSpec} from './sources/targets.js';
import {addSecret, addSecretsFromText} from './redact.js';
import {append} from './arrays.js';
import {ERAS, type Era} from './metrics/era.js';
import {parseObjective, type Objective} from './metrics/slo.js';
import {HELP} from './help-text.js';
import {langFromEnv} from './i18n/index.js';

export {HELP};

export class UsageError extends Error {}

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
	insecure: {type: 'boolean', default: false},
	color: {type: 'boolean', default: true},
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
	speed: {type: 'string'},
	loop: {type: 'boolean', default: false},
	demo: {type: 'string'},
	slo: {type: 'string', isMultiple: true},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', shortFlag: 'v', default: false},
} as const;

const KNOWN = new Set<string>([...Object.keys(FLAGS), ...Object.values(FLAGS).flatMap(f => ('shortFlag' in f ? [f.shortFlag] : [])), 'noColor', 'no-color', 'noAscii', 'no-ascii', '--']);

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

function readToken(file: string): string {
	let text: string;
	try {
		if (!statSync(file).isFile()) throw new UsageError(`--token-file ${file}: not a regular file`);
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if (error instanceof UsageError) throw error;
		const code = (error as {code?: string}).code;
		throw new UsageError(`--token-file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
	}
	const token = text.trim();
	addSecret(token);
	for (const word of token.split(/\s+/)) addSecret(word);
	if (token === '' || /\s/.test(token)) throw new UsageError(`--token-file ${file}: the file must hold one token on one line`);
	return token;
}

/** `--record FILE`: fail now, before any scrape, when the file could not be written. */
function checkRecordPath(file: string): void {
	const dir = dirname(resolve(file));
	let isDir: boolean;
	try {
		isDir = statSync(dir).isDirectory();
	} catch {
		throw new UsageError(`--record ${file}: no such directory ${dir}; create it first or record elsewhere`);
	}
	if (!isDir) throw new UsageError(`--record ${file}: ${dir} is not a directory`);
	let existing: ReturnType<typeof statSync> | undefined;
	try {
		existing = statSync(file);
	} catch {
		existing = undefined;
	}
	if (existing?.isDirectory()) throw new UsageError(`--record ${file}: is a directory; give a file name, e.g. ${file}/run.jsonl.gz`);
	try {
		accessSync(existing ? file : dir, constants.W_OK);
	} catch {
		throw new UsageError(`--record ${file}: permission denied; record into a directory you can write to`);
	}
}

/** `--targets FILE`: one target per line, `name=target` allowed, blank lines and `#` comments skipped. */
function readTargetsFile(file: string): string[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as {code?: string}).code;
		throw new UsageError(`--targets ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
	}
	const lines = text
		.split(/\r?\n/)
		.map(l => l.replace(/#.*$/, '').trim())
		.filter(l => l !== '');
	for (const line of lines) addSecretsFromText(line);
	if (lines.length === 0) throw new UsageError(`--targets ${file}: the file lists no targets`);
	return lines;
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

/** Parse argv (without node and script) and the environment. Throws UsageError on bad usage. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, version: string): ParsedCli {
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
	if (unknown.length > 0) {
		const name = unknown[0]!;
		throw new UsageError(`unknown flag ${name.length === 1 ? '-' : '--'}${name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`);
	}
	const f = cli.flags;
	const result = {help: cli.help, version, showHelp: f.help, showVersion: f.version};
	if (f.help || f.version) return {...result, config: undefined as unknown as Config};

	const intervalMs = f.interval === undefined ? 1000 : parseDuration(f.interval, 'interval');
	if (intervalMs < 100 || intervalMs > 3_600_000) throw new UsageError(`--interval ${f.interval}: choose between 100ms and 1h`);
	const windowMs = f.window === undefined ? 60_000 : parseDuration(f.window, 'window');
	if (windowMs < 2 * intervalMs) throw new UsageError(`--window ${f.window ?? '60s'}: must be at least two intervals (${(2 * intervalMs) / 1000}s) so a window holds two scrapes`);
	if (windowMs > 3_600_000) throw new UsageError(`--window ${f.window}: at most 1h`);
	const timeoutMs = f.timeout === undefined ? 5000 : parseDuration(f.timeout, 'timeout');
	if (timeoutMs < 100) throw new UsageError(`--timeout ${f.timeout}: at least 100ms`);
	const maxBytes = f.maxBytes === undefined ? DEFAULT_MAX_BYTES : parseBytes(f.maxBytes, 'max-bytes');
	if (maxBytes < 1024) throw new UsageError(`--max-bytes ${f.maxBytes}: at least 1KiB`);
	const maxSeries = f.maxSeries === undefined ? 200_000 : Number(f.maxSeries);
	if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new UsageError(`--max-series ${f.maxSeries}: give a whole number of series, at least 1`);
	const concurrency = f.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(f.concurrency);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000) throw new UsageError(`--concurrency ${inert(f.concurrency ?? '')}: give a whole number of scrapes in flight at once, from 1 to 10000`);
	if (f.json && !f.once) throw new UsageError('--json needs --once (the live view is for terminals)');
	if (f.families && !f.json) throw new UsageError('--families needs --once --json');
	if (f.ascii === true && f.unicode) throw new UsageError('--ascii and --unicode ask for opposite glyph sets: give one of them');
	const ascii = f.ascii ?? (f.unicode ? false : !unicodeTerminal(env));
	const langText = f.lang ?? langFromEnv(env);
	if (langText !== 'en' && langText !== 'zh') throw new UsageError(`--lang ${langText}: choose en or zh`);
	const era = f.era === undefined ? undefined : ERAS.find(e => e === f.era);
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

	let targets: TargetSpec[];
	try {
		const named = cli.input.map(String);
		if (f.targets !== undefined) append(named, readTargetsFile(f.targets));
		targets = named.map(t => parseTarget(t));
	} catch (error) {
		if (error instanceof TargetError) throw new UsageError(error.message);
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
	const slo = f.slo ?? [];
	const objectives = slo.map(text => {
		const parsed = parseObjective(text);
		if (parsed.error !== undefined) throw new UsageError(parsed.error);
		return parsed.objective;
	});
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
			insecure: f.insecure,
			color: f.color && !env.NO_COLOR,
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
		},
	};
}
