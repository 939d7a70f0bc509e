/**
 * A recording → OpenMetrics text with timestamps and `# EOF`, ready for
 * `promtool tsdb create-blocks-from openmetrics`: an SSH debugging session becomes Prometheus history.
 * OpenMetrics wants each family's samples together, so samples are gathered per family first.
 */
import {formatGoFloat} from './prom/float.js';
import {parseExposition} from './prom/parse.js';
import type {Family, Labels} from './prom/types.js';
import type {RecordedScrape, RecordingHeader} from './sources/recording.js';

interface FamilyOut {
	readonly name: string;
	readonly type: string;
	readonly help: string;
	readonly lines: string[];
}

function escapeLabel(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra: Labels | undefined): string {
	const parts: string[] = [];
	for (const [k, v] of Object.entries(labels)) parts.push(`${k}="${escapeLabel(v)}"`);
	if (extra) for (const [k, v] of Object.entries(extra)) if (!(k in labels)) parts.push(`${k}="${escapeLabel(v)}"`);
	return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** The OpenMetrics family name and type for a parsed text-format family. */
function omFamily(family: Family): {name: string; type: string} {
	switch (family.type) {
		case 'counter':
			// OpenMetrics counters are declared without `_total` and their samples must carry it.
			if (family.samples.every(s => s.name.endsWith('_total'))) return {name: family.name.replace(/_total$/, ''), type: 'counter'};
			return {name: family.name, type: 'unknown'};
		case 'gauge':
		case 'histogram':
		case 'summary':
			return {name: family.name, type: family.type};
		case 'untyped':
			return {name: family.name, type: 'unknown'};
	}
}

export interface ExportStats {
	scrapes: number;
	samples: number;
	families: number;
	/** Failed scrapes (no text to export). */
	skippedScrapes: number;
	/** Records not after the previous one of their target (the recording's clock went back). */
	outOfOrder: number;
}

export async function exportOpenMetrics(header: RecordingHeader, records: AsyncIterable<RecordedScrape>, write: (chunk: string) => void): Promise<ExportStats> {
	const families = new Map<string, FamilyOut>();
	const several = header.targets.length > 1;
	const stats: ExportStats = {scrapes: 0, samples: 0, families: 0, skippedScrapes: 0, outOfOrder: 0};
	// OpenMetrics wants each series' timestamps to increase: per target, since the instance label
	// keeps targets' series apart.
	const lastT: number[] = [];
	for await (const record of records) {
		if (record.text === undefined) {
			stats.skippedScrapes++;
			continue;
		}
		const last = lastT[record.i];
		if (last !== undefined && record.t <= last) {
			stats.outOfOrder++;
			continue;
		}
		lastT[record.i] = record.t;
		stats.scrapes++;
		const timestamp = (record.t / 1000).toFixed(3);
		const extra = several ? {instance: header.targets[record.i]?.name ?? String(record.i)} : undefined;
		for (const family of parseExposition(record.text).families) {
			const {name, type} = omFamily(family);
			const key = `${name}\u0000${type}`;
			let out = families.get(key);
			if (!out) {
				out = {name, type, help: family.help, lines: []};
				families.set(key, out);
			}
			for (const sample of family.samples) {
				out.lines.push(`${sample.name}${labelText(sample.labels, extra)} ${formatGoFloat(sample.value)} ${timestamp}\n`);
				stats.samples++;
			}
		}
	}
	for (const family of families.values()) {
		write(`# TYPE ${family.name} ${family.type}\n`);
		if (family.help) write(`# HELP ${family.name} ${escapeHelp(family.help)}\n`);
		for (const line of family.lines) write(line);
		stats.families++;
	}
	write('# EOF\n');
	return stats;
}
