/** Command-line flags of `npm run simulate` (demo/simulator.ts), validated with clear errors. */
import {parseArgs} from 'node:util';
import {ERAS, type Era} from './catalog.js';
import {FAULTS, type Fault} from './faults.js';
import {SCENARIOS, type Scenario} from './scenarios.js';

export const USAGE = `Usage: npm run simulate -- [options]

  --port <n>          port to listen on (default 8001; 0 = any free port)
  --host <addr>       address to bind (default 127.0.0.1)
  --scenario <name>   ${SCENARIOS.join(' | ')} (default steady)
  --era <v>           ${ERAS.join(' | ')} (default 2.3)
  --speed <x>         simulated seconds per real second (default 1)
  --seed <n>          random seed (default 1)
  --fault <name>      ${FAULTS.join(' | ')}
  --flap-seconds <n>  period of the flapping fault (default 5)
  --slow-seconds <n>  how long slow-body takes (default 5)
  --fd-debug          also serve FastDeploy's FD_DEBUG ZMQ metrics (2.3)
  --restart-at <s,…>  restart the server at these simulated seconds (e.g. 120,600)
  --reconfigure-at <s,…>
                      restart it with another configuration at these simulated seconds:
                      max_num_seqs doubled and 1.25x the GPU blocks, back the next time

Faults can be switched while running: curl -X POST localhost:PORT/control -d '{"fault":"503"}'
(also '{"restart":true}' and '{"reconfigure":true}')
`;

export class UsageError extends Error {}

function number(flag: string, raw: string | undefined, fallback: number, ok: (n: number) => boolean, accepted: string): number {
	if (raw === undefined) return fallback;
	const n = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${flag} must be ${accepted}, got '${raw}'`);
	return n;
}

function oneOf<T extends string>(flag: string, raw: string | undefined, values: readonly T[], fallback: T): T {
	if (raw === undefined) return fallback;
	if (!(values as readonly string[]).includes(raw)) throw new UsageError(`--${flag} must be one of ${values.join(', ')}, got '${raw}'`);
	return raw as T;
}

/** `120,600`: simulated seconds, each above 0. */
function times(flag: string, raw: string | undefined): number[] {
	if (raw === undefined) return [];
	return raw.split(',').map(part => number(flag, part.trim(), 0, n => n > 0, 'simulated seconds above 0, comma-separated (e.g. 120,600)'));
}

export interface SimulatorArgs {
	help: boolean;
	port: number;
	host: string;
	scenario: Scenario;
	era: Era;
	speed: number;
	seed: number;
	fault: Fault | null;
	flapSeconds: number;
	slowSeconds: number;
	fdDebug: boolean;
	restartAt: number[];
	reconfigureAt: number[];
}

/** Throws UsageError naming the flag and the values it accepts. */
export function parseSimulatorArgs(argv: string[]): SimulatorArgs {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				port: {type: 'string'},
				host: {type: 'string'},
				scenario: {type: 'string'},
				era: {type: 'string'},
				speed: {type: 'string'},
				seed: {type: 'string'},
				fault: {type: 'string'},
				'flap-seconds': {type: 'string'},
				'slow-seconds': {type: 'string'},
				'fd-debug': {type: 'boolean'},
				'restart-at': {type: 'string'},
				'reconfigure-at': {type: 'string'},
				help: {type: 'boolean', short: 'h'},
			},
		});
	} catch (err) {
		throw new UsageError(err instanceof Error ? err.message : String(err));
	}
	const v = parsed.values;
	return {
		help: v.help === true,
		port: number('port', v.port, 8001, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535'),
		host: v.host ?? '127.0.0.1',
		scenario: oneOf<Scenario>('scenario', v.scenario, SCENARIOS, 'steady'),
		era: oneOf<Era>('era', v.era, ERAS, '2.3'),
		speed: number('speed', v.speed, 1, (n) => n >= 0 && n <= 10_000, 'a number from 0 to 10000'),
		seed: number('seed', v.seed, 1, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer from 0 to 4294967295'),
		fault: v.fault === undefined ? null : oneOf<Fault>('fault', v.fault, FAULTS, '503'),
		flapSeconds: number('flap-seconds', v['flap-seconds'], 5, (n) => n > 0, 'a positive number'),
		slowSeconds: number('slow-seconds', v['slow-seconds'], 5, (n) => n > 0, 'a positive number'),
		fdDebug: v['fd-debug'] === true,
		restartAt: times('restart-at', v['restart-at']),
		reconfigureAt: times('reconfigure-at', v['reconfigure-at']),
	};
}
