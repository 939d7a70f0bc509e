/** Small builders of exposition text for tests: numbers stated here, not computed by fdtop. */
export function histogramText(name: string, buckets: [string, number][], sum: number): string {
	const count = buckets.at(-1)![1];
	const lines = [`# TYPE ${name} histogram`];
	for (const [le, c] of buckets) lines.push(`${name}_bucket{le="${le}"} ${c}`);
	lines.push(`${name}_sum ${sum}`, `${name}_count ${count}`);
	return lines.join('\n');
}

export function counterText(name: string, value: number): string {
	return `# TYPE ${name} counter\n${name} ${value}`;
}

export function gaugeText(name: string, value: number): string {
	return `# TYPE ${name} gauge\n${name} ${value}`;
}

export const TTFT = 'fastdeploy:time_to_first_token_seconds';
export const GEN = 'fastdeploy:generation_tokens_total';
export const RUNNING = 'fastdeploy:num_requests_running';

/** `text` with the one unlabelled sample of gauge `name` replaced by `n` series `{pid="i"}` of `value(i)`. */
export function widenGauge(text: string, name: string, n: number, value: (i: number) => number): string {
	const at = text.indexOf(`\n${name} `);
	if (at === -1) throw new Error(`${name}: no unlabelled sample to widen`);
	const end = text.indexOf('\n', at + 1);
	const series: string[] = [];
	for (let i = 0; i < n; i++) series.push(`${name}{pid="${i}"} ${value(i)}`);
	return `${text.slice(0, at + 1)}${series.join('\n')}${text.slice(end)}`;
}
