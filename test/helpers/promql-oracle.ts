/**
 * PromQL's increase() as prometheus/prometheus promql/functions.go `extrapolatedRate` computes it
 * (floats, counters), transcribed apart from fdtop's code to test it: v3.5 (left-open range, zero
 * clamp after the 1.1 threshold) and v2.42 (left-closed, zero clamp first).
 */
export interface P {
	t: number;
	v: number;
}

/** prometheus/prometheus promql/functions.go extrapolatedRate (floats, counters), as an increase. */
export function promIncrease(all: readonly P[], evalT: number, rangeMs: number, version: 2 | 3): number | null {
	const rangeStart = evalT - rangeMs;
	const s = all.filter(p => p.t <= evalT && (version === 3 ? p.t > rangeStart : p.t >= rangeStart));
	if (s.length < 2) return null;
	let result = s.at(-1)!.v - s[0]!.v;
	let lastValue = 0;
	for (const p of s) {
		if (p.v < lastValue) result += lastValue;
		lastValue = p.v;
	}
	let durationToStart = (s[0]!.t - rangeStart) / 1000;
	let durationToEnd = (evalT - s.at(-1)!.t) / 1000;
	const sampledInterval = (s.at(-1)!.t - s[0]!.t) / 1000;
	const averageDurationBetweenSamples = sampledInterval / (s.length - 1);
	const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
	if (version === 2) {
		if (result > 0 && s[0]!.v >= 0) {
			const durationToZero = sampledInterval * (s[0]!.v / result);
			if (durationToZero < durationToStart) durationToStart = durationToZero;
		}
		let extrapolateToInterval = sampledInterval;
		extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
		extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
		return result * (extrapolateToInterval / sampledInterval);
	}
	if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
	if (result > 0 && s[0]!.v >= 0) {
		const durationToZero = sampledInterval * (s[0]!.v / result);
		if (durationToZero < durationToStart) durationToStart = durationToZero;
	}
	if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
	return result * ((sampledInterval + durationToStart + durationToEnd) / sampledInterval);
}

