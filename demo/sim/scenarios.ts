/** Load scenarios of the simulator. Rates are for the 2.0 era (no speculative decoding). */

export type Scenario = 'steady' | 'burst' | 'overload' | 'kv-pressure' | 'restart';
export const SCENARIOS: readonly Scenario[] = ['steady', 'burst', 'overload', 'kv-pressure', 'restart'];

export interface ScenarioParams {
	/** Mean arrivals per second outside bursts. */
	readonly rate: number;
	/** Bursts start as a Poisson process of this rate (per second) and multiply the arrival rate. */
	readonly burstStartRate: number;
	readonly burstFactor: number;
	readonly burstSeconds: number;
	readonly promptMedian: number;
	readonly promptSigma: number;
	readonly outputMedian: number;
	readonly outputSigma: number;
	readonly maxTokensChoices: readonly number[];
	readonly maxTokensWeights: readonly number[];
	/** max_num_seqs */
	readonly maxNumSeqs: number;
	/** GPU KV blocks of 64 tokens. */
	readonly totalBlocks: number;
	/** Requests beyond this many queued are turned away before the engine sees them. */
	readonly maxWaiting: number;
	/** The server restarts after 0.5–1 times this many simulated seconds, again and again (restart scenario). */
	readonly restartEverySeconds?: number;
}

const base: ScenarioParams = {
	rate: 2.2,
	burstStartRate: 1 / 300,
	burstFactor: 1.8,
	burstSeconds: 20,
	promptMedian: 600,
	promptSigma: 0.9,
	outputMedian: 260,
	outputSigma: 0.7,
	maxTokensChoices: [256, 512, 1024, 2048, 4096],
	maxTokensWeights: [1, 2, 4, 3, 1],
	maxNumSeqs: 64,
	totalBlocks: 2000,
	maxWaiting: 2000,
};

export const SCENARIO_PARAMS: Readonly<Record<Scenario, ScenarioParams>> = {
	steady: base,
	burst: {...base, rate: 1.5, burstStartRate: 1 / 90, burstFactor: 4, burstSeconds: 25},
	overload: {...base, rate: 6, burstStartRate: 1 / 120, burstFactor: 1.5, maxWaiting: 300},
	'kv-pressure': {
		...base,
		rate: 0.6,
		promptMedian: 3000,
		promptSigma: 0.6,
		outputMedian: 1400,
		outputSigma: 0.5,
		maxTokensChoices: [2048, 4096, 8192],
		maxTokensWeights: [1, 3, 2],
		maxWaiting: 12,
	},
	restart: {...base, restartEverySeconds: 600},
};

export function isScenario(s: unknown): s is Scenario {
	return typeof s === 'string' && (SCENARIOS as readonly string[]).includes(s);
}
