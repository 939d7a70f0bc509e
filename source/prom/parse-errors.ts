/**
 * How a parse error names what it found: a clipped name or value, and the char where the grammar
 * stopped. The messages themselves sit where each rule fails (line-grammar.ts); the parser keeps
 * the first one and counts the skipped lines (parse.ts).
 */

export function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function describe(text: string, p: number, end: number): string {
	return p >= end ? 'end of line' : JSON.stringify(text.charAt(p));
}
