/**
 * Replay throughput alone (bench/startup.ts's measureReplay, no tmux, no build), for profiling:
 *   node --cpu-prof --cpu-prof-dir=/tmp/fdtop-cpuprof --import tsx bench/replay-profile.ts [-- --runs 3 --scrapes 3600]
 * Prints scrapes/s per run.
 */
import {parseArgs} from 'node:util';
import {measureReplay} from './startup.js';

const {values} = parseArgs({options: {runs: {type: 'string', default: '3'}, scrapes: {type: 'string', default: '3600'}}});
const rates = await measureReplay(Number(values.scrapes), Number(values.runs));
console.log(`replay of ${values.scrapes} scrapes, one target: ${rates.map(r => r.toFixed(0)).join(', ')} scrapes/s`);
