import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {deadPort, ROOT, runCli, serve, type TestServer} from './helpers/cli.js';
import {counterText, histogramText, TTFT, GEN} from './helpers/exposition.js';

const ARTICLE = `${ROOT}test/fixtures/article-fastdeploy-2.0.txt`;

describe('fdtop --once against a file', () => {
	test('the article worked example: 30 requests, TTFT sum 174.258 s → mean 5.81 s, p50 above 1 s', async () => {
		const r = await runCli(['--once', '--json', ARTICLE]);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.windowSeconds, 60);
		const t = report.targets[0];
		assert.equal(t.up, true);
		assert.equal(t.engine, 'fastdeploy');
		assert.equal(t.era, '2.0');
		assert.equal(t.scrapes, 1);
		assert.equal(t.skippedLines, 0);
		const ttft = t.metrics.ttft;
		assert.equal(ttft.type, 'histogram');
		assert.equal(ttft.unit, 'seconds');
		assert.equal(ttft.topBucket, 1);
		assert.equal(ttft.lifetime.count, 30);
		assert.equal(Math.round(ttft.lifetime.mean * 100) / 100, 5.81);
		assert.deepEqual(ttft.lifetime.p50, {value: 1, aboveTopBucket: true});
		assert.equal(ttft.window, null, 'one scrape has no window');
		// Request prefill time is present but never observed on 2.0: flagged, not a healthy 0.
		assert.equal(t.metrics.prefillTime.allZero, true);
		assert.equal(t.metrics.kvCacheUsage.type, 'gauge');
		assert.ok(Math.abs(t.metrics.kvCacheUsage.value - 0.14959652389819988) < 1e-15);
		assert.equal(t.metrics.generationTokensTotal.type, 'counter');
		assert.equal(t.metrics.generationTokensTotal.rate, null);
		// Missing is not zero: metrics absent from the scrape are absent from the report.
		assert.equal('batchSize' in t.metrics, false);
	});

	test('the text report reads 5.81 s and "> 1 s" and explains the all-zero prefill', async () => {
		const r = await runCli(['--once', ARTICLE]);
		assert.equal(r.code, 0, r.stderr);
		const line = r.stdout.split('\n').find(l => l.startsWith('TTFT'));
		assert.ok(line, r.stdout);
		assert.match(line, /5\.81 s/);
		assert.match(line, /> 1 s/);
		assert.match(r.stdout, /Prefill.*all-zero/);
		assert.match(r.stdout, /note: Prefill: all zero since start\./);
		assert.match(r.stdout, /note: Assuming FastDeploy 2\.0 \(likely\): TTFT is measured from inference start/);
	});

	test('without a terminal and without --once it prints the report instead of a broken UI', async () => {
		const r = await runCli([ARTICLE]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^TTFT .*5\.81 s/m);
		assert.doesNotMatch(r.stdout, /\x1b\[\?1049h/, 'no alternate screen');
	});

	test('reads a saved exposition from standard input', async () => {
		const r = await runCli(['--once', '--json', '-'], {}, readFileSync(ARTICLE, 'utf8'));
		assert.equal(r.code, 0, r.stderr);
		assert.equal(JSON.parse(r.stdout).targets[0].metrics.ttft.lifetime.count, 30);
	});

	test('--families lists every family, values as JSON numbers or "NaN"/"+Inf" strings', async () => {
		const r = await runCli(['--once', '--json', '--families', ARTICLE]);
		const t = JSON.parse(r.stdout).targets[0];
		const ttft = t.families.find((f: {name: string}) => f.name === TTFT);
		assert.equal(ttft.type, 'histogram');
		assert.equal(ttft.help, 'Time to first token in seconds');
		const inf = ttft.samples.find((s: {labels: {le?: string}}) => s.labels.le === '+Inf');
		assert.equal(inf.value, 30);
		assert.equal(t.families.some((f: {name: string}) => f.name.endsWith('_created')), false, '_created families are dropped');
	});

	test('--max-series caps the series kept per scrape, with a warning', async () => {
		const r = await runCli(['--once', '--json', '--max-series', '10', ARTICLE]);
		assert.equal(r.code, 0, r.stderr);
		const t = JSON.parse(r.stdout).targets[0];
		assert.ok(t.warnings.some((w: string) => /series beyond the --max-series cap of 10 were dropped/.test(w)), t.warnings.join());
		const bad = await runCli(['--once', '--max-series', 'lots', ARTICLE]);
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /--max-series lots: give a whole number/);
	});

	test('a missing file is bad usage: exit 2 naming the file', async () => {
		const r = await runCli(['--once', `${ROOT}test/fixtures/nope.txt`]);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /nope\.txt": no such file/);
	});
});

describe('fdtop --once against a live endpoint', () => {
	let server: TestServer;
	before(async () => {
		// Each scrape sees 10 more requests: TTFT 0.2 s each, 50 generated tokens each.
		server = await serve((n, _req, res) => {
			const k = 10 * (n + 1);
			res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
			res.end([histogramText(TTFT, [['0.1', 0], ['0.25', k], ['1.0', k], ['+Inf', k]], 0.2 * k), counterText(GEN, 50 * k)].join('\n') + '\n');
		});
	});
	after(() => server.close());

	test('scrapes twice one interval apart and reports windowed figures', async () => {
		const r = await runCli(['--once', '--json', '--interval', '300ms', server.url], {FDTOP_TOKEN: 'sekrit-token'});
		assert.equal(r.code, 0, r.stderr);
		const t = JSON.parse(r.stdout).targets[0];
		assert.equal(t.scrapes, 2);
		assert.equal(t.metrics.ttft.window.count, 10);
		assert.ok(Math.abs(t.metrics.ttft.window.mean - 0.2) < 1e-9);
		// rank 5 of 10 in (0.1, 0.25]: 0.1 + 0.15 · 5/10
		assert.ok(Math.abs(t.metrics.ttft.window.p50.value - 0.175) < 1e-9);
		assert.ok(t.metrics.generationTokensTotal.rate > 0);
		assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sekrit-token');
		assert.doesNotMatch(r.stdout + r.stderr, /sekrit/);
	});

	test('sends -H headers and asks for neither gzip nor OpenMetrics', async () => {
		const r = await runCli(['--once', '--interval', '200ms', '-H', 'X-Scope: team-a', server.url]);
		assert.equal(r.code, 0, r.stderr);
		const headers = server.requests.at(-1)!.headers;
		assert.equal(headers['x-scope'], 'team-a');
		assert.equal(headers['accept-encoding'] === undefined || !/gzip/.test(String(headers['accept-encoding'])), true);
		assert.doesNotMatch(String(headers.accept), /openmetrics/);
	});
});

describe('fdtop --once errors', () => {
	test('a dead port: exit 1, one clear line naming the URL, and the error in JSON', async () => {
		const port = await deadPort();
		const r = await runCli(['--once', '--json', `127.0.0.1:${port}`]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port}/metrics: connection refused`));
		const t = JSON.parse(r.stdout).targets[0];
		assert.equal(t.up, false);
		assert.match(t.error, /connection refused/);
		assert.deepEqual(t.metrics, {});
	});

	test('an HTML page is named as such', async () => {
		const server = await serve((_n, _req, res) => {
			res.writeHead(200, {'content-type': 'text/html'});
			res.end('<!DOCTYPE html><html><body>Login</body></html>');
		});
		const r = await runCli(['--once', '--interval', '200ms', server.url]);
		await server.close();
		assert.equal(r.code, 1);
		assert.match(r.stderr, /got an HTML page, not Prometheus metrics/);
		assert.ok(r.stderr.includes(server.url));
	});

	test('a 503 names the status', async () => {
		const server = await serve((_n, _req, res) => {
			res.writeHead(503);
			res.end('overloaded');
		});
		const r = await runCli(['--once', '--interval', '200ms', server.url]);
		await server.close();
		assert.equal(r.code, 1);
		assert.match(r.stderr, /HTTP 503: overloaded/);
	});

	test('an error answer reads as its words: no escaped \\r or \\n where the body broke a line (CRLF, JSON detail, HTML title)', async () => {
		const bodies: [string, string, RegExp][] = [
			['text/plain', 'error line one\r\nerror line two\r\n', /HTTP 500: error line one$/m],
			['application/json', '{"detail":"Service Unavailable\\nretry later"}', /HTTP 500: Service Unavailable retry later$/m],
			['text/html', '<!DOCTYPE html>\n<html><head><title>500 Internal\r\n Server Error</title></head><body><h1>Oops</h1></body></html>', /HTTP 500: 500 Internal Server Error$/m],
		];
		for (const [type, body, expected] of bodies) {
			const server = await serve((_n, _req, res) => {
				res.writeHead(500, {'content-type': type});
				res.end(body);
			});
			const r = await runCli(['--once', '--interval', '200ms', server.url]);
			await server.close();
			assert.equal(r.code, 1);
			assert.match(r.stderr, expected, r.stderr);
			assert.doesNotMatch(r.stderr, /\\[rn]/, r.stderr);
		}
	});

	test('text with no samples is an error', async () => {
		const server = await serve((_n, _req, res) => {
			res.end('# just a comment\n');
		});
		const r = await runCli(['--once', '--interval', '200ms', server.url]);
		await server.close();
		assert.equal(r.code, 1);
		assert.match(r.stderr, /no metric samples/);
	});

	test('a body over the size cap is cut with a clear error', async () => {
		const server = await serve((_n, _req, res) => {
			res.end(`${'x 1\n'.repeat(10_000)}`);
		});
		const r = await runCli(['--once', '--interval', '200ms', '--max-bytes', '4KiB', server.url]);
		await server.close();
		assert.equal(r.code, 1);
		assert.match(r.stderr, /larger than the 4 KiB cap; raise it with --max-bytes/);
	});

	for (const [args, message] of [
		[['--interval', 'fast'], /--interval "fast" is not a duration/],
		[['--window', '1s'], /--window 1s: must be at least two intervals/],
		[['--json'], /--json needs --once/],
		[['--speed', '0'], /--speed 0/],
		[['--once', 'http://user:pw@localhost:1/metrics'], /credentials inside a URL/],
		[['--once', 'not a target'], /is not a target/],
	] as const) {
		test(`bad usage ${args.join(' ')} exits 2 with usage help`, async () => {
			const r = await runCli([...args]);
			assert.equal(r.code, 2, r.stderr);
			assert.match(r.stderr, message);
			assert.match(r.stderr, /Usage/);
			assert.equal(r.stdout, '');
		});
	}

	test('with no target and nothing on 8001/8000: says so and suggests --demo', async t => {
		const busy = await Promise.all([8001, 8000].map(port => fetch(`http://localhost:${port}/metrics`).then(() => true, () => false)));
		if (busy.some(Boolean)) return t.skip('something answers on localhost:8001 or :8000 here');
		const r = await runCli(['--once']);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /no FastDeploy metrics at localhost:8001 \(2\.0–2\.2\) or localhost:8000 \(2\.3\+\)/);
		assert.match(r.stderr, /fdtop --demo/);
	});

	test('--help and --version exit 0', async () => {
		const help = await runCli(['--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Usage/);
		const version = await runCli(['--version']);
		assert.equal(version.code, 0);
		assert.match(version.stdout, /^\d+\.\d+\.\d+/);
	});
});
