/** A simulated FastDeploy server: the queueing model wired to a prom-client registry. */
import type {Era} from './catalog.js';
import {renderExposition, snapshotMetrics} from './exposition.js';
import {SimModel} from './model.js';
import {Recorder} from './recorder.js';
import {SCENARIO_PARAMS, type Scenario} from './scenarios.js';

export interface SimulationOptions {
	readonly scenario: Scenario;
	readonly era: Era;
	readonly seed?: number;
	/** Unix seconds at which the simulated server starts. */
	readonly startUnixSeconds: number;
	/** Also write FastDeploy's FD_DEBUG-only ZMQ metrics (2.3 era). */
	readonly fdDebug?: boolean;
	/** Simulated seconds at which the server restarts. */
	readonly restartAt?: readonly number[];
	/** Simulated seconds at which the server restarts with another configuration (SimModel.reconfigureNow). */
	readonly reconfigureAt?: readonly number[];
}

export class Simulation {
	readonly era: Era;
	readonly model: SimModel;
	readonly recorder: Recorder;
	/** Restarts and reconfigurations still to come, soonest first. */
	readonly #planned: {at: number; what: 'restart' | 'reconfigure'}[];

	constructor(o: SimulationOptions) {
		this.era = o.era;
		const p = SCENARIO_PARAMS[o.scenario];
		this.recorder = new Recorder({
			era: o.era,
			fdDebug: o.fdDebug,
			startUnixSeconds: o.startUnixSeconds,
			seed: o.seed,
			totalBlocks: p.totalBlocks,
			maxNumSeqs: p.maxNumSeqs,
		});
		this.model = new SimModel({scenario: o.scenario, era: o.era, seed: o.seed, sink: this.recorder});
		this.recorder.gauges(this.model.gaugeState());
		this.#planned = [
			...(o.restartAt ?? []).map(at => ({at, what: 'restart' as const})),
			...(o.reconfigureAt ?? []).map(at => ({at, what: 'reconfigure' as const})),
		].sort((a, b) => a.at - b.at);
	}

	/** Simulated seconds since start. */
	get now(): number {
		return this.model.now;
	}

	step(seconds: number): void {
		const target = this.model.now + seconds;
		while (this.#planned.length > 0 && this.#planned[0]!.at <= target) {
			const next = this.#planned.shift()!;
			if (next.at > this.model.now) this.model.step(next.at - this.model.now);
			if (next.what === 'restart') this.model.restartNow();
			else this.model.reconfigureNow();
		}
		if (target > this.model.now) this.model.step(target - this.model.now);
	}

	/** The /metrics body now (synchronous; same text as textAsync). */
	text(): string {
		return renderExposition(snapshotMetrics(this.recorder.registry), {era: this.era, created: this.recorder.created});
	}

	/** The /metrics body rendered from `registry.getMetricsAsJSON()`. */
	async textAsync(): Promise<string> {
		const json = await this.recorder.registry.getMetricsAsJSON();
		return renderExposition(json, {era: this.era, created: this.recorder.created});
	}
}
