import {test} from 'node:test';
import assert from 'node:assert/strict';
import {didYouMean, editDistance} from '../../source/did-you-mean.js';

test('edit distance counts inserts, deletes, substitutions and a swap of neighbours as one edit each', () => {
	assert.equal(editDistance('window', 'window'), 0);
	assert.equal(editDistance('windw', 'window'), 1);
	assert.equal(editDistance('widnow', 'window'), 1);
	assert.equal(editDistance('wnidow', 'window'), 1);
	assert.equal(editDistance('', 'abc'), 3);
	assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('didYouMean names the one nearest word within reach, else nothing', () => {
	const flags = ['window', 'interval', 'timeout', 'once', 'json', 'era', 'lang'];
	assert.equal(didYouMean('windw', flags), 'window');
	assert.equal(didYouMean('intervall', flags), 'interval');
	assert.equal(didYouMean('WINDOW', flags), 'window', 'case only: the real spelling');
	assert.equal(didYouMean('window', flags), undefined, 'a known word needs no suggestion');
	assert.equal(didYouMean('bogus', flags), undefined);
	assert.equal(didYouMean('ear', flags), 'era', 'a swap');
	assert.equal(didYouMean('x', ['a', 'b']), undefined, 'two words equally near: no guess');
	assert.equal(didYouMean('chek', ['check', 'export', 'config']), 'check');
});
