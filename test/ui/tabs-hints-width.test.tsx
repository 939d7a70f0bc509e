/**
 * The header's tabs and key hints, the status line and the Overview's `vs baseline` line at 60 to
 * 200 columns, in English and in Chinese (two cells a character), on every view: they give way by
 * priority, never by cutting a word. The current view's name and the `? help` and `q quit` hints
 * are always there; from 80 columns every tab has a name (a short one when room is short); a part
 * that does not fit is dropped whole (also in the Fleet, Explorer and Events heads).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {msgs, type Lang} from '../../source/i18n/index.js';
import {viewKey, viewsFor} from '../../source/ui/ui-state.js';
import {appPerTest, assertFits, baselineOf, buildStore, fixture, renderApp, scaleCumulative} from './helpers.js';
import {clockTime} from '../../source/ui/components/header.js';

const LANGS: readonly Lang[] = ['en', 'zh'];
const WIDTHS = [60, 80, 100, 120, 200];
const parts = (text: string) => text.split(/ {2,}/).filter(Boolean);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A line made of whole parts: each run between two or more spaces is one of `allowed`, nothing cut. */
function assertWholeParts(line: string, allowed: readonly string[], what: string): void {
	assert.doesNotMatch(line, /…/, `${what} is cut: ${line}`);
	for (const piece of parts(line.trim())) assert.ok(allowed.includes(piece), `${what} has a part that is not whole (${JSON.stringify(piece)}): ${line}`);
}

const app = appPerTest();

describe('tabs, key hints and the status line give way by priority at every width', () => {
	for (const lang of LANGS) {
		const m = msgs(lang);
		const hints = parts(m.header.hints.join('  ')).slice(0, 3);
		const [help, , quit] = hints;
		for (const targets of [1, 3]) {
			for (const columns of WIDTHS) {
				test(`${lang}, ${targets} target(s), ${columns} columns: every view`, async () => {
					const built = buildStore({targets});
					const r = (app.open = await renderApp(built.store, {columns, rows: 24, lang}));
					const views = viewsFor(targets);
					const statusParts = [...parts(m.status.fleetKeys), ...parts(m.status.keys)];
					for (const view of views) {
						const key = viewKey(view.id);
						await r.press(key);
						const frame = await r.waitFor(f => f.split('\n')[1]!.includes(`${key} ${m.views[view.id]}`), `the ${view.id} tab selected`);
						const where = `${view.id} at ${columns} columns (${lang})`;
						assertFits(r, columns, 24);
						const lines = frame.split('\n');
						const tabs = lines[1]!;
						// The hints: whole, `? help` and `q quit` always.
						assert.doesNotMatch(tabs, /…/, `${where}: the tabs line is cut: ${tabs}`);
						assert.ok(tabs.trimEnd().endsWith(quit!), `${where}: \`${quit}\` ends the tabs line: ${tabs}`);
						assert.ok(tabs.includes(help!), `${where}: \`${help}\` is on the tabs line: ${tabs}`);
						for (const hint of hints) {
							const word = hint.split(' ').at(-1)!;
							if (tabs.includes(word)) assert.ok(tabs.includes(hint), `${where}: the hint ${hint} is whole: ${tabs}`);
						}
						// From 80 columns every view's tab has a name after its key.
						if (columns >= 80) for (const v of views) assert.match(tabs, new RegExp(`(^| )${viewKey(v.id)} [^\\s\\d?]`), `${where}: tab ${viewKey(v.id)} has a name: ${tabs}`);
						// The status line (the last of the frame): whole key hints, none cut.
						assertWholeParts(lines.at(-1)!, statusParts, `${where}: the status line`);
						// A view's own head (title, count, its keys): key hints dropped whole, not cut.
						if (view.id === 'fleet' || view.id === 'explorer' || view.id === 'events') assert.doesNotMatch(lines[2]!, /…/, `${where}: the view's head is cut: ${lines[2]}`);
					}
				});
			}
		}
	}
});

describe("the Overview's `vs baseline` line drops whole figures, and keeps its pointer to 7", () => {
	for (const lang of LANGS) {
		const v = msgs(lang).compareView;
		for (const columns of WIDTHS) {
			test(`${lang} at ${columns} columns`, async () => {
				const built = buildStore();
				const r = (app.open = await renderApp(built.store, {columns, rows: 24, lang, baseline: baselineOf(built)}));
				const frame = await r.waitFor(f => f.includes(v.strip), 'the baseline line');
				assertFits(r, columns, 24);
				const line = frame.split('\n').find(l => l.startsWith(v.strip))!;
				assert.doesNotMatch(line, /…/, `cut: ${line}`);
				assert.ok(line.endsWith(v.stripHint), `ends with ${v.stripHint}: ${line}`);
				// At least the first figure, each one whole (label, A→B, change).
				const figures = line.slice(v.strip.length, line.length - v.stripHint.length).trim();
				assert.ok(figures.length > 0, `a figure at ${columns} columns: ${line}`);
				const labels = Object.values(v.stripLabels);
				for (const figure of parts(figures)) assert.match(figure, new RegExp(`^(${labels.map(escape).join('|')}) \\S+(→|>)\\S+ (~|[+-]?\\S+ %\\*)$`), `a whole figure: ${JSON.stringify(figure)} in ${line}`);
			});
		}
	}
});

describe('paused, the status line says so once', () => {
	for (const lang of LANGS) {
		const m = msgs(lang).status;
		test(`${lang} at 80 columns: PAUSED first, the pause key not beside it, the rest whole`, async () => {
			const {r} = await app.start({columns: 80, rows: 24, lang});
			await r.press(' ');
			const status = await r.waitFor(f => f.split('\n').at(-1)!.startsWith(parts(m.paused(''))[0]!), 'the paused status line');
			const line = status.split('\n').at(-1)!;
			const [paused, ...rest] = parts(line);
			assert.equal(paused, parts(m.paused(''))[0]);
			assert.ok(!rest.includes(parts(m.keys)[0]!), `no ${parts(m.keys)[0]} beside ${paused}: ${line}`);
			assertWholeParts(rest.join('  '), parts(m.keys), 'the paused status line');
		});
	}
});

describe("the header's first line: its state parts go whole, never cut", () => {
	for (const lang of LANGS) {
		const h = msgs(lang).header;
		for (const columns of WIDTHS) {
			test(`${lang} at ${columns} columns: up, PAUSED, INSECURE after a restart`, async () => {
				const built = buildStore();
				// Counters halve: a restart, and a window cut by it.
				built.ingest(scaleCumulative(fixture('fastdeploy-2.3.txt'), 0.5));
				const restartAt = built.t;
				built.ingest(scaleCumulative(fixture('fastdeploy-2.3.txt'), 0.55));
				const r = (app.open = await renderApp(built.store, {columns, rows: 24, lang, insecure: true}));
				await r.press(' ');
				const line = (await r.waitFor(f => f.split('\n')[0]!.includes(h.paused), 'PAUSED'))!.split('\n')[0]!;
				assertFits(r, columns, 24);
				assert.doesNotMatch(line, /…$/, `the state parts are cut: ${line}`);
				for (const part of [h.up, h.paused, h.insecure, h.restart(clockTime(restartAt))]) assert.ok(line.includes(part), `${part} on the first line: ${line}`);
			});
		}
	}
});
