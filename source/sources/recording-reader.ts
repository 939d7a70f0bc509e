/**
 * The recording format and its reader: a header line, then one JSON line per scrape with the raw
 * exposition text (or the error); `.gz` names are gzip streams. Read lazily, line by line, so a
 * torn end (a killed fdtop) replays up to its last whole line. The writer is recording.ts, which
 * also re-exports every name here.
 */
import {createReadStream} from 'node:fs';
import type {Readable, TransformOptions} from 'node:stream';
import zlib from 'node:zlib';

export const RECORDING_FORMAT = 1;

export interface RecordingHeader {
	readonly fdtopRecording: number;
	readonly createdAt: string;
	readonly fdtop: string;
	readonly targets: readonly {readonly name: string; readonly target: string}[];
	readonly intervalMs: number;
}

export interface RecordedScrape {
	/** Index into the header's targets. */
	readonly i: number;
	readonly t: number;
	readonly target: string;
	readonly text?: string;
	readonly error?: string;
	readonly durationMs: number;
	readonly bytes: number;
}

export class RecordingError extends Error {}

export interface RecordingReadResult {
	readonly header: RecordingHeader;
	readonly records: AsyncIterable<RecordedScrape>;
	/** Filled in as records are read: lines that were not whole JSON (a torn end). */
	readonly stats: {tornLines: number};
	/** Stop reading early (the file is closed by itself once every record has been read). */
	close(): void;
}

/** Bytes of decompressed text per zlib job (each job is one round trip to the thread pool). */
const GUNZIP_CHUNK = 256 * 1024;
/**
 * Decompressed bytes buffered ahead of the reader. At the default (below one chunk) gunzip paused
 * after every chunk, so the thread pool inflated only while the reader waited for it; a few chunks
 * ahead, inflating overlaps with parsing (replay: idle main thread ~30 → ~15 µs per scrape).
 */
const GUNZIP_AHEAD = 4 * GUNZIP_CHUNK;

/**
 * A recording's lines, split on the raw bytes: `\n`, `\r\n` and a lone `\r` end a line, as
 * readline does (JSON.stringify never writes a raw CR or LF, so in practice only `\n` occurs).
 * Each line is decoded once from its own bytes, so a character split between chunks is whole.
 */
export async function* splitLines(input: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
	let pending: Buffer[] = [];
	for await (const data of input) {
		const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
		let from = 0;
		for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
			let line: string;
			if (pending.length === 0) {
				line = chunk.toString('utf8', from, nl);
			} else {
				pending.push(chunk.subarray(from, nl));
				line = Buffer.concat(pending).toString('utf8');
				pending = [];
			}
			from = nl + 1;
			yield* crSplit(line, true);
		}
		if (from < chunk.length) pending.push(from === 0 ? chunk : chunk.subarray(from));
	}
	if (pending.length > 0) yield* crSplit(Buffer.concat(pending).toString('utf8'), false);
}

/** A line (or the text after the last newline) that holds a CR is several lines to readline. */
function crSplit(text: string, ended: boolean): string[] {
	if (!text.includes('\r')) return ended || text.length > 0 ? [text] : [];
	// A CR ends a line (CRLF is one ending); text that ends in a CR has no empty line after it.
	return (text.endsWith('\r') ? text.slice(0, -1) : text).split('\r');
}

function openLines(path: string): {lines: AsyncIterable<string>; close(): void} {
	const file = createReadStream(path);
	// A gzip stream cut short (fdtop killed mid-write) still yields everything flushed so far.
	// Stream options pass through to the Transform underneath (ZlibOptions does not declare them).
	const gunzip: zlib.ZlibOptions & TransformOptions = {finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: GUNZIP_CHUNK, readableHighWaterMark: GUNZIP_AHEAD};
	const input: Readable = isGzipPath(path) ? file.pipe(zlib.createGunzip(gunzip)) : file;
	// A read error ends the iteration with that error (for-await on the stream throws it).
	file.on('error', error => {
		if (input !== file) input.destroy(error);
	});
	return {
		lines: splitLines(input),
		close() {
			input.destroy();
			file.destroy();
		},
	};
}

function isRecord(value: unknown): value is RecordedScrape {
	const r = value as RecordedScrape;
	return typeof r === 'object' && r !== null && Number.isInteger(r.i) && Number.isFinite(r.t) && typeof r.target === 'string' && (typeof r.text === 'string' || typeof r.error === 'string');
}

/** Read a recording lazily (a 24-hour one never sits in memory whole). */
export async function readRecording(path: string): Promise<RecordingReadResult> {
	const opened = openLines(path);
	const lines = opened.lines[Symbol.asyncIterator]();
	let first: IteratorResult<string>;
	try {
		first = await lines.next();
	} catch (error) {
		opened.close();
		throw new RecordingError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}
	let header: RecordingHeader;
	try {
		header = JSON.parse(first.done ? '' : first.value) as RecordingHeader;
	} catch {
		opened.close();
		throw new RecordingError(`${path}: not an fdtop recording (the first line is not a JSON header); record one with fdtop --record FILE`);
	}
	if (header?.fdtopRecording !== RECORDING_FORMAT || !Array.isArray(header.targets)) {
		opened.close();
		throw new RecordingError(`${path}: not an fdtop recording of format ${RECORDING_FORMAT}`);
	}
	const stats = {tornLines: 0};
	const records = {
		async *[Symbol.asyncIterator]() {
			for (;;) {
				let next: IteratorResult<string>;
				try {
					next = await lines.next();
				} catch {
					stats.tornLines++;
					return;
				}
				if (next.done) return;
				if (next.value.trim() === '') continue;
				let value: unknown;
				try {
					value = JSON.parse(next.value);
				} catch {
					stats.tornLines++;
					continue;
				}
				if (isRecord(value) && value.i < header.targets.length) yield value;
				else stats.tornLines++;
			}
		},
	};
	return {header, records, stats, close: opened.close};
}

/** Read a whole recording into memory (tests, export of short recordings). */
export async function readAllRecords(path: string): Promise<{header: RecordingHeader; records: RecordedScrape[]; tornLines: number}> {
	const {header, records, stats} = await readRecording(path);
	const all: RecordedScrape[] = [];
	for await (const r of records) all.push(r);
	return {header, records: all, tornLines: stats.tornLines};
}

export function isGzipPath(path: string): boolean {
	return /\.gz$/i.test(path);
}

