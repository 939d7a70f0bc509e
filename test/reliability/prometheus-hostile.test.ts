/**
 * `--prometheus` against a hostile or broken Prometheus API (issue 13 item 4): fdtop runs as a
 * process against a small fake API server written here. Malformed answers, oversized answers,
 * redirects, rejected queries and `--match` input that would splice PromQL each give one clear line,
 * never a crash (exit 70), never unbounded memory or output.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {assertNoRawControl, CLI, HAS_TMUX, requireBuild, runCli, shellQuote, Tmux} from './helpers.js';

interface ApiRequest {
	readonly method: string;
	readonly path: string;
	readonly params: URLSearchParams;
}

/** What the API answers: a JSON value, or full control of the response. */
type Answer = unknown | ((res: ServerResponse) => void);
type Route = (request: ApiRequest) => Answer | undefined;

interface FakeApi {
	readonly url: string;
	readonly requests: ApiRequest[];
	close(): Promise<void>;
}

const NOW = Math.floor(Date.now() / 1000);
const INSTANCE = {job: 'llm_job', instance: 'a:8000'};

/** A healthy Prometheus with one FastDeploy instance; `override` answers first when it returns something. */
function healthy(request: ApiRequest): Answer {
	const query = request.params.get('query') ?? '';
	if (request.path === '/api/v1/targets') {
		return {status: 'success', data: {activeTargets: [{labels: INSTANCE, scrapePool: 'llm_job', scrapeUrl: 'http://a:8000/metrics', health: 'up', lastError: '', lastScrape: new Date().toISOString(), scrapeInterval: '1s', scrapeTimeout: '1s'}], droppedTargets: []}};
	}
	if (request.path === '/api/v1/query_range') return {status: 'success', data: {resultType: 'matrix', result: []}};
	if (query.startsWith('count by (job, instance, fdtop_engine)')) return vectorOf([[{...INSTANCE, fdtop_engine: 'fastdeploy'}, '2']]);
	if (query === 'count by (job) (up)') return vectorOf([[{job: 'llm_job'}, '1']]);
	return vectorOf([
		[{__name__: 'fastdeploy:num_requests_running', ...INSTANCE}, '3'],
		[{__name__: 'fastdeploy:num_requests_waiting', ...INSTANCE}, '1'],
		[{__name__: 'up', fdtop_meta: 'up', ...INSTANCE}, '1'],
		[{fdtop_meta: 'time', ...INSTANCE}, String(NOW)],
	]);
}

function vectorOf(samples: readonly [Record<string, string>, string][]): unknown {
	return {status: 'success', data: {resultType: 'vector', result: samples.map(([metric, value]) => ({metric, value: [NOW, value]}))}};
}

const isDiscovery = (r: ApiRequest) => r.path === '/api/v1/query' && (r.params.get('query') ?? '').startsWith('count by (job, instance, fdtop_engine)');
const isJobs = (r: ApiRequest) => r.path === '/api/v1/query' && r.params.get('query') === 'count by (job) (up)';
const isPoll = (r: ApiRequest) => r.path === '/api/v1/query' && !isDiscovery(r) && !isJobs(r);

async function fakeApi(override: Route = () => undefined): Promise<FakeApi> {
	const requests: ApiRequest[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += String(chunk)));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://fake');
			const params = new URLSearchParams(url.search);
			for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
			const request = {method: req.method ?? 'GET', path: url.pathname, params};
			requests.push(request);
			const answer = override(request) ?? healthy(request);
			if (typeof answer === 'function') return (answer as (res: ServerResponse) => void)(res);
			const text = JSON.stringify(answer);
			res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
			res.end(text);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

async function withApi<T>(override: Route, run: (api: FakeApi) => Promise<T>): Promise<T> {
	const api = await fakeApi(override);
	try {
		return await run(api);
	} finally {
		await api.close();
	}
}

/** stderr must be short, free of raw control bytes, and not a crash. */
function assertCleanFailure(stderr: string, code: number): void {
	assert.notEqual(code, 70, `crashed: ${stderr}`);
	assert.doesNotMatch(stderr, /TypeError|internal error|at .*\.js:\d+/, stderr);
	assertNoRawControl(stderr, 'stderr');
	assert.ok(stderr.length < 2048, `stderr is ${stderr.length} characters`);
}

before(() => requireBuild());

describe('--prometheus: a healthy fake API (the baseline the other cases break)', () => {
	test('one FastDeploy instance, read with --once, exits 0', async () => {
		await withApi(
			() => undefined,
			async api => {
				const r = await runCli(['--prometheus', api.url, '--once']);
				assert.equal(r.code, 0, r.stderr);
				assert.match(r.stdout, /a:8000/);
				const json = await runCli(['--prometheus', api.url, '--once', '--json']);
				assert.equal(json.code, 0, json.stderr);
				const report = JSON.parse(json.stdout);
				assert.equal(report.targets.length, 1);
				assert.equal(report.targets[0].up, true);
				assert.equal(typeof report.targets[0].error, 'object');
			},
		);
	});
});

describe('--prometheus: every answer is checked against the API schema', () => {
	const ok = (metric: Record<string, string>, value: string) => ({metric, value: [NOW, value]});
	const good = ok({...INSTANCE, fdtop_engine: 'fastdeploy'}, '2');
	const cases: {name: string; when: (r: ApiRequest) => boolean; answer: unknown; expect: RegExp; code?: number}[] = [
		{name: 'null in a vector result', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [good, null]}}, expect: /query: data\.result\[1\] is null, expected an object with metric and value/},
		{name: 'a value that is not a pair', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: INSTANCE, value: [NOW]}]}}, expect: /query: data\.result\[0\]\.value is an array of 1, expected \[time, "value"\]/},
		{name: 'a number where the value string belongs', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: INSTANCE, value: [NOW, 7]}]}}, expect: /query: data\.result\[0\]\.value\[1\] is a number \(7\), expected a string/},
		{name: 'a value string that is no number', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: INSTANCE, value: [NOW, 'lots']}]}}, expect: /query: data\.result\[0\]\.value\[1\] is "lots", expected a number as a string/},
		{name: 'a time that is a string', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: INSTANCE, value: ['now', '1']}]}}, expect: /query: data\.result\[0\]\.value\[0\] is "now", expected a time in seconds/},
		{name: 'metric not an object', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: 'up', value: [NOW, '1']}]}}, expect: /query: data\.result\[0\]\.metric is "up", expected an object of labels/},
		{name: 'a label value that is not a string', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: [{metric: {job: 5}, value: [NOW, '1']}]}}, expect: /query: data\.result\[0\]\.metric\.job is a number \(5\), expected a string/},
		{name: 'data missing', when: isDiscovery, answer: {status: 'success'}, expect: /query: data is missing, expected an object with resultType and result/},
		{name: 'result not an array', when: isDiscovery, answer: {status: 'success', data: {resultType: 'vector', result: null}}, expect: /query: data\.result is null, expected an array/},
		{name: 'resultType mismatched', when: isDiscovery, answer: {status: 'success', data: {resultType: 'matrix', result: [{metric: INSTANCE, value: [NOW, '1']}]}}, expect: /query: data\.resultType is "matrix", expected "vector"/},
		{name: 'status not success or error', when: isDiscovery, answer: {status: 'fine', data: {resultType: 'vector', result: []}}, expect: /query: status is "fine", expected "success" or "error"/},
		{name: 'null in the poll answer', when: isPoll, answer: {status: 'success', data: {resultType: 'vector', result: [null]}}, expect: /a:8000\/metrics: .*query: data\.result\[0\] is null/},
		{name: 'null in the targets list', when: r => r.path === '/api/v1/targets', answer: {status: 'success', data: {activeTargets: [null]}}, expect: /targets: data\.activeTargets\[0\] is null, expected an object/},
		{name: 'a target health that is a number', when: r => r.path === '/api/v1/targets', answer: {status: 'success', data: {activeTargets: [{labels: INSTANCE, health: 1}]}}, expect: /targets: data\.activeTargets\[0\]\.health is a number \(1\), expected a string/},
		{name: 'null in a matrix (backfill skipped, the poll still reads)', when: r => r.path === '/api/v1/query_range', answer: {status: 'success', data: {resultType: 'matrix', result: [null]}}, expect: /backfill skipped: .*query_range: data\.result\[0\] is null, expected an object with metric and values/, code: 0},
		{name: 'a matrix point that is not a pair', when: r => r.path === '/api/v1/query_range', answer: {status: 'success', data: {resultType: 'matrix', result: [{metric: INSTANCE, values: [[NOW, '1'], null]}]}}, expect: /backfill skipped: .*query_range: data\.result\[0\]\.values\[1\] is null, expected \[time, "value"\]/, code: 0},
	];
	for (const c of cases) {
		test(`${c.name}: one line naming what and where, exit ${c.code ?? 1}`, async () => {
			await withApi(
				r => (c.when(r) ? c.answer : undefined),
				async api => {
					const r = await runCli(['--prometheus', api.url, '--once']);
					assertCleanFailure(r.stderr, r.code);
					assert.equal(r.code, c.code ?? 1, r.stderr);
					assert.match(r.stderr, c.expect);
				},
			);
		});
	}
});

describe('--prometheus: answer size', () => {
	/** Streams a syntactically valid vector of `total` bytes, generated as it is read. */
	const huge = (total: number) => (res: ServerResponse) => {
		res.writeHead(200, {'content-type': 'application/json'});
		const head = '{"status":"success","data":{"resultType":"vector","result":[';
		let sent = 0;
		let n = 0;
		res.write(head);
		sent += head.length;
		const pump = (): void => {
			while (sent < total) {
				let chunk = '';
				for (let i = 0; i < 1000; i++, n++) chunk += `{"metric":{"job":"job-${n % 50_000}","instance":"h${n}:8000"},"value":[${NOW},"1"]},`;
				sent += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			res.end(`{"metric":{"job":"last"},"value":[${NOW},"1"]}]}}`);
		};
		res.on('close', () => (sent = Infinity));
		pump();
	};

	test('a 300 MB answer is cut at the cap: bounded memory, one short line naming --max-api-bytes', async t => {
		const dir = mkdtempSync(join(tmpdir(), 'fdtop-maxrss-'));
		const file = join(dir, 'maxrss');
		try {
			await withApi(
				r => (r.path === '/api/v1/query' ? huge(300 * 1024 * 1024) : undefined),
				async api => {
					const preload = fileURLToPath(new URL('../helpers/max-rss.mjs', import.meta.url));
					const child = spawn(process.execPath, ['--max-semi-space-size=1', '--heap-growing-percent=50', '--import', preload, CLI, '--prometheus', api.url, '--once', '--timeout', '60s'], {env: {...process.env, NO_COLOR: '1', FDTOP_MAX_RSS_FILE: file}, stdio: ['ignore', 'pipe', 'pipe']});
					let stderr = '';
					child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
					child.stdout.resume();
					const code = await new Promise<number>(resolve => child.on('exit', c => resolve(c ?? 1)));
					const maxRssMiB = Number(readFileSync(file, 'utf8')) / 1024;
					t.diagnostic(`peak RSS ${maxRssMiB.toFixed(0)} MiB, exit ${code}, stderr ${stderr.length} characters`);
					assertCleanFailure(stderr, code);
					assert.equal(code, 1, stderr);
					assert.match(stderr, /query answered more than the 64 MiB cap; raise it with --max-api-bytes/);
					assert.equal(stderr.trim().split('\n').length, 1, stderr);
					assert.ok(maxRssMiB < 400, `peak RSS ${maxRssMiB.toFixed(0)} MiB`);
				},
			);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('--max-api-bytes sets the cap; it needs --prometheus', async () => {
		await withApi(
			r => (isDiscovery(r) ? vectorOf(Array.from({length: 100}, (_, i) => [{...INSTANCE, instance: `h${i}:8000`, fdtop_engine: 'fastdeploy'}, '2'] as [Record<string, string>, string])) : undefined),
			async api => {
				const capped = await runCli(['--prometheus', api.url, '--once', '--max-api-bytes', '4KiB']);
				assertCleanFailure(capped.stderr, capped.code);
				assert.equal(capped.code, 1);
				assert.match(capped.stderr, /query answered more than the 4 KiB cap; raise it with --max-api-bytes/);
				const raised = await runCli(['--prometheus', api.url, '--once', '--max-api-bytes', '1MiB']);
				assert.doesNotMatch(raised.stderr, /--max-api-bytes/);
			},
		);
		const alone = await runCli(['--once', '--max-api-bytes', '1MiB', ':8001']);
		assert.equal(alone.code, 2);
		assert.match(alone.stderr, /--max-api-bytes goes with --prometheus/);
	});

	test('no FastDeploy series: the jobs seen are de-duplicated, clipped and counted', async () => {
		const long = `a${'x'.repeat(5000)}`;
		const jobs: [Record<string, string>, string][] = [[{job: long}, '1']];
		for (let i = 0; i < 3000; i++) jobs.push([{job: `job-${String(i % 1500).padStart(4, '0')}`, instance: `h${i}`}, '1']);
		await withApi(
			r => (isDiscovery(r) ? vectorOf([]) : isJobs(r) ? vectorOf(jobs) : undefined),
			async api => {
				const r = await runCli(['--prometheus', api.url, '--once']);
				assertCleanFailure(r.stderr, r.code);
				assert.equal(r.code, 1);
				assert.match(r.stderr, /no FastDeploy series .*jobs it scrapes: ax{10,}…, job-0000, job-0001, .* and 1,49\d more\)/);
				assert.equal(r.stderr.match(/job-0000/g)?.length, 1, 'each job once');
			},
		);
	});
});

describe('--prometheus: transport and errors', () => {
	for (const status of [301, 302, 307, 308]) {
		test(`an HTTP ${status} redirect names its Location and is not followed`, async () => {
			await withApi(
				() => (res: ServerResponse) => {
					res.writeHead(status, {location: 'http://127.0.0.1:9/elsewhere/api/v1/query', 'content-type': 'text/html'});
					res.end('<a href="http://127.0.0.1:9/elsewhere/">moved</a>');
				},
				async api => {
					const r = await runCli(['--prometheus', api.url, '--once']);
					assertCleanFailure(r.stderr, r.code);
					assert.equal(r.code, 1);
					assert.match(r.stderr, new RegExp(`/api/v1/query answered HTTP ${status} redirect to http://127\\.0\\.0\\.1:9/elsewhere/api/v1/query; fdtop does not follow redirects`));
					assert.equal(api.requests.length, 1, 'one request, no second one anywhere');
				},
			);
		});
	}

	test('a 400 without --match does not blame --match; with one it does', async () => {
		const reject = (res: ServerResponse) => {
			res.writeHead(400, {'content-type': 'application/json'});
			res.end(JSON.stringify({status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error: unknown function with name "label_replace"'}));
		};
		await withApi(
			r => (isDiscovery(r) ? reject : undefined),
			async api => {
				const r = await runCli(['--prometheus', api.url, '--once']);
				assertCleanFailure(r.stderr, r.code);
				assert.equal(r.code, 1);
				assert.doesNotMatch(r.stderr, /--match/);
				assert.match(r.stderr, /rejected fdtop's discovery query: parse error: unknown function with name "label_replace"/);
				const m = await runCli(['--prometheus', api.url, '--once', '--match', '{job=~"llm.*"}']);
				assert.equal(m.code, 1);
				assert.match(m.stderr, /--match '\{job=~"llm\.\*"\}' was rejected/);
			},
		);
	});

	test('an API error text is escaped, clipped and on one line', async () => {
		const hostile = (res: ServerResponse) => {
			res.writeHead(422, {'content-type': 'application/json'});
			res.end(JSON.stringify({status: 'error', errorType: 'execution', error: `boom \u001b]2;pwned\u0007 \u001b[2J\nsecond line ${'y'.repeat(20_000)}`}));
		};
		await withApi(
			r => (isDiscovery(r) ? hostile : undefined),
			async api => {
				const r = await runCli(['--prometheus', api.url, '--once']);
				assertCleanFailure(r.stderr, r.code);
				assert.equal(r.code, 1);
				assert.match(r.stderr, /could not run the query: boom \\e\]2;pwned\\x07 \\e\[2J second line y+…/);
				assert.equal(r.stderr.trim().split('\n').length, 1);
			},
		);
	});
});

describe('--match is a list of label matchers and nothing else', () => {
	const splices = [
		'{job="x"} or vector(1) or {job="y"}',
		'job="x"} or vector(1) or {job="y"',
		'{job="x"}) or vector(1) or (',
		'{job="x"} offset 1h',
		'{job="x" or vector(1)}',
		'up{job="x"}',
		'{job="x"}}',
		'{job="x"',
		'{job=}',
		'{=x}',
		'{job~"x"}',
		'{job="x\\q"}',
		'{job="x"} # comment',
		'{jo\u001b]2;pwned\u0007b="x"}',
		'{job="x",,instance="y"}',
	];
	for (const input of splices) {
		test(`refuses ${JSON.stringify(input)} before asking anything (exit 2)`, async () => {
			await withApi(
				() => undefined,
				async api => {
					const r = await runCli(['--prometheus', api.url, '--once', '--match', input]);
					assert.equal(r.code, 2, r.stderr);
					assert.match(r.stderr, /^fdtop: --match .*: .*; give label matchers only, e.g. '\{job="llm_job", instance=~"gpu-.\*"\}'/);
					assertNoRawControl(r.stderr, 'stderr');
					assert.equal(api.requests.length, 0, 'nothing sent');
				},
			);
		});
	}

	test('quotes of every kind and escapes are re-written canonically', async () => {
		await withApi(
			() => undefined,
			async api => {
				const r = await runCli(['--prometheus', api.url, '--once', '--match', "{job='llm_job', instance=~`a:.*`, model!=\"x\\\"}\\u00e9\",}"]);
				assert.equal(r.code, 0, r.stderr);
				const discovery = api.requests.find(isDiscovery)!;
				assert.ok(discovery.params.get('query')!.includes('job="llm_job", instance=~"a:.*", model!="x\\"}é"}'), discovery.params.get('query')!);
				const bare = await runCli(['--prometheus', api.url, '--once', '--match', 'job="llm_job"']);
				assert.equal(bare.code, 0, bare.stderr);
			},
		);
	});
});

describe('--prometheus live: a malformed answer is shown on the target, the UI stays up', {skip: !HAS_TMUX && 'tmux is not installed'}, () => {
	let tmux: Tmux;
	before(() => {
		tmux = new Tmux();
		tmux.start();
	});
	after(() => tmux.kill());

	test('null in the poll answer', async () => {
		await withApi(
			r => (isPoll(r) ? {status: 'success', data: {resultType: 'vector', result: [null]}} : undefined),
			async api => {
				const session = tmux.launch(`node dist/cli.js --prometheus ${shellQuote(api.url)}`, {columns: 200, rows: 40});
				await tmux.waitFor(session, s => /data\.result\[0\] is null/.test(s), 'the schema error on screen');
				const polls = api.requests.filter(isPoll).length;
				await tmux.waitFor(session, () => api.requests.filter(isPoll).length > polls + 1, 'more polls: still running');
				tmux.keys(session, 'q');
				await tmux.waitFor(session, s => /SHELL-AFTER \d+/.test(s), 'exit');
			},
		);
	});
});
