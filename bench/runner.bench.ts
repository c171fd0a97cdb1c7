/**
 * What the local runner's execution environments cost: per handler, the cold start of one environment
 * (a worker thread loading the handler module) from the TypeScript sources the runner uses in tests and
 * from the compiled `dist/` the CLI uses; and a warm invocation's round trip. Several starts per case;
 * median and max are printed with the machine's load, since the figures move with it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutionEnvironment } from '../sim/runner/execution-environment';
import { HANDLER_EXPORT, HANDLER_NAMES, handlerModule } from '../sim/runner/handler-registry';

const STARTS = 3;
const WARM_INVOCATIONS = 50;
const PROBE = path.join(__dirname, '..', 'test', 'fixtures', 'runner', 'probe-handler.js');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The class as compiled in `dist/` (no TypeScript loader in its threads), when built. */
function compiledEnvironment(): typeof ExecutionEnvironment | undefined {
  const file = path.join(__dirname, '..', 'dist', 'sim', 'runner', 'execution-environment.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled copy, loaded as the CLI loads it.
  return fs.existsSync(file) ? (require(file) as { ExecutionEnvironment: typeof ExecutionEnvironment }).ExecutionEnvironment : undefined;
}

async function coldStarts(modulePath: string, Environment: typeof ExecutionEnvironment = ExecutionEnvironment): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i <= STARTS; i++) {
    const environment = await Environment.start({
      functionName: 'bench',
      index: i,
      modulePath,
      handlerExport: HANDLER_EXPORT,
      env: { AWS_REGION: 'us-east-1' },
      accessKeyId: 'bench',
      timeoutMs: 60_000,
      memoryLimitInMB: 512,
    });
    times.push(environment.initMs);
    await environment.kill(new Error('bench done'));
  }
  return times;
}

/** Prints the figures. */
export async function run(): Promise<void> {
  process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);
  process.stdout.write('| handler | from | cold start median (ms) | max (ms) |\n| --- | --- | --- | --- |\n');
  const dist = path.join(__dirname, '..', 'dist', 'lambdas', 'handlers');
  const Compiled = compiledEnvironment();
  for (const name of HANDLER_NAMES) {
    const sources = await coldStarts(handlerModule(name));
    process.stdout.write(`| ${name} | sources (tsx) | ${median(sources).toFixed(0)} | ${Math.max(...sources).toFixed(0)} |\n`);
    const compiled = path.join(dist, `${name}.js`);
    if (Compiled !== undefined && fs.existsSync(compiled)) {
      const built = await coldStarts(compiled, Compiled);
      process.stdout.write(`| ${name} | dist (tsc) | ${median(built).toFixed(0)} | ${Math.max(...built).toFixed(0)} |\n`);
    }
  }
  const environment = await ExecutionEnvironment.start({
    functionName: 'probe',
    index: 1,
    modulePath: PROBE,
    handlerExport: HANDLER_EXPORT,
    env: {},
    accessKeyId: 'probe',
    timeoutMs: 60_000,
    memoryLimitInMB: 128,
  });
  const rounds: number[] = [];
  for (let i = 0; i < WARM_INVOCATIONS; i++) {
    const started = performance.now();
    await environment.invoke({ label: String(i) });
    rounds.push(performance.now() - started);
  }
  await environment.kill(new Error('bench done'));
  process.stdout.write(`warm invocation round trip (probe handler, ${WARM_INVOCATIONS} runs): median ${median(rounds).toFixed(2)} ms, max ${Math.max(...rounds).toFixed(2)} ms\n`);
}
