/**
 * "Did you mean": the nearest of a few known words to a misspelt one, by edit distance
 * (Damerau–Levenshtein, optimal string alignment: a swap of two neighbours is one edit). Shared by
 * unknown flags, unknown subcommands and unknown keys of the config file.
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
	const rows: number[][] = [];
	for (let i = 0; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			if (i === 0) {
				row.push(j);
				continue;
			}
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
			row.push(d);
		}
		rows.push(row);
	}
	return rows[a.length]![b.length]!;
}

/**
 * The known word nearest to `word` (case ignored), when it is near enough to be a slip: at most
 * one edit for words of up to four letters, two up to eight, three beyond; and only when no other
 * word is as near (two equally near words are no answer), so a suggestion is never a guess.
 */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
	const w = word.toLowerCase();
	const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
	let best: string | undefined;
	let bestDistance = Infinity;
	let tied = false;
	for (const candidate of known) {
		const d = editDistance(w, candidate.toLowerCase());
		if (d === 0 && candidate !== word) return candidate;
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
			tied = false;
		} else if (d === bestDistance && candidate !== best) tied = true;
	}
	return best !== undefined && bestDistance > 0 && bestDistance <= limit && !tied ? best : undefined;
}
