/**
 * Guard (issue 13 items 1 and 5): text reaches stderr and stdout only through the funnel
 * (source/text.ts: `inert` redacts then escapes; `safeJson` for --json). Every piece of every
 * `process.stderr.write` / `process.stdout.write` in source/ must be a constant, a number, or a
 * call to the funnel; `console.*` is not used at all. The TypeScript checker types each piece, so a
 * new message that interpolates outside text without `inert` fails here.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import ts from 'typescript';
import {ROOT} from '../helpers/cli.js';

/** Calls whose result is safe to print: the funnel, and the text report (built from it). */
const FUNNEL = new Set(['inert', 'inertClip', 'safeJson', 'reportText', 'String']);
/** Calls that only change the characters of what they are given, or swap our own fixed phrases for their translation (localize): safe when that is. */
const TRANSFORMS = new Set(['shown', 'asciiText', 'localize']);
/** Our own strings typed plain `string`: the help text meow formats from HELP, the version. */
const OWN = new Set(['parsed.help', 'VERSION']);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

test('every write to stderr or stdout in source/ goes through the funnel', () => {
	const files = sourceFiles(join(ROOT, 'source'));
	const program = ts.createProgram(files, {strict: true, jsx: ts.JsxEmit.ReactJSX, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true});
	const checker = program.getTypeChecker();
	const problems: string[] = [];
	let writes = 0;

	const safe = (node: ts.Expression, file: ts.SourceFile): boolean => {
		if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return safe(node.expression, file);
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
		if (ts.isTemplateExpression(node)) return node.templateSpans.every(span => safe(span.expression, file));
		if (ts.isConditionalExpression(node)) return safe(node.whenTrue, file) && safe(node.whenFalse, file);
		if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return safe(node.left, file) && safe(node.right, file);
		if (ts.isCallExpression(node)) {
			const callee = node.expression.getText(file);
			const name = callee.split('.').at(-1)!;
			if (FUNNEL.has(name) && (name !== 'String' || node.arguments.every(a => safe(a, file)))) return true;
			// The ASCII transliteration of a safe text (source/charset.ts) is as safe.
			if (TRANSFORMS.has(name) && node.arguments.every(a => safe(a, file))) return true;
			// `inert(x).replaceAll(…)` and the like: a method of a safe string.
			if (ts.isPropertyAccessExpression(node.expression) && ['replaceAll', 'replace', 'trimEnd', 'slice'].includes(node.expression.name.text)) return safe(node.expression.expression, file);
		}
		if (OWN.has(node.getText(file))) return true;
		const type = checker.getTypeAtLocation(node);
		const constant = (t: ts.Type): boolean => (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.StringLiteral | ts.TypeFlags.Undefined)) !== 0;
		return type.isUnion() ? type.types.every(constant) : constant(type);
	};

	for (const file of program.getSourceFiles()) {
		if (!file.fileName.startsWith(join(ROOT, 'source'))) continue;
		const visit = (node: ts.Node): void => {
			if (ts.isCallExpression(node)) {
				const callee = node.expression.getText(file);
				const where = `${file.fileName.slice(ROOT.length)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
				if (/^console\.\w+$/.test(callee)) problems.push(`${where}: ${callee} (write through process.stderr and inert)`);
				if (/^process\.(stderr|stdout)\.write$/.test(callee)) {
					writes++;
					const arg = node.arguments[0];
					if (arg && !safe(arg, file)) problems.push(`${where}: ${node.getText(file).slice(0, 160)}`);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(file);
	}
	assert.ok(writes >= 8, `found ${writes} writes: the scan is looking in the wrong place`);
	assert.deepEqual(problems, [], `outside text written without the funnel (wrap it in inert()):\n${problems.join('\n')}`);
});
