/** The bundled demo recordings (made by demo/make-recordings.ts from the simulator). */
import {existsSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const DIRECTORY = fileURLToPath(new URL('../demo/recordings/', import.meta.url));
export const DEFAULT_DEMO = 'burst-2.3';

export function demoNames(): string[] {
	if (!existsSync(DIRECTORY)) return [];
	return readdirSync(DIRECTORY)
		.filter(f => f.endsWith('.jsonl.gz'))
		.map(f => f.replace(/\.jsonl\.gz$/, ''))
		.sort();
}

/** The file of a demo by name ('' = the default); undefined when there is no such demo. */
export function demoFile(name: string): {name: string; file: string} | undefined {
	const wanted = name === '' ? DEFAULT_DEMO : name;
	const names = demoNames();
	const match = names.includes(wanted) ? wanted : names.find(n => n.startsWith(`${wanted}-`));
	return match ? {name: match, file: `${DIRECTORY}${match}.jsonl.gz`} : undefined;
}
