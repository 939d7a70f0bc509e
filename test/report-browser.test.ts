/**
 * `fdtop report`'s page in a real browser (issue 17 §3): Debian's chromium, driven by
 * playwright-core, opens the file from disk with the network off. No console error, no request
 * but the file itself, and every chart drew: its canvas read back holds painted pixels. A
 * screenshot of each page is left in the test's temp directory (its path is logged) to look at.
 * Skipped, saying so, only when /usr/bin/chromium is absent (.ci/run installs it).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium, type BrowserContext} from 'playwright-core';
import {ROOT, runCli} from './helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to open the report in a browser`;
const dir = mkdtempSync(join(tmpdir(), 'fdtop-report-browser-'));
const STEADY = join(ROOT, 'demo', 'recordings', 'steady-2.3.jsonl.gz');
const RESTART = join(ROOT, 'demo', 'recordings', 'restart-2.3.jsonl.gz');

let context: BrowserContext | undefined;

interface Opened {
	errors: string[];
	requests: string[];
	charts: {id: string; canvases: number; width: number; height: number; painted: number}[];
	drawn: string | null;
	screenshot: string;
}

async function open(file: string, name: string): Promise<Opened> {
	const page = await context!.newPage();
	const errors: string[] = [];
	const requests: string[] = [];
	page.on('console', m => {
		if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
	page.on('request', r => requests.push(r.url()));
	await page.goto(`file://${file}`, {waitUntil: 'load'});
	// Run in the page (the test is compiled without the DOM's types): each chart's canvas, read back.
	const charts = (await page.evaluate(`[...document.querySelectorAll('[data-chart]')].map(el => {
		const canvas = el.querySelector('canvas');
		let painted = 0;
		if (canvas) {
			const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
			for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
		}
		return {id: el.dataset.chart, canvases: el.querySelectorAll('canvas').length, width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0, painted};
	})`)) as Opened['charts'];
	const drawn = (await page.evaluate("document.body.getAttribute('data-charts-drawn')")) as string | null;
	const screenshot = join(dir, `${name}.png`);
	await page.screenshot({path: screenshot, fullPage: true});
	await page.close();
	return {errors, requests, charts, drawn, screenshot};
}

async function report(args: string[], name: string): Promise<string> {
	const out = join(dir, `${name}.html`);
	const r = await runCli(['report', ...args, '-o', out]);
	assert.equal(r.code, 0, r.stderr);
	return out;
}

describe('fdtop report in headless chromium, offline', {skip}, () => {
	before(async () => {
		context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'fdtop-chromium-')), {
			executablePath: CHROMIUM,
			headless: true,
			offline: true,
			viewport: {width: 1200, height: 900},
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
		});
	});
	after(async () => {
		await context?.close();
	});

	for (const [name, args] of [
		['steady', [STEADY, '--slo', 'ttft<=100ms:90%']],
		['compare', [STEADY, '--compare', RESTART]],
	] as const) {
		test(`${name}: no console error, no request but the file, every chart painted`, async () => {
			const file = await report([...args], name);
			const expected = (JSON.parse(/id="fdtop-data">([^<]*)</.exec(readFileSync(file, 'utf8'))![1]!) as {charts: unknown[]}).charts.length;
			const page = await open(file, name);
			process.stdout.write(`# screenshot: ${page.screenshot}\n`);
			assert.deepEqual(page.errors, []);
			assert.deepEqual(page.requests, [`file://${file}`]);
			assert.equal(page.drawn, String(expected));
			assert.equal(page.charts.length, 7);
			for (const c of page.charts) {
				assert.equal(c.canvases, 1, c.id);
				// Axes, grid and lines: thousands of painted pixels in a 240-pixel-high plot (a blank canvas has none).
				assert.ok(c.painted > 5000, `${c.id}: ${c.painted} painted pixels of ${c.width}×${c.height}`);
			}
			assert.ok(statSync(page.screenshot).size > 50_000);
		});
	}
});
