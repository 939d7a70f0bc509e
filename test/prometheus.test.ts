import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {buildSnapshot} from '../source/metrics/snapshot.js';
import {parseExposition} from '../source/prom/parse.js';
import {PrometheusClient, PrometheusError} from '../source/sources/prometheus-api.js';
import {backfill, discover, parseMatch, PrometheusPoller, prometheusStepSec, promqlVersionOf, renderExposition, type DiscoveredTarget} from '../source/sources/prometheus.js';
import {FakeClock} from './helpers/fake-clock.js';
import {apiError, matrix, startFakePrometheus, vector, type FakeAnswer, type FakePrometheus, type FakeRequest} from './helpers/prometheus-fake.js';

const TTFT = 'fastdeploy:time_to_first_token_seconds';
const A = {job: 'llm_job', instance: 'a:8000'};
const B = {job: 'llm_job', instance: 'b:8000'};

let answer: (request: FakeRequest) => FakeAnswer = () => ({json: vector([])});
let fake: FakePrometheus;
let client: PrometheusClient;

before(async () => {
	fake = await startFakePrometheus(request => answer(request));
	client = new PrometheusClient(fake.url);
});

after(async () => {
	await client.close();
	await fake.close();
});

function target(labels: {job: string; instance: string}, extra: Partial<DiscoveredTarget> = {}): DiscoveredTarget {
	return {...labels, name: labels.instance, location: `http://${labels.instance}/metrics`, engine: 'fastdeploy', series: 10, health: 'up', lastError: null, scrapeIntervalSec: 1, scrapeUrl: `http://${labels.instance}/metrics`, ...extra};
}

/** One instance's raw series as Prometheus stores them, at a given scale. */
function instanceSeries(labels: {job: string; instance: string}, n: number): [Record<string, string>, string][] {
	return [
		[{__name__: 'fastdeploy:generation_tokens_total', ...labels}, String(100 * n)],
		[{__name__: 'fastdeploy:num_requests_running', ...labels}, String(n)],
		[{__name__: `${TTFT}_bucket`, le: '0.1', ...labels}, String(2 * n)],
		[{__name__: `${TTFT}_bucket`, le: '1.0', ...labels}, String(4 * n)],
		[{__name__: `${TTFT}_bucket`, le: '+Inf', ...labels}, String(4 * n)],
		[{__name__: `${TTFT}_sum`, ...labels}, String(0.2 * n)],
		[{__name__: `${TTFT}_count`, ...labels}, String(4 * n)],
	];
}

const meta = (labels: {job: string; instance: string}, up: number, timeSec: number): [Record<string, string>, string][] => [
	[{__name__: 'up', fdtop_meta: 'up', ...labels}, String(up)],
	[{fdtop_meta: 'time', ...labels}, String(timeSec)],
];

describe('parseMatch', () => {
	test('takes braces, bare matchers or nothing; refuses metric names', () => {
		assert.equal(parseMatch(undefined), '');
		assert.equal(parseMatch(' {} '), '');
		assert.equal(parseMatch('{job="llm_job", instance=~"h.*",}'), 'job="llm_job", instance=~"h.*"');
		assert.equal(parseMatch('job!="x"'), 'job!="x"');
		assert.equal(parseMatch(`{job='a\\'b', instance=~\`h\\.*\`, "service.name"!~"x\\u00e9\\n"}`), 'job="a\'b", instance=~"h\\\\.*", "service.name"!~"xé\\n"');
		assert.throws(() => parseMatch('up{job="x"}'), (e: unknown) => e instanceof PrometheusError && e.kind === 'config' && /^--match 'up\{job="x"\}': "up" is a metric name; fdtop chooses the metrics/.test(e.message));
		assert.throws(() => parseMatch('{job="x"} or vector(1) or {job="y"}'), /unexpected "o" at character 11, expected nothing after the closing "\}"/);
		assert.throws(() => parseMatch('{job="x" or vector(1)}'), /unexpected "o" at character 10, expected "," or "\}"/);
		assert.throws(() => parseMatch('{job="x'), /the string opened at character 6 is not closed/);
		assert.throws(() => parseMatch('{job="\\xe9"}'), /the byte escape at character 7 is above \\x7f/);
	});
});

describe('renderExposition', () => {
	test('Prometheus series become text the live parser and snapshot read unchanged', () => {
		const text = renderExposition([
			...instanceSeries(A, 3).map(([metric, value]) => ({metric, value: Number(value)})),
			{metric: {__name__: `${TTFT}_bucket`, le: '0.1', pid: '7', ...A}, value: 1},
			{metric: {__name__: `${TTFT}_bucket`, le: '1.0', pid: '7', ...A}, value: 1},
			{metric: {__name__: `${TTFT}_bucket`, le: '+Inf', pid: '7', ...A}, value: 2},
			{metric: {__name__: 'fastdeploy:cache_config_info', block_size: 'a "b"\\c', ...A}, value: 1},
			{metric: {__name__: 'fastdeploy:gpu_cache_usage_perc', ...A}, value: NaN},
		]);
		assert.match(text, /^# TYPE fastdeploy:time_to_first_token_seconds histogram$/m);
		assert.match(text, /^# TYPE fastdeploy:generation_tokens_total counter\nfastdeploy:generation_tokens_total 300$/m);
		assert.match(text, /^fastdeploy:time_to_first_token_seconds_bucket\{le="\+Inf",pid="7"\} 2$/m);
		assert.match(text, /^fastdeploy:cache_config_info\{block_size="a \\"b\\"\\\\c"\} 1$/m);
		assert.match(text, /^fastdeploy:gpu_cache_usage_perc NaN$/m);
		assert.doesNotMatch(text, /instance=|job=/);
		const parsed = parseExposition(text);
		assert.equal(parsed.skippedLines, 0);
		const snapshot = buildSnapshot(parsed, 0);
		const ttft = snapshot.metrics.get('ttft');
		assert.ok(ttft?.kind === 'histogram');
		// Series merged bucket by bucket (pid 7 added to the unlabelled one).
		assert.deepEqual(ttft.hist.buckets.map(b => [b.le, b.count]), [[0.1, 7], [1, 13], [Infinity, 14]]);
		assert.deepEqual(snapshot.metrics.get('generationTokensTotal'), {kind: 'counter', value: 300});
	});
});

describe('discover', () => {
	test('injects the matchers into the name selector and joins the targets API', async () => {
		answer = request => {
			const q = request.params.get('query') ?? '';
			if (request.path === '/api/v1/targets') {
				return {json: {status: 'success', data: {activeTargets: [{labels: A, scrapeUrl: 'http://a:8000/metrics', health: 'up', lastError: '', scrapeInterval: '5s'}]}}};
			}
			assert.match(q, /^count by \(job, instance, fdtop_engine\) \(label_replace\(\{__name__=~"\(fastdeploy\|vllm\|sglang\):\.\+", job="llm_job"\}, "fdtop_engine"/);
			return {json: vector([[{...A, fdtop_engine: 'fastdeploy'}, '120'], [{...B, fdtop_engine: 'fastdeploy'}, '118'], [{...B, fdtop_engine: 'vllm'}, '3']])};
		};
		const found = await discover(client, {match: '{job="llm_job"}'});
		assert.deepEqual(found, [
			{...A, engine: 'fastdeploy', series: 120, name: 'a:8000', location: 'http://a:8000/metrics', health: 'up', lastError: null, scrapeIntervalSec: 5, scrapeUrl: 'http://a:8000/metrics'},
			{...B, engine: 'fastdeploy', series: 118, name: 'b:8000', location: 'prometheus:llm_job/b:8000', health: 'unknown', lastError: null, scrapeIntervalSec: null, scrapeUrl: null},
		]);
		assert.equal(prometheusStepSec(1000, found), 5);
		assert.equal(prometheusStepSec(10_000, found), 10);
		assert.equal(prometheusStepSec(1000, found, 3600), 6);
	});

	test('a bad --match quotes Prometheus; no series lists the jobs there are', async () => {
		answer = () => ({status: 400, json: apiError('bad_data', 'invalid parameter "query": 1:51: error parsing regexp: missing closing ): `(`')});
		await assert.rejects(discover(client, {match: '{job=~"("}'}), {
			name: 'PrometheusError',
			message: `--match '{job=~"("}' was rejected: Prometheus ${fake.url} says: error parsing regexp: missing closing ): \`(\``,
		});
		answer = request => ({json: /count by \(job\) \(up\)/.test(request.params.get('query') ?? '') ? vector([[{job: 'node'}, '3'], [{job: 'prometheus'}, '1']]) : vector([])});
		await assert.rejects(discover(client, {match: '{job="llm"}'}), {
			name: 'PrometheusError',
			message: `Prometheus ${fake.url}: no FastDeploy series (fastdeploy:*, vllm:*, sglang:*) match --match '{job="llm"}' (jobs it scrapes: node, prometheus); check the job name, and that Prometheus scrapes FastDeploy's /metrics`,
		});
	});
});

describe('PrometheusPoller and PrometheusSource', () => {
	test('one query serves every target; Prometheus\'s sample time is the scrape time; a down target is an error with its last error', async () => {
		answer = request => {
			if (request.path === '/api/v1/targets') return {json: {status: 'success', data: {activeTargets: [{labels: B, health: 'down', lastError: 'Get "http://b:8000/metrics": dial tcp: connection refused'}]}}};
			return {json: vector([...instanceSeries(A, 2), ...meta(A, 1, 1_700_000_000.837), ...meta(B, 0, 1_700_000_000.5)])};
		};
		const clock = new FakeClock();
		const poller = new PrometheusPoller(client, [target(A), target(B)], {match: '{job="llm_job"}', clock, closeClient: false});
		const [a, b] = poller.sources();
		const before = fake.requests.length;
		const [sa, sb] = await Promise.all([a!.scrape(), b!.scrape()]);
		const queries = fake.requests.slice(before).filter(r => r.path === '/api/v1/query');
		assert.equal(queries.length, 1, 'one instant query for the fleet');
		const q = queries[0]!.params.get('query')!;
		assert.match(q, /^\{__name__=~"\(fastdeploy\|vllm\|sglang\):\.\+\|http_requests_total\|http_request_duration_seconds_\(bucket\|sum\|count\)", job="llm_job", job=~"llm_job", instance=~"a:8000\|b:8000"\} or label_replace\(up\{job=~"llm_job", instance=~"a:8000\|b:8000"\}, "fdtop_meta", "up", "", ""\) or label_replace\(timestamp\(up\{/);
		assert.equal(sa!.error, undefined);
		assert.equal(sa!.t, 1_700_000_000_837);
		assert.match(sa!.text!, /^fastdeploy:generation_tokens_total 200$/m);
		assert.equal(sb!.error, 'http://b:8000/metrics: down: Prometheus ' + fake.url + ' cannot scrape it (Get "http://b:8000/metrics": dial tcp: connection refused)');
		// After the sharing window a new query is made; a sample that stops advancing goes stale.
		await clock.advance(10_000);
		assert.equal((await a!.scrape()).error, undefined);
		await clock.advance(16_000);
		assert.match((await a!.scrape()).error ?? '', /^http:\/\/a:8000\/metrics: no new samples in Prometheus .* for 26 s$/);
		await Promise.all([a!.close(), b!.close()]);
	});

	test('an instance missing from the answer and an unreachable server are errors naming the target', async () => {
		answer = () => ({json: vector(meta(A, 1, 1_700_000_000))});
		const clock = new FakeClock();
		const [a] = new PrometheusPoller(client, [target(A)], {clock, closeClient: false}).sources();
		assert.match((await a!.scrape()).error ?? '', /^http:\/\/a:8000\/metrics: no current samples in Prometheus .* \(the target is stale or gone\)$/);
		answer = () => ({status: 503, json: apiError('unavailable', 'shutting down')});
		await clock.advance(1000);
		assert.match((await a!.scrape()).error ?? '', /^http:\/\/a:8000\/metrics: Prometheus http:\/\/127\.0\.0\.1:\d+: the query timed out/);
	});
});

describe('backfill', () => {
	test('one range query per target; steps become scrapes at their sample time, repeats and down steps dropped', async () => {
		const steps = [1000, 1001, 1002, 1003, 1004];
		// The scrape each step saw: step 1002 saw the same scrape as 1001; at 1003 the target was down.
		const sampleTime: Record<number, number> = {1000: 999.9, 1001: 1000.9, 1002: 1000.9, 1003: 1002.9, 1004: 1003.9};
		answer = request => {
			const q = request.params.get('query') ?? '';
			const labels = q.includes('instance="a:8000"') ? A : B;
			const series: [Record<string, string>, [number, string][]][] = instanceSeries(labels, 1).map(([metric]) => [metric, steps.filter(s => s !== 1003).map(s => [s, String(s - 999)])]);
			series.push([{__name__: 'up', fdtop_meta: 'up', ...labels}, steps.map(s => [s, s === 1003 ? '0' : '1'])]);
			series.push([{fdtop_meta: 'time', ...labels}, steps.map(s => [s, String(sampleTime[s])])]);
			return {json: matrix(series)};
		};
		const before = fake.requests.length;
		const history = await backfill(client, [target(A), target(B)], {endSec: 1004, windowSec: 4, stepSec: 1, match: '{job="llm_job"}'});
		const requests = fake.requests.slice(before);
		assert.deepEqual(requests.map(r => [r.path, r.params.get('start'), r.params.get('end'), r.params.get('step')]), [
			// Half the step: a step of the scrape interval (unknown here) reads every scrape even as they drift.
			['/api/v1/query_range', '1000', '1004', '0.5'],
			['/api/v1/query_range', '1000', '1004', '0.5'],
		]);
		assert.equal(history.length, 2);
		for (const scrapes of history) {
			assert.deepEqual(scrapes.map(s => s.t), [999_900, 1_000_900, 1_003_900]);
			assert.match(scrapes[0]!.text!, /^fastdeploy:generation_tokens_total 1$/m);
			assert.match(scrapes[2]!.text!, /^fastdeploy:num_requests_running 5$/m);
		}
		assert.equal(history[1]![0]!.target, 'http://b:8000/metrics');
	});
});

describe('backfill of drifting scrapes', () => {
	test('at a step of the scrape interval, two scrapes that drift into one step are both read', async () => {
		// Scrapes every second on average, but late then early: 1000.1 and 1000.9 fall in one step.
		const scrapes = [999.3, 1000.1, 1000.9, 1002.1, 1002.9, 1003.7];
		answer = request => {
			const [start, end, step] = ['start', 'end', 'step'].map(k => Number(request.params.get(k)));
			const points = (value: (t: number) => string) => {
				const out: [number, string][] = [];
				for (let t = start!; t <= end! + 1e-9; t += step!) {
					const seen = scrapes.filter(x => x <= t).at(-1);
					if (seen !== undefined) out.push([t, value(seen)]);
				}
				return out;
			};
			const labels = A;
			return {json: matrix([
				[{__name__: 'fastdeploy:generation_tokens_total', ...labels}, points(seen => String(Math.round((seen - 999) * 10)))],
				[{__name__: 'up', fdtop_meta: 'up', ...labels}, points(() => '1')],
				[{fdtop_meta: 'time', ...labels}, points(seen => String(seen))],
			])};
		};
		const history = await backfill(client, [target(A, {scrapeIntervalSec: 1})], {endSec: 1004, windowSec: 4, stepSec: 1, match: '{job="llm_job"}'});
		assert.deepEqual(history[0]!.map(s => s.t), [999_300, 1_000_100, 1_000_900, 1_002_100, 1_002_900, 1_003_700]);
	});
});

describe('the server\'s range rule', () => {
	test('buildinfo 2.x is [t−w, t], 3.x (t−w, t]; no buildinfo is null (fdtop then follows 3)', async () => {
		assert.equal(promqlVersionOf('2.42.0+ds'), 2);
		assert.equal(promqlVersionOf('3.5.0'), 3);
		assert.equal(promqlVersionOf('v3.0.1'), 3);
		assert.equal(promqlVersionOf(null), null);
		assert.equal(promqlVersionOf('main'), null);
		answer = request => (request.path === '/api/v1/status/buildinfo' ? {json: {status: 'success', data: {version: '2.42.0+ds', revision: 'x', branch: 'debian/sid'}}} : {json: vector([])});
		assert.equal(await client.buildVersion(), '2.42.0+ds');
		answer = request => (request.path === '/api/v1/status/buildinfo' ? {status: 404, body: '404 page not found', contentType: 'text/plain'} : {json: vector([])});
		assert.equal(await client.buildVersion(), null);
	});

	test('a poller pinned to an instant asks for that time', async () => {
		answer = () => ({json: vector([])});
		const before = fake.requests.length;
		const poller = new PrometheusPoller(client, [target(A)], {closeClient: false, atSec: 1_700_000_123.456});
		await poller.fetch();
		assert.equal(fake.requests.slice(before).find(r => r.path === '/api/v1/query')?.params.get('time'), '1700000123.456');
	});
});
