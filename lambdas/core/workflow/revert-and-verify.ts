import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { PlanApplier, SnapshotReader } from '../ports';
import { planRevert, type PlanRevertOptions } from '../revert/plan-revert';
import type { RevertPlan, RevertStep } from '../revert/revert-plan';
import { routingDifferences } from '../revert/verify-routing';
import { stepsScope } from './read-scope';

/** Apply, re-read, re-plan: a plan the world interfered with gets this many rounds before we give up. */
const VERIFY_ROUNDS = 3;

/** What a revert did: every step applied over its rounds, and what still differs from the baseline. */
export interface RevertResult {
  readonly firstPlan: RevertPlan;
  readonly applied: readonly RevertStep[];
  /** Empty when routing is restored and verified by re-reading. */
  readonly differences: readonly string[];
  /** The configuration read back at the end (routing as the baseline, with any new ARNs). */
  readonly final: LoadBalancerSnapshot;
  readonly error?: Error;
}

/**
 * Applies the plan, re-reads only what it touched, compares routing class by class; plans again for what is
 * left (a re-created listener's rules, a change someone made meanwhile) until nothing differs or the rounds
 * run out. Idempotent: run again after a crash, it plans nothing for what is already restored.
 */
export async function revertAndVerify(
  ports: { readonly reader: SnapshotReader; readonly applier: PlanApplier },
  baseline: LoadBalancerSnapshot,
  current: LoadBalancerSnapshot,
  options: PlanRevertOptions,
): Promise<RevertResult> {
  const firstPlan = planRevert(baseline, current, options);
  let plan: RevertPlan = firstPlan;
  const applied: RevertStep[] = [];
  let final = current;
  let differences = routingDifferences(baseline, current, options);
  for (let round = 0; round < VERIFY_ROUNDS && plan.steps.length > 0; round++) {
    const result = await ports.applier.apply(plan);
    applied.push(...result.applied);
    if (result.failed) return { firstPlan, applied, differences, final, error: result.failed.error };
    // The restored listener serves traffic already; reads that lead to other load balancers' reverts go first.
    final = await ports.reader.refresh(final, stepsScope(plan.steps), { purpose: 'verify' });
    differences = routingDifferences(baseline, final, options);
    plan = planRevert(baseline, final, options);
  }
  const error = differences.length > 0 ? new Error(`routing still differs after ${VERIFY_ROUNDS} rounds: ${differences.join('; ')}`) : undefined;
  return { firstPlan, applied, differences, final, ...(error !== undefined && { error }) };
}
