import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {normalisePrometheusUrl, parseDuration, PrometheusClient, PrometheusError} from '../source/sources/prometheus-api.js';
import {apiError, matrix, startFakePrometheus, vector, type FakeAnswer, type FakePrometheus, type FakeRequest} from './helpers/prometheus-fake.js';
import {freePort} from './helpers/prometheus-server.js';

/** Routes by path; the test in progress swaps `answer`. */
let answer: (request: FakeRequest) => FakeAnswer = () => ({json: vector([])});
let fake: FakePrometheus;
let client: PrometheusClient;

before(async () => {
	fake = await startFakePrometheus(request => answer(request));
	client = new PrometheusClient(fake.url, {timeoutMs: 2000});
});

after(async () => {
	await client.close();
	await fake.close();
});

async function rejects(promise: Promise<unknown>, kind: string, message: RegExp): Promise<PrometheusError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof PrometheusError, `a PrometheusError, got ${String(error)}`);
		assert.equal(error.kind, kind, error.message);
		assert.match(error.message, message);
		assert.ok(!error.message.includes('\n'), 'one line');
		return error;
	}
	assert.fail('expected a rejection');
}

describe('PrometheusClient.query', () => {
	test('POSTs the expression form-encoded and parses every value with Go float rules', async () => {
		answer = () => ({json: vector([[{__name__: 'a', le: '+Inf'}, '+Inf'], [{__name__: 'b'}, '-Inf'], [{__name__: 'c'}, 'NaN'], [{__name__: 'd'}, '1e3'], [{__name__: 'e'}, '0.25']], 1_700_000_000.5)});
		const expr = '{__name__=~"fastdeploy:.+", job="llm job & co"}';
		const result = await client.query(expr, 1_700_000_000.5);
		const request = fake.requests.at(-1)!;
		assert.equal(request.method, 'POST');
		assert.equal(request.path, '/api/v1/query');
		assert.equal(request.params.get('query'), expr);
		assert.equal(request.params.get('time'), '1700000000.5');
		assert.equal(request.params.get('timeout'), '2');
		assert.equal(result.resultType, 'vector');
		assert.ok(result.resultType === 'vector');
		assert.deepEqual(result.samples.map(s => s.value), [Infinity, -Infinity, NaN, 1000, 0.25]);
		assert.deepEqual(result.samples[0]!.metric, {__name__: 'a', le: '+Inf'});
		assert.equal(result.samples[0]!.t, 1_700_000_000.5);
	});

	test('a query without a time is evaluated at the server\'s present', async () => {
		answer = () => ({json: {status: 'success', data: {resultType: 'scalar', result: [1_700_000_000, '+Inf']}}});
		const result = await client.query('1/0');
		assert.equal(fake.requests.at(-1)!.params.has('time'), false);
		assert.deepEqual(result, {resultType: 'scalar', t: 1_700_000_000, value: Infinity});
	});

	test('a bad selector quotes Prometheus\'s own error text, without its position prefix', async () => {
		answer = () => ({status: 400, json: apiError('bad_data', 'invalid parameter "query": 1:6: parse error: unexpected "}" in label matching, expected string')});
		const error = await rejects(client.query('{job=}'), 'bad-query', /^Prometheus http:\/\/127\.0\.0\.1:\d+ rejected the query: parse error: unexpected "}" in label matching, expected string$/);
		assert.equal(error.detail, 'parse error: unexpected "}" in label matching, expected string');
	});

	test('an error over several lines reads as one line, with no literal \\n', async () => {
		answer = () => ({status: 400, json: apiError('bad_data', 'invalid parameter "query": 1:6: parse error:\r\nunexpected "}"\nin label matching')});
		const error = await rejects(client.query('{job=}'), 'bad-query', /rejected the query: parse error: unexpected "}" in label matching$/);
		assert.equal(error.detail, 'parse error: unexpected "}" in label matching');
	});

	test('422 and 503 say what to change', async () => {
		answer = () => ({status: 422, json: apiError('execution', 'query processing would load too many samples into memory in query execution')});
		await rejects(client.query('x'), 'execution', /could not run the query: query processing would load too many samples .*; use a shorter window or a wider step$/);
		answer = () => ({status: 503, json: apiError('timeout', 'query timed out in expression evaluation')});
		await rejects(client.query('x'), 'timeout', /: the query timed out on the server \(query timed out in expression evaluation\); use a shorter window or a wider step, or raise --timeout/);
	});

	test('an HTML page from a proxy is named as such, not parsed', async () => {
		answer = () => ({status: 502, contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>'});
		await rejects(client.query('x'), 'not-json', /: \/api\/v1\/query answered HTTP 502 with an HTML page, not the Prometheus API \(a proxy or login page\?/);
		answer = () => ({status: 200, contentType: 'text/html; charset=utf-8', body: '<html><form action="/login"></form></html>'});
		await rejects(client.query('x'), 'not-json', /answered HTTP 200 with an HTML page/);
		answer = () => ({status: 404, contentType: 'text/plain', body: '404 page not found'});
		await rejects(client.query('x'), 'http', /answered HTTP 404 with a non-JSON answer \(text\/plain\).*path prefix/);
	});

	test('401 asks for credentials', async () => {
		answer = () => ({status: 401, contentType: 'text/plain', body: 'Unauthorized'});
		await rejects(client.query('x'), 'auth', /HTTP 401 unauthorized \(give a bearer token with FDTOP_TOKEN or --token-file, or -H 'Authorization: Basic …'\)/);
	});

	test('warnings reach the onWarning hook', async () => {
		const warnings: string[] = [];
		const warned = new PrometheusClient(fake.url, {onWarning: w => warnings.push(w)});
		answer = () => ({json: {...(vector([]) as object), warnings: ['PromQL info: metric might not be a counter']}});
		await warned.query('rate(x[1m])');
		await warned.close();
		assert.deepEqual(warnings, ['PromQL info: metric might not be a counter']);
	});
});

describe('PrometheusClient.queryRange', () => {
	/** A server that refuses more than `limit` points per series, like Prometheus does with 11,000. */
	const limited = (limit: number) => (request: FakeRequest): FakeAnswer => {
		const start = Number(request.params.get('start'));
		const end = Number(request.params.get('end'));
		const step = Number(request.params.get('step'));
		if (Math.floor((end - start) / step) > limit - 1) return {status: 400, json: apiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)')};
		const values: [number, string][] = [];
		for (let t = start; t <= end + 1e-9; t += step) values.push([t, t % 5 === 0 ? '+Inf' : String(t - 1000)]);
		return {json: matrix([[{__name__: 'x', instance: 'a'}, values], [{__name__: 'y', instance: 'a'}, values.filter(([t]) => t % 2 === 0)]])};
	};

	test('splits a long range into requests the server accepts, and merges them in order', async () => {
		answer = limited(5);
		const chunked = new PrometheusClient(fake.url, {maxPointsPerSeries: 5});
		const before = fake.requests.length;
		const series = await chunked.queryRange('x or y', 1000, 1011, 1);
		await chunked.close();
		const requests = fake.requests.slice(before);
		assert.deepEqual(requests.map(r => [r.params.get('start'), r.params.get('end'), r.params.get('step')]), [['1000', '1004', '1'], ['1005', '1009', '1'], ['1010', '1011', '1']]);
		assert.equal(series.length, 2);
		const x = series.find(s => s.metric.__name__ === 'x')!;
		assert.deepEqual(x.points.map(p => p.t), [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011]);
		assert.deepEqual(x.points.slice(0, 3).map(p => p.value), [Infinity, 1, 2]);
		assert.deepEqual(series.find(s => s.metric.__name__ === 'y')!.points.map(p => p.t), [1000, 1002, 1004, 1006, 1008, 1010]);
	});

	test('the 11,000-point limit, if a server still hits it, is named with what to do', async () => {
		answer = limited(5);
		await rejects(client.queryRange('x', 1000, 1100, 1), 'limit', /the range query hit the 11,000 points per series limit \(use a wider step, i\.e\. a longer --interval, or a shorter window\)$/);
	});

	test('refuses a non-positive step or an inverted range before asking', async () => {
		const before = fake.requests.length;
		await rejects(client.queryRange('x', 1000, 1100, 0), 'config', /step must be positive/);
		await rejects(client.queryRange('x', 1100, 1000, 1), 'config', /ends before it starts/);
		assert.equal(fake.requests.length, before);
	});
});

describe('PrometheusClient: targets, series, transport', () => {
	test('targets() sends state= and reads health, last error and the scrape interval', async () => {
		answer = () => ({
			json: {
				status: 'success',
				data: {
					activeTargets: [
						{labels: {job: 'llm_job', instance: 'h1:8000'}, scrapePool: 'llm_job', scrapeUrl: 'http://h1:8000/metrics', health: 'down', lastError: 'connection refused', lastScrape: '2026-01-01T00:00:01.5Z', scrapeInterval: '1m30s', scrapeTimeout: '10s'},
						{labels: {job: 'llm_job', instance: 'h2:8000'}, scrapeUrl: 'http://h2:8000/metrics', health: 'unknown', lastError: '', lastScrape: '0001-01-01T00:00:00Z', scrapeInterval: '15s'},
					],
					droppedTargets: [],
				},
			},
		});
		const targets = await client.targets();
		const request = fake.requests.at(-1)!;
		assert.equal(request.method, 'GET');
		assert.equal(request.params.get('state'), 'active');
		assert.equal(targets[0]!.health, 'down');
		assert.equal(targets[0]!.lastError, 'connection refused');
		assert.equal(targets[0]!.scrapeIntervalSec, 90);
		assert.equal(targets[0]!.scrapeTimeoutSec, 10);
		assert.equal(targets[0]!.lastScrapeMs, Date.UTC(2026, 0, 1, 0, 0, 1, 500));
		assert.equal(targets[1]!.lastScrapeMs, null);
		assert.equal(targets[1]!.health, 'unknown');
	});

	test('series() repeats match[]', async () => {
		answer = () => ({json: {status: 'success', data: [{__name__: 'up', job: 'a'}]}});
		const series = await client.series(['up', '{job="a"}'], 1000, 2000);
		assert.deepEqual(fake.requests.at(-1)!.params.getAll('match[]'), ['up', '{job="a"}']);
		assert.deepEqual(series, [{__name__: 'up', job: 'a'}]);
	});

	test('bearer token and extra headers are sent; credentials in the URL are refused', async () => {
		answer = () => ({json: vector([])});
		const authed = new PrometheusClient(`${fake.url}/`, {token: 's3cret', headers: {'x-scope-orgid': 'tenant'}});
		await authed.query('up');
		await authed.close();
		assert.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer s3cret');
		assert.equal(fake.requests.at(-1)!.headers['x-scope-orgid'], 'tenant');
		const basic = new PrometheusClient(fake.url, {headers: {authorization: 'Basic dTpw'}});
		await basic.query('up');
		await basic.close();
		assert.equal(fake.requests.at(-1)!.headers.authorization, 'Basic dTpw');
		assert.throws(() => new PrometheusClient('http://user:pw@h:9090'), /credentials inside a URL would show on screen/);
	});

	test('an unreachable server and a slow one each give one clear line', async () => {
		const port = await freePort();
		const dead = new PrometheusClient(`http://127.0.0.1:${port}`);
		await rejects(dead.query('up'), 'unreachable', new RegExp(`^Prometheus http://127\\.0\\.0\\.1:${port}: connection refused \\(is Prometheus running there\\? its default port is 9090\\)$`));
		await dead.close();
		answer = () => ({json: vector([]), delayMs: 1000});
		const impatient = new PrometheusClient(fake.url, {timeoutMs: 100});
		await rejects(impatient.query('up'), 'unreachable', /: timed out after 0\.1 s \(raise --timeout, or use a shorter window\)$/);
		await impatient.close();
	});
});

test('URLs and durations', () => {
	assert.equal(normalisePrometheusUrl(':9090'), 'http://localhost:9090');
	assert.equal(normalisePrometheusUrl('prom.internal:9090'), 'http://prom.internal:9090');
	assert.equal(normalisePrometheusUrl('https://h/prometheus/api/v1/'), 'https://h/prometheus');
	assert.throws(() => normalisePrometheusUrl('ftp://h'), /only http/);
	assert.equal(parseDuration('15s'), 15);
	assert.equal(parseDuration('1m30s'), 90);
	assert.equal(parseDuration('500ms'), 0.5);
	assert.equal(parseDuration('2.5'), 2.5);
	assert.equal(parseDuration('1h'), 3600);
	assert.equal(parseDuration('soon'), undefined);
	assert.equal(parseDuration(''), undefined);
});
