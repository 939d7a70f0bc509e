/**
 * Preloaded into a child fdtop (`node --import …/maxrss.mjs dist/cli.js …`): at exit, writes the
 * process's peak resident set size in KiB (getrusage's ru_maxrss) to $FDTOP_TEST_MAXRSS_FILE.
 */
import {writeFileSync} from 'node:fs';
import process from 'node:process';

const file = process.env.FDTOP_TEST_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
