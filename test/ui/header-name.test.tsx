/** The header names a target once: a name that is its URL's host is not repeated beside the URL. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {appPerTest, buildStore, renderApp} from './helpers.js';

const app = appPerTest();

for (const lang of ['en', 'zh'] as const) {
	test(`a target named by its host shows its URL once (${lang})`, async () => {
		const built = buildStore({name: '127.0.0.1:8000', location: 'http://127.0.0.1:8000/metrics'});
		app.open = await renderApp(built.store, {columns: 120, rows: 30, lang});
		const head = app.open.lines()[0]!;
		assert.equal(head.split('127.0.0.1:8000').length - 1, 1, head);
		assert.match(head, /http:\/\/127\.0\.0\.1:8000\/metrics/);
	});

	test(`a target with its own name shows the name and the URL (${lang})`, async () => {
		const built = buildStore({name: 'prod', location: 'http://127.0.0.1:8000/metrics'});
		app.open = await renderApp(built.store, {columns: 120, rows: 30, lang});
		assert.match(app.open.lines()[0]!, /prod http:\/\/127\.0\.0\.1:8000\/metrics/);
	});
}
