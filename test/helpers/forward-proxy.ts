/**
 * A small HTTP forward proxy on loopback, as a corporate proxy would be: absolute-URI requests
 * (`GET http://host:port/path`) for http:// and CONNECT tunnels, each recorded. It resolves host
 * names from its own table only (`gpu-host.test:8001` → a loopback server), so a test proves a
 * request went through it: nobody else can reach those names. `status` makes it refuse every
 * request with that code instead (407: proxy authentication required).
 */
import {createServer, request as httpRequest, type IncomingHttpHeaders} from 'node:http';
import {connect, type AddressInfo} from 'node:net';

export interface ProxiedRequest {
	readonly method: string;
	/** The request target as sent: an absolute URI, or `host:port` for CONNECT. */
	readonly url: string;
	readonly headers: IncomingHttpHeaders;
}

export interface ForwardProxy {
	readonly url: string;
	readonly port: number;
	readonly requests: ProxiedRequest[];
	close(): Promise<void>;
}

export interface ForwardProxyOptions {
	/** `host:port` as clients name it → the loopback `127.0.0.1:port` that serves it. */
	readonly hosts: Readonly<Record<string, string>>;
	/** Refuse every request with this status (407 asks for credentials). */
	readonly status?: number;
}

export async function startForwardProxy(options: ForwardProxyOptions): Promise<ForwardProxy> {
	const requests: ProxiedRequest[] = [];
	const server = createServer((req, res) => {
		requests.push({method: req.method ?? 'GET', url: req.url ?? '', headers: req.headers});
		if (options.status) {
			res.writeHead(options.status, {'proxy-authenticate': 'Basic realm="proxy"', 'content-type': 'text/plain'});
			res.end('proxy says no\n');
			return;
		}
		let target: URL;
		try {
			target = new URL(req.url ?? '');
		} catch {
			res.writeHead(400).end('absolute URI expected\n');
			return;
		}
		const upstream = options.hosts[target.host];
		if (!upstream) {
			res.writeHead(502).end(`unknown host ${target.host}\n`);
			return;
		}
		const [host, port] = upstream.split(':');
		const forward = httpRequest({host, port: Number(port), method: req.method, path: `${target.pathname}${target.search}`, headers: {...req.headers, host: target.host}}, answer => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		forward.on('error', () => res.writeHead(502).end());
		req.pipe(forward);
	});
	server.on('connect', (req, socket, head) => {
		requests.push({method: 'CONNECT', url: req.url ?? '', headers: req.headers});
		socket.on('error', () => undefined);
		const upstream = options.status ? undefined : options.hosts[req.url ?? ''];
		if (!upstream) {
			socket.end(`HTTP/1.1 ${options.status ?? 502} ${options.status === 407 ? 'Proxy Authentication Required' : 'Bad Gateway'}\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n`);
			return;
		}
		const [host, port] = upstream.split(':');
		const tunnel = connect(Number(port), host, () => {
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			tunnel.write(head);
			tunnel.pipe(socket);
			socket.pipe(tunnel);
		});
		tunnel.on('error', () => socket.destroy());
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
