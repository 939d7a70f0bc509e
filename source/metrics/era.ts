/**
 * Which FastDeploy version a scrape comes from, as evidence rather than a label. Each signal of
 * the reference (shared/reference/fastdeploy-metrics.md §3 Mode A/B, §4.1–4.5, §6) says which
 * versions it is consistent with and how much it weighs:
 *
 * - DECISIVE (3): the code makes the other versions impossible (`_created` samples exist only in
 *   the in-memory exposition of 2.0–2.2; `http_*` and ZMQ families arrived with 2.3; the newest
 *   families with 2.4+; a prefill histogram that stays empty while TTFT counts is 2.0–2.2).
 * - STRONG (2): the other versions need an unusual set-up (a multiprocess exposition from 2.0–2.2
 *   with a hand-set PROMETHEUS_MULTIPROC_DIR; a 2.1 patch release with 2.2 metrics back-ported).
 * - HINT (1): a tendency, which only breaks ties (no speculative-decoding metrics on a full 2.0
 *   set: 2.1 shows them only when speculative decoding runs).
 *
 * Each version is scored by the weight of the signals against it. The version with the least
 * against it is the guess when it is the only one: `certain` when nothing strong speaks against it
 * and every other version is ruled out by strong or decisive signals, `likely` otherwise. When
 * several versions are equally possible the era is null and the confidence `unknown`, with the
 * evidence saying what is known. Pure: the parsed families and their snapshot in, a guess out.
 */
import type {Family, ParseResult} from '../prom/types.js';
import type {Snapshot} from './snapshot.js';
import {minOf} from '../arrays.js';
import {enText} from '../i18n/en-text.js';
import type {Messages} from '../i18n/en.js';

/** The words of the version evidence, in one language (the catalogs' `era` section). */
export type EraWords = Messages['era'];
/** One line of evidence, worded in a language: the --once text and Explain word it in theirs; `evidence` holds the English (--json). */
export type EraSay = (w: EraWords) => string;
const EN: EraWords = enText.era;

export type Era = '2.0' | '2.1' | '2.2' | '2.3' | '2.4+';
/** The eras fdtop knows, oldest first (also the values `--era` takes). */
export const ERAS: readonly Era[] = ['2.0', '2.1', '2.2', '2.3', '2.4+'];
/** `given`: set with `--era`, not guessed. */
export type EraConfidence = 'certain' | 'likely' | 'unknown' | 'given';

export interface EraGuess {
	/** The version, or null when the evidence leaves several equally possible (or there is none). */
	readonly era: Era | null;
	readonly confidence: EraConfidence;
	/** The signals seen, each with the versions it points at (fdtop's own words, no server text), in English. */
	readonly evidence: readonly string[];
	/** The same lines, to be worded in any language (`say(msgs(lang).era)`). */
	readonly says: readonly EraSay[];
}

export const NO_ERA: EraGuess = {era: null, confidence: 'unknown', evidence: [], says: []};

const DECISIVE = 3;
const STRONG = 2;
const HINT = 1;

interface Signal {
	readonly say: EraSay;
	/** The eras this signal is consistent with. */
	readonly eras: readonly Era[];
	readonly weight: number;
}

const from = (era: Era): Era[] => ERAS.slice(ERAS.indexOf(era));
const upTo = (era: Era): Era[] => ERAS.slice(0, ERAS.indexOf(era) + 1);

const P = 'fastdeploy:';
/** The main-process METRICS of v2.0.0 (§4.1): always written by 2.0–2.2 and by 2.3's collector. */
const CORE_20 = [
	'num_requests_running', 'num_requests_waiting', 'time_to_first_token_seconds', 'time_per_output_token_seconds',
	'request_inference_time_seconds', 'request_queue_time_seconds', 'gpu_cache_usage_perc', 'generation_tokens_total',
	'request_prefill_time_seconds', 'request_decode_time_seconds', 'request_generation_tokens', 'request_success_total',
].map(n => P + n);
/** Added 2025-08-30 … 09-08 (§4.2), unlabelled, so always written from 2.2 on. */
const ADDED_22 = [
	'batch_size', 'max_batch_size', 'available_gpu_block_num', 'free_gpu_block_num', 'max_gpu_block_num', 'available_gpu_resource',
	'requests_number_total', 'send_cache_failed_num_total', 'prefix_cache_token_num_total', 'prefix_gpu_cache_token_num_total',
	'prefix_cpu_cache_token_num_total', 'prefix_ssd_cache_token_num_total', 'cache_config_info', 'available_batch_size',
	'hit_req_rate', 'hit_token_rate', 'cpu_hit_token_rate', 'gpu_hit_token_rate', 'first_token_latency', 'infer_latency',
].map(n => P + n);
/** Of those, the ones every 2.2+ build writes (first_token_latency and infer_latency come and go). */
const CORE_22 = ADDED_22.slice(0, 8);
/** After the 2.3 code (§4.4, §4.5): PR #5798, #6405, #6390, #7856. */
const ADDED_24 = [
	'request_preempted_total', 'num_requests_enqueued', 'num_requests_preempted', 'request_token_ratio',
	'prefix_storage_cache_token_num_total', 'max_cpu_block_num', 'free_cpu_block_num',
].map(n => P + n);
/** Observed in the API processes (work_metrics.py): multiprocess-shaped in 2.0–2.2 with --workers > 1. */
const WORK = new Set(['e2e_request_latency_seconds', 'request_params_max_tokens', 'prompt_tokens_total', 'request_prompt_tokens'].map(n => P + n));
const SPEC = `${P}spec_decode_`;
const ZMQ = `${P}zmq:`;

function short(name: string): string {
	return name.startsWith(P) ? name.slice(P.length) : name;
}

function list(w: EraWords, names: readonly string[], max = 3): string {
	return w.list(names.slice(0, max).map(short).join(w.sep), Math.max(0, names.length - max));
}

/** Eras as a range, `2.0–2.2`, `2.3+`, or one version. */
export function eraRange(eras: readonly Era[]): string {
	if (eras.length === 0) return 'none';
	const first = eras[0]!;
	const last = eras.at(-1)!;
	if (first === last) return first;
	if (last === '2.4+') return `${first}+`;
	return `${first}–${last}`;
}

function histogramHasSumFirst(family: Family): boolean {
	for (const s of family.samples) {
		if (s.name.endsWith('_bucket')) return false;
		if (s.name.endsWith('_sum')) return true;
	}
	return false;
}

function lifetime(snapshot: Snapshot, key: string): {count: number; mean: number} | null {
	const m = snapshot.metrics.get(key);
	if (m?.kind !== 'histogram' || !Number.isFinite(m.hist.count) || !Number.isFinite(m.hist.sum)) return null;
	return {count: m.hist.count, mean: m.hist.count > 0 ? m.hist.sum / m.hist.count : Number.NaN};
}

/**
 * What a scrape's shape says (names, types, HELP, labels, sample order): the same for every scrape
 * of one shape, so the store computes it once per shape. Guesses are memoised on it by what the
 * values add (see valueSignals).
 */
export interface EraShape {
	readonly signals: readonly Signal[];
	readonly guesses: Map<string, EraGuess>;
}

/** The signals of the shape of one scrape (see the top of the file). */
export function eraShape(parsed: Pick<ParseResult, 'families' | 'createdSamples'>): EraShape {
	const signals: Signal[] = [];
	const byName = new Map<string, Family>();
	let help = false;
	let countersOrHistograms = 0;
	const sumFirst: string[] = [];
	const multiprocessHelp: string[] = [];
	const pidGauges: string[] = [];
	let specGaugeTotals = false;
	for (const family of parsed.families) {
		if (family.samples.length === 0) continue;
		byName.set(family.name, family);
		if (family.help !== '') help = true;
		if (!family.name.startsWith(P) && !family.name.startsWith('http_')) continue;
		if (family.type === 'counter' || family.type === 'histogram') countersOrHistograms++;
		const main = !WORK.has(family.name);
		if (main && family.type === 'histogram' && histogramHasSumFirst(family)) sumFirst.push(family.name);
		if (main && family.help === 'Multiprocess metric') multiprocessHelp.push(family.name);
		// The first series is enough (labels are decoded on first read: a huge family stays cheap).
		if (family.type === 'gauge' && family.samples[0]!.labels.pid !== undefined) pidGauges.push(family.name);
		if (family.type === 'gauge' && (family.name === `${SPEC}num_accepted_tokens_total` || family.name === `${SPEC}num_emitted_tokens_total`)) specGaugeTotals = true;
	}
	const has = (name: string) => byName.has(name);

	// §3: how the text was written.
	if (parsed.createdSamples > 0) {
		signals.push({say: w => w.created, eras: upTo('2.2'), weight: DECISIVE});
	} else {
		const marks: EraSay[] = [];
		if (sumFirst.length > 0) marks.push(w => w.sumFirst(list(w, sumFirst, 1)));
		if (multiprocessHelp.length > 0) marks.push(w => w.multiprocessHelp);
		if (pidGauges.length > 0) marks.push(w => w.pidGauges(list(w, pidGauges, 1)));
		// Only text that came straight from prometheus_client says anything by lacking `_created`
		// (fdtop's --prometheus rendering and most relays write no HELP and drop them).
		if (help && countersOrHistograms > 0) marks.unshift(w => w.noCreated);
		if (marks.length > 0) signals.push({say: w => w.multiprocess(marks.map(m => m(w)).join(w.sep)), eras: from('2.3'), weight: STRONG});
	}

	// §4: which families exist.
	const newest = ADDED_24.filter(has);
	if (newest.length > 0) signals.push({say: w => w.newest(list(w, newest)), eras: from('2.4+'), weight: DECISIVE});
	const http = ['http_requests_total', 'http_request_duration_seconds'].filter(has);
	if (http.length > 0) signals.push({say: w => w.added(list(w, http), '2.3'), eras: from('2.3'), weight: DECISIVE});
	const zmq = [...byName.keys()].filter(n => n.startsWith(ZMQ));
	if (zmq.length > 0) signals.push({say: w => w.zmq(list(w, zmq, 1)), eras: from('2.3'), weight: DECISIVE});
	const added22 = ADDED_22.filter(has);
	if (added22.length > 0) signals.push({say: w => w.added(list(w, added22), '2.2'), eras: from('2.2'), weight: STRONG});
	const spec = [...byName.keys()].filter(n => n.startsWith(SPEC));
	if (spec.length > 0) signals.push({say: w => w.spec(list(w, spec, 1)), eras: from('2.1'), weight: STRONG});
	if (specGaugeTotals) signals.push({say: w => w.specGauge, eras: from('2.3'), weight: HINT});
	const core20 = CORE_20.every(has);
	if (core20 && added22.length === 0) {
		signals.push({say: w => w.set20, eras: upTo('2.1'), weight: STRONG});
		if (spec.length === 0) signals.push({say: w => w.noSpec, eras: upTo('2.0'), weight: HINT});
	}
	if (core20 && CORE_22.every(has) && newest.length === 0) {
		signals.push({say: w => w.set22, eras: upTo('2.3'), weight: STRONG});
	} else if (has(`${P}generation_tokens_total`) && has(`${P}request_success_total`) && !has(`${P}request_preempted_total`)) {
		// The engine's counters are there, so its preemption counter (2.4+) would be too.
		signals.push({say: w => w.engineCounters, eras: upTo('2.3'), weight: HINT});
	}
	const prompt = byName.get(`${P}request_prompt_tokens`);
	if (prompt && prompt.help !== '' && prompt.help !== 'Multiprocess metric') {
		if (prompt.help.endsWith('.')) signals.push({say: w => w.helpPeriod, eras: upTo('2.2'), weight: HINT});
		else signals.push({say: w => w.helpNoPeriod, eras: from('2.3'), weight: HINT});
	}

	return {signals, guesses: new Map()};
}

const PREFILL_ZERO: Signal = {say: w => w.prefillZero, eras: upTo('2.2'), weight: DECISIVE};
const PREFILL_SEEN: Signal = {say: w => w.prefillSeen, eras: ['2.0', ...from('2.3')], weight: DECISIVE};
const QUEUE_ABOVE_TTFT: Signal = {say: w => w.queueAboveTtft, eras: upTo('2.2'), weight: STRONG};

/** What the values say (§4.3, §6: what the histograms measured), as a key: `z`/`p` prefill zero/seen, `q` queue above TTFT. */
function valueKey(snapshot: Snapshot): string {
	let key = '';
	const ttft = lifetime(snapshot, 'ttft');
	const prefill = lifetime(snapshot, 'prefillTime');
	if (ttft && prefill && ttft.count > 0) key += prefill.count === 0 ? 'z' : 'p';
	const queue = lifetime(snapshot, 'queueTime');
	if (ttft && queue && ttft.count >= 5 && queue.count >= 5 && queue.mean > ttft.mean * 1.05 + 0.005) key += 'q';
	return key;
}

function valueSignals(key: string): Signal[] {
	const signals: Signal[] = [];
	if (key.includes('z')) signals.push(PREFILL_ZERO);
	if (key.includes('p')) signals.push(PREFILL_SEEN);
	if (key.includes('q')) signals.push(QUEUE_ABOVE_TTFT);
	return signals;
}

/** Every signal of one scrape, shape and values. */
export function eraSignals(parsed: Pick<ParseResult, 'families' | 'createdSamples'>, snapshot: Snapshot): Signal[] {
	return [...eraShape(parsed).signals, ...valueSignals(valueKey(snapshot))];
}

/** The guess for one scrape; null era and `unknown` for other engines and too little evidence. */
export function guessEra(parsed: Pick<ParseResult, 'families' | 'createdSamples'>, snapshot: Snapshot, shape?: EraShape): EraGuess {
	if (snapshot.engine !== 'fastdeploy') return NO_ERA;
	const known = shape ?? eraShape(parsed);
	const key = valueKey(snapshot);
	let guess = known.guesses.get(key);
	if (guess === undefined) {
		guess = weigh([...known.signals, ...valueSignals(key)]);
		known.guesses.set(key, guess);
	}
	return guess;
}

function weigh(signals: readonly Signal[]): EraGuess {
	if (signals.length === 0) return withEvidence(null, 'unknown', [w => w.tooFew]);
	const says = signals.map(s => s.say);
	const against = (era: Era, minWeight: number) => signals.reduce((sum, s) => (s.weight >= minWeight && !s.eras.includes(era) ? sum + s.weight : sum), 0);
	const scores = ERAS.map(era => ({era, all: against(era, HINT), strong: against(era, STRONG)}));
	const best = minOf(scores.map(s => s.all));
	const candidates = scores.filter(s => s.all === best);
	if (candidates.length > 1) return withEvidence(null, 'unknown', [...says, w => w.couldBe(eraRange(candidates.map(c => c.era)))]);
	const guess = candidates[0]!;
	const others = scores.filter(s => s !== guess);
	const certain = guess.strong === 0 && others.every(s => s.strong >= STRONG);
	return withEvidence(guess.era, certain ? 'certain' : 'likely', says);
}

/**
 * Guesses by what they say, so that equal evidence is one object whichever store or scrape found
 * it: a guess carries its wording as functions, and two states built from the same scrapes (live
 * and replayed) must still compare equal. Few distinct guesses exist; the table is bounded anyway.
 */
const GUESSES = new Map<string, EraGuess>();

function withEvidence(era: Era | null, confidence: EraConfidence, says: readonly EraSay[]): EraGuess {
	const evidence = says.map(say => say(EN));
	const key = `${era}\u0000${confidence}\u0000${evidence.join('\u0000')}`;
	const known = GUESSES.get(key);
	if (known) return known;
	if (GUESSES.size >= 256) GUESSES.clear();
	const guess: EraGuess = {era, confidence, evidence, says};
	GUESSES.set(key, guess);
	return guess;
}

/** `--era` over the guess: the given version, with what the metrics said kept as evidence. */
export function givenEra(era: Era, guessed: EraGuess): EraGuess {
	const said = (w: EraWords) => (guessed.era === null ? w.aloneOpen : w.aloneSay(`${guessed.era}${guessed.confidence === 'certain' ? '' : '?'}`));
	return withEvidence(era, 'given', [w => w.given(era, said(w)), ...guessed.says]);
}

/** The era as shown after the engine: `2.3` when certain or given, `2.3?` when likely, '' when unknown. */
export function eraLabel(guess: Pick<EraGuess, 'era' | 'confidence'>): string {
	if (guess.era === null) return '';
	return guess.confidence === 'likely' ? `${guess.era}?` : guess.era;
}

/**
 * The words before a note that holds only for some versions: `FastDeploy 2.1: ` when certain,
 * `Assuming FastDeploy 2.1 (likely): `, `Assuming FastDeploy 2.1 (--era): `.
 */
export function eraAssumption(guess: Pick<EraGuess, 'era' | 'confidence'>, w: EraWords = EN): string {
	if (guess.era === null) return '';
	if (guess.confidence === 'certain') return w.sure(guess.era);
	return w.assuming(guess.era, guess.confidence === 'given' ? '--era' : w.confidence.likely);
}

/** The version a note assumes, short: `FastDeploy 2.1`, `FastDeploy 2.1?` (likely), `FastDeploy 2.1 (--era)`. */
export function eraName(guess: Pick<EraGuess, 'era' | 'confidence'>): string {
	if (guess.era === null) return 'FastDeploy';
	return `FastDeploy ${eraLabel(guess)}${guess.confidence === 'given' ? ' (--era)' : ''}`;
}

/** Before 2.3, TTFT is measured from inference start: it leaves out queueing and tokenisation. */
export function ttftExcludesQueue(era: Era | null): boolean {
	return era === '2.0' || era === '2.1' || era === '2.2';
}
