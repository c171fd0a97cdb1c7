import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PENDING_LEASE_SECONDS } from '../../lambdas/core/workflow/tell-verdict';
import { startStandIn, type StandIn } from '../../sim';
import { TRUSTED_ACTOR } from '../../sim/chaos/chaos-actors';
import type { ChaosPlan } from '../../sim/chaos/chaos-plan';
import { runChaos } from '../../sim/chaos/chaos-run';
import type { ChaosTrace } from '../../sim/chaos/chaos-trace';
import { WatchdogRunner } from '../../sim/runner/watchdog-runner';
import { checkInvariants, type Violation } from './chaos-invariants';

/**
 * How long an unexplained verdict waits for its late event under chaos: the stand-in delays and reorders
 * deliveries by 3 s at most, and a judgement takes seconds, so 20 s (not the default 120) keeps runs short.
 */
export const CHAOS_HOLD_SECONDS = 20;

/** The watchdog under chaos: enforce mode, the default rules, and a bot the policy trusts. */
export const CHAOS_WATCHDOG = {
  mode: 'enforce' as const,
  policy: { mode: 'enforce', actors: [TRUSTED_ACTOR], unexplained: { holdSeconds: CHAOS_HOLD_SECONDS } },
};

/** One stand-in with the watchdog attached, reused run after run (reset between runs). */
export interface ChaosStage {
  readonly standIn: StandIn;
  readonly runner: WatchdogRunner;
  /** Plays a plan (or replays a trace) on a fresh world; the trace and its violations. */
  run(plan: ChaosPlan, replay?: ChaosTrace, onProgress?: (what: string) => void): Promise<{ trace: ChaosTrace; violations: Violation[]; tracePath?: string }>;
  stop(): Promise<void>;
}

/** Starts the stage: the stand-in (time moves only when a run jumps it), then the runner's deployment. */
export async function startChaosStage(): Promise<ChaosStage> {
  const standIn = await startStandIn({ world: 'empty', cloudTrailDelayMs: 50, clock: { speed: 0 } });
  const runner = new WatchdogRunner({ watchdog: CHAOS_WATCHDOG, initialRuns: [] });
  await standIn.attach(runner);
  let used = false;
  return {
    standIn,
    runner,
    async run(plan, replay, onProgress) {
      if (used) await standIn.reset();
      used = true;
      const trace = await runChaos(plan, { standIn, runner, ...(replay && { replay }), ...(onProgress && { onProgress }), outboxLeaseSeconds: PENDING_LEASE_SECONDS, holdSeconds: CHAOS_HOLD_SECONDS });
      const violations = checkInvariants(trace);
      return { trace, violations, ...(violations.length > 0 && { tracePath: saveTrace(trace) }) };
    },
    async stop() {
      await standIn.stop();
    },
  };
}

/** Writes a trace where a failing run can be replayed from: `$TMPDIR/elb-watchdog-chaos/seed-N.json`. */
export function saveTrace(trace: ChaosTrace): string {
  const dir = join(tmpdir(), 'elb-watchdog-chaos');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `seed-${trace.plan.seed}${trace.replayOf === undefined ? '' : '-replay'}.json`);
  writeFileSync(path, JSON.stringify(trace, null, 1));
  return path;
}

/** A failure message: each violation by invariant name, with the seed and where the trace is. */
export function report(seed: number, violations: readonly Violation[], tracePath?: string): string {
  return [`seed ${seed}: ${violations.length} invariant violation(s); trace ${tracePath ?? '(none)'}`, ...violations.map((x) => `  [${x.invariant}] ${x.detail}`)].join('\n');
}
