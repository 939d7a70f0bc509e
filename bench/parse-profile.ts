/** Parses the 200 KB mixed exposition for a few seconds, for `node --cpu-prof`. Run: npm run bench:parse-profile */
import {parseExposition} from '../source/prom/index.js';
import {buildMixedExposition} from './parser.js';

const text = buildMixedExposition(200 * 1024);
const until = performance.now() + Number(process.argv[2] ?? 4000);
let n = 0;
while (performance.now() < until) n += parseExposition(text).sampleCount;
console.log(`${n} samples parsed`);
