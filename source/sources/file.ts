/** A saved exposition (`curl …/metrics > metrics.txt`, or `-` for standard input): one snapshot. */
import {readFile} from 'node:fs/promises';
import type {Clock, Scrape, Source} from './types.js';
import {systemClock} from './types.js';

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

export class FileSource implements Source {
	#cached: Promise<Scrape> | undefined;

	constructor(
		readonly target: string,
		private readonly clock: Clock = systemClock,
	) {}

	scrape(): Promise<Scrape> {
		// The file is one moment in time: read it once, hand out the same scrape.
		this.#cached ??= this.#read();
		return this.#cached;
	}

	async #read(): Promise<Scrape> {
		const started = this.clock.now();
		try {
			const text = this.target === '-' ? await readStdin() : await readFile(this.target, 'utf8');
			return {target: this.target, t: this.clock.now(), text, durationMs: this.clock.now() - started, bytes: Buffer.byteLength(text)};
		} catch (error) {
			const code = (error as {code?: string}).code;
			const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a file' : (error as Error).message;
			return {target: this.target, t: this.clock.now(), error: `${this.target}: ${reason}`, durationMs: 0, bytes: 0};
		}
	}

	async close(): Promise<void> {}
}
