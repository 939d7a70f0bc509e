/**
 * What each edit scripts/build.mjs makes to a dependency's text (scripts/bundle-edits.mjs) buys:
 * the build with every edit against a build without that one edit (FDTOP_BUILD_WITHOUT), side by
 * side in one run: the first full frame at 120x40 against the loopback simulator, the CPU
 * fdtop's main thread had used by then, and the resident set 5 s after it (bench/startup.ts's
 * machinery). One run of each build in turn, so a change in the machine's load falls on all.
 *
 * Run: npm run bench:build-edits [-- --runs 4] [-- --edits a,b+c]   (b+c: both left out, in one build)
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {machine, markdownTable, median} from './common.js';
import {measureStartupRuns} from './startup.js';
import {binCommand} from './terminal.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values} = parseArgs({options: {runs: {type: 'string', default: '4'}, edits: {type: 'string', default: 'undici-lean,yoga-without-fetch,meow-lazy-normalize,undici-lazy-http2,undici-lazy-perf-hooks,lazy-text-helpers'}}});
const runs = Number(values.runs);
const edits = values.edits.split(',');

const work = mkdtempSync(join(tmpdir(), 'fdtop-build-edits-'));
try {
	const variants: {what: string; dir: string}[] = [];
	// `a+b` leaves several out at once.
	for (const without of ['', ...edits]) {
		const dir = join(work, without || 'all');
		mkdirSync(dir);
		symlinkSync(join(root, 'demo'), join(dir, 'demo'));
		execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', join(dir, 'dist')], {cwd: root, env: {...process.env, FDTOP_BUILD_WITHOUT: without.replaceAll('+', ',')}, stdio: ['ignore', 'ignore', 'inherit']});
		variants.push({what: without ? `without ${without}` : 'every edit', dir});
	}
	const results = variants.map(() => ({ms: [] as number[], cpu: [] as number[], rss: [] as number[]}));
	for (let r = 0; r < runs; r++) {
		for (const [i, v] of variants.entries()) {
			const one = await measureStartupRuns(1, {command: binCommand(v.dir), rssAfterMs: 5000});
			results[i]!.ms.push(...one.ms);
			results[i]!.cpu.push(...one.cpuMs);
			results[i]!.rss.push(...one.rssMiB);
		}
	}
	const all = results[0]!;
	const cell = (xs: readonly number[], base: readonly number[], d = 0) => `${median(xs).toFixed(d)}${xs === base ? '' : ` (${median(xs) - median(base) >= 0 ? '+' : ''}${(median(xs) - median(base)).toFixed(d)})`}`;
	console.log(`${machine()}\nMethod: bench/build-edits.ts; each build in its own directory (scripts/build.mjs --outdir, FDTOP_BUILD_WITHOUT=<edit>, code caches made as usual); ${runs} runs of each, in turn; medians, and in brackets the difference from the build with every edit.\n`);
	console.log(
		markdownTable(
			['build', 'first frame, ms', 'main-thread CPU by then, ms', 'RSS 5 s after, MiB'],
			variants.map((v, i) => [v.what, cell(results[i]!.ms, all.ms), cell(results[i]!.cpu, all.cpu), cell(results[i]!.rss, all.rss, 1)]),
		),
	);
} finally {
	rmSync(work, {recursive: true, force: true});
}
