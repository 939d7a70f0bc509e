/**
 * The config file: `$XDG_CONFIG_HOME/fdtop/config.yaml` (or `--config FILE`), YAML read with
 * `yaml` (positions from its LineCounter) and validated with `zod`. Every error names the file,
 * line and column, the key path, what was expected, and the nearest known key for a misspelt one.
 * Secrets (header values, token files) are registered with the redactor before any validation can
 * quote them, and are never printed. Loaded on demand (config.ts), so a run without a file never
 * loads either library.
 */
import {readFileSync, statSync} from 'node:fs';
import {dirname, isAbsolute, join, resolve} from 'node:path';
import {isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode} from 'yaml';
// zod/mini, imported by name: ~22 KB in the bundle where zod's chained API is ~450 KB (start-up).
import {array, boolean, enum as oneOf, int, maximum, minimum, minLength, number, optional, pipe, record, safeParse, strictObject, string, transform, union, type ZodMiniType} from 'zod/mini';
import type {$ZodIssue} from 'zod/v4/core';
import {append} from './arrays.js';
import {didYouMean} from './did-you-mean.js';
import {addSecret, addSecretsFromText} from './redact.js';
import {parseBytes, parseDuration} from './config.js';
import {readToken, UsageError} from './config-read.js';
import {ERAS} from './metrics/era.js';
import {parseObjective} from './metrics/slo.js';
import {parseAlertRule} from './metrics/alert-rule.js';
import {parseTarget, TargetError, type TargetSpec} from './sources/targets.js';

/** A config file is settings, not data: past this it is a mistake (or an attack), not read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** YAML aliases expanded at most (a "billion laughs" file is refused, not expanded). */
const MAX_ALIASES = 100;
/** Errors listed at most, one a line. */
const MAX_ERRORS = 10;

/** The settings a file may give: each is a flag's long name, with the flag's meaning. */
export interface FileSettings {
	readonly interval?: string;
	readonly window?: string;
	readonly timeout?: string;
	readonly 'max-bytes'?: string;
	readonly 'max-series'?: number;
	readonly concurrency?: number;
	readonly lang?: 'en' | 'zh';
	readonly ascii?: boolean;
	readonly color?: boolean;
	readonly insecure?: boolean;
	readonly era?: (typeof ERAS)[number];
}

export interface FileTarget {
	readonly name: string;
	/** As written in the file (a URL, host:port, a file). */
	readonly url: string;
	readonly spec: TargetSpec;
	/** Header names only (their values are secrets). */
	readonly headerNames: readonly string[];
	readonly tokenFile: string | undefined;
}

export interface ConfigFile {
	readonly path: string;
	readonly targets: readonly FileTarget[];
	readonly settings: FileSettings;
	readonly slo: readonly string[];
	readonly alerts: readonly string[];
	/** `path:line:col` of a key (a top-level key, or `slo.1`), for messages about its value. */
	at(key: string): string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const DURATION_HINT = 'a duration, e.g. 500ms, 2s, 5m';

/** A value written as text or a number, checked by `check` (a message, or undefined when good). */
const textOrNumber = (check: (text: string) => string | undefined) =>
	pipe(
		union([string(), number()]),
		transform((value: string | number, ctx) => {
			const text = String(value);
			const problem = check(text);
			if (problem !== undefined) ctx.issues.push({code: 'custom', message: problem, input: value});
			return text;
		}),
	);

/** A duration as the flag takes it (a bare number is seconds), within [min, max] ms. */
const duration = (min: number, max: number, range: string) =>
	textOrNumber(text => {
		let ms: number;
		try {
			ms = parseDuration(text, '');
		} catch {
			return `expected ${DURATION_HINT}; got "${text}"`;
		}
		return ms < min || ms > max ? `expected ${range}; got ${text}` : undefined;
	});

const size = textOrNumber(text => {
	let bytes: number;
	try {
		bytes = parseBytes(text, '');
	} catch {
		return `expected a size, e.g. 16MiB or 1048576; got "${text}"`;
	}
	return bytes < 1024 ? `expected at least 1KiB; got ${text}` : undefined;
});

const TARGET = strictObject({
	url: string().check(minLength(1, 'expected a URL, host:port, :port or a file')),
	headers: optional(record(string(), textOrNumber(() => undefined))),
	'token-file': optional(string().check(minLength(1, 'expected the path of a file holding one token'))),
});

const SCHEMA = strictObject({
	targets: optional(record(string(), TARGET)),
	interval: optional(duration(100, 3_600_000, 'a duration from 100ms to 1h')),
	window: optional(duration(0, 3_600_000, 'a duration of at most 1h')),
	timeout: optional(duration(100, Number.MAX_SAFE_INTEGER, 'a duration of at least 100ms')),
	'max-bytes': optional(size),
	'max-series': optional(int().check(minimum(1, 'expected at least 1 series'))),
	concurrency: optional(int().check(minimum(1, 'expected 1 to 10000'), maximum(10_000, 'expected 1 to 10000'))),
	lang: optional(oneOf(['en', 'zh'])),
	ascii: optional(boolean()),
	color: optional(boolean()),
	insecure: optional(boolean()),
	era: optional(oneOf(ERAS)),
	slo: optional(array(string())),
	alerts: optional(array(string())),
});

type Output<S> = S extends ZodMiniType<infer O> ? O : never;
type FileData = Partial<Output<typeof SCHEMA>>;

/** Every top-level key, for "did you mean". */
export const TOP_KEYS = Object.keys(SCHEMA.shape);
const TARGET_KEYS = Object.keys(TARGET.shape);

type Path = readonly (string | number)[];

/** `targets.prod-a.headers`, `slo[1]`. */
function keyPath(path: Path): string {
	let out = '';
	for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out || '(top level)';
}

/** The node at `path` (the key's node with `key`), or the deepest that exists on the way. */
function nodeAt(root: unknown, path: Path, key = false): YamlNode | undefined {
	let node = root as YamlNode | undefined;
	for (let i = 0; i < path.length; i++) {
		const part = path[i]!;
		if (isMap(node)) {
			const pair = node.items.find(p => isScalar(p.key) && String(p.key.value) === String(part));
			if (!pair) return node;
			const last = i === path.length - 1;
			node = ((last && key) || pair.value == null ? pair.key : pair.value) as YamlNode;
		} else if (isSeq(node) && typeof part === 'number') {
			const item = node.items[part];
			if (!item || isPair(item)) return node;
			node = item as YamlNode;
		} else break;
	}
	return node;
}

/** What a YAML value is, as a message says it. */
function kindOf(value: unknown): string {
	if (value === null || value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {int: 'a whole number', string: 'text', number: 'a number', boolean: 'true or false', object: 'a mapping (key: value lines)', array: 'a list (- item lines)', record: 'a mapping (key: value lines)'};

interface Problem {
	readonly path: Path;
	readonly message: string;
	/** Point at the key rather than its value (an unknown key). */
	readonly key?: boolean;
}

/** zod's issues in words: what was expected, and the nearest known key for an unknown one. */
function problemsOf(issues: readonly $ZodIssue[], value: unknown, under: Path = []): Problem[] {
	const out: Problem[] = [];
	for (const issue of issues) {
		const path = [...under, ...(issue.path as (string | number)[])];
		if (issue.code === 'unrecognized_keys') {
			const known = path.length === 0 ? TOP_KEYS : path[0] === 'targets' && path.length === 2 ? TARGET_KEYS : [];
			for (const key of issue.keys) {
				const near = didYouMean(key, known);
				out.push({path: [...path, key], key: true, message: `unknown key${near === undefined ? '' : `: did you mean "${near}"?`} (expected one of ${known.join(', ')})`});
			}
		} else if (issue.code === 'invalid_type') {
			let got: unknown = value;
			for (const part of path) got = (got as Record<string | number, unknown> | undefined)?.[part];
			out.push({path, message: `expected ${EXPECTED[issue.expected] ?? issue.expected}; got ${kindOf(got)}`});
		} else if (issue.code === 'invalid_value') {
			out.push({path, message: `expected one of ${issue.values.map(v => String(v)).join(', ')}`});
		} else if (issue.code === 'invalid_union') {
			// A union of text and number (durations, sizes): neither fits.
			let got: unknown = value;
			for (const part of path) got = (got as Record<string | number, unknown> | undefined)?.[part];
			out.push({path, message: `expected text or a number; got ${kindOf(got)}`});
		} else out.push({path, message: issue.message});
	}
	return out;
}

/** Register the file's secrets before anything can quote them: header values, URL userinfo. */
function registerSecrets(value: unknown): void {
	const targets = (value as {targets?: unknown} | null)?.targets;
	if (targets === null || typeof targets !== 'object') return;
	for (const target of Object.values(targets as Record<string, unknown>)) {
		if (target === null || typeof target !== 'object') continue;
		const {url, headers} = target as {url?: unknown; headers?: unknown};
		if (typeof url === 'string') addSecretsFromText(url);
		if (headers === null || typeof headers !== 'object') continue;
		for (const h of Object.values(headers as Record<string, unknown>)) {
			if (typeof h !== 'string' && typeof h !== 'number') continue;
			const text = String(h).trim();
			addSecret(text || undefined);
			const scheme = /^\s*(?:bearer|basic|digest|token)\s+(\S+)\s*$/i.exec(text);
			if (scheme) addSecret(scheme[1]);
		}
	}
}

function fileError(path: string, code: string | undefined, error: unknown): string {
	return code === 'ENOENT' ? `${path}: no such file` : code === 'EACCES' ? `${path}: permission denied` : `${path}: ${(error as Error).message}`;
}

/** A path written in the file: `~/` is the home directory, a relative path is beside the file. */
function fromFile(file: string, text: string, home: string | undefined): string {
	if (text.startsWith('~/') && home) return join(home, text.slice(2));
	return isAbsolute(text) ? text : resolve(dirname(file), text);
}

/**
 * Read and validate one config file. `undefined` when `required` is false and there is no file
 * (the default path); else a UsageError (brief: its lines say it all) listing what is wrong.
 */
export function loadConfigFile(file: string, {required, home}: {required: boolean; home?: string}): ConfigFile | undefined {
	let text: string;
	try {
		const stat = statSync(file);
		if (!stat.isFile()) throw new UsageError(`${file}: not a regular file; give a YAML config file`, true);
		if (stat.size > MAX_CONFIG_BYTES) throw new UsageError(`${file}: ${(stat.size / 1024 / 1024).toFixed(1)} MiB is too large for a config file (at most 1 MiB)`, true);
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if (error instanceof UsageError) throw error;
		const code = (error as {code?: string}).code;
		if (code === 'ENOENT' && !required) return undefined;
		throw new UsageError(`${fileError(file, code, error)}${code === 'ENOENT' ? `; write one with: fdtop config init ${file}` : ''}`, true);
	}
	const lines = new LineCounter();
	const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: false});
	const where = (offset: number) => {
		const {line, col} = lines.linePos(offset);
		return `${file}:${line}:${col}`;
	};
	if (doc.errors.length > 0) {
		// What parsed of it may still hold header values that a parser message quotes: hide them too.
		try {
			registerSecrets(doc.toJS({maxAliasCount: MAX_ALIASES}));
		} catch {
			// Nothing usable: the messages below quote no more than a few characters.
		}
		const messages = doc.errors.slice(0, MAX_ERRORS).map(e => `${where(e.pos[0])}: ${e.code === 'TAB_AS_INDENT' ? 'a tab indents this line: YAML indents with spaces only' : e.code === 'DUPLICATE_KEY' ? 'this key is given twice: keep one' : `not YAML: ${e.message.replace(/\s+/g, ' ')}`}`);
		throw new UsageError(messages.join('\n'), true);
	}
	let value: unknown;
	try {
		value = doc.toJS({maxAliasCount: MAX_ALIASES}) ?? {};
	} catch {
		throw new UsageError(`${file}: too many YAML aliases (*name) expand here (at most ${MAX_ALIASES}): write the values out`, true);
	}
	registerSecrets(value);
	const at = (path: Path, key = false) => {
		const node = nodeAt(doc.contents, path, key);
		return where(node?.range?.[0] ?? 0);
	};
	const problems: Problem[] = [];
	// Key by key, so that one wrong value does not hide what is wrong elsewhere.
	const data: FileData = {};
	if (value === null || typeof value !== 'object' || Array.isArray(value)) problems.push({path: [], message: `expected a mapping of settings (key: value lines); got ${kindOf(value)}`});
	else {
		const shape = SCHEMA.shape as Record<string, ZodMiniType>;
		const unknown = Object.keys(value).filter(key => !(key in shape));
		if (unknown.length > 0) append(problems, problemsOf([{code: 'unrecognized_keys', keys: unknown, path: [], message: '', input: value as Record<string, unknown>}], value));
		const check = <T>(schema: ZodMiniType<T>, item: unknown, path: Path): T | undefined => {
			const parsed = safeParse(schema, item);
			if (!parsed.success) append(problems, problemsOf(parsed.error.issues, value, path));
			return parsed.success ? parsed.data : undefined;
		};
		for (const [key, item] of Object.entries(value)) {
			if (!(key in shape)) continue;
			const out = data as Record<string, unknown>;
			// Targets one by one, lists item by item: one wrong entry does not hide the others.
			if (key === 'targets' && item !== null && typeof item === 'object' && !Array.isArray(item)) {
				const each: Record<string, Output<typeof TARGET>> = {};
				for (const [name, t] of Object.entries(item)) {
					const parsed = check(TARGET, t, [key, name]);
					if (parsed) each[name] = parsed;
				}
				out[key] = each;
			} else if ((key === 'slo' || key === 'alerts') && Array.isArray(item)) {
				// Wrong items stay as holes, so the checks below keep each item's own index.
				out[key] = item.map((text: unknown, i) => check(string(), text, [key, i]));
			} else out[key] = check(shape[key]!, item, [key]);
		}
	}
	const targets: FileTarget[] = [];
	for (const [name, t] of Object.entries(data.targets ?? {})) {
		if (!NAME.test(name)) {
			problems.push({path: ['targets', name], key: true, message: 'a target name is letters, digits, "_", "." and "-" (it is typed on the command line)'});
			continue;
		}
		let spec: TargetSpec;
		try {
			spec = {...parseTarget(t.url), name};
		} catch (error) {
			if (!(error instanceof TargetError)) throw error;
			problems.push({path: ['targets', name, 'url'], message: error.message});
			continue;
		}
		const headers = t.headers ?? {};
		const bad = Object.keys(headers).find(h => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h));
		if (bad !== undefined) problems.push({path: ['targets', name, 'headers', bad], key: true, message: 'not a header name (letters, digits and -)'});
		const broken = Object.keys(headers).find(h => /[\r\n]/.test(headers[h]!));
		if (broken !== undefined) problems.push({path: ['targets', name, 'headers', broken], message: 'a header value cannot contain a line break'});
		if ((Object.keys(headers).length > 0 || t['token-file'] !== undefined) && spec.kind !== 'http') problems.push({path: ['targets', name, 'url'], message: 'headers and token-file go with an http(s) target, not a file'});
		let token: string | undefined;
		const tokenFile = t['token-file'] === undefined ? undefined : fromFile(file, t['token-file'], home);
		if (tokenFile !== undefined) {
			try {
				token = readToken(tokenFile, `token-file ${tokenFile}`);
			} catch (error) {
				if (!(error instanceof UsageError)) throw error;
				problems.push({path: ['targets', name, 'token-file'], message: error.message});
			}
		}
		if (spec.kind === 'http') spec = {...spec, headers, token};
		targets.push({name, url: t.url, spec, headerNames: Object.keys(headers), tokenFile});
	}
	const slo = data.slo ?? [];
	slo.forEach((objective, i) => {
		if (objective === undefined) return;
		const result = parseObjective(objective);
		if (result.error !== undefined) problems.push({path: ['slo', i], message: `"${objective}": ${result.error.replace(/^--slo(?: "(?:[^"\\]|\\.)*")?: /, '')}`});
	});
	const alerts = data.alerts ?? [];
	alerts.forEach((rule, i) => {
		if (rule === undefined) return;
		if (rule.trim() === '') {
			problems.push({path: ['alerts', i], message: "expected an alert rule, e.g. 'kv_cache >= 90% for 30s'; got empty text"});
			return;
		}
		const result = parseAlertRule(rule);
		if (result.error !== undefined) problems.push({path: ['alerts', i], message: `"${rule}": ${result.error}`});
	});
	if (problems.length > 0) {
		const offset = (p: Problem) => nodeAt(doc.contents, p.path, p.key)?.range?.[0] ?? 0;
		problems.sort((a, b) => offset(a) - offset(b));
		const shown = problems.slice(0, MAX_ERRORS).map(p => `${at(p.path, p.key)}: ${keyPath(p.path)}: ${p.message}`);
		if (problems.length > MAX_ERRORS) shown.push(`${file}: and ${problems.length - MAX_ERRORS} more`);
		throw new UsageError(shown.join('\n'), true);
	}
	const {targets: _t, slo: _s, alerts: _a, ...settings} = data;
	return {path: file, targets, settings, slo, alerts, at: key => at(key.split('.').map(k => (/^\d+$/.test(k) ? Number(k) : k)))};
}
