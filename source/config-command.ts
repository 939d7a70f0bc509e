/**
 * `fdtop config init [FILE] [--force]` writes a commented example config file; `fdtop config check
 * [FILE]` validates one and prints what it holds (targets, objectives, alerts, defaults), secrets
 * shown as [redacted]. Exit 0, or 2 with the problem (and its line) on stderr.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {asciiText, unicodeTerminal} from './charset.js';
import {loadConfigFile, type ConfigFile} from './config-file.js';
import {defaultConfigPath, UsageError} from './config-read.js';
import {parseObjective, objectiveLabel} from './metrics/slo.js';
import {REDACTED} from './redact.js';
import {inert} from './text.js';
import {langOf, msgs} from './i18n/index.js';

/** What `fdtop config init` writes: every key, commented; it passes `fdtop config check` as written. */
export const EXAMPLE_CONFIG = `# fdtop config file (YAML). fdtop reads $XDG_CONFIG_HOME/fdtop/config.yaml, else
# ~/.config/fdtop/config.yaml, or the file given with --config FILE (--no-config: none).
# Check it with: fdtop config check
# Precedence: flags beat environment (FDTOP_TOKEN, NO_COLOR, a zh or non-UTF-8 locale)
# beat this file beat fdtop's defaults.

# Named targets: \`fdtop local\` watches one, \`fdtop\` with no target watches them all.
# url takes what the command line takes: a URL, host:port, :port, or a file.
targets:
  local:
    url: localhost:8000          # FastDeploy 2.3+ (2.0-2.2 serve metrics on 8001)
    headers:                     # sent with every scrape of this target; values never printed
      X-Tenant: llm-team
  # prod-a:
  #   url: https://gpu1.example.com/metrics
  #   token-file: ~/.config/fdtop/prod-a.token   # one line, the bearer token; never printed

# Defaults: each key is the long flag of the same name (fdtop --help).
interval: 1s                     # scrape interval
window: 1m                       # window for rates, percentiles and attainment
# timeout: 5s
# max-bytes: 16MiB
# max-series: 200000
# concurrency: 64
# lang: en                       # en or zh
# ascii: false                   # true: ASCII glyphs only
# color: true                    # false: no colours
# insecure: false                # true: accept a self-signed TLS certificate
# era: "2.3"                     # the FastDeploy version, instead of the guess

# Objectives: what --slo takes, one a line (the SLO view, key 6; fdtop check).
slo:
  - ttft <= 2s for 99%
  - tpot <= 100ms for 90%

# Alert rules: a catalog metric, a comparison, and how long it must hold.
alerts:
  - kv_cache >= 90% for 30s
  - waiting > 50 for 1m
  - rate(send_cache_failed) > 0
`;

const USAGE = 'usage: fdtop config init [FILE] [--force]  |  fdtop config check [FILE]   (FILE: default $XDG_CONFIG_HOME/fdtop/config.yaml)';

/** `config check`'s summary, every secret a [redacted] (written through inert). */
export function configSummary(file: ConfigFile): string[] {
	const lines = [`${file.path}: valid`];
	lines.push(`targets (${file.targets.length})${file.targets.length > 0 ? ': watched when fdtop is given no target' : ''}`);
	for (const t of file.targets) {
		const location = t.spec.kind === 'http' ? t.spec.url : t.url;
		const headers = t.headerNames.map(h => `${h}: ${REDACTED}`).join(', ');
		const parts = [`  ${t.name}`, location, headers && `headers ${headers}`, t.tokenFile && `token ${REDACTED} from ${t.tokenFile}`];
		lines.push(parts.filter(Boolean).join('  '));
	}
	lines.push(`objectives (${file.slo.length})`);
	for (const text of file.slo) {
		const parsed = parseObjective(text);
		lines.push(`  ${parsed.error === undefined ? objectiveLabel(parsed.objective) : text}   (${text})`);
	}
	lines.push(`alerts (${file.alerts.length})`);
	for (const rule of file.alerts) lines.push(`  ${rule}`);
	const settings = Object.entries(file.settings);
	lines.push(`defaults (${settings.length})${settings.length > 0 ? ': flags and the environment override them' : ''}`);
	for (const [key, value] of settings) lines.push(`  ${key}: ${String(value)}`);
	return lines;
}

/** Exit 2 with one line a problem (the file's problems are a line each). */
function bad(message: string): number {
	for (const line of message.split('\n')) process.stderr.write(`fdtop config: ${inert(line)}\n`);
	return 2;
}

/** `fdtop config …` (argv after `config`): the exit status. */
export async function runConfigCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({args: [...argv], allowPositionals: true, options: {force: {type: 'boolean', default: false}, help: {type: 'boolean', short: 'h', default: false}}});
	} catch (error) {
		return bad(`${(error as Error).message}\n${USAGE}`);
	}
	const [action, fileArg, ...rest] = parsed.positionals;
	if (parsed.values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	if ((action !== 'init' && action !== 'check') || rest.length > 0) return bad(action === undefined ? USAGE : `${rest.length > 0 ? `one file at a time, not ${rest.join(' ')}` : `no action "${action}": init or check`}\n${USAGE}`);
	if (parsed.values.force && action !== 'init') return bad(`--force goes with init\n${USAGE}`);
	const file = fileArg ?? defaultConfigPath(env);
	if (file === undefined) return bad('no HOME or XDG_CONFIG_HOME to find the config file in: give FILE');
	if (action === 'init') {
		try {
			mkdirSync(dirname(file), {recursive: true});
			// 0600: a config file may name token files and carry headers.
			writeFileSync(file, EXAMPLE_CONFIG, {flag: parsed.values.force ? 'w' : 'wx', mode: 0o600});
		} catch (error) {
			const code = (error as {code?: string}).code;
			if (code === 'EEXIST') return bad(`${file} exists: keep it, or replace it with fdtop config init --force`);
			return bad(`${file}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
		}
		process.stdout.write(`${inert(`fdtop: ${msgs(langOf(argv, env)).files.wroteConfig(file, `fdtop config check${fileArg === undefined ? '' : ` ${file}`}`)}`)}\n`);
		return 0;
	}
	let config: ConfigFile | undefined;
	try {
		config = loadConfigFile(file, {required: true, home: env.HOME});
	} catch (error) {
		if (error instanceof UsageError) return bad(error.message);
		throw error;
	}
	const ascii = !unicodeTerminal(env);
	for (const line of configSummary(config!)) process.stdout.write(`${ascii ? asciiText(inert(line)) : inert(line)}\n`);
	return 0;
}
