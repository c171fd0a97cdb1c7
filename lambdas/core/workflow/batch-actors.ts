import type { LoadContext } from '../capacity/load-types';
import type { Change } from '../events/change';
import type { LoadBalancerSnapshot, Target, TargetGroup } from '../model/snapshot';
import { withCurrentHealth } from '../model/with-current-health';
import { actorsOf, resolveActor, type ResolvedActor } from '../policy/actors';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import type { PolicySubject } from '../policy/resolve-mode';
import type { Verdict } from '../policy/verdict';
import { targetKey } from '../revert/canonical';
import { applyChange } from '../simulate/apply-change';

/**
 * The changes of one batch for one load balancer, with who made each and how the policy treats them: the
 * baseline absorbs what judge-only and trusted actors changed (a revert restores only what enforced actors
 * changed: a scale-in is never undone), and the block is attributed to the enforced changes that make it.
 */

/** One change of a batch and its actor. */
export interface ActorChange {
  readonly change: Change;
  readonly actor: ResolvedActor;
}

/** Resolves every change's actor. */
export function actorChanges(policy: Policy, changes: readonly Change[]): ActorChange[] {
  const actors = actorsOf(policy);
  return changes.map((change) => ({ change, actor: resolveActor(actors, change) }));
}

/**
 * The last known good with every judge-only and trusted change of the batch applied to it, in order: what
 * the load balancer would be if only those had happened. A change the in-memory simulator cannot apply (a
 * resource the baseline does not have) is skipped: the live read has the truth and the verdict shows it.
 */
export function absorbedBaseline(lastKnownGood: LoadBalancerSnapshot, changes: readonly ActorChange[]): LoadBalancerSnapshot {
  let baseline = lastKnownGood;
  for (const { change, actor } of changes) {
    if (actor.treatment === 'enforce') continue;
    try {
      baseline = applyChange(baseline, change);
    } catch {
      // Nothing to absorb that the simulator can express; the enforced changes are judged against the rest.
    }
  }
  return baseline;
}

/**
 * The targets a revert may register again: only those an enforced change of the batch deregistered. A
 * target missing for any other reason was removed by someone the policy does not revert (a scaler whose
 * event may still be on its way): it stays out.
 */
export function keepDeregistered(changes: readonly ActorChange[]): (group: TargetGroup, target: Target) => boolean {
  const removed = new Set<string>();
  for (const { change, actor } of changes) {
    if (actor.treatment !== 'enforce' || change.eventName !== 'DeregisterTargets') continue;
    for (const t of change.request.targets) removed.add(`${change.request.targetGroupArn}\u0000${t.id}`);
  }
  return (group, target) => !removed.has(`${group.arn}\u0000${target.id}`) && !removed.has(`${group.arn}\u0000${targetKey(target, group)}`);
}

/**
 * The enforced changes that make the batch unsafe, given that the state is unsafe against the last known
 * good: none when it is still unsafe against the absorbed baseline only because of what judge-only or
 * trusted actors changed (then nothing is reverted); else each enforced change that blocks on its own when
 * applied to the absorbed baseline (with today's health), or all of them when none does alone and together
 * they do; none when even together they do not (the block is an unjudged change's). Others are recorded as
 * judged together, not as the cause.
 */
export function culprits(
  policy: Policy,
  baseline: LoadBalancerSnapshot,
  current: LoadBalancerSnapshot,
  changes: readonly ActorChange[],
  lb: PolicySubject,
  load?: LoadContext,
): { readonly culprits: ActorChange[]; readonly verdict?: Verdict } {
  const enforced = changes.filter((c) => c.actor.treatment === 'enforce');
  if (enforced.length === 0) return { culprits: [] };
  const before = withCurrentHealth(baseline, current);
  const verdict = evaluate(policy, before, current, { change: enforced[enforced.length - 1].change, lb, load });
  if (verdict.decision !== 'block') return { culprits: [] };
  const alone = enforced.filter(({ change }) => blocksAlone(policy, baseline, current, change, lb, load));
  if (alone.length > 0) return { culprits: alone, verdict };
  // None alone: the enforced changes together, unless together they do not block either. Then what blocks is
  // not theirs but an event still on its way (chaos seed 1366461395: a person's safe split judged with Auto
  // Scaling's registration, whose deregistration came in the next batch, was reverted as the person's).
  try {
    const together = withCurrentHealth(enforced.reduce((snapshot, { change }) => applyChange(snapshot, change), baseline), current);
    if (evaluate(policy, before, together, { change: enforced[enforced.length - 1].change, lb, load }).decision !== 'block') return { culprits: [] };
  } catch {
    // The simulator cannot express them: judged by the live state, as before.
  }
  return { culprits: enforced, verdict };
}

/**
 * The judge-only changes of a batch that are unsafe on their own: applied alone to the last known good (with
 * today's health), the policy blocks them. In a state nothing in the batch explains, these are still the
 * scaler's to be told of at once: held with the rest, a later batch that found the load balancer safe again
 * settled them untold (chaos seed 1364646640: Auto Scaling's scale-in to one server was never told).
 */
export function unsafeJudgeOnly(policy: Policy, lastKnownGood: LoadBalancerSnapshot, current: LoadBalancerSnapshot, changes: readonly ActorChange[], lb: PolicySubject, load?: LoadContext): ActorChange[] {
  return changes.filter(({ change, actor }) => actor.treatment === 'judge-only' && blocksAlone(policy, lastKnownGood, current, change, lb, load));
}

/**
 * Whether one change, applied alone to a baseline (both with today's health), is blocked. A change the
 * in-memory simulator cannot apply is not: the live read judges it.
 */
function blocksAlone(policy: Policy, baseline: LoadBalancerSnapshot, current: LoadBalancerSnapshot, change: Change, lb: PolicySubject, load?: LoadContext): boolean {
  try {
    const after = withCurrentHealth(applyChange(baseline, change), current);
    return evaluate(policy, withCurrentHealth(baseline, current), after, { change, lb, load }).decision === 'block';
  } catch {
    return false;
  }
}

/**
 * Who an unsafe state with no enforced culprit is told as. With what judge-only and trusted actors changed
 * taken into the baseline, is the state still unsafe? Then none of this batch explains it (an event was lost,
 * or comes in a later batch): `enforce` (the caller leaves it to the audit, never takes it as the baseline). Else, with only
 * the trusted changes taken in, still unsafe: a judge-only actor made it so (`judge-only`: judged and told);
 * else only trusted actors did (`trusted`: recorded, nobody told). Found by chaos seed 303: a trusted bot's
 * change judged in one batch with a scale-in was told as the scaler's.
 */
export function treatmentOfUnsafe(
  policy: Policy,
  lastKnownGood: LoadBalancerSnapshot,
  current: LoadBalancerSnapshot,
  changes: readonly ActorChange[],
  lb: PolicySubject,
  load?: LoadContext,
): 'enforce' | 'judge-only' | 'trusted' {
  // With the load the whole state was judged with: without it the capacity rule cannot block, and a state
  // unsafe by capacity alone was taken as explained by trusted actors and told to nobody (seed 1361693681).
  const blocksAgainst = (baseline: LoadBalancerSnapshot): boolean =>
    evaluate(policy, withCurrentHealth(baseline, current), current, { change: changes[changes.length - 1].change, lb, load }).decision === 'block';
  if (blocksAgainst(absorbedBaseline(lastKnownGood, changes))) return 'enforce';
  const trusted = changes.filter((c) => c.actor.treatment === 'trust');
  if (!changes.some((c) => c.actor.treatment === 'judge-only')) return 'trusted';
  return trusted.length > 0 && !blocksAgainst(absorbedBaseline(lastKnownGood, trusted)) ? 'trusted' : 'judge-only';
}
