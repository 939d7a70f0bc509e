/**
 * Gauges over several series (issue 14 §3 and §5): a dead multiprocess worker's speculative
 * gauge must not drag the figure, and every combined gauge names its combination (JSON, report,
 * screen) with a warning when the series disagree.
 */
import {after, before, beforeEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {runCli, serve, type TestServer} from './helpers/cli.js';
import {buildStore, frameFits, renderApp} from './ui/helpers.js';
import {widenGauge} from './helpers/exposition.js';
import {newestText} from './helpers/newest.js';

/** A 2.3-style page: pid 111 died at 0.80 (its series stays), pid 222 lives near 0.56. */
function page(n: number): string {
	const live = n === 0 ? 0.55 : 0.56;
	return [
		'# HELP fastdeploy:generation_tokens_total Multiprocess metric',
		'# TYPE fastdeploy:generation_tokens_total counter',
		`fastdeploy:generation_tokens_total ${1000 + 100 * n}`,
		'# HELP fastdeploy:spec_decode_draft_acceptance_rate Multiprocess metric',
		'# TYPE fastdeploy:spec_decode_draft_acceptance_rate gauge',
		'fastdeploy:spec_decode_draft_acceptance_rate{pid="111"} 0.8',
		`fastdeploy:spec_decode_draft_acceptance_rate{pid="222"} ${live}`,
		'# HELP fastdeploy:spec_decode_draft_single_head_acceptance_rate_0 Multiprocess metric',
		'# TYPE fastdeploy:spec_decode_draft_single_head_acceptance_rate_0 gauge',
		'fastdeploy:spec_decode_draft_single_head_acceptance_rate_0{pid="111"} 0.9',
		`fastdeploy:spec_decode_draft_single_head_acceptance_rate_0{pid="222"} ${live + 0.2}`,
		'# HELP fastdeploy:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage',
		'# TYPE fastdeploy:gpu_cache_usage_perc gauge',
		'fastdeploy:gpu_cache_usage_perc{model_id="a"} 0.30',
		'fastdeploy:gpu_cache_usage_perc{model_id="b"} 0.31',
		'# HELP fastdeploy:num_requests_running Number of requests currently running',
		'# TYPE fastdeploy:num_requests_running gauge',
		'fastdeploy:num_requests_running 4',
		'',
	].join('\n');
}

let server: TestServer;
/** Requests before the current run: each run sees page 0, then page 1. */
let base = 0;
before(async () => {
	server = await serve((n, _req, res) => {
		res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'});
		res.end(page(Math.min(n - base, 1)));
	});
});
beforeEach(() => {
	base = server.requests.length;
});
after(() => server.close());

describe('--once: gauges over several series', () => {
	test('JSON: the live pid is shown (0.56, not the 0.68 average with the dead one), named, with a warning', async () => {
		const r = await runCli(['--once', '--json', '--interval', '200ms', server.url]);
		assert.equal(r.code, 0, r.stderr);
		const t = JSON.parse(r.stdout).targets[0];
		const spec = t.metrics.specAcceptanceRate;
		assert.equal(spec.value, 0.56);
		assert.deepEqual(spec.combined, {how: 'live', series: 2, used: 1, from: ['pid=222'], min: 0.56, max: 0.8, disagree: true});
		assert.ok(
			t.warnings.some((w: string) => /spec_decode_draft_acceptance_rate: its 2 series disagree \(0\.56 to 0\.8\)/.test(w)),
			t.warnings.join('\n'),
		);
		// Per head (MTP), by the same rule.
		assert.ok(Math.abs(t.metrics.specHeadAcceptance0.value - 0.76) < 1e-12, String(t.metrics.specHeadAcceptance0.value));
		assert.equal(t.metrics.specHeadAcceptance0.combined.how, 'live');
		// Other rules are named too; close series do not warn.
		assert.deepEqual(t.metrics.kvCacheUsage.combined, {how: 'max', series: 2, used: 2, from: [], min: 0.3, max: 0.31, disagree: false});
		assert.equal(t.metrics.kvCacheUsage.value, 0.31);
		assert.ok(!t.warnings.some((w: string) => w.includes('gpu_cache_usage_perc')), t.warnings.join('\n'));
		// One series: nothing was combined, no key.
		assert.equal('combined' in t.metrics.running, false);
	});

	test('the text report names the combination beside the figure', async () => {
		const r = await runCli(['--once', '--interval', '200ms', server.url]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^Spec accept rate +56 % +live pid=222 of 2, series disagree: 56 %–80 %$/m);
		assert.match(r.stdout, /^KV cache +31 % +max of 2$/m);
		assert.match(r.stdout, /warning: fastdeploy:spec_decode_draft_acceptance_rate: its 2 series disagree/);
	});

	test('one scrape cannot tell the live series: the average of all, named avg', async () => {
		const r = await runCli(['--once', '--json', '-'], {}, page(1));
		assert.equal(r.code, 0, r.stderr);
		const spec = JSON.parse(r.stdout).targets[0].metrics.specAcceptanceRate;
		assert.equal(spec.value, 0.68);
		assert.equal(spec.combined.how, 'avg');
	});
});

describe('the screen names a combined gauge where it shows it', () => {
	test('Overview: KV cache and speculative acceptance carry their combination', async () => {
		const {store} = buildStore({text: newestText()});
		const r = await renderApp(store, {columns: 120, rows: 40});
		const frame = r.frame();
		r.unmount();
		// The fixture's two DP pids never move between scrapes: their average, named so.
		assert.match(frame, /accept 60 % avg of 2/, frame);
	});

	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`Overview and Cache: KV usage over two series that disagree reads "max of 2 disagree" at ${columns}x${rows}`, async () => {
			const text = widenGauge(newestText(), 'fastdeploy:gpu_cache_usage_perc', 2, i => (i === 0 ? 0.3 : 0.5));
			const {store} = buildStore({text});
			const r = await renderApp(store, {columns, rows});
			const overview = r.frame();
			await r.press('4');
			const cache = r.frame();
			r.unmount();
			assert.match(overview, /KV cache \[[^\]]+\] +50 % max of 2 disagree/, overview);
			assert.match(cache, /KV cache +\[[^\]]+\] +50 % max of 2 disagree/, cache);
			assert.equal(frameFits(overview, columns, rows), null, overview);
			assert.equal(frameFits(cache, columns, rows), null, cache);
		});
	}
});
