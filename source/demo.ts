/** The bundled demo recordings (made by demo/make-recordings.ts from the simulator). */
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const DIRECTORY = fileURLToPath(new URL('../demo/recordings/', import.meta.url));
export const DEFAULT_DEMO = 'burst-2.3';

/**
 * The recordings carried inside a single-file build (release/fdtop-*.mjs and the single executable,
 * scripts/dist.mjs), which has no demo/ beside it: set by that build's first lines, before this runs.
 */
interface EmbeddedDemos {
	readonly names: readonly string[];
	read(name: string): Uint8Array;
}
const embedded = (globalThis as {[key: symbol]: EmbeddedDemos | undefined})[Symbol.for('fdtop.demos')];

export function demoNames(): string[] {
	if (embedded) return [...embedded.names].sort();
	if (!existsSync(DIRECTORY)) return [];
	return readdirSync(DIRECTORY)
		.filter(f => f.endsWith('.jsonl.gz'))
		.map(f => f.replace(/\.jsonl\.gz$/, ''))
		.sort();
}

/** An embedded recording as a file the replay can read (and reopen, looping): a private temp directory, removed at exit. */
function embeddedFile(name: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'fdtop-demo-'));
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	const file = join(dir, `${name}.jsonl.gz`);
	writeFileSync(file, embedded!.read(name), {mode: 0o600});
	return file;
}

/** The file of a demo by name ('' = the default); undefined when there is no such demo. */
export function demoFile(name: string): {name: string; file: string} | undefined {
	const wanted = name === '' ? DEFAULT_DEMO : name;
	const names = demoNames();
	const match = names.includes(wanted) ? wanted : names.find(n => n.startsWith(`${wanted}-`));
	if (!match) return undefined;
	return {name: match, file: embedded ? embeddedFile(match) : `${DIRECTORY}${match}.jsonl.gz`};
}
