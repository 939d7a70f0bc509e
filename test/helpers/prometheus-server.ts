/**
 * End-to-end fixtures as child processes: a real Prometheus server on loopback with a generated
 * config, and FastDeploy simulators (demo/simulator.ts). The simulators run in their own processes
 * so the test's own CPU work (parsing a backfill) never delays an answer past Prometheus's 1 s
 * scrape timeout.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The Debian package's binary (CI installs it), or one on PATH; null when there is none. */
export function findPrometheus(): string | null {
	const candidates = ['/usr/bin/prometheus', ...(process.env.PATH ?? '').split(':').map(dir => join(dir, 'prometheus'))];
	return candidates.find(path => path !== 'prometheus' && existsSync(path)) ?? null;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise(resolve => setTimeout(resolve, everyMs));
	}
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

export interface PrometheusServer {
	readonly url: string;
	/** Everything the server printed so far (for failure messages). */
	log(): string;
	/** Kill the server (SIGTERM, then SIGKILL) and remove its data directory. */
	close(): Promise<void>;
}

export interface StartOptions {
	readonly binary: string;
	readonly job: string;
	/** host:port of each target. */
	readonly targets: readonly string[];
	readonly scrapeIntervalSec: number;
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}

export async function startPrometheus(options: StartOptions): Promise<PrometheusServer> {
	const dir = await mkdtemp(join(tmpdir(), 'fdtop-prometheus-'));
	const config = [
		'global:',
		`  scrape_interval: ${options.scrapeIntervalSec}s`,
		`  scrape_timeout: ${options.scrapeIntervalSec}s`,
		'scrape_configs:',
		`  - job_name: ${JSON.stringify(options.job)}`,
		'    static_configs:',
		`      - targets: [${options.targets.map(t => JSON.stringify(t)).join(', ')}]`,
		'',
	].join('\n');
	await writeFile(join(dir, 'prometheus.yml'), config);
	const port = await freePort();
	const child = spawn(
		options.binary,
		[`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
		{stdio: ['ignore', 'pipe', 'pipe']},
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += String(chunk)));
	child.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
	const url = `http://127.0.0.1:${port}`;
	const close = async (): Promise<void> => {
		await stop(child);
		await rm(dir, {recursive: true, force: true});
	};
	try {
		await waitFor('Prometheus to be ready', 20_000, async () => {
			if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${output.trim().split('\n').at(-1)}`);
			const response = await fetch(`${url}/-/ready`).catch(() => undefined);
			await response?.body?.cancel();
			return response?.ok ? true : undefined;
		});
	} catch (error) {
		await close();
		throw error;
	}
	return {url, log: () => output, close};
}

export interface SimulatorProcess {
	readonly url: string;
	/** host:port, as Prometheus labels the instance. */
	readonly address: string;
	/** SIGKILL: the endpoint vanishes at once, as a crashed server would. */
	kill(): Promise<void>;
}

const SIMULATOR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo', 'simulator.ts');

/** `npm run simulate` on a free port; resolves once it prints its URL. */
export async function startSimulatorProcess(args: {readonly scenario: string; readonly era: string; readonly seed: number}): Promise<SimulatorProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR, '--port', '0', '--scenario', args.scenario, '--era', args.era, '--seed', String(args.seed)], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`simulator did not start within 20 s: ${output}`)), 20_000);
		const onData = (chunk: Buffer): void => {
			output += String(chunk);
			const found = /(http:\/\/\S+\/metrics)/.exec(output);
			if (found) {
				clearTimeout(timer);
				resolve(found[1]!);
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('exit', code => {
			clearTimeout(timer);
			reject(new Error(`simulator exited with ${code}: ${output}`));
		});
	});
	const kill = async (): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
		child.kill('SIGKILL');
		await exited;
	};
	return {url, address: new URL(url).host, kill};
}
