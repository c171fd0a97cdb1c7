/**
 * The long chaos soak of issue 14 (`npm run bench -- chaos`): new seeds each time (or `CHAOS_SEEDS=1,2,3`),
 * `CHAOS_RUNS` runs (default 3) of a bigger plan than `npm test`'s, the invariants checked after each run, and
 * the table: changes, faults by kind, crashes, events dropped, violations, p50/p99 call → restored, ELBv2
 * calls per change, notifications per verdict. A failing run prints its seed and the path of its trace;
 * `CHAOS_REPLAY=<trace.json> npm run bench -- chaos` replays it: the same plan on the same schedule, every
 * CloudTrail delivery meeting the fate its event met (by key), and prints the violations again.
 */
import Table from 'cli-table3';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { ChaosTrace } from '../sim/chaos/chaos-trace';
import { generatePlan, type ChaosSize } from '../sim/chaos/chaos-plan';
import { addFigures, percentile, type ChaosFigures } from '../test/chaos/chaos-figures';
import { report, startChaosStage } from '../test/chaos/chaos-harness';

const SOAK: ChaosSize = { loadBalancers: 6, changes: 30, spanMs: 10_000, crashes: 3 };

/** Replays a recorded trace and says how closely the replay met it. */
async function replay(path: string): Promise<void> {
  const recorded = JSON.parse(readFileSync(path, 'utf8')) as ChaosTrace;
  const stage = await startChaosStage();
  try {
    const { trace, violations, tracePath } = await stage.run(recorded.plan, recorded);
    const fated = (t: ChaosTrace) => t.events.filter((e) => e.fate !== undefined).length;
    process.stdout.write(
      `replay of seed ${recorded.plan.seed}: ${violations.length} violation(s) (the run had its own), ${trace.events.length} events (the run: ${recorded.events.length}), ` +
        `${fated(trace)} with a fate (the run: ${fated(recorded)}), ${trace.faultStats['script mismatches'] ?? 0} not in the run (delivered plainly)\n`,
    );
    if (violations.length > 0) process.stdout.write(`${report(recorded.plan.seed, violations, tracePath)}\n`);
  } finally {
    await stage.stop();
  }
}

export async function run(): Promise<void> {
  if (process.env.CHAOS_REPLAY !== undefined) return replay(process.env.CHAOS_REPLAY);
  const seeds = process.env.CHAOS_SEEDS?.split(',').map(Number) ?? Array.from({ length: Number(process.env.CHAOS_RUNS ?? 3) }, (_, i) => (Date.now() + i * 7919) % 2 ** 31);
  const stage = await startChaosStage();
  let figures: ChaosFigures | undefined;
  const failed: string[] = [];
  try {
    for (const seed of seeds) {
      const started = Date.now();
      const { trace, violations, tracePath } = await stage.run(generatePlan(seed, SOAK));
      figures = addFigures(figures, trace, violations.length);
      process.stdout.write(`seed ${seed}: ${trace.steps.length} steps, ${violations.length} violation(s), ${Math.round((Date.now() - started) / 1000)} s\n`);
      if (violations.length > 0) {
        failed.push(report(seed, violations, tracePath));
        process.stdout.write(`${report(seed, violations, tracePath)}\n`);
      }
    }
  } finally {
    await stage.stop();
  }
  if (figures === undefined) return;
  const table = new Table({ head: ['figure', 'value'] });
  const perVerdict = figures.distinctVerdicts === 0 ? 0 : figures.verdictNotifications / figures.distinctVerdicts;
  table.push(
    ['runs (seeds)', `${figures.runs} (${seeds.join(', ')})`],
    ['changes (successful calls by people, pipelines, Auto Scaling, a trusted bot)', figures.changes],
    ...Object.entries(figures.faults).map(([kind, n]) => [`faults: ${kind}`, n]),
    ['crashes injected', figures.crashes],
    ['events dropped', figures.dropped],
    ['invariant violations (target 0)', figures.violations],
    ['call → restored p50 / p99 (ms, real time)', `${percentile(figures.callToRestored, 50)} / ${percentile(figures.callToRestored, 99)} (n=${figures.callToRestored.length})`],
    ['ELBv2 calls by the watchdog per change', (figures.watchdogElbCalls / Math.max(1, figures.changes)).toFixed(2)],
    ['unexplained verdicts held: settled untold / told (audit records)', `${figures.unexplained.settled} / ${figures.unexplained.told}`],
    ['notifications per verdict (duplicates after crashes)', `${perVerdict.toFixed(2)} (${figures.verdictNotifications} for ${figures.distinctVerdicts})`],
    ['machine', `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`],
  );
  process.stdout.write(`${table.toString()}\n`);
  if (failed.length > 0) process.exitCode = 1;
}
