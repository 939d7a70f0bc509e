/**
 * The flight recorder: one JSON line per scrape with the raw exposition text (or the error), after
 * a header line. `.gz` names are gzip streams flushed per scrape, so a killed fdtop leaves a file
 * that replays up to its last whole line. Request headers (tokens) are never written. A write
 * error never passes unseen: the writer keeps it in its status, which the store and the exit show.
 */
import {constants, createReadStream, fstatSync} from 'node:fs';
import {lstat, open, readlink} from 'node:fs/promises';
import {Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import zlib from 'node:zlib';
import {redact, redactValues} from '../redact.js';
import {isGzipPath, readRecording, RECORDING_FORMAT, RecordingError, type RecordedScrape, type RecordingHeader} from './recording-reader.js';
import type {Scrape, Source} from './types.js';

// The format and the reader live in recording-reader.ts; their names are exported here too.
export {isGzipPath, readAllRecords, readRecording, RECORDING_FORMAT, RecordingError, splitLines} from './recording-reader.js';
export type {RecordedScrape, RecordingHeader, RecordingReadResult} from './recording-reader.js';

/** What a recording has done so far: the store carries it, the header and the exit message show it. */
export interface RecordingStatus {
	readonly file: string;
	/** Scrapes handed to the file in this run (before a failure). */
	readonly scrapes: number;
	/** Why recording stopped (`no space left on device (ENOSPC)`), or null while it works. */
	readonly error: string | null;
	/** This run continues an existing recording of the same targets. */
	readonly appended: boolean;
}

export interface WriterOptions {
	/** Sync-flush gzip after every scrape (default) so a killed fdtop loses nothing. */
	readonly flushEach?: boolean;
	/** gzip level (default zlib's). */
	readonly level?: number;
	/** Replace an existing file whatever it holds, and write through a symbolic link (--record-overwrite). */
	readonly overwrite?: boolean;
	/** Told whenever the status changes: after each scrape, on a failure, once closed. */
	readonly onStatus?: (status: RecordingStatus) => void;
	/** Write here instead of opening `path` (tests inject a stream that fails). */
	readonly stream?: Writable;
}

const REASONS: Readonly<Record<string, string>> = {
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'file too large',
	EIO: 'input/output error',
	EBADF: 'bad file descriptor',
	EROFS: 'read-only file system',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ESTALE: 'stale file handle',
	EPIPE: 'broken pipe',
	ENOENT: 'no such file or directory',
	ENOTDIR: 'a parent is not a directory',
	EISDIR: 'is a directory',
	ELOOP: 'is a symbolic link',
	EEXIST: 'was created by someone else meanwhile',
};

/** A file error in words, with its code: `no space left on device (ENOSPC)`. */
export function fileErrorText(error: unknown): string {
	const code = (error as NodeJS.ErrnoException)?.code;
	if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
	return error instanceof Error ? error.message : String(error);
}

/** What to do about a failed recording, by cause. */
function advice(error: string): string {
	if (/ENOSPC|EDQUOT|EFBIG/.test(error)) return 'free some space or record elsewhere';
	if (/deleted/.test(error)) return 'record into a directory nothing removes';
	return 'check the disk, or record elsewhere';
}

const DELETED = 'the file was deleted while recording (what it held is gone)';

/** How to open the file: a new one, a fresh start, or the end of an existing recording. */
interface OpenPlan {
	readonly flags: number | string;
	readonly append: boolean;
	/** The existing recording does not end with a line break (cut short): start with one. */
	readonly lead: string;
}

const {O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW} = constants;

function refuse(path: string, what: string): RecordingError {
	return new RecordingError(`--record ${path}: ${what}; record to a new file, or pass --record-overwrite to replace it`);
}

/**
 * Never clobber what is not ours: a new file is created exclusively, a symbolic link is refused
 * (a link planted in a shared directory must not turn a recording into an overwrite of its
 * target), an existing non-empty file is appended to only when it is a whole fdtop recording of
 * the same targets. Devices and pipes (/dev/null) are written as they are.
 */
async function planOpen(path: string, header: RecordingHeader, overwrite: boolean): Promise<OpenPlan> {
	let stat;
	try {
		stat = await lstat(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, append: false, lead: ''};
		throw new RecordingError(`--record ${path}: ${fileErrorText(error)}`);
	}
	if (stat.isSymbolicLink()) {
		if (overwrite) return {flags: 'w', append: false, lead: ''};
		const to = await readlink(path).catch(() => '?');
		throw new RecordingError(`--record ${path}: is a symbolic link (to ${to}); fdtop does not record through links. Record to the real path, or pass --record-overwrite to write where it points`);
	}
	if (!stat.isFile()) return {flags: 'w', append: false, lead: ''};
	if (overwrite || stat.size === 0) return {flags: O_WRONLY | O_TRUNC | O_NOFOLLOW, append: false, lead: ''};
	return {flags: O_WRONLY | O_APPEND | O_NOFOLLOW, append: true, lead: await checkAppendable(path, header)};
}

/** An existing file may be continued only if it is a whole recording of these targets; returns the line break it lacks, if any. */
async function checkAppendable(path: string, header: RecordingHeader): Promise<string> {
	let existing: RecordingHeader;
	try {
		const read = await readRecording(path);
		read.close();
		existing = read.header;
	} catch {
		throw refuse(path, `exists and is not an fdtop recording of format ${RECORDING_FORMAT}; fdtop will not overwrite it`);
	}
	const theirs = existing.targets.map(t => t?.target);
	const ours = header.targets.map(t => t.target);
	if (theirs.length !== ours.length || theirs.some((t, i) => t !== ours[i])) {
		const list = theirs.slice(0, 3).join(', ') + (theirs.length > 3 ? ` and ${theirs.length - 3} more` : '');
		throw refuse(path, `already records other targets (${list}); appending would mix them`);
	}
	// The whole file must read to its end: a gzip stream cut short cannot be continued (a new
	// member after a torn one is unreadable), and a torn last line needs a line break after it.
	let last = 10;
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			if (chunk.length > 0) last = chunk[chunk.length - 1]!;
			done();
		},
	});
	try {
		if (isGzipPath(path)) await pipeline(createReadStream(path), zlib.createGunzip(), sink);
		else await pipeline(createReadStream(path), sink);
	} catch (error) {
		if (isGzipPath(path)) throw refuse(path, 'the recording there was cut short (fdtop killed?) and a gzip stream cannot be continued');
		throw new RecordingError(`--record ${path}: ${fileErrorText(error)}`);
	}
	return last === 10 ? '' : '\n';
}

export class RecordingWriter {
	readonly #file: Writable;
	/** The file's descriptor, to notice the file being deleted under us (writes to it would still succeed). */
	readonly #fd: number | undefined;
	readonly #gzip: zlib.Gzip | undefined;
	readonly #onStatus: ((status: RecordingStatus) => void) | undefined;
	readonly #appended: boolean;
	#closed = false;
	#scrapes = 0;
	#error: string | null = null;

	readonly #flushEach: boolean;

	private constructor(readonly path: string, header: RecordingHeader, options: WriterOptions, file: Writable, fd: number | undefined, plan: OpenPlan) {
		this.#flushEach = options.flushEach ?? true;
		this.#onStatus = options.onStatus;
		this.#appended = plan.append;
		this.#file = file;
		this.#fd = fd;
		// Every write error lands here (an error event with no listener would kill fdtop, and a
		// listener that only logs would lose the recording without a word).
		this.#file.on('error', error => this.#fail(fileErrorText(error)));
		if (isGzipPath(path)) {
			this.#gzip = zlib.createGzip({level: options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION});
			this.#gzip.on('error', error => this.#fail(fileErrorText(error)));
			this.#gzip.pipe(this.#file);
		}
		// An appended .gz gets a new gzip member (concatenated members are one valid gzip stream).
		if (plan.lead) this.#write(plan.lead);
		if (!plan.append) this.#write(`${JSON.stringify(header)}\n`);
	}

	/**
	 * Open a recording file: a new one, or the end of an existing recording of the same targets.
	 * Fails with a clear RecordingError when the file cannot or must not be written.
	 */
	static async open(path: string, header: RecordingHeader, options: WriterOptions = {}): Promise<RecordingWriter> {
		if (options.stream) return new RecordingWriter(path, header, options, options.stream, undefined, {flags: 'w', append: false, lead: ''});
		const plan = await planOpen(path, header, options.overwrite ?? false);
		let handle;
		try {
			handle = await open(path, plan.flags, 0o600);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// O_NOFOLLOW: a link put there since the check.
			if (code === 'ELOOP') throw new RecordingError(`--record ${path}: is a symbolic link; fdtop does not record through links. Record to the real path, or pass --record-overwrite to write where it points`);
			if (code === 'EEXIST') throw refuse(path, 'was created by something else while fdtop opened it');
			throw new RecordingError(`--record ${path}: ${fileErrorText(error)}`);
		}
		const regular = (await handle.stat()).isFile();
		// The stream owns the handle now and closes it.
		const file = handle.createWriteStream();
		return new RecordingWriter(path, header, options, file, regular ? handle.fd : undefined, plan);
	}

	get status(): RecordingStatus {
		return {file: this.path, scrapes: this.#scrapes, error: this.#error, appended: this.#appended};
	}

	/** The line to print when recording failed: which file, after how much, why, and what to do. */
	get failureMessage(): string | null {
		if (this.#error === null) return null;
		return `--record ${this.path}: recording failed after ${this.#scrapes} scrape${this.#scrapes === 1 ? '' : 's'}: ${this.#error}; the recording is incomplete: ${advice(this.#error)}`;
	}

	#fail(reason: string): void {
		if (this.#error !== null) return;
		this.#error = reason;
		// Stop: nothing more is buffered for a file that cannot take it.
		this.#gzip?.unpipe();
		this.#gzip?.destroy();
		this.#file.destroy();
		this.#onStatus?.(this.status);
	}

	#backlog = false;

	#write(line: string): void {
		if (this.#closed || this.#error !== null) return;
		if (this.#gzip) {
			this.#backlog = !this.#gzip.write(line) || this.#backlog;
			// A sync flush per scrape keeps the file decodable up to here if fdtop is killed.
			if (this.#flushEach) this.#gzip.flush(zlib.constants.Z_SYNC_FLUSH);
		} else {
			this.#backlog = !this.#file.write(line) || this.#backlog;
		}
	}

	/** Resolves once buffered data has been handed on (for writers producing faster than disk). */
	async drained(): Promise<void> {
		if (!this.#backlog) return;
		const stream = this.#gzip ?? this.#file;
		if (stream.writableNeedDrain && this.#error === null) {
			await new Promise<void>(resolve => {
				stream.once('drain', () => resolve());
				stream.once('close', () => resolve());
			});
		}
		this.#backlog = false;
	}

	append(index: number, scrape: Scrape): void {
		if (this.#closed || this.#error !== null) return;
		// On Linux a deleted file (or a removed directory) still takes writes through the open
		// descriptor, into nothing anyone can read: notice it.
		if (this.#fd !== undefined) {
			try {
				if (fstatSync(this.#fd).nlink === 0) return this.#fail(DELETED);
			} catch (error) {
				return this.#fail(fileErrorText(error));
			}
		}
		const record: RecordedScrape = {
			i: index,
			t: scrape.t,
			target: scrape.target,
			durationMs: scrape.durationMs,
			bytes: scrape.bytes,
			// A recording is pasted and shared: an error (a server's words) is redacted as a message is,
			// the raw exposition only of the configured secrets' values (its data is kept as sent).
			...(scrape.error === undefined ? {text: redactValues(scrape.text ?? '')} : {error: redact(scrape.error)}),
		};
		this.#write(`${JSON.stringify(record)}\n`);
		this.#scrapes++;
		this.#onStatus?.(this.status);
	}

	/** Finish the file; a failure while flushing the end is reported like any other. */
	async close(): Promise<void> {
		if (this.#closed) return;
		if (this.#error === null && this.#fd !== undefined) {
			try {
				if (fstatSync(this.#fd).nlink === 0) this.#fail(DELETED);
			} catch (error) {
				this.#fail(fileErrorText(error));
			}
		}
		this.#closed = true;
		const file = this.#file;
		if (!file.closed) {
			const done = new Promise<void>(resolve => file.once('close', () => resolve()));
			if (this.#error !== null) file.destroy();
			else if (this.#gzip) this.#gzip.end();
			else file.end();
			await done;
		}
		this.#onStatus?.(this.status);
	}
}

/** Wrap a source so every scrape it makes is also appended to a recording. */
export function recordingSource(source: Source, index: number, writer: RecordingWriter): Source {
	return {
		target: source.target,
		async scrape(signal) {
			const scrape = await source.scrape(signal);
			// A scrape cut short by fdtop's own exit (stop() aborts it) is not the endpoint's failure:
			// recording it would make the replay end on a bogus "cancelled" error.
			if (!signal?.aborted) writer.append(index, scrape);
			return scrape;
		},
		close: () => source.close(),
	};
}
