/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and their lowercase forms), read as undici's
 * EnvHttpProxyAgent reads them, with loopback never proxied; and answers that are not the text
 * format named by their content type. The built CLI against a real forward proxy on loopback
 * (test/helpers/forward-proxy.ts) that alone resolves the `.test` host names used here.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {startForwardProxy, type ForwardProxy} from '../helpers/forward-proxy.js';
import {startFakePrometheus, type FakePrometheus} from '../helpers/prometheus-fake.js';
import {fixtureText, requireBuild, runCli, serve, type TestServer} from './helpers.js';

const METRICS = fixtureText('fastdeploy-2.3.txt');
const TARGET = 'http://gpu-host.test:8001/metrics';
/** No proxy variable from the environment the tests run in (undefined: not passed to the child). */
const CLEAN = {HTTP_PROXY: undefined, http_proxy: undefined, HTTPS_PROXY: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined};

describe('proxies from the environment', () => {
	let metrics: TestServer;
	let prometheus: FakePrometheus;
	let proxy: ForwardProxy;
	let refusing: ForwardProxy;

	before(async () => {
		requireBuild();
		metrics = await serve((_n, _req, res) => {
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			res.end(METRICS);
		});
		prometheus = await startFakePrometheus(() => ({json: {status: 'success', data: {resultType: 'vector', result: []}}}));
		const promPort = new URL(prometheus.url).port;
		proxy = await startForwardProxy({hosts: {'gpu-host.test:8001': `127.0.0.1:${metrics.port}`, 'prom.test:9090': `127.0.0.1:${promPort}`}});
		refusing = await startForwardProxy({hosts: {}, status: 407});
	});
	after(async () => {
		await Promise.all([metrics.close(), prometheus.close(), proxy.close(), refusing.close()]);
	});

	const through = (p: ForwardProxy) => p.requests.filter(r => r.url.includes('gpu-host.test'));

	for (const variable of ['HTTP_PROXY', 'http_proxy'] as const) {
		test(`${variable}: a scrape goes through the proxy (absolute URI), with the text format asked for`, async () => {
			const before = through(proxy).length;
			const run = await runCli(['--once', '--timeout', '3s', TARGET], {...CLEAN, [variable]: proxy.url});
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stdout, /TTFT/);
			const seen = through(proxy).slice(before);
			assert.ok(seen.length >= 1, 'the proxy saw the scrape');
			assert.equal(seen[0]!.url, TARGET, 'absolute-URI request');
			assert.match(String(seen[0]!.headers.accept), /^text\/plain;version=0\.0\.4/, 'asks for the text format 0.0.4 first');
		});
	}

	test('NO_PROXY naming the host: not proxied (the name does not resolve without the proxy)', async () => {
		for (const noProxy of ['gpu-host.test', '.test', 'example.com, gpu-host.test:8001', '*']) {
			const before = proxy.requests.length;
			const run = await runCli(['--once', '--timeout', '3s', TARGET], {...CLEAN, HTTP_PROXY: proxy.url, NO_PROXY: noProxy});
			assert.equal(run.code, 1, `NO_PROXY=${noProxy}: ${run.stderr}`);
			assert.match(run.stderr, /gpu-host\.test:8001.*(host not found|timed out)/, `NO_PROXY=${noProxy}`);
			assert.equal(proxy.requests.length, before, `NO_PROXY=${noProxy}: the proxy saw nothing`);
		}
	});

	test('NO_PROXY for another port of the host: still proxied', async () => {
		const before = through(proxy).length;
		const run = await runCli(['--once', '--timeout', '3s', TARGET], {...CLEAN, HTTP_PROXY: proxy.url, NO_PROXY: 'gpu-host.test:9999'});
		assert.equal(run.code, 0, run.stderr);
		assert.ok(through(proxy).length > before);
	});

	test('loopback is never proxied (127.0.0.1, localhost), even without NO_PROXY', async () => {
		for (const host of ['127.0.0.1', 'localhost']) {
			const before = proxy.requests.length;
			const served = metrics.requests.length;
			const run = await runCli(['--once', '--timeout', '3s', `http://${host}:${metrics.port}/metrics`], {...CLEAN, HTTP_PROXY: refusing.url, HTTPS_PROXY: refusing.url});
			assert.equal(run.code, 0, `${host}: ${run.stderr}`);
			assert.ok(metrics.requests.length > served, `${host}: served directly`);
			assert.equal(proxy.requests.length, before);
		}
		assert.equal(refusing.requests.length, 0, 'the refusing proxy was never asked');
	});

	test('a proxy that answers 407: a clear error naming the proxy, its credentials not shown', async () => {
		const secret = 'pr0xy-s3cret';
		const withUser = refusing.url.replace('http://', `http://alice:${secret}@`);
		const run = await runCli(['--once', '--timeout', '3s', TARGET], {...CLEAN, HTTP_PROXY: withUser});
		assert.equal(run.code, 1, run.stderr);
		assert.match(run.stderr, new RegExp(`proxy ${refusing.url.replace(/\./g, '\\.')} .*407`), run.stderr);
		assert.match(run.stderr, /HTTP_PROXY/);
		assert.doesNotMatch(run.stderr, new RegExp(`${secret}|alice`), 'no proxy credentials in the message');
		const last = refusing.requests.at(-1)!;
		assert.equal(last.headers['proxy-authorization'], `Basic ${Buffer.from(`alice:${secret}`).toString('base64')}`, 'the credentials were sent to the proxy');
	});

	test('HTTPS_PROXY: an https target is tunnelled (CONNECT) through it; a 407 names the proxy', async () => {
		const run = await runCli(['--once', '--timeout', '3s', 'https://gpu-host.test:8443/metrics'], {...CLEAN, HTTPS_PROXY: refusing.url});
		assert.equal(run.code, 1, run.stderr);
		const connect = refusing.requests.find(r => r.method === 'CONNECT');
		assert.equal(connect?.url, 'gpu-host.test:8443');
		assert.match(run.stderr, new RegExp(`proxy ${refusing.url.replace(/\./g, '\\.')} .*407`), run.stderr);
		assert.match(run.stderr, /HTTPS_PROXY/);
	});

	test('--help documents the proxy variables', async () => {
		const help = await runCli(['--help']);
		assert.match(help.stdout, /HTTP_PROXY, HTTPS_PROXY, NO_PROXY/);
		assert.match(help.stdout, /Loopback .* never proxied/s);
	});

	test('--prometheus goes through the proxy too', async () => {
		const before = proxy.requests.length;
		const run = await runCli(['--once', '--timeout', '3s', '--prometheus', 'http://prom.test:9090'], {...CLEAN, HTTP_PROXY: proxy.url});
		const seen = proxy.requests.slice(before);
		assert.ok(
			seen.some(r => r.url.startsWith('http://prom.test:9090/api/v1/')),
			`the proxy saw the API call; stderr: ${run.stderr}`,
		);
		assert.doesNotMatch(run.stderr, /host not found/);
		assert.ok(prometheus.requests.length >= 1, 'the fake Prometheus answered through the proxy');
	});
});

describe('answers that are not the text format', () => {
	const cases: readonly (readonly [string, string | undefined, Buffer, RegExp])[] = [
		[
			'protobuf (delimited MetricFamily)',
			'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
			Buffer.from([0x8a, 0x01, 0x0a, 0x15, 0x66, 0x61, 0x73, 0x74, 0x64, 0x65, 0x70, 0x6c, 0x6f, 0x79, 0x00, 0x12, 0x04]),
			/protobuf.*application\/vnd\.google\.protobuf; proto=io\.prometheus\.client\.MetricFamily; encoding=delimited/,
		],
		['application/octet-stream', 'application/octet-stream', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), /Content-Type application\/octet-stream/],
		['JSON', 'application/json', Buffer.from('{"error":"not here"}'), /Content-Type application\/json/],
		['a binary body without a content type', undefined, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]), /binary answer \(no Content-Type\)/],
	];
	for (const [what, contentType, body, expected] of cases) {
		test(`${what}: named by its content type, with what to do`, async () => {
			const server = await serve((_n, _req, res) => {
				res.writeHead(200, contentType ? {'content-type': contentType} : {});
				res.end(body);
			});
			try {
				const run = await runCli(['--once', '--timeout', '3s', server.url]);
				assert.equal(run.code, 1, run.stderr);
				assert.match(run.stderr, expected, run.stderr);
				assert.match(run.stderr, /not the Prometheus text format/);
			} finally {
				await server.close();
			}
		});
	}

	test('OpenMetrics text and text/plain without a version are read', async () => {
		for (const contentType of ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'text/plain']) {
			const server = await serve((_n, _req, res) => {
				res.writeHead(200, {'content-type': contentType});
				res.end(METRICS);
			});
			try {
				const run = await runCli(['--once', '--timeout', '3s', server.url]);
				assert.equal(run.code, 0, `${contentType}: ${run.stderr}`);
			} finally {
				await server.close();
			}
		}
	});
});
