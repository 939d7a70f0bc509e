#!/usr/bin/env node
/**
 * The floor under fdtop's idle CPU: what any Node program pays to do the I/O fdtop does each second,
 * with none of fdtop's work. It fetches the metrics URL with undici once a second (as fdtop does,
 * keep-alive, the whole body read as text), then writes about what fdtop writes to the terminal in
 * a second (13 rows of cursor moves and 100 characters: ~1.3 KB). `--timer-only`: a 1 s timer
 * and nothing else (the runtime's own floor).
 *
 * Run it beside fdtop and btop in tmux at the same size, and compare /proc CPU ticks, e.g.:
 *   tmux new -d -s floor -x 120 -y 40 'node bench/idle-floor.mjs http://127.0.0.1:PORT/metrics'
 * (BENCHMARKS.md, "Idle CPU: the floor and what fdtop adds", has the figures and the method.)
 */
/* global console, setInterval */
import process from 'node:process';
import {request} from 'undici';

const url = process.argv.find(a => a.startsWith('http'));
const timerOnly = process.argv.includes('--timer-only');
if (!url && !timerOnly) {
	console.error('usage: node bench/idle-floor.mjs URL | --timer-only');
	process.exit(2);
}
const line = 'x'.repeat(100);
let n = 0;
setInterval(async () => {
	if (timerOnly) return;
	const response = await request(url);
	await response.body.text();
	n++;
	let out = '';
	for (let row = 0; row < 13; row++) out += `\u001b[${row + 1};1H${line}${n % 10}`;
	process.stdout.write(out);
}, 1000);
