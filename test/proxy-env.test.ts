/** Which proxy a URL goes through (the rules of undici's EnvHttpProxyAgent, loopback never), and how it is named. */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isLoopback, proxyFor, proxyLabel} from '../source/sources/http.js';

const via = (url: string, env: NodeJS.ProcessEnv) => proxyFor(new URL(url), env)?.variable ?? null;

test('loopback is never proxied: 127.0.0.0/8, ::1, localhost', () => {
	const env = {HTTP_PROXY: 'http://proxy:3128', HTTPS_PROXY: 'http://proxy:3128'};
	for (const url of ['http://127.0.0.1:8001/metrics', 'http://127.2.3.4/', 'https://localhost:8000/', 'http://LOCALHOST/', 'http://app.localhost/', 'http://[::1]:9090/', 'http://[::ffff:127.0.0.1]/']) {
		assert.equal(via(url, env), null, url);
	}
	for (const host of ['128.0.0.1', '10.0.0.1', 'localhost.example.com', '[::2]']) assert.equal(isLoopback(host), false, host);
	assert.equal(via('http://gpu1:8001/', env), 'HTTP_PROXY');
});

test('the variables: lowercase first (even empty), https falls back to the http proxy', () => {
	assert.equal(via('http://gpu1/', {http_proxy: 'http://a:1', HTTP_PROXY: 'http://b:1'}), 'http_proxy');
	assert.equal(via('http://gpu1/', {http_proxy: '', HTTP_PROXY: 'http://b:1'}), null);
	assert.equal(via('https://gpu1/', {HTTP_PROXY: 'http://b:1'}), 'HTTP_PROXY');
	assert.equal(via('https://gpu1/', {HTTP_PROXY: 'http://b:1', HTTPS_PROXY: 'http://c:1'}), 'HTTPS_PROXY');
	assert.equal(via('http://gpu1/', {HTTPS_PROXY: 'http://c:1'}), null, 'an http target ignores HTTPS_PROXY');
	assert.equal(via('http://gpu1/', {}), null);
});

test('NO_PROXY: names and their subdomains, leading dot or *., ports, *, lowercase first', () => {
	const env = (noProxy: string) => ({HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy});
	assert.equal(via('http://gpu1.lab.example:8001/', env('example')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('.lab.example')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('*.lab.example')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('GPU1.lab.example')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('other.example gpu1.lab.example')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('gpu1.lab.example:8001')), null);
	assert.equal(via('http://gpu1.lab.example:8001/', env('gpu1.lab.example:8000')), 'HTTP_PROXY');
	assert.equal(via('https://gpu1.lab.example/', env('gpu1.lab.example:443')), null);
	assert.equal(via('http://xgpu1.lab.example/', env('gpu1.lab.example')), 'HTTP_PROXY', 'a suffix that is not a subdomain');
	assert.equal(via('http://gpu1/', env('*')), null);
	assert.equal(via('http://gpu1/', env('')), 'HTTP_PROXY');
	assert.equal(via('http://gpu1/', {HTTP_PROXY: 'http://p:1', no_proxy: '', NO_PROXY: 'gpu1'}), 'HTTP_PROXY', 'no_proxy wins, even empty');
});

test('a proxy is named without its credentials', () => {
	assert.equal(proxyLabel({variable: 'HTTPS_PROXY', url: 'http://alice:s3cret@proxy.corp:3128/'}), 'http://proxy.corp:3128 (HTTPS_PROXY)');
	assert.equal(proxyLabel({variable: 'HTTP_PROXY', url: 'not a url :: alice:s3cret'}), 'from HTTP_PROXY');
});
