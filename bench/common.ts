/** Shared bits of the benchmarks: machine line, markdown tables, statistics. */
import {readFileSync} from 'node:fs';
import {cpus} from 'node:os';

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** `nproc`, CPU model and node version, for the header of every benchmark. */
export function machine(): string {
	let model = cpus()[0]?.model ?? 'unknown CPU';
	try {
		const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
		if (m) model = m[1]!.trim();
	} catch {
		// not Linux
	}
	return `Machine: ${cpus().length} CPUs (${model}), node ${process.version}, ${process.platform}/${process.arch}. Shared machine: figures are noisy.`;
}

export function median(xs: readonly number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
	const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
	return [line(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
