/** Build AppStates from fixtures without timers, and render the app at a chosen terminal size. */
import {readFileSync} from 'node:fs';
import assert from 'node:assert/strict';
import {afterEach} from 'node:test';
import {createElement} from 'react';
import {render} from 'ink-testing-library';
import {liveControls, type Controls} from '../../source/controls.js';
import {Store, type Mode} from '../../source/store.js';
import type {Objective} from '../../source/metrics/slo.js';
import type {AlertRule} from '../../source/metrics/alert-rule.js';
import {App, type AppOptions} from '../../source/ui/app.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {compareRuns} from '../../source/metrics/compare.js';
import {visibleWidth} from '../../source/ui/text-width.js';

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

export function stripAnsi(text: string): string {
	return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Multiply every cumulative value (buckets, sums, counts, counters) by `factor`; gauges stay. */
export function scaleCumulative(text: string, factor: number): string {
	return text
		.split('\n')
		.map(line => {
			if (line.startsWith('#')) return line;
			const m = /^(\S+?(?:_bucket|_sum|_count|_total)(?:\{.*\})?) (\S+)$/.exec(line);
			if (!m || m[1]!.includes('_created')) return line;
			return `${m[1]} ${Number(m[2]) * factor}`;
		})
		.join('\n');
}

/** Set a gauge (the first sample of that family) to a value. */
export function setSample(text: string, name: string, value: number): string {
	return text.replace(new RegExp(`^(${name.replace(/[:.]/g, '\\$&')}(?:\\{[^}]*\\})?) \\S+$`, 'm'), `$1 ${value}`);
}

export interface BuiltStore {
	readonly store: Store;
	readonly clock: FakeClock;
	/** Time of the last ingested scrape. */
	t: number;
	ingest(text: string): void;
	fail(error: string): void;
}

/**
 * A store fed `scrapes` scrapes of a fixture one second apart, the cumulative values growing 5 %
 * a second so windowed rates and percentiles exist.
 */
export function buildStore(options: {text?: string; scrapes?: number; mode?: Mode; name?: string; location?: string; targets?: number; maxSeries?: number; objectives?: readonly Objective[]; alertRules?: readonly AlertRule[]} = {}): BuiltStore {
	const clock = new FakeClock();
	const location = options.location ?? 'http://127.0.0.1:8000/metrics';
	const targets = Array.from({length: options.targets ?? 1}, (_, i) => ({name: i === 0 ? (options.name ?? location) : `t${i}`, location: i === 0 ? location : `http://t${i}/metrics`}));
	const store = new Store({targets, intervalMs: 1000, windowMs: 60_000, clock, mode: options.mode, maxSeries: options.maxSeries, objectives: options.objectives, alertRules: options.alertRules});
	const base = options.text ?? fixture('fastdeploy-2.3.txt');
	const built: BuiltStore = {
		store,
		clock,
		t: clock.now(),
		ingest(text: string) {
			built.t += 1000;
			store.ingest(0, {target: location, t: built.t, text, durationMs: 5, bytes: text.length});
		},
		fail(error: string) {
			built.t += 1000;
			store.ingest(0, {target: location, t: built.t, error: `${location}: ${error}`, durationMs: 5, bytes: 0});
		},
	};
	for (let i = 0; i < (options.scrapes ?? 20); i++) built.ingest(scaleCumulative(base, 1 + 0.05 * i));
	return built;
}

export interface Rendered {
	/** The last frame with colours stripped. */
	frame(): string;
	/** The last frame as written, colours included. */
	raw(): string;
	lines(): string[];
	press(input: string): Promise<void>;
	resize(columns: number, rows: number): Promise<void>;
	waitFor(predicate: (frame: string) => boolean, what?: string): Promise<string>;
	unmount(): void;
	controls: Controls;
}

export const tick = () => new Promise<void>(resolve => setImmediate(() => setTimeout(resolve, 0)));

export async function renderApp(store: Store, options: Partial<AppOptions> & {columns?: number; rows?: number; controls?: Controls} = {}): Promise<Rendered> {
	const controls = options.controls ?? liveControls(store);
	const app = render(createElement(App, {store, controls, options: {color: options.color ?? true, ascii: options.ascii ?? false, lang: options.lang ?? 'en', ...(options.insecure === undefined ? {} : {insecure: options.insecure}), ...(options.baseline === undefined ? {} : {baseline: options.baseline})}}));
	const raw = () => app.lastFrame() ?? '';
	const frame = () => stripAnsi(raw());
	const waitFor = async (predicate: (frame: string) => boolean, what = 'frame') => {
		for (let i = 0; i < 200; i++) {
			if (predicate(frame())) return frame();
			await tick();
		}
		throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
	};
	const resize = async (columns: number, rows: number) => {
		Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
		app.stdout.emit('resize');
		await tick();
		await tick();
	};
	await resize(options.columns ?? 80, options.rows ?? 24);
	return {
		frame,
		raw,
		lines: () => frame().split('\n'),
		async press(input: string) {
			app.stdin.write(input);
			await Promise.resolve();
			await tick();
			await tick();
		},
		resize,
		waitFor,
		unmount: () => app.unmount(),
		controls,
	};
}

/** Every line fits the width and the frame is at most rows − 1 lines. */
export function frameFits(frame: string, columns: number, rows: number): string | null {
	const lines = frame.split('\n');
	if (lines.length > rows - 1) return `${lines.length} lines for ${rows} rows`;
	for (const [i, line] of lines.entries()) {
		const width = visibleWidth(line);
		if (width > columns) return `line ${i + 1} is ${width} wide (> ${columns}): ${line}`;
	}
	return null;
}

/**
 * The app a test renders, unmounted after each test (also when an assertion fails half-way):
 * assign it to `open`; `start` renders the fixture store (100x30 unless told) and keeps it there.
 */
export function appPerTest() {
	const app = {
		open: null as Rendered | null,
		async start(options: Parameters<typeof renderApp>[1] = {}, text?: string) {
			const built = buildStore({text});
			app.open = await renderApp(built.store, {columns: 100, rows: 30, ...options});
			return {r: app.open, ...built};
		},
	};
	afterEach(() => {
		app.open?.unmount();
		app.open = null;
	});
	return app;
}

/** The frame fits the terminal (frameFits); the frame is shown when it does not. */
export function assertFits(r: Rendered, columns: number, rows: number): void {
	const problem = frameFits(r.frame(), columns, rows);
	assert.equal(problem, null, `${problem}\n${r.frame()}`);
}

/**
 * A baseline (the App's `baseline` option) recorded at a third of `built`'s traffic: the rates
 * differ beyond the noise, so the Compare view and the vs-baseline line have findings to show.
 */
export function baselineOf(built: BuiltStore) {
	const base = buildStore({text: scaleCumulative(fixture('fastdeploy-2.3.txt'), 0.3)});
	return {
		compare: (_state: unknown, target: number) => {
			const a = base.store.historyOf(0);
			const b = built.store.historyOf(target);
			return a && b ? compareRuns({label: 'a.jsonl.gz', history: a}, {label: 'b', history: b}) : null;
		},
	};
}
