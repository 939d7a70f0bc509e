/**
 * A real-terminal fixture for tmux tests: a loopback metrics server serving a fixture whose
 * counters grow on every request, and the live UI polling it.
 *   node --import tsx test/ui/tui-fixture.ts [fixture.txt] [--ascii] [--no-color] [--crash-after=MS] [--interval=MS]
 * Prints "exit <code>" after the UI has gone, so a test can see the shell screen come back;
 * FDTOP_PID_FILE names a file to write the process id to (for signal tests).
 */
import {writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import process from 'node:process';
import {liveControls} from '../../source/controls.js';
import {DEFAULT_MAX_BYTES, HttpSource} from '../../source/sources/http.js';
import {Store} from '../../source/store.js';
import {runTui} from '../../source/ui/run.js';
import {fixture, scaleCumulative} from './helpers.js';

const args = process.argv.slice(2);
if (process.env.FDTOP_PID_FILE) writeFileSync(process.env.FDTOP_PID_FILE, String(process.pid));
const crash = args.find(a => a.startsWith('--crash-after='));
if (crash) {
	setTimeout(() => {
		throw new Error('fixture crash');
	}, Number(crash.split('=')[1]));
}
const text = fixture(args.find(a => !a.startsWith('--')) ?? 'fastdeploy-2.3.txt');
let requests = 0;
const server = createServer((_request, response) => {
	response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
	response.end(scaleCumulative(text, 1 + 0.05 * requests++));
});
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;

const interval = Number(args.find(a => a.startsWith('--interval='))?.split('=')[1] ?? 500);
const store = new Store({targets: [{name: url, location: url}], intervalMs: interval, windowMs: 60_000});
const source = new HttpSource(url, {timeoutMs: 2000, maxBytes: DEFAULT_MAX_BYTES});
store.start([source]);
await runTui(store, liveControls(store), {
	color: !args.includes('--no-color'),
	ascii: args.includes('--ascii'),
	lang: 'en',
	onExit: async () => {
		await store.stop();
		await new Promise(resolve => server.close(resolve));
	},
});
process.stdout.write(`exit ${process.exitCode ?? 0}\n`);
