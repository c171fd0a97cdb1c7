import { inScope } from '../config/in-scope';
import type { Scope } from '../config/watchdog-environment';
import { ResourceNotFoundError, WatchdogError } from '../errors';
import type { Change } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { withCurrentHealth } from '../model/with-current-health';
import { formatVerdict } from '../notify/format-verdict';
import { shareChanges } from '../notify/share-diff';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import { decideAction, resolveMode } from '../policy/resolve-mode';
import type { AuditRecord, Notifier, PlanApplier, SnapshotReader, StateStore, StoredSnapshot } from '../ports';
import type { BreakGlass, EnforcementAction, Mode, Verdict } from '../policy/verdict';
import { revertTargetProblems } from '../revert/check-revert-target';
import { planRevert } from '../revert/plan-revert';
import type { RevertPlan, RevertStep, SdkTag } from '../revert/revert-plan';
import { configurationOf, stableJson } from '../revert/canonical';
import { routingDifferences } from '../revert/verify-routing';
import { checkBaseline, type BaselineRejection } from '../trust/check-baseline';
import type { Outcome } from './outcome';
import { isOwnChange } from './own-change';

/** Everything judging a change needs from outside: ports, policy and settings. */
export interface JudgeDependencies {
  readonly reader: SnapshotReader;
  readonly store: StateStore;
  readonly applier: PlanApplier;
  readonly notifier: Notifier;
  readonly policy: Policy;
  readonly scope: Scope;
  readonly ownRoleNames: readonly string[];
  readonly now: () => Date;
}

/** The result of handling one change for one load balancer. */
export type ChangeOutcome =
  | { readonly status: 'skipped'; readonly reason: 'own-change' | 'duplicate' | 'out-of-scope' }
  | { readonly status: 'handled'; readonly record: AuditRecord };

/** The claim lease: longer than one handler run, so a live run is never taken over. */
const CLAIM_LEASE_SECONDS = 300;
/** Share changes kept in an audit record. */
const AUDIT_DIFF_ROWS = 100;
/** Apply, re-read, re-plan: a plan the world interfered with gets this many rounds before we give up. */
const VERIFY_ROUNDS = 3;

/** Thrown when a revert did not complete: the record must be retried (and people were told). */
export class RevertIncompleteError extends WatchdogError {
  public constructor(
    message: string,
    public readonly loadBalancerArn: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RevertIncompleteError';
  }
}

/** Thrown when another run holds the event: retry later rather than judge it twice at once. */
export class EventInProgressError extends WatchdogError {
  public constructor(public readonly eventId: string) {
    super(`event ${eventId} is being handled by another run`);
    this.name = 'EventInProgressError';
  }
}

interface Judgement {
  readonly lastKnownGood?: StoredSnapshot;
  /** A stored baseline the watchdog did not write (or that names other resources): judged without it. */
  readonly rejectedBaseline?: BaselineRejection;
  readonly mode: Mode;
  readonly breakGlass?: BreakGlass;
  readonly verdict: Verdict;
  readonly action: EnforcementAction;
}

/** `evaluate` never blocks without a baseline (there is nothing to return to), so a block has one. */
function baselineOf(stored: StoredSnapshot | undefined): LoadBalancerSnapshot {
  if (stored === undefined) throw new WatchdogError('a blocked verdict without a last known good: evaluate broke its contract');
  return stored.snapshot;
}

/** The tags a re-created listener or rule carries: the scope's tag, so IAM lets the watchdog create it. */
export function createTagsFor(scope: Scope, snapshot: LoadBalancerSnapshot): SdkTag[] {
  if (scope.type !== 'tag') return [];
  return [{ Key: scope.key, Value: scope.value ?? snapshot.loadBalancer.tags[scope.key] ?? '' }];
}

/** What a revert did: every step applied over its rounds, and what still differs from the last known good. */
interface RevertResult {
  readonly firstPlan: RevertPlan;
  readonly applied: readonly RevertStep[];
  /** Empty when routing is restored and verified by re-reading. */
  readonly differences: readonly string[];
  /** The configuration read back at the end (routing as the last known good, with any new ARNs). */
  readonly final?: LoadBalancerSnapshot;
  readonly error?: Error;
}

/**
 * Applies the plan, re-reads, compares routing class by class; plans again for what is left (a re-created
 * listener's rules, a change someone made meanwhile) until nothing differs or the rounds run out.
 */
async function revertAndVerify(deps: JudgeDependencies, lastKnownGood: LoadBalancerSnapshot, current: LoadBalancerSnapshot): Promise<RevertResult> {
  const options = { createTags: createTagsFor(deps.scope, lastKnownGood) };
  const firstPlan = planRevert(lastKnownGood, current, options);
  let plan: RevertPlan = firstPlan;
  const applied: RevertStep[] = [];
  let final: LoadBalancerSnapshot = current;
  let differences = routingDifferences(lastKnownGood, current, options);
  for (let round = 0; round < VERIFY_ROUNDS && plan.steps.length > 0; round++) {
    const result = await deps.applier.apply(plan);
    applied.push(...result.applied);
    if (result.failed) return { firstPlan, applied, differences, error: result.failed.error };
    final = await deps.reader.readSnapshot(lastKnownGood.loadBalancer.arn);
    differences = routingDifferences(lastKnownGood, final, options);
    plan = planRevert(lastKnownGood, final, options);
  }
  const error = differences.length > 0 ? new Error(`routing still differs after ${VERIFY_ROUNDS} rounds: ${differences.join('; ')}`) : undefined;
  return { firstPlan, applied, differences, final, error };
}

async function judge(deps: JudgeDependencies, change: Change, current: LoadBalancerSnapshot): Promise<Judgement> {
  const arn = current.loadBalancer.arn;
  const [stored, breakGlass] = await Promise.all([deps.store.getLastKnownGood(arn), deps.store.getBreakGlass(arn)]);
  // Never revert to a baseline the watchdog did not write: a rejected one is judged as no baseline at all.
  const baseline = checkBaseline(stored, arn);
  const lastKnownGood = baseline.status === 'trusted' ? baseline.stored : undefined;
  const rejectedBaseline = baseline.status === 'rejected' ? baseline.rejection : undefined;
  const lb = { arn, tags: current.loadBalancer.tags };
  const { mode, breakGlassActive } = resolveMode(deps.policy, lb, breakGlass, deps.now());
  const before = lastKnownGood === undefined ? undefined : withCurrentHealth(lastKnownGood.snapshot, current);
  const verdict = evaluate(deps.policy, before, current, { change, lb });
  return { lastKnownGood, rejectedBaseline, mode, verdict, breakGlass: breakGlassActive ? breakGlass : undefined, action: decideAction(verdict.decision, mode, breakGlassActive) };
}

/**
 * Judges one change to one load balancer and acts: the heart of the on-change Lambda. Re-reads the live
 * configuration rather than trusting the event (events are best effort, unordered, duplicated), compares
 * it with the last known good, and by the verdict and mode stores a new baseline, reverts, or tells people
 * what would have been reverted. Every handled change leaves one audit record.
 */
export async function judgeChange(deps: JudgeDependencies, change: Change, loadBalancerArn: string): Promise<ChangeOutcome> {
  if (isOwnChange(change.actor, deps.ownRoleNames)) return { status: 'skipped', reason: 'own-change' };
  const claimKey = `${change.eventId}#${loadBalancerArn}`;
  const claim = await deps.store.claimEvent(claimKey, CLAIM_LEASE_SECONDS);
  if (claim === 'already-done') return { status: 'skipped', reason: 'duplicate' };
  if (claim === 'in-progress') throw new EventInProgressError(claimKey);
  try {
    const outcome = await handleClaimed(deps, change, loadBalancerArn);
    await deps.store.completeEvent(claimKey);
    return outcome;
  } catch (error) {
    await deps.store.releaseEvent(claimKey).catch(() => undefined);
    throw error;
  }
}

async function handleClaimed(deps: JudgeDependencies, change: Change, loadBalancerArn: string): Promise<ChangeOutcome> {
  let current: LoadBalancerSnapshot;
  try {
    current = await deps.reader.readSnapshot(loadBalancerArn);
  } catch (error) {
    if (error instanceof ResourceNotFoundError && change.eventName === 'DeleteLoadBalancer') {
      return { status: 'handled', record: await recordDeletion(deps, change, loadBalancerArn) };
    }
    throw error;
  }
  if (!inScope(deps.scope, { arn: loadBalancerArn, tags: current.loadBalancer.tags })) return { status: 'skipped', reason: 'out-of-scope' };

  const judgement = await judge(deps, change, current);
  const { verdict, action, lastKnownGood } = judgement;
  let outcome: Outcome;
  let plan: RevertPlan | undefined;
  let applied: readonly RevertStep[] | undefined;
  let notRestored: readonly string[] | undefined;
  let error: Error | undefined;
  let refused: string[] | undefined;
  switch (action) {
    case 'off':
      outcome = 'not-judged';
      break;
    case 'none':
      if (judgement.rejectedBaseline !== undefined) {
        // Left in place, not overwritten with a change judged without a baseline: the audit takes a fresh one.
        outcome = 'baseline-rejected';
        break;
      }
      // Conditional on the version we judged against: a ConcurrentUpdateError means our view is stale,
      // and the record is retried.
      await deps.store.putLastKnownGood(current, { expectedVersion: lastKnownGood?.version, eventId: change.eventId });
      outcome = 'baseline-updated';
      break;
    case 'would-revert':
      plan = planRevert(baselineOf(lastKnownGood), current, { createTags: createTagsFor(deps.scope, current) });
      outcome = 'not-reverted';
      break;
    case 'suspended-by-break-glass':
      outcome = 'suspended';
      break;
    case 'revert': {
      refused = revertTargetProblems(planRevert(baselineOf(lastKnownGood), current), current, baselineOf(lastKnownGood));
      if (refused.length > 0) {
        outcome = 'revert-refused';
        break;
      }
      const result = await revertAndVerify(deps, baselineOf(lastKnownGood), current);
      plan = result.firstPlan;
      applied = result.applied;
      notRestored = [...result.differences, ...result.firstPlan.unrestorable];
      error = result.error;
      outcome = error ? 'revert-failed' : 'reverted';
      // Routing is back, maybe with new ARNs (re-created rules): that is the last known good now.
      if (!error && result.final !== undefined && lastKnownGood !== undefined && stableJson(configurationOf(result.final)) !== stableJson(configurationOf(lastKnownGood.snapshot))) {
        await deps.store.putLastKnownGood(result.final, { expectedVersion: lastKnownGood.version, eventId: change.eventId });
      }
      break;
    }
  }
  const diff = shareChanges(verdict.routing);
  const finishedAt = deps.now();
  const latencyMs = Math.max(0, finishedAt.getTime() - Date.parse(change.eventTime));
  const record: AuditRecord = {
    loadBalancerArn,
    at: finishedAt.toISOString(),
    eventId: change.eventId,
    eventName: change.eventName,
    eventTime: change.eventTime,
    actor: change.actor,
    mode: judgement.mode,
    decision: verdict.decision,
    action,
    outcome,
    findings: verdict.findings,
    // The largest changes only: an audit item must stay under DynamoDB's 400 KB.
    shareDiff: diff.slice(0, AUDIT_DIFF_ROWS).map(({ requestClass, targetId, before, after }) => ({ requestClass, targetId, before, after })),
    plan,
    latencyMs,
  };
  await deps.store.appendAudit(record);
  // A failing revert is retried several times; people hear about it once per event.
  const tell = outcome !== 'revert-failed' || (await deps.store.rememberOnce(`revert-failed#${change.eventId}#${loadBalancerArn}`));
  const notification = formatVerdict({
    change,
    loadBalancer: { arn: loadBalancerArn, name: current.loadBalancer.name },
    mode: judgement.mode,
    verdict,
    shareChanges: diff,
    action,
    outcome,
    plan,
    applied,
    notRestored,
    breakGlass: judgement.breakGlass,
    latencyMs,
    lastKnownGoodAt: lastKnownGood?.snapshot.capturedAt,
    error: error?.message,
    rejectedBaseline: judgement.rejectedBaseline,
    refused,
  });
  if (notification && tell) await deps.notifier.publish(notification);
  if (error) throw new RevertIncompleteError(`revert of ${loadBalancerArn} incomplete: ${error.message}`, loadBalancerArn, { cause: error });
  return { status: 'handled', record };
}

async function recordDeletion(deps: JudgeDependencies, change: Change, loadBalancerArn: string): Promise<AuditRecord> {
  const record: AuditRecord = {
    loadBalancerArn,
    at: deps.now().toISOString(),
    eventId: change.eventId,
    eventName: change.eventName,
    eventTime: change.eventTime,
    actor: change.actor,
    mode: deps.policy.mode,
    decision: 'allow',
    action: 'none',
    outcome: 'load-balancer-deleted',
    findings: [],
    shareDiff: [],
  };
  await deps.store.appendAudit(record);
  return record;
}
