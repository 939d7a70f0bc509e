/**
 * The families the newest FastDeploy adds (shared reference fastdeploy-metrics.md §4.4–4.5), as
 * multiprocess text: appended to the 2.3 fixture they make a newest-build scrape. Numbers stated
 * here, not computed by fdtop.
 */
import {readFileSync} from 'node:fs';

export const NEWEST_TOKEN_RATIO_BUCKETS: [string, number][] = [
	['1.0', 0],
	['5.0', 1],
	['10.0', 3],
	['20.0', 9],
	['50.0', 30],
	['100.0', 38],
	['200.0', 40],
	['+Inf', 40],
];

/** The newest families; `scale` multiplies the cumulative ones (for windowed figures). */
export function newestFamilies(scale = 1): string {
	const ratio = NEWEST_TOKEN_RATIO_BUCKETS.map(([le, c]) => `fastdeploy:request_token_ratio_bucket{le="${le}"} ${c * scale}`);
	return [
		'# HELP fastdeploy:request_token_ratio Multiprocess metric',
		'# TYPE fastdeploy:request_token_ratio histogram',
		`fastdeploy:request_token_ratio_sum ${1520 * scale}`,
		...ratio,
		`fastdeploy:request_token_ratio_count ${40 * scale}`,
		'# HELP fastdeploy:request_preempted_total Multiprocess metric',
		'# TYPE fastdeploy:request_preempted_total counter',
		`fastdeploy:request_preempted_total ${12 * scale}`,
		'# HELP fastdeploy:num_requests_preempted Number of requests preempted right now',
		'# TYPE fastdeploy:num_requests_preempted gauge',
		'fastdeploy:num_requests_preempted 2.0',
		'# HELP fastdeploy:num_requests_enqueued Number of requests queued in the scheduler',
		'# TYPE fastdeploy:num_requests_enqueued gauge',
		'fastdeploy:num_requests_enqueued 7.0',
		'# HELP fastdeploy:max_cpu_block_num Number of total cpu blocks',
		'# TYPE fastdeploy:max_cpu_block_num gauge',
		'fastdeploy:max_cpu_block_num 4096.0',
		'# HELP fastdeploy:free_cpu_block_num Number of free cpu blocks',
		'# TYPE fastdeploy:free_cpu_block_num gauge',
		'fastdeploy:free_cpu_block_num 3000.0',
		'# HELP fastdeploy:first_token_latency Latest time to first token in seconds',
		'# TYPE fastdeploy:first_token_latency gauge',
		'fastdeploy:first_token_latency 0.25',
		'# HELP fastdeploy:infer_latency Latest time to generate one token in seconds',
		'# TYPE fastdeploy:infer_latency gauge',
		'fastdeploy:infer_latency 3.5',
		'',
	].join('\n');
}

/** The 2.3 fixture plus the newest families. */
export function newestText(scale = 1): string {
	const base = readFileSync(new URL('../fixtures/fastdeploy-2.3.txt', import.meta.url), 'utf8');
	return `${base.endsWith('\n') ? base : `${base}\n`}${newestFamilies(scale)}`;
}
