// Preloaded (NODE_OPTIONS=--import) into a process under test: at exit, write its peak resident
// set size in KiB (process.resourceUsage().maxRSS) to $FDTOP_MAX_RSS_FILE.
import {writeFileSync} from 'node:fs';
import process from 'node:process';

const file = process.env.FDTOP_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
