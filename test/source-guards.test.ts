/**
 * Guards on the source itself (issue 13, item 2): nothing data-sized may reach the call stack.
 * A spread into a call is a lint error in source/ (eslint.config.js); a function that calls itself
 * synchronously must be on the list below with the reason its depth is bounded.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {ESLint} from 'eslint';
import ts from 'typescript';
import {ROOT} from './helpers/cli.js';

test('the lint rule rejects a spread into a call or a constructor in source/', async () => {
	const eslint = new ESLint({cwd: ROOT});
	const code = 'export const a = (v: number[], o: number[]) => {\n\to.push(...v);\n\treturn [Math.max(...v), new Set(...[v])];\n};\n';
	const [result] = await eslint.lintText(code, {filePath: join(ROOT, 'source', 'guard-probe.ts')});
	const hits = result!.messages.filter(m => m.ruleId === 'no-restricted-syntax').map(m => `${m.line}:${m.column}`);
	assert.deepEqual(hits, ['2:9', '3:19', '3:34']);
	// An array literal spread iterates instead: it is allowed.
	const [literal] = await eslint.lintText('export const b = (v: number[]) => [...v, 1];\n', {filePath: join(ROOT, 'source', 'guard-probe.ts')});
	assert.deepEqual(literal!.messages, []);
});

/** Synchronous self-calls in source/ and why each is shallow. */
const BOUNDED: Record<string, string> = {
	'source/metrics/compare-stats.ts lnGamma': 'once: the reflection for x < 0.5 calls it at 1 − x > 0.5, which takes the other branch',
	'source/prom/series-table.ts this.find': 'once: retries after switching to full keys, which cannot happen twice',
	'source/sources/targets.ts parseTarget': 'once: host:port rewritten as an http:// URL, which takes the other branch',
};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

test('no function in source/ recurses over data (every self-call is listed as bounded)', () => {
	const found = new Set<string>();
	for (const file of sourceFiles(join(ROOT, 'source'))) {
		const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
		const rel = relative(ROOT, file);
		// Walk with the names of the enclosing functions; a nested function (a callback, a timer)
		// starts a new stack, so only calls made directly in a function's own body count.
		// A method calls itself as `this.name(…)`, a function as `name(…)`.
		const visit = (node: ts.Node, current: string | null): void => {
			let self: string | null = current;
			if (ts.isFunctionDeclaration(node)) self = node.name?.getText(sf) ?? null;
			else if (ts.isMethodDeclaration(node)) self = `this.${node.name.getText(sf)}`;
			else if (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
				ts.forEachChild(node.initializer, c => visit(c, node.name.getText(sf)));
				return;
			} else if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) self = null;
			if (ts.isCallExpression(node) && self !== null && node.expression.getText(sf) === self) found.add(`${rel} ${self}`);
			ts.forEachChild(node, c => visit(c, self));
		};
		visit(sf, null);
	}
	assert.deepEqual([...found].sort(), Object.keys(BOUNDED).sort(), 'a new self-call: make it a loop, or list it with why its depth is bounded');
});
