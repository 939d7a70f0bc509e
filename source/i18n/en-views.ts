/**
 * English messages of the SLO, Compare and Events views and of the alert strip: part of `en`
 * (spread into it at its end), kept apart so that neither file outgrows 420 lines. zh-views.ts
 * holds the Chinese, typed against the same `Messages`.
 */
export const enViews = {
	/** The SLO view (key 6) and the verdict strips on the Overview and the Fleet. */
	sloView: {
		none: "No objectives. Start fdtop with one or more, e.g. --slo 'ttft<=2s:99%' --slo 'e2e<=30s:95%'",
		noneMore: 'An objective is a histogram, a threshold and a share: ttft tpot e2e queue prefill decode inference (README: SLO).',
		head: (target: string, window: string) => `${target}  window ${window}`,
		columns: ['objective', 'attained', 'bounds', 'status'],
		burn: 'burn 5m/1h',
		/** `TTFT ≤ 2 s for 99 %`. */
		objective: (title: string, atMost: string, threshold: string, share: string) => `${title} ${atMost} ${threshold} for ${share}`,
		status: {met: 'met', breached: 'breached', unknown: 'unknown', tooFew: 'n too small', noData: 'no data'},
		estimate: (status: string) => `${status} (estimate)`,
		exact: 'exact',
		fast: 'FAST BURN',
		slow: 'slow burn',
		/** A burn cell while the history does not cover its window (the note under the table says how much it does). */
		waits: 'wait',
		waitNote: (covered: readonly string[]) => `wait: no burn until the history covers its window; it covers ${covered.join(', ')}`,
		coveredOf: (covered: string, window: string) => `${covered} of ${window}`,
		absent: (title: string) => `${title} is not exported by this target`,
		noWindow: 'one scrape so far: no window yet',
		noRequests: 'no requests in the window',
		tooFew: (n: number, min: number) => `${n} request${n === 1 ? '' : 's'} in the window: too few to judge (${min} or more)`,
		aboveTop: (title: string, top: string, threshold: string, under: string) => `${title} buckets stop at ${top}: ${threshold} cannot be judged; ${under} are under ${top}`,
		goodput: 'Goodput',
		goodputLine: (requests: string, tokens: string) => `${requests} req/s  ${tokens} tok/s met every objective`,
		goodputNote: '(a range: histograms do not say which request missed)',
		fleet: 'Fleet',
		legend: 'exact at bucket bounds; ≈ interpolated between bounds (bounds shown); ≥ above the top bucket',
		allMet: (met: number, total: number) => `SLO ${met}/${total} met`,
		cellMet: (met: number, total: number) => `${met}/${total} met`,
		stripBurn: (burn: string) => `, burn ${burn}`,
		/** `SLO 2/3 met; ? TTFT ≤ 2 s for 99 %: why`, and the breached one: `✗ label: 96.1 %, burn 3.9x`. */
		stripOther: (allMet: string, mark: string, label: string, why: string) => `${allMet}; ${mark} ${label}: ${why}`,
		stripBreached: (mark: string, label: string, attained: string) => `${mark} ${label}: ${attained}`,
		stripHint: '6: SLO view',
	},
	/** The Events view (key 8): its chrome and every event's title and detail. */
	eventsView: {
		title: 'Events',
		keys: '↑↓ PgUp PgDn g G move',
		count: (n: number) => `${n} event${n === 1 ? '' : 's'}, newest first`,
		none: 'no events yet: restarts, down/up, config changes, SLO breaches and diagnoses show here',
		columns: {time: 'time', what: 'event', detail: 'detail'},
		legend: (restart: string, config: string, alert: string) => `${restart} restart  ${config} config  ${alert} down, SLO, diagnosis, alert`,
		restart: 'restart',
		down: 'target down',
		up: 'target up',
		config: 'config changed',
		slo: (status: string) => `SLO ${status}`,
		diagnosisStart: 'diagnosis',
		diagnosisEnd: 'diagnosis cleared',
		alertStart: 'alert firing',
		alertEnd: 'alert resolved',
		resets: (n: number) => `counters reset (${n} metric${n === 1 ? '' : 's'})`,
		startTime: 'process start time changed',
		downFor: (span: string) => `after ${span} down`,
		more: (n: number) => `(+${n} more)`,
		sloChange: (label: string, from: string | null, to: string) => `${label}: ${from === null ? '' : `${from} → `}${to}`,
		/** The selected event under the list: `2026-01-01 00:00:28 UTC  restart: counters reset (27 metrics)`. */
		footer: (time: string, title: string, detail: string) => `${time} UTC  ${title}: ${detail}`,
		/** An event on one line elsewhere (Compare, fdtop compare): `restart: counters reset (44 metrics)`. */
		titled: (title: string, detail: string) => `${title}: ${detail}`,
	},
	/** The alert strip above the status line (alert rules, --alert). */
	alertStrip: {
		hold: (rule: string, forTime: string) => `${rule} for ${forTime}`,
		on: (rule: string, target: string) => `${rule} on ${target}`,
		state: {firing: 'firing', pending: 'pending'},
		progress: (held: string, forTime: string) => `${held} of ${forTime}`,
		active: (rule: string, state: string, lasting: string, now: string) => `ALERT ${rule}: ${state} ${lasting} (now ${now})`,
		absent: (rule: string) => `alert rule ${rule}: no data (not exported by this target)`,
		more: (line: string, n: number) => `${line} +${n} more`,
	},
	/** The Compare view (key 7) and the Overview's `vs baseline` line; the table's words are compareText's. */
	compareView: {
		none: 'No baseline. Start with one: fdtop TARGET --baseline run.jsonl.gz (a recording made with --record)',
		noneMore: 'or compare two runs at once: fdtop compare before.jsonl.gz after.jsonl.gz (README: Compare)',
		waiting: 'waiting for two scrapes of the live window',
		more: (n: number) => `… ${n} more rows: widen the terminal, or fdtop compare --once`,
		legend: '* differs beyond the noise (latency: chi-square on buckets and window means; rates: Welch t between windows)',
		legendShort: '* differs beyond the noise (fdtop compare --once says how)',
		differs: (p: string, test: string) => `differs, p ${p} (${test})`,
		differsShort: (p: string) => `differs, p ${p}`,
		noDifference: (n: string, per: string) => `no difference detectable, ${n} ${per}`,
		noDifferenceShort: (n: string, per: string) => `no diff, ${n} ${per}`,
		withinNoiseShort: 'within noise',
		chiSquare: (windowMeans: boolean, n: string, per: string) => `chi-square${windowMeans ? ' + window means' : ''}, ${n} ${per}`,
		welch: (kA: number, kB: number) => `Welch t, ${kA}+${kB} windows`,
		tok: 'tok',
		req: 'req',
		events: (side: string, n: number) => `${side} events ${n}`,
		eventsHint: ' (8: Events)',
		newest: (what: string) => `, newest ${what}`,
		strip: 'vs baseline',
		stripHint: '7: Compare',
		/** The headline figures of the `vs baseline` line, by figure id. */
		stripLabels: {'rate.requestsReceived': 'req/s', 'ttft.mean': 'TTFT mean', 'queueTime.mean': 'Queue mean', 'rate.generationTokens': 'gen tok/s', 'tpot.mean': 'TPOT mean', kvCacheUsage: 'KV usage'},
		/** The table's row labels by figure id (latency rows: the histogram's name and mean or pNN); SLO rows keep the objective. */
		figures: {'rate.requestsReceived': 'arrivals req/s', 'rate.requestSuccess': 'done req/s', 'rate.promptTokens': 'prompt tok/s', 'rate.generationTokens': 'gen tok/s', 'rate.preemptions': 'preemptions/s', kvCacheUsage: 'KV usage (mean)', prefixHit: 'prefix hit %'},
		latency: {ttft: 'TTFT', tpot: 'TPOT', queueTime: 'Queue', prefillTime: 'Prefill', decodeTime: 'Decode', e2eLatency: 'E2E latency'},
		mean: 'mean',
		/** Why a figure has no test (metrics/compare.ts), fragment by fragment. */
		reasons: {'one side only': 'one side only', 'no requests on a side': 'no requests on a side', 'bucket bounds differ': 'bucket bounds differ', 'too few requests': 'too few requests', 'fewer than 2 windows on a side': 'fewer than 2 windows on a side', 'one bucket holds nearly all requests on both sides': 'one bucket holds nearly all requests on both sides'},
	},
} as const;
