import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'release/**', '.dist-sea/**', '.dist-pack/**', 'node_modules/**', 'demo/recordings/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
			eqeqeq: ['error', 'always', {null: 'ignore'}],
			'prefer-const': 'error',
		},
	},
	{
		// Series, buckets, families and lines are data-sized: a spread into a call puts every
		// element on the stack and throws "Maximum call stack size exceeded" past ~120,000
		// (issue 13: Math.max(...values) over 150,000 series). Loop, or use source/arrays.ts.
		files: ['source/**/*.ts', 'source/**/*.tsx'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{selector: 'CallExpression > SpreadElement', message: 'No spread into a call: data-sized arrays overflow the stack. Use maxOf/minOf/append from source/arrays.ts or a loop.'},
				{selector: 'NewExpression > SpreadElement', message: 'No spread into a constructor: data-sized arrays overflow the stack. Use a loop.'},
			],
		},
	},
);
