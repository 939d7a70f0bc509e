import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Histogram, Registry} from 'prom-client';
import {renderExposition, snapshotMetrics, type MetricJson} from '../../demo/sim/exposition.js';
import {floatToGoString, pythonFloatRepr} from '../../demo/sim/format.js';
import {observeMany} from '../../demo/sim/recorder.js';
import {Simulation} from '../../demo/sim/simulation.js';
import {EXPECTED_20, EXPECTED_23, readWire, type Row, type WireFamily} from './wire.js';

const START = 1_764_547_200; // 2025-12-01T00:00:00Z

function run(era: '2.0' | '2.3', seconds = 300, scenario: 'steady' | 'kv-pressure' = 'steady'): Simulation {
	const sim = new Simulation({scenario, era, seed: 11, startUnixSeconds: START});
	sim.step(seconds);
	return sim;
}

/** Families without the `_created` ones. */
const primary = (fams: WireFamily[]): WireFamily[] => fams.filter((f) => !f.name.endsWith('_created'));

function checkTable(fams: WireFamily[], expected: readonly Row[]): void {
	assert.deepEqual(
		fams.map((f) => f.name).sort(),
		expected.map(([name]) => name).sort(),
	);
	for (const [name, type, help, buckets] of expected) {
		const f = fams.find((x) => x.name === name);
		assert.ok(f, name);
		assert.equal(f.type, type, `TYPE of ${name}`);
		assert.equal(f.help, help, `HELP of ${name}`);
		if (buckets) {
			const les = f.samples.filter((s) => s.name === `${name}_bucket`).map((s) => s.labels.le);
			const perSeries = les.slice(0, buckets.length + 1);
			assert.deepEqual(perSeries, [...buckets, '+Inf'], `buckets of ${name}`);
		}
	}
}

describe('Python floatToGoString', () => {
	test('matches prometheus_client for the values FastDeploy prints', () => {
		const cases: [number, string][] = [
			[0, '0.0'],
			[1, '1.0'],
			[30, '30.0'],
			[20000, '20000.0'],
			[7680, '7680.0'],
			[0.001, '0.001'],
			[0.14959652389819988, '0.14959652389819988'],
			[174.25801753997803, '174.25801753997803'],
			[1751234567.123, '1.751234567123e+09'],
			[1764547205.287923, '1.764547205287923e+09'],
			[1194271, '1.194271e+06'],
			[1000000, '1e+06'],
			[123456.5, '123456.5'],
			[1e10, '1e+010'], // prometheus_client's own quirk ("e+0" + digits)
			[0.00001, '1e-05'],
			[0.0001, '0.0001'],
			[-2.5, '-2.5'],
			[Infinity, '+Inf'],
			[-Infinity, '-Inf'],
			[NaN, 'NaN'],
		];
		for (const [n, s] of cases) assert.equal(floatToGoString(n), s, `floatToGoString(${n})`);
	});

	test('pythonFloatRepr uses exponents where Python does', () => {
		assert.equal(pythonFloatRepr(1e16), '1e+16');
		assert.equal(pythonFloatRepr(1.5e16), '1.5e+16');
		assert.equal(pythonFloatRepr(1234567890123456), '1234567890123456.0');
		assert.equal(pythonFloatRepr(1.5e-7), '1.5e-07');
		assert.equal(pythonFloatRepr(0.5), '0.5');
	});
});

describe('rendering', () => {
	test('the article\'s worked example prints as the real 2.0 server did', () => {
		// 30 requests, TTFT _sum 174.25801753997803 (reference article), and its KV usage gauge.
		const json: MetricJson[] = [
			{name: 'fastdeploy:gpu_cache_usage_perc', help: 'GPU KV-cache usage. 1 means 100 percent usage', type: 'gauge', values: [{value: 0.14959652389819988, labels: {}}]},
			{
				name: 'fastdeploy:time_to_first_token_seconds',
				help: 'Time to first token in seconds',
				type: 'histogram',
				values: [
					{value: 30, labels: {le: 1}, metricName: 'fastdeploy:time_to_first_token_seconds_bucket'},
					{value: 30, labels: {le: '+Inf'}, metricName: 'fastdeploy:time_to_first_token_seconds_bucket'},
					{value: 174.25801753997803, labels: {}, metricName: 'fastdeploy:time_to_first_token_seconds_sum'},
					{value: 30, labels: {}, metricName: 'fastdeploy:time_to_first_token_seconds_count'},
				],
			},
		];
		const text = renderExposition(json, {era: '2.0', created: new Map([['fastdeploy:time_to_first_token_seconds', 1751234567.123]])});
		assert.equal(
			text,
			[
				'# HELP fastdeploy:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage',
				'# TYPE fastdeploy:gpu_cache_usage_perc gauge',
				'fastdeploy:gpu_cache_usage_perc 0.14959652389819988',
				'# HELP fastdeploy:time_to_first_token_seconds Time to first token in seconds',
				'# TYPE fastdeploy:time_to_first_token_seconds histogram',
				'fastdeploy:time_to_first_token_seconds_bucket{le="1.0"} 30.0',
				'fastdeploy:time_to_first_token_seconds_bucket{le="+Inf"} 30.0',
				'fastdeploy:time_to_first_token_seconds_count 30.0',
				'fastdeploy:time_to_first_token_seconds_sum 174.25801753997803',
				'# HELP fastdeploy:time_to_first_token_seconds_created Time to first token in seconds',
				'# TYPE fastdeploy:time_to_first_token_seconds_created gauge',
				'fastdeploy:time_to_first_token_seconds_created 1.751234567123e+09',
				'',
			].join('\n'),
		);
		const mp = renderExposition(json, {era: '2.3'}).split('\n');
		assert.deepEqual(mp.slice(5, 9), [
			'fastdeploy:time_to_first_token_seconds_sum 174.25801753997803',
			'fastdeploy:time_to_first_token_seconds_bucket{le="1.0"} 30.0',
			'fastdeploy:time_to_first_token_seconds_bucket{le="+Inf"} 30.0',
			'fastdeploy:time_to_first_token_seconds_count 30.0',
		]);
	});

	test('the synchronous snapshot equals registry.getMetricsAsJSON()', async () => {
		for (const era of ['2.0', '2.3'] as const) {
			const sim = run(era, 120);
			const pick = (m: MetricJson) => ({
				name: m.name,
				help: m.help,
				type: String(m.type),
				values: m.values.map((v) => ({value: v.value, labels: {...v.labels}, metricName: v.metricName})),
			});
			const sync = snapshotMetrics(sim.recorder.registry).map(pick);
			const async = (await sim.recorder.registry.getMetricsAsJSON()).map((m) => pick(m));
			assert.deepEqual(sync, async);
			assert.equal(sim.text(), await sim.textAsync());
		}
	});

	test('observeMany adds what the same number of observe() calls would', async () => {
		const a = new Histogram({name: 'a', help: 'h', buckets: [0.1, 1], registers: [new Registry()]});
		const b = new Histogram({name: 'b', help: 'h', buckets: [0.1, 1], registers: [new Registry()]});
		for (const [v, n] of [[0.05, 3], [0.5, 2], [7, 4], [1, 1]] as const) {
			observeMany(a, v, n);
			for (let i = 0; i < n; i++) b.observe(v);
		}
		const values = async (h: Histogram) => (await h.get()).values.map((x) => [x.metricName?.slice(1), x.value]);
		assert.deepEqual(await values(a), await values(b));
	});
});

describe('era 2.0 (in-memory prometheus_client)', () => {
	const text = run('2.0').text();
	const fams = readWire(text);

	test('has exactly the 16 v2.0 metrics, in definition order, with HELP, TYPE and buckets', () => {
		checkTable(primary(fams), EXPECTED_20);
		assert.deepEqual(primary(fams).map((f) => f.name), EXPECTED_20.map(([n]) => n));
	});

	test('every counter and histogram is followed by its own _created gauge family', () => {
		fams.forEach((f, i) => {
			if (f.type !== 'counter' && f.type !== 'histogram') return;
			const base = f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
			const next = fams[i + 1];
			assert.equal(next?.name, `${base}_created`, `after ${f.name}`);
			assert.equal(next.type, 'gauge');
			assert.equal(next.help, f.help);
			assert.equal(next.samples.length, 1);
			assert.match(next.samples[0]?.raw ?? '', /^1\.76454\d+e\+09$/);
		});
		assert.equal(fams.filter((f) => f.name.endsWith('_created')).length, 13);
	});

	test('histograms print _bucket (le ascending, +Inf last), then _count, then _sum', () => {
		for (const f of fams.filter((x) => x.type === 'histogram')) {
			const kinds = f.samples.map((s) => s.name.slice(f.name.length));
			const buckets = kinds.filter((k) => k === '_bucket').length;
			assert.deepEqual(kinds, [...Array<string>(buckets).fill('_bucket'), '_count', '_sum'], f.name);
			assert.equal(f.samples[buckets - 1]?.labels.le, '+Inf');
		}
	});

	test('request_prefill_time_seconds is declared but never observed', () => {
		const f = fams.find((x) => x.name === 'fastdeploy:request_prefill_time_seconds');
		assert.equal(f?.samples.length, 21 + 1 + 2);
		assert.ok(f?.samples.every((s) => s.raw === '0.0'));
	});

	test('no labels except le, no pid', () => {
		for (const f of fams) for (const s of f.samples) assert.deepEqual(Object.keys(s.labels).filter((k) => k !== 'le'), [], s.name);
	});
});

describe('era 2.3 (multiprocess prometheus_client)', () => {
	const sim = run('2.3');
	const text = sim.text();
	const fams = readWire(text);

	test('has exactly the expected metrics with HELP, TYPE and buckets; no _created', () => {
		checkTable(fams, EXPECTED_23);
		assert.ok(!text.includes('_created'));
		assert.ok(!text.includes('first_token_latency'));
		assert.ok(!text.includes('infer_latency'));
	});

	test('histograms print _sum first, then _bucket, then _count', () => {
		for (const f of fams.filter((x) => x.type === 'histogram')) {
			const kinds = f.samples.map((s) => s.name.slice(f.name.length));
			const sums = kinds.filter((k) => k === '_sum').length;
			assert.ok(sums >= 1);
			assert.deepEqual(kinds.slice(0, sums), Array<string>(sums).fill('_sum'), f.name);
			assert.equal(kinds.at(-1), '_count');
			assert.ok(!kinds.slice(sums).includes('_sum'));
		}
	});

	test('spec-decode gauges carry pid labels of two processes; the rest do not', () => {
		for (const f of fams) {
			const pids = new Set(f.samples.map((s) => s.labels.pid));
			if (f.name.startsWith('fastdeploy:spec_decode') && f.type === 'gauge') {
				assert.equal(pids.size, 2, f.name);
				assert.ok([...pids].every((p) => p !== undefined && /^\d+$/.test(p)));
			} else assert.deepEqual([...pids], [undefined], f.name);
		}
	});

	test('cache_config_info has the CacheConfig labels, including a model_cfg with escaped quotes', () => {
		const line = text.split('\n').find((l) => l.startsWith('fastdeploy:cache_config_info{'));
		assert.ok(line);
		assert.ok(line.endsWith('} 1.0'));
		assert.match(line, /^fastdeploy:cache_config_info\{block_size="64",bytes_per_block="589824",/);
		assert.match(line, /model_cfg="\{'architectures'[^]*\\"\{% for m/);
		const f = fams.find((x) => x.name === 'fastdeploy:cache_config_info');
		assert.ok((f?.samples[0]?.labels.model_cfg ?? '').includes('"{% for m in messages %}'));
		assert.ok(Object.keys(f?.samples[0]?.labels ?? {}).length >= 20);
	});

	test('http_requests_total never counts the inference endpoints', () => {
		const f = fams.find((x) => x.name === 'http_requests_total');
		assert.ok(f && f.samples.length > 0);
		for (const s of f.samples) {
			assert.deepEqual(Object.keys(s.labels).sort(), ['method', 'path', 'status_code']);
			assert.ok(!['/v1/chat/completions', '/v1/completions', '/metrics', '/health'].includes(s.labels.path ?? ''));
		}
	});

	test('labels are written sorted, as generate_latest does', () => {
		const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_bucket'));
		assert.match(line ?? '', /^http_request_duration_seconds_bucket\{le="0\.01",method="GET",path="\//);
	});

	test('FD_DEBUG adds the ZMQ families, names with a double colon', () => {
		const debug = new Simulation({scenario: 'steady', era: '2.3', seed: 2, startUnixSeconds: START, fdDebug: true});
		debug.step(60);
		const names = readWire(debug.text()).map((f) => f.name);
		for (const n of ['fastdeploy:zmq:msg_send_total', 'fastdeploy:zmq:msg_recv_total', 'fastdeploy:zmq:latency']) assert.ok(names.includes(n), n);
		assert.match(debug.text(), /^fastdeploy:zmq:latency_bucket\{address="ipc:\/\/\/dev\/shm\/router_8296\.ipc",le="0\.001"\} /m);
	});
});
