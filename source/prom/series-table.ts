/**
 * Duplicate-series detection for one parse: a sample's identity is its name and label text as
 * written, kept as offsets into the scrape.
 */
import type {FamilyBuilder} from './families.js';

/**
 * A series key's fingerprint from its length, the first twelve chars of its label block and its
 * last twelve chars: one family's series differ in their label values, which sit at either end
 * (`le` first or last, a pid or a path last). Keys that differ only in the middle share a print
 * and are told apart by comparing them. `full` reads every char instead (see SeriesTable's
 * fallback). Equal text gives equal prints (`block` is where the label block's text starts, or
 * `to` without labels: the same offset in equal keys).
 */
function fingerprint(s: string, from: number, block: number, to: number, full: boolean): number {
	let h = to - from;
	if (full) {
		for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
	} else {
		const head = Math.min(block + 12, to);
		for (let i = block; i < head; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
		for (let i = Math.max(head, to - 12); i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b);
	}
	return (h ^ (h >>> 15)) & 0x3fffffff;
}

function sameRange(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): boolean {
	if (aTo - aFrom !== bTo - bFrom) return false;
	if (a === b && aFrom === bFrom) return true;
	for (let i = aTo - aFrom - 1; i >= 0; i--) if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
	return true;
}

/** More equal prints than this on one probe means the sampled fingerprint is being defeated. */
const MAX_EQUAL_PRINTS = 8;

/**
 * Series identity (the sample's name and label text as written, kept as offsets into the scrape,
 * so a sample costs no key string) → where its sample is: one open-addressing table per parse.
 * Keys are compared in full on equal prints. If sampled prints collide too often (hostile text
 * built to defeat them), every print is recomputed from all chars once, so work stays linear.
 */
export class SeriesTable {
	private slots: Int32Array; // entry + 1; 0 = empty
	private full = false;
	private readonly source: string[] = [];
	private readonly from: number[] = [];
	private readonly block: number[] = [];
	private readonly to: number[] = [];
	private readonly print: number[] = [];
	readonly family: FamilyBuilder[] = [];
	/** Index of the entry's sample in its family's `samples`. */
	readonly index: number[] = [];

	/** Sized for a line per ~40 chars of text at most half full, so most scrapes never rehash. */
	constructor(textLength: number) {
		let size = 1024;
		while (size < textLength / 20 && size < 1 << 20) size *= 2;
		this.slots = new Int32Array(size);
	}

	/** The entry with this key in `family`, or the negative slot (minus one) to insert it at. */
	find(family: FamilyBuilder, source: string, from: number, block: number, to: number): number {
		const print = (fingerprint(source, from, block, to, this.full) ^ Math.imul(family.id, 0x27d4eb2f)) & 0x3fffffff;
		const mask = this.slots.length - 1;
		let equalPrints = 0;
		for (let slot = print & mask; ; slot = (slot + 1) & mask) {
			const e = this.slots[slot]! - 1;
			if (e < 0) {
				this.pendingPrint = print;
				return -slot - 1;
			}
			if (this.print[e] === print) {
				if (this.family[e] === family && sameRange(this.source[e]!, this.from[e]!, this.to[e]!, source, from, to)) return e;
				if (++equalPrints > MAX_EQUAL_PRINTS && !this.full) {
					this.full = true;
					this.rehash(this.slots.length);
					return this.find(family, source, from, block, to);
				}
			}
		}
	}

	private pendingPrint = 0;

	/** Adds the key `find` just missed (`at` is what it returned); returns the new entry. */
	add(at: number, family: FamilyBuilder, source: string, from: number, block: number, to: number, index: number): number {
		const e = this.print.length;
		this.source.push(source);
		this.from.push(from);
		this.block.push(block);
		this.to.push(to);
		this.print.push(this.pendingPrint);
		this.family.push(family);
		this.index.push(index);
		this.slots[-at - 1] = e + 1;
		if (2 * (e + 1) > this.slots.length) this.rehash(this.slots.length * 2);
		return e;
	}

	/** Key of an entry, to re-add it elsewhere (adoption by a later TYPE). */
	key(e: number): [string, number, number, number] {
		return [this.source[e]!, this.from[e]!, this.block[e]!, this.to[e]!];
	}

	private rehash(size: number): void {
		const slots = new Int32Array(size);
		const mask = size - 1;
		for (let e = 0; e < this.print.length; e++) {
			if (this.full) this.print[e] = (fingerprint(this.source[e]!, this.from[e]!, this.block[e]!, this.to[e]!, true) ^ Math.imul(this.family[e]!.id, 0x27d4eb2f)) & 0x3fffffff;
			let slot = this.print[e]! & mask;
			while (slots[slot] !== 0) slot = (slot + 1) & mask;
			slots[slot] = e + 1;
		}
		this.slots = slots;
	}
}
