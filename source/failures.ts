/**
 * The targets a report could not read, as a few lines for stderr: grouped by cause, so ten thousand
 * refused connections make one line (`9,800 down: connection refused (a, b, c … and 9,797 more)`)
 * rather than ten thousand. A cause shared by a few targets keeps one line per target, naming each.
 * Pure: statuses in, escaped lines out (the caller prefixes `fdtop: `).
 */
import type {TargetState, TargetStatus} from './store.js';
import {inert} from './text.js';

export interface FailureSummaryOptions {
	/** A cause shared by at most this many targets gets one line per target. */
	readonly eachUpTo?: number;
	/** Targets named in a summary line before `… and N more`. */
	readonly names?: number;
	/** Lines at most; the causes beyond are counted on one last line. */
	readonly maxLines?: number;
	/** Filled with the targets whose cause the lines state (all but those counted on the last line). */
	readonly stated?: Set<TargetStatus>;
}

interface Group {
	readonly state: TargetState;
	readonly cause: string;
	readonly targets: TargetStatus[];
}

const count = (n: number) => n.toLocaleString('en-US');

/** What went wrong, without the target's own location in front (the error names it, the summary does not need to). */
function causeOf(t: TargetStatus): string {
	const error = t.error ?? 'not read';
	const prefix = `${t.location}: `;
	return error.startsWith(prefix) ? error.slice(prefix.length) : error;
}

export function failureLines(targets: readonly TargetStatus[], options: FailureSummaryOptions = {}): string[] {
	const eachUpTo = options.eachUpTo ?? 3;
	const names = options.names ?? 3;
	const maxLines = Math.max(2, options.maxLines ?? 20);
	const groups = new Map<string, Group>();
	for (const t of targets) {
		if (t.state === 'up') continue;
		const cause = causeOf(t);
		const key = `${t.state}\u0000${cause}`;
		let group = groups.get(key);
		if (!group) groups.set(key, (group = {state: t.state, cause, targets: []}));
		group.targets.push(t);
	}
	// The commonest cause first; equal counts keep the order of the targets.
	const ordered = [...groups.values()].sort((a, b) => b.targets.length - a.targets.length);
	const lines: string[] = [];
	for (let g = 0; g < ordered.length; g++) {
		const group = ordered[g]!;
		const n = group.targets.length;
		const needed = n <= eachUpTo ? n : 1;
		// Room is kept for the closing `… and N more` line while causes remain after this one.
		if (lines.length + needed + (g < ordered.length - 1 ? 1 : 0) > maxLines) {
			const rest = ordered.slice(g);
			const left = rest.reduce((sum, r) => sum + r.targets.length, 0);
			lines.push(`… and ${count(left)} more target${left === 1 ? '' : 's'} not up, with ${count(rest.length)} other cause${rest.length === 1 ? '' : 's'}`);
			break;
		}
		for (const t of group.targets) options.stated?.add(t);
		if (n <= eachUpTo) {
			for (const t of group.targets) lines.push(inert(t.error ?? `${t.location}: not read`));
			continue;
		}
		const shown = group.targets.slice(0, names).map(t => inert(t.name));
		lines.push(`${count(n)} ${group.state}: ${inert(group.cause)} (${shown.join(', ')} … and ${count(n - shown.length)} more)`);
	}
	return lines;
}
