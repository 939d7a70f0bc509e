/**
 * What flags and the config file make fdtop read before it starts: a token file, a targets file,
 * the directory a recording goes to, and which config file applies (--config FILE, --no-config,
 * the default path). Every error is a UsageError naming the flag or file and the fix.
 */
import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import {dirname, isAbsolute, join, resolve} from 'node:path';
import {addSecret, addSecretsFromText} from './redact.js';
import type {ConfigFile} from './config-file.js';

/** Bad usage: exit 2. `brief`: the message says it all, so the usage text does not follow. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly brief = false,
	) {
		super(message);
	}
}

/** One token from a file (registered as a secret before any check); `label` starts each error. */
export function readToken(file: string, label = `--token-file ${file}`): string {
	let text: string;
	try {
		if (!statSync(file).isFile()) throw new UsageError(`${label}: not a regular file`);
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if (error instanceof UsageError) throw error;
		const code = (error as {code?: string}).code;
		throw new UsageError(`${label}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
	}
	const token = text.trim();
	addSecret(token);
	for (const word of token.split(/\s+/)) addSecret(word);
	if (token === '' || /\s/.test(token)) throw new UsageError(`${label}: the file must hold one token on one line`);
	return token;
}

/** `--record FILE`: fail now, before any scrape, when the file could not be written. */
export function checkRecordPath(file: string): void {
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
export function readTargetsFile(file: string): string[] {
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

/** Where fdtop looks for its config file: `$XDG_CONFIG_HOME/fdtop/config.yaml`, else `~/.config/fdtop/config.yaml`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv): string | undefined {
	const xdg = env.XDG_CONFIG_HOME;
	if (xdg && isAbsolute(xdg)) return join(xdg, 'fdtop', 'config.yaml');
	return env.HOME ? join(env.HOME, '.config', 'fdtop', 'config.yaml') : undefined;
}

/** `--config FILE` / `--no-config` from argv: the file named, false for none, undefined for the default. */
function configFlag(argv: readonly string[]): string | false | undefined {
	let chosen: string | false | undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') break;
		if (arg === '--no-config') chosen = false;
		else if (arg === '--config') chosen = argv[i + 1] ?? '';
		else if (arg.startsWith('--config=')) chosen = arg.slice('--config='.length);
	}
	return chosen;
}

/**
 * The config file for these arguments: `--config FILE` (must exist), none with `--no-config`, else
 * the default path when a file is there. The YAML and schema libraries load only when there is a
 * file to read. Throws UsageError (brief) for a bad file.
 */
export async function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ConfigFile | undefined> {
	const flag = configFlag(argv);
	if (flag === false) return undefined;
	if (flag === '') throw new UsageError('--config needs a file name, e.g. --config ~/fdtop.yaml (or --no-config for none)', true);
	const file = flag ?? defaultConfigPath(env);
	if (file === undefined) return undefined;
	if (flag === undefined) {
		try {
			statSync(file);
		} catch {
			return undefined;
		}
	}
	const {loadConfigFile} = await import('./config-file.js');
	try {
		return loadConfigFile(file, {required: flag !== undefined, home: env.HOME});
	} catch (error) {
		// The file named on the command line: say which flag named it.
		if (error instanceof UsageError && flag !== undefined && error.message.startsWith(`${file}: no such file`)) throw new UsageError(`--config ${error.message}`, true);
		throw error;
	}
}
