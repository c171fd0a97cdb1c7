import { Command, InvalidArgumentError, Option } from 'commander';
import { startStandIn, type StandIn, type Watcher } from '../../sim';
import { WORLD_NAMES } from '../../sim/worlds';
import { UsageError } from './exit-codes';

/** The watchdog modes of DESIGN.md; `off` runs the stand-in alone. */
export const SIM_MODES = ['enforce', 'dry-run', 'off'] as const;
/** One of {@link SIM_MODES}. */
export type SimMode = (typeof SIM_MODES)[number];

/** Makes the watcher for a mode (the watchdog runner plugs in here); undefined: mode not available. */
export type WatcherFactory = (mode: Exclude<SimMode, 'off'>) => Watcher | undefined;

/** Parsed options of `elb-watchdog sim`. */
export interface SimCommandOptions {
  readonly port: number;
  readonly mode: SimMode;
  readonly world: (typeof WORLD_NAMES)[number];
  readonly backend?: string;
  readonly region: string;
  readonly speed: number;
  readonly warmup: number;
  readonly json: boolean;
}

// Stop within DESIGN's 2 s even if something hangs.
const STOP_DEADLINE_MS = 1800;

/** Registers `elb-watchdog sim`. */
export function registerSimCommand(program: Command, watcherFor: WatcherFactory = () => undefined): Command {
  return program
    .command('sim')
    .description('Run the local AWS stand-in (moto behind the front) and print "READY <url>"; serve until SIGINT/SIGTERM.')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', integer, 0)
    .addOption(new Option('--mode <mode>', 'watchdog mode wired to the change events').choices(SIM_MODES).default('dry-run'))
    .addOption(new Option('--world <name>', 'starting state').choices(WORLD_NAMES).default('demo'))
    .option('--backend <url>', 'use an already running moto or LocalStack instead of starting moto')
    .option('--region <region>', 'AWS Region the stand-in plays', 'us-east-1')
    .option('--speed <factor>', 'sim clock speed: sim seconds per real second (0 = only when advanced)', number, 1)
    .option('--warmup <minutes>', 'sim minutes of normal traffic before READY (history for anomaly bands)', integer, 0)
    .option('--json', 'print the ready line as JSON: {"status":"ready","url":...}', false)
    .addHelpText(
      'after',
      '\nRoutes: GET /_sim/health, /_sim/events, /_sim/notifications, /_sim/traffic, /_sim/clock;' +
        ' POST /_sim/faults, /_sim/clock, /_sim/traffic, /_sim/identities, /_sim/reset; DELETE /_sim/faults.' +
        '\nExit codes: 0 stopped by a signal, 1 failure, 2 bad usage or mode not available, 3 python3/moto missing.',
    )
    .action(async (options: SimCommandOptions) => runSim(options, watcherFor));
}

async function runSim(options: SimCommandOptions, watcherFor: WatcherFactory): Promise<void> {
  const watcher = options.mode === 'off' ? undefined : watcherFor(options.mode);
  if (options.mode !== 'off' && !watcher) throw new UsageError(`--mode ${options.mode} is not available`);
  const standIn = await startStandIn({
    port: options.port,
    world: options.world,
    backendUrl: options.backend,
    region: options.region,
    clock: { speed: options.speed, warmupMinutes: options.warmup },
  });
  const stop = once(standIn);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (watcher) await standIn.attach(watcher);
  const ready = options.json ? JSON.stringify({ status: 'ready', url: standIn.url, region: standIn.region, world: standIn.world.name, mode: options.mode }) : `READY ${standIn.url}`;
  process.stdout.write(`${ready}\n`);
}

function once(standIn: StandIn): () => void {
  let stopping = false;
  return () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    void standIn.stop().then(() => process.exit(0));
  };
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}
