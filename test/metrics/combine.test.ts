/** The live rule and the disagreement threshold for gauges over several series (issue 14). */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {derive} from '../../source/metrics/derive.js';
import {History} from '../../source/metrics/history.js';
import {buildSnapshot} from '../../source/metrics/snapshot.js';
import {parseExposition} from '../../source/prom/parse.js';
import {CATALOG_BY_KEY} from '../../source/metrics/catalog.js';
import {disagree} from '../../source/metrics/combine.js';

const ACCEPT = 'fastdeploy:spec_decode_draft_acceptance_rate';

function scrape(values: Record<string, number>, extra = ''): string {
	const lines = [`# TYPE ${ACCEPT} gauge`, ...Object.entries(values).map(([pid, v]) => `${ACCEPT}{pid="${pid}"} ${v}`)];
	return `${lines.join('\n')}\n${extra}`;
}

/** Derive over scrapes one second apart with a window covering `windowScrapes` of them. */
function derived(pages: readonly string[], windowMs = 60_000) {
	const history = new History(100);
	pages.forEach((text, i) => history.push(buildSnapshot(parseExposition(text), 1_000 * (i + 1))));
	const d = derive(history, {windowMs});
	const m = d?.metrics.get('specAcceptanceRate');
	assert.ok(m?.kind === 'gauge');
	return {d: d!, m, warnings: history.last!.snapshot.warnings};
}

describe('the live rule', () => {
	test('a dead pid that never moves is left out: 0.56, not 0.68', () => {
		const {m} = derived([scrape({1: 0.8, 2: 0.5}), scrape({1: 0.8, 2: 0.55}), scrape({1: 0.8, 2: 0.56})]);
		assert.equal(m.value, 0.56);
		assert.equal(m.combined?.how, 'live');
		assert.deepEqual(m.combined?.from, ['pid=2']);
		assert.equal(m.combined?.disagree, true);
	});

	test('several live pids average; the dead one stays out', () => {
		const {m} = derived([scrape({1: 0.8, 2: 0.5, 3: 0.6}), scrape({1: 0.8, 2: 0.52, 3: 0.62})]);
		assert.ok(Math.abs(m.value - 0.57) < 1e-12, String(m.value));
		assert.equal(m.combined?.how, 'live');
		assert.equal(m.combined?.used, 2);
		assert.deepEqual(m.combined?.from, ['pid=2', 'pid=3']);
	});

	test('a pid that moved only before the window no longer counts as live', () => {
		const pages = [scrape({1: 0.7, 2: 0.5}), scrape({1: 0.8, 2: 0.5}), scrape({1: 0.8, 2: 0.5}), scrape({1: 0.8, 2: 0.55})];
		// Window of 1.5 s: the last two scrapes; pid 1 last moved between scrapes 1 and 2.
		const {m} = derived(pages, 1_500);
		assert.equal(m.value, 0.55);
		assert.deepEqual(m.combined?.from, ['pid=2']);
	});

	test('nothing moved (one scrape, or idle): the average of all, named avg', () => {
		assert.equal(derived([scrape({1: 0.8, 2: 0.56})]).m.combined?.how, 'avg');
		const idle = derived([scrape({1: 0.8, 2: 0.56}), scrape({1: 0.8, 2: 0.56})]).m;
		assert.equal(idle.value, 0.68);
		assert.equal(idle.combined?.how, 'avg');
		assert.equal(idle.combined?.used, 2);
	});

	test('one series: no combination to name', () => {
		assert.equal(derived([scrape({1: 0.5}), scrape({1: 0.6})]).m.combined, undefined);
	});

	test('the snapshot warns when pids disagree, once per scrape, and not when they are close', () => {
		assert.ok(derived([scrape({1: 0.8, 2: 0.56})]).warnings.some(w => w.startsWith(`${ACCEPT}: its 2 series disagree (0.56 to 0.8)`)));
		assert.deepEqual(derived([scrape({1: 0.6, 2: 0.58})]).warnings, []);
	});
});

describe('disagreement threshold', () => {
	const kv = CATALOG_BY_KEY.get('kvCacheUsage')!;
	const running = CATALOG_BY_KEY.get('running')!;
	const maxBlocks = CATALOG_BY_KEY.get('maxGpuBlocks')!;
	test('ratios: more than 5 points apart', () => {
		assert.equal(disagree(kv, 0.3, 0.35), false);
		assert.equal(disagree(kv, 0.3, 0.36), true);
	});
	test('other units: more than 10 % of the larger', () => {
		assert.equal(disagree(maxBlocks, 1000, 1100), false);
		assert.equal(disagree(maxBlocks, 1000, 1200), true);
	});
	test('sums never disagree: their parts are meant to differ', () => {
		assert.equal(running.combine, 'sum');
		assert.equal(disagree(running, 1, 100), false);
	});
});

describe('the catalog never sums a ratio', () => {
	test('ratios over several series (pids, model_id) combine by max, avg or the live rule', () => {
		for (const entry of CATALOG_BY_KEY.values()) {
			if (entry.kind === 'gauge' && entry.unit === 'ratio') assert.notEqual(entry.combine, 'sum', entry.key);
		}
	});
});
