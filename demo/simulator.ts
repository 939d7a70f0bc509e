/**
 * fdtop simulator: a FastDeploy-shaped /metrics endpoint for demos and tests.
 *
 *   npm run simulate -- --port 8001 --scenario overload --era 2.0 [--speed 10] [--seed 1] [--fault 503]
 *   npm run simulate -- --restart-at 120 --reconfigure-at 300   (events for fdtop's event log)
 */
import {parseSimulatorArgs, USAGE, UsageError, type SimulatorArgs} from './sim/cli-args.js';
import {startSimulator} from './sim/server.js';

async function main(): Promise<void> {
	let o: SimulatorArgs;
	try {
		o = parseSimulatorArgs(process.argv.slice(2));
	} catch (err) {
		if (!(err instanceof UsageError)) throw err;
		process.stderr.write(`fdtop simulator: ${err.message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (o.help) {
		process.stdout.write(USAGE);
		return;
	}
	const sim = await startSimulator(o);
	process.stdout.write(
		`fdtop simulator: era ${o.era}, scenario ${o.scenario} on ${sim.url}${o.fault ? ` (fault: ${o.fault})` : ''}${plan(o)}\n`,
	);
	const keepAlive = setInterval(() => undefined, 1 << 30);
	const stop = (): void => {
		clearInterval(keepAlive);
		void sim.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

/** `; restarts at 120 s; reconfigures at 300 s` (simulated seconds). */
function plan(o: SimulatorArgs): string {
	const at = (list: number[]) => list.map(s => `${s} s`).join(', ');
	return `${o.restartAt.length > 0 ? `; restarts at ${at(o.restartAt)}` : ''}${o.reconfigureAt.length > 0 ? `; reconfigures at ${at(o.reconfigureAt)}` : ''}`;
}

main().catch((err: unknown) => {
	process.stderr.write(`fdtop simulator: ${err instanceof Error ? err.message : String(err)}\n`);
	process.exit(1);
});
