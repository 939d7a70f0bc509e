/**
 * The release artefacts (`npm run dist`, release/) side by side with `npm start`'s bin
 * (dist/cli.js with its node flags, `npm run build`): the size of each, the time to the first
 * full overview frame at 120x40 against the loopback simulator and the CPU fdtop's main thread had
 * used by then (bench/startup.ts's machinery), and the resident set 10 s after that frame (idle,
 * one scrape a second). One run of each in turn, so a change in the machine's load falls on all.
 * The .tgz is installed into a temporary prefix first (offline, as test/dist.test.ts does).
 *
 * Run: npm run build && npm run dist && npm run bench:release [-- --runs 5]
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {machine, markdownTable, median} from './common.js';
import {measureStartupRuns} from './startup.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values} = parseArgs({options: {runs: {type: 'string', default: '5'}, 'rss-after': {type: 'string', default: '10000'}}});
const runs = Number(values.runs);
const rssAfterMs = Number(values['rss-after']);
const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};
const release = join(root, 'release');
const sea = join(release, `fdtop-${version}-linux-${process.arch}`);
const mjs = join(release, `fdtop-${version}.mjs`);
const tgz = join(release, `fdtop-${version}.tgz`);

const prefix = mkdtempSync(join(tmpdir(), 'fdtop-bench-prefix-'));
try {
	execFileSync('npm', ['install', '-g', '--prefix', prefix, tgz, '--no-audit', '--no-fund'], {env: {...process.env, npm_config_cache: join(prefix, '.cache'), npm_config_registry: 'http://127.0.0.1:9/'}, stdio: 'ignore'});
	const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts['start']!.replace(/ --demo$/, '').replace('dist/cli.js', join(root, 'dist', 'cli.js'));
	const variants: {what: string; bytes: number; command: string}[] = [
		{what: '`npm start` (dist/, node flags)', bytes: 0, command: start},
		{what: `single executable (${sea.slice(release.length + 1)})`, bytes: statSync(sea).size, command: sea},
		{what: `node ${mjs.slice(release.length + 1)}`, bytes: statSync(mjs).size, command: `${process.execPath} ${mjs}`},
		{what: `${tgz.slice(release.length + 1)}, installed (its bin)`, bytes: statSync(tgz).size, command: join(prefix, 'bin', 'fdtop')},
	];
	const results = variants.map(() => ({ms: [] as number[], cpu: [] as number[], rss: [] as number[]}));
	for (let r = 0; r < runs; r++) {
		for (const [i, v] of variants.entries()) {
			const one = await measureStartupRuns(1, {command: v.command, rssAfterMs});
			results[i]!.ms.push(...one.ms);
			results[i]!.cpu.push(...one.cpuMs);
			results[i]!.rss.push(...one.rssMiB);
		}
	}
	const range = (xs: readonly number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
	console.log(`${machine()}\nMethod: bench/release.ts; ${runs} runs of each, in turn; first frame = spawn to the overview's "Trends" panel and status line in a fresh 120x40 tmux session against the loopback simulator (bench/startup.ts); CPU = fdtop's main thread's by then; idle RSS = VmRSS ${rssAfterMs / 1000} s after the first frame. \`npm start\` is measured without its build step (the command it runs).\n`);
	console.log(
		markdownTable(
			['artefact', 'size', 'first frame, ms: median (range)', 'main-thread CPU by then, ms', `idle RSS after ${rssAfterMs / 1000} s, MiB`],
			variants.map((v, i) => [v.what, v.bytes ? `${(v.bytes / 1024 / 1024).toFixed(1)} MiB` : '(dist/ + node_modules)', range(results[i]!.ms), range(results[i]!.cpu), range(results[i]!.rss)]),
		),
	);
} finally {
	rmSync(prefix, {recursive: true, force: true});
}
