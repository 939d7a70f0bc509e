import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {fileURLToPath} from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${ROOT}dist/cli.js`;

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Run the built fdtop as a user would (npm test builds dist/ first). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
	return new Promise(resolve => {
		const child = execFile(process.execPath, [CLI, ...args], {env: {...process.env, NO_COLOR: '1', ...env}, timeout: 30_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout: String(stdout), stderr: String(stderr)});
		});
		if (input !== undefined) child.stdin!.end(input);
		else child.stdin!.end();
	});
}

export interface TestServer {
	url: string;
	port: number;
	requests: IncomingMessage[];
	close(): Promise<void>;
}

/** A loopback HTTP server; `handler` answers each request (n counts from 0). */
export async function serve(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
	const requests: IncomingMessage[] = [];
	const server = createServer((req, res) => handler(requests.push(req) - 1, req, res));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/metrics`,
		port,
		requests,
		close: () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** A port with nothing listening on it (bound, then released). */
export async function deadPort(): Promise<number> {
	const s = await serve(() => undefined);
	await s.close();
	return s.port;
}
