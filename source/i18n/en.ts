/**
 * English UI messages: the source of truth for every word fdtop shows (docs/i18n.md). Grouped by
 * screen; a message with figures in it is a function. Metric names, units, JSON keys and key
 * names (q, Esc, PgUp) are not messages. zh.ts must have exactly these keys and signatures.
 */
export const en = {
	views: {overview: 'Overview', latency: 'Latency', tokens: 'Tokens', cache: 'Cache', explorer: 'Explorer', slo: 'SLO', fleet: 'Fleet'},
	sections: {Views: 'Views', Data: 'Data', Lists: 'Lists', Replay: 'Replay', Other: 'Other'},
	/** The help text of each key in source/ui/keymap.ts, by the binding's id. */
	keys: {
		fleet: 'Fleet: all targets, aggregate on top',
		overview: 'Overview',
		latency: 'Latency by phase',
		tokens: 'Tokens',
		cache: 'Cache & batch',
		explorer: 'Explorer (every metric family)',
		slo: 'SLO: objectives, burn, goodput',
		nextView: 'next view',
		previousView: 'previous view',
		nextTarget: 'next target',
		pause: 'pause / resume scraping',
		longer: 'longer scrape interval',
		shorter: 'shorter scrape interval',
		wider: 'wider window',
		narrower: 'narrower window',
		refresh: 'scrape now (replay: the next one)',
		up: 'previous row / scroll up',
		down: 'next row / scroll down',
		pageUp: 'page up',
		pageDown: 'page down',
		first: 'first row',
		last: 'last row',
		filter: 'filter families by name, key or title',
		open: "open: a fleet row, a family's series",
		back: 'back (overlay, detail, filter, Fleet)',
		sort: 'sort the fleet by the next column',
		sortReverse: 'reverse the fleet sort order',
		step: 'step one scrape',
		slower: 'slower',
		faster: 'faster',
		help: 'this help',
		explain: 'explain the metrics on screen',
		suspend: 'suspend to the shell (fg resumes)',
		quit: 'quit',
	},
	help: {
		title: 'Keys',
		reading: 'Reading the numbers',
		/** [the sign as shown, what it means]; the sign column is 10 cells wide. */
		legend: (le: string, dash: string, bound: string, restart: string): readonly (readonly [string, string])[] => [
			['--', 'not reported by this server (missing is never shown as 0)'],
			['> 1 s', 'percentile above the top histogram bucket: only known to be higher'],
			[`${le} 300 ms`, `percentile in a wide bucket (greyed; also 0.1${dash}0.25 s): the first bucket, or one over twice its start: only its bounds are known`],
			[bound, 'chart: p99 in a wide bucket, drawn at its top (p99 is at most that)'],
			['n too small', 'under 5 observations: no percentiles (n < 5); the mean is exact'],
			['all zero', 'present but never observed since start; e explains why'],
			['STALE', 'the last scrape failed: last values kept, greyed, error below'],
			[`${restart} restart`, 'a counter went down: the server restarted; rates stay correct'],
			['window', 'rates and percentiles over the last window; lifetime = since start'],
			['2.3?', 'FastDeploy version guessed (likely, not certain); --era sets it'],
			['avg of 2', 'a gauge read from several series (pids, model_id) and how; live = the ones that move'],
			['unfinished', 'requests received minus finished in the window (FastDeploy counts no failures)'],
			['20 s of 1 m', 'window not whole: (filling) just started, (restart): rates read low'],
		],
	},
	overlay: {
		explain: 'Explain',
		hint: (up: string, down: string) => `Esc closes  ${up}/${down} PgUp/PgDn scroll`,
		position: (first: number, last: number, total: number) => `${first}-${last} of ${total}`,
	},
	header: {
		noTarget: 'no target',
		connecting: 'connecting',
		up: 'up',
		down: 'DOWN',
		stale: 'STALE',
		demo: 'DEMO',
		replay: 'REPLAY',
		speed: (x: number) => `speed ${x}x`,
		scrape: (position: string, total: number | null) => `scrape ${position}${total === null ? '' : ` of ${total}`}`,
		end: 'end',
		recording: (name: string, scrapes: number) => `REC ${name} ${scrapes} scrape${scrapes === 1 ? '' : 's'}`,
		recordingFailed: (reason: string) => `REC FAILED: ${reason}`,
		fleetUp: (n: number) => `${n} up`,
		fleetSomeUp: (up: number, n: number) => `${up} of ${n} up`,
		paused: 'PAUSED',
		insecure: 'INSECURE',
		restart: (time: string) => `restart ${time}`,
		window: (cover: string) => `window ${cover}`,
		every: (interval: string) => `every ${interval}`,
		fleetOf: (n: number) => `fleet of ${n} targets`,
		/** Key hints right of the tabs, longest first: the first that fits is shown. */
		hints: ['? help  e explain  q quit', '? help  e explain', '? help e explain', 'e explain', '? help'],
	},
	status: {
		filterKeys: 'Enter keep  Esc clear',
		stale: 'STALE, last values kept',
		down: 'DOWN',
		error: 'error',
		skipped: (n: number, first: string) => `${n} line${n === 1 ? '' : 's'} skipped${first}`,
		skippedAt: (line: number, message: string) => ` (line ${line}: ${message})`,
		warning: (notes: string) => `warning: ${notes}`,
		fleetKeys: 'Enter open  s sort  ',
		keys: 'space pause  +/- interval  [ ] window  r refresh',
		replayKeys: '  . step  < > speed',
		paused: (keys: string) => `PAUSED (space resumes)  ${keys}`,
	},
	common: {
		waiting: 'waiting for the first scrape',
		noDataFrom: (location: string) => `no data from ${location} yet`,
		tooSmall: (columns: number, rows: number, minColumns: number, minRows: number): readonly string[] => ['fdtop: terminal too small', `${columns}x${rows}, needs ${minColumns}x${minRows}`, 'q quits'],
	},
} as const;

/** A catalog shaped like `en`: the same keys, strings as strings, functions with the same parameters. */
export type Shape<T> = T extends string
	? string
	: T extends (...args: infer A) => infer R
		? (...args: A) => R extends string ? string : R
		: T extends readonly string[]
			? readonly string[]
			: {readonly [K in keyof T]: Shape<T[K]>};

export type Messages = Shape<typeof en>;
