import { inScope } from '../config/in-scope';
import type { Scope } from '../config/watchdog-environment';
import { ResourceNotFoundError, WatchdogError } from '../errors';
import type { Change } from '../events/change';
import { parseElbArn } from '../events/arn';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { withCurrentHealth } from '../model/with-current-health';
import { formatVerdict, type VerdictReport } from '../notify/format-verdict';
import { shareChanges } from '../notify/share-diff';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import { decideAction, resolveMode } from '../policy/resolve-mode';
import type { EnforcementAction } from '../policy/verdict';
import type { AuditRecord, CapacityStore, LeaseHolder, MetricsReader, Notifier, PendingVerdict, PlanApplier, SnapshotReader, StateStore, StoredSnapshot } from '../ports';
import { canonicalListeners, configurationOf, sameConfiguration, stableJson } from '../revert/canonical';
import { revertTargetProblems } from '../revert/check-revert-target';
import { routingFingerprints } from '../revert/leave-newer-changes';
import { planRevert } from '../revert/plan-revert';
import type { SdkTag } from '../revert/revert-plan';
import { checkBaseline } from '../trust/check-baseline';
import { absorbedBaseline, actorChanges, culprits, keepDeregistered, treatmentOfUnsafe, unsafeJudgeOnly, type ActorChange } from './batch-actors';
import { nextFightRound, fightSpan, type FightRound } from './fights';
import type { Outcome } from './outcome';
import { loadForChange } from './load-for-change';
import { onlyKeptRisks } from './kept-risks';
import { isOwnChange } from './own-change';
import { readCurrent } from './read-current';
import { drainPending, holdVerdict, settleHeld, tellVerdict } from './tell-verdict';

export { RevertIncompleteError } from './tell-verdict';

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
  /** `judge` in on-change: a verdict of this load balancer leased by a judge belongs to a run that is over. */
  readonly leaseHolder?: LeaseHolder;
  /** CloudWatch metrics (one GetMetricData call per change that can move traffic); absent: shares alone. */
  readonly metrics?: MetricsReader;
  /** The proven capacity the audit stores. */
  readonly capacity?: CapacityStore;
}

/** The result of handling one change for one load balancer. */
export type ChangeOutcome =
  | { readonly status: 'skipped'; readonly reason: 'own-change' | 'duplicate' | 'out-of-scope' }
  | { readonly status: 'handled'; readonly record: AuditRecord };

/**
 * The claim lease. Changes to one load balancer arrive in one FIFO message group, which SQS holds while a
 * batch is in flight and redelivers only after the visibility timeout (longer than the function's timeout):
 * a claim still "in progress" when its event comes again belongs to a run that is over. So a claim is taken
 * over at once; the claim only keeps a finished event from being judged twice.
 */
const CLAIM_LEASE_SECONDS = 0;
/** Share changes kept in an audit record: an item must stay under DynamoDB's 400 KB. */
const AUDIT_DIFF_ROWS = 100;

/**
 * Outcomes after which a held unexplained verdict of the same load balancer has nothing left to tell: the
 * state is explained (a late event named its cause, who is told or trusted), restored, or safe again.
 */
const SETTLES_HELD: ReadonlySet<string> = new Set<Outcome>(['baseline-updated', 'unchanged', 'trusted', 'judge-only', 'reverted', 'not-reverted', 'load-balancer-deleted']);

/** Thrown when another run holds the event: retry later rather than judge it twice at once. */
export class EventInProgressError extends WatchdogError {
  public constructor(public readonly eventId: string) {
    super(`event ${eventId} is being handled by another run`);
    this.name = 'EventInProgressError';
  }
}

/** The tags a re-created listener or rule carries: the scope's tag, so IAM lets the watchdog create it. */
export function createTagsFor(scope: Scope, snapshot: LoadBalancerSnapshot): SdkTag[] {
  if (scope.type !== 'tag') return [];
  return [{ Key: scope.key, Value: scope.value ?? snapshot.loadBalancer.tags[scope.key] ?? '' }];
}

/** The claim key of one change for one load balancer. */
function claimKeyOf(change: Change, loadBalancerArn: string): string {
  return `${change.eventId}#${loadBalancerArn}`;
}

/** The id of a verdict's notification: stable across retries. */
function notificationIdOf(change: Change, loadBalancerArn: string): string {
  return `${change.eventId}#${parseElbArn(loadBalancerArn)?.path.slice(-1)[0] ?? loadBalancerArn}`;
}

/** Who re-applies: the caller's ARN (a user, or a role session), or its display name. */
function actorKeyOf(change: Change): string {
  return change.actor.roleArn ?? change.actor.arn ?? change.actor.displayName;
}

/** Judges one change (a batch of one). */
export async function judgeChange(deps: JudgeDependencies, change: Change, loadBalancerArn: string): Promise<ChangeOutcome> {
  return (await judgeChanges(deps, [change], loadBalancerArn))[0];
}

/**
 * Judges the changes of one load balancer that arrived together (one FIFO group of one batch), in order,
 * with one read of the final state: the heart of the on-change Lambda. Re-reads only what the changes can
 * affect rather than trusting the events (best effort, unordered, duplicated), takes out of the baseline
 * what judge-only and trusted actors changed, judges, and acts by the mode, the break-glass, the actors'
 * treatment, do no harm and fights. Every verdict is told through the outbox; every change gets one audit
 * record, naming the change(s) that made the state unsafe.
 */
export async function judgeChanges(deps: JudgeDependencies, changes: readonly Change[], loadBalancerArn: string): Promise<ChangeOutcome[]> {
  // A verdict an earlier run could not finish telling comes first.
  await drainPending(deps, loadBalancerArn);
  // What is left is leased by another run (or by one that crashed after judging): its changes are judged, and
  // the outbox tells them once the lease ends. Judging them again would write a second verdict for each.
  const waiting = await deps.store.listPending(loadBalancerArn);
  const told = new Set(waiting.flatMap((p) => p.claimKeys));
  // Held for a late event: what this batch's judgement may settle (read once, here, not per batch again).
  const held = waiting.filter((p) => p.tellAfter !== undefined);
  const outcomes = new Map<Change, ChangeOutcome>();
  const claimed: Change[] = [];
  try {
    for (const change of changes) {
      if (isOwnChange(change.actor, deps.ownRoleNames)) {
        outcomes.set(change, { status: 'skipped', reason: 'own-change' });
        continue;
      }
      if (told.has(claimKeyOf(change, loadBalancerArn))) {
        outcomes.set(change, { status: 'skipped', reason: 'duplicate' });
        continue;
      }
      const claim = await deps.store.claimEvent(claimKeyOf(change, loadBalancerArn), CLAIM_LEASE_SECONDS);
      if (claim === 'already-done') outcomes.set(change, { status: 'skipped', reason: 'duplicate' });
      else if (claim === 'in-progress') throw new EventInProgressError(claimKeyOf(change, loadBalancerArn));
      else claimed.push(change);
    }
    if (claimed.length > 0) {
      const handled = await handleClaimed(deps, claimed, loadBalancerArn);
      for (const [change, outcome] of handled) outcomes.set(change, outcome);
      // Best effort: a held verdict left unsettled is told when its wait is over, noise rather than a loss.
      if (held.length > 0 && [...handled.values()].some((o) => o.status === 'handled' && SETTLES_HELD.has(o.record.outcome))) await settleHeld(deps, held).catch(() => 0);
    }
  } catch (error) {
    // Claims of a verdict already in the outbox are that record's to complete or release.
    const pending = new Set((await deps.store.listPending(loadBalancerArn).catch(() => [])).flatMap((p) => p.claimKeys));
    for (const change of claimed) {
      const key = claimKeyOf(change, loadBalancerArn);
      if (!pending.has(key)) await deps.store.releaseEvent(key).catch(() => undefined);
    }
    throw error;
  }
  return changes.map((change) => outcomes.get(change) as ChangeOutcome);
}

/** The stored baseline, trusted or not, and the break-glass and fight of a load balancer. */
async function loadState(deps: JudgeDependencies, arn: string) {
  const [stored, breakGlass, fight] = await Promise.all([deps.store.getLastKnownGood(arn), deps.store.getBreakGlass(arn), deps.store.getFight(arn)]);
  // Never revert to a baseline the watchdog did not write: a rejected one is judged as no baseline at all.
  const baseline = checkBaseline(stored, arn);
  return {
    lastKnownGood: baseline.status === 'trusted' ? baseline.stored : undefined,
    rejectedBaseline: baseline.status === 'rejected' ? baseline.rejection : undefined,
    breakGlass,
    fight,
  };
}

/** A fingerprint of a configuration (routing, registrations, attributes), to recognise a re-apply. */
function fingerprint(snapshot: LoadBalancerSnapshot): string {
  const { listeners: _listeners, ...rest } = configurationOf(snapshot) as Record<string, unknown>;
  return stableJson({ listeners: canonicalListeners(snapshot), ...rest });
}

function describeOther({ change, actor }: ActorChange): string {
  const who = actor.matched ? `${change.actor.displayName} (${actor.title}, ${actor.treatment})` : change.actor.displayName;
  return `${change.eventName} by ${who}, judged with this change: not its cause`;
}

async function handleClaimed(deps: JudgeDependencies, changes: readonly Change[], arn: string): Promise<Map<Change, ChangeOutcome>> {
  const state = await loadState(deps, arn);
  const { lastKnownGood } = state;
  let current: LoadBalancerSnapshot;
  try {
    current = await readCurrent(deps.reader, arn, lastKnownGood?.snapshot, changes);
  } catch (error) {
    if (error instanceof ResourceNotFoundError && changes.some((c) => c.eventName === 'DeleteLoadBalancer')) return recordDeletion(deps, changes, arn);
    throw error;
  }
  if (!inScope(deps.scope, { arn, tags: current.loadBalancer.tags })) {
    for (const change of changes) await deps.store.completeEvent(claimKeyOf(change, arn));
    return new Map(changes.map((c) => [c, { status: 'skipped', reason: 'out-of-scope' }]));
  }

  const batch = actorChanges(deps.policy, changes);
  const lb = { arn, tags: current.loadBalancer.tags };
  const last = changes[changes.length - 1];
  const { mode, breakGlassActive } = resolveMode(deps.policy, lb, state.breakGlass, deps.now());
  const { load } = await loadForChange(deps, lastKnownGood?.snapshot, current, lb, new Date(Math.min(...changes.map((c) => Date.parse(c.eventTime)))));
  // The state against the last known good: is it unsafe, whoever made it so?
  const whole = evaluate(deps.policy, lastKnownGood === undefined ? undefined : withCurrentHealth(lastKnownGood.snapshot, current), current, { change: last, lb, load });
  // What judge-only and trusted actors changed is absorbed: the revert restores only what enforced actors changed.
  const baseline = lastKnownGood === undefined ? undefined : absorbedBaseline(lastKnownGood.snapshot, batch);
  const attributed = whole.decision === 'block' && baseline !== undefined ? culprits(deps.policy, baseline, current, batch, lb, load) : { culprits: [] };
  const blocking = attributed.culprits;
  // The verdict told: of the enforced changes when they made it unsafe, else of the whole state.
  const verdict = attributed.verdict ?? whole;
  let action: EnforcementAction = decideAction(verdict.decision, mode, breakGlassActive);
  // Unsafe, and nothing in this batch made it so: an event lost or still on its way. Neither reverted here
  // (the change may be a trusted actor's whose event comes later) nor taken as the baseline, but told: the
  // audit reverts unsafe routing drift that stays unexplained for a whole period.
  let unexplained = false;
  let treatment: ReturnType<typeof treatmentOfUnsafe> | undefined;
  if ((action === 'revert' || action === 'would-revert') && blocking.length === 0 && lastKnownGood !== undefined) {
    treatment = treatmentOfUnsafe(deps.policy, lastKnownGood.snapshot, current, batch, lb, load);
    unexplained = treatment === 'enforce';
    action = treatment === 'enforce' ? 'trusted' : treatment;
  }
  // Unexplained, but with a scaler's change unsafe on its own: that one is told at once (not held), under its name.
  const scalerAlone = unexplained && lastKnownGood !== undefined ? unsafeJudgeOnly(deps.policy, lastKnownGood.snapshot, current, batch, lb, load) : [];
  // The change a notification is about: the first culprit, else the judge-only change that made it unsafe,
  // else the last change of the batch.
  const judgeOnly = treatment === 'judge-only' ? [...batch].reverse().find((c) => c.actor.treatment === 'judge-only') : scalerAlone[scalerAlone.length - 1];
  const subject = blocking[0] ?? judgeOnly ?? batch[batch.length - 1];
  let fight: FightRound | undefined;
  if (action === 'revert' || action === 'would-revert') {
    fight = nextFightRound(state.fight, { actorKey: actorKeyOf(subject.change), actorName: subject.change.actor.displayName, configuration: fingerprint(current), at: deps.now().toISOString() }, deps.policy.fights);
    await deps.store.putFight(arn, fight.state);
    if (action === 'revert' && fight.yieldNow) action = 'yield';
  }

  const stack = current.loadBalancer.tags['aws:cloudformation:stack-name'] ?? 'unknown (no aws:cloudformation:stack-name tag)';
  const diff = shareChanges(verdict.routing);
  const id = notificationIdOf(subject.change, arn);
  const causes = new Set(blocking.map((c) => c.change));
  const createTags = createTagsFor(deps.scope, current);
  const options = { createTags, keepDeregistered: keepDeregistered(batch) };
  const report: Omit<VerdictReport, 'outcome'> = {
    change: subject.change,
    loadBalancer: { arn, name: current.loadBalancer.name },
    mode,
    verdict: { decision: verdict.decision, findings: verdict.findings },
    shareChanges: diff.slice(0, AUDIT_DIFF_ROWS),
    action,
    ...(baseline !== undefined && (action === 'would-revert' || action === 'revert') && { plan: planRevert(baseline, current, options) }),
    ...(breakGlassActive && state.breakGlass !== undefined && { breakGlass: state.breakGlass }),
    ...(lastKnownGood !== undefined && { lastKnownGoodAt: lastKnownGood.snapshot.capturedAt }),
    ...(state.rejectedBaseline !== undefined && { rejectedBaseline: state.rejectedBaseline }),
    ...(subject.actor.matched && {
      actor: { title: subject.actor.title, treatment: subject.actor.treatment, ...(subject.actor.source !== undefined && { source: subject.actor.source.replace('{stack}', stack) }) },
    }),
    judgedWith: batch.filter((c) => c !== subject).map(describeOther),
    ...(fight !== undefined && { fight: { round: fight.round, notice: fight.notice, span: fightSpan(fight.state), untold: fight.state.untold, yielded: fight.yieldNow } }),
    notificationId: id,
  };
  const recordsFor = (outcome: Outcome | string): AuditRecord[] =>
    batch.map(({ change, actor }) => ({
      loadBalancerArn: arn,
      at: deps.now().toISOString(),
      eventId: change.eventId,
      eventName: change.eventName,
      eventTime: change.eventTime,
      actor: change.actor,
      mode,
      decision: verdict.decision,
      action,
      outcome: verdict.decision === 'block' && !causes.has(change) && causes.size > 0 ? `judged with ${subject.change.eventName} by ${subject.change.actor.displayName}` : outcome,
      findings: verdict.findings,
      shareDiff: diff.slice(0, AUDIT_DIFF_ROWS).map(({ requestClass, targetId, before, after }) => ({ requestClass, targetId, before, after })),
      ...(report.plan !== undefined && { plan: report.plan }),
      latencyMs: Math.max(0, deps.now().getTime() - Date.parse(change.eventTime)),
      actorTreatment: { name: actor.name, treatment: actor.treatment },
      ...(verdict.decision === 'block' && { cause: causes.has(change) ? ('caused' as const) : ('judged-with' as const) }),
      ...(fight !== undefined && { fight: { round: fight.round, notice: fight.notice } }),
      notificationId: id,
    }));
  const pendingOf = (outcome: Outcome, told: boolean): PendingVerdict => {
    const notification = told ? formatVerdict({ ...report, outcome }) : undefined;
    return {
      id,
      loadBalancerArn: arn,
      createdAt: deps.now().toISOString(),
      stage: 'to-publish',
      claimKeys: changes.map((c) => claimKeyOf(c, arn)),
      records: recordsFor(outcome),
      ...(notification !== undefined && { notification }),
    };
  };

  let outcome: Outcome;
  switch (action) {
    case 'off':
      outcome = 'not-judged';
      break;
    case 'none':
    case 'judge-only':
    case 'trusted':
      if (state.rejectedBaseline !== undefined) {
        // Left in place, not overwritten with a change judged without a baseline: the audit takes a fresh one.
        outcome = 'baseline-rejected';
        break;
      }
      // Allowed, or made by actors the policy does not revert: this is the baseline now. Conditional on the
      // version judged against: a ConcurrentUpdateError means the view is stale, and the batch is retried.
      if (action === 'none' && lastKnownGood !== undefined && sameConfiguration(current, lastKnownGood.snapshot)) {
        outcome = 'unchanged';
        break;
      }
      if (unexplained) {
        outcome = 'left-to-audit';
        break;
      }
      await deps.store.putLastKnownGood(current, { expectedVersion: lastKnownGood?.version, eventId: last.eventId });
      outcome = action === 'none' ? 'baseline-updated' : action === 'judge-only' ? 'judge-only' : 'trusted';
      break;
    case 'would-revert':
      outcome = 'not-reverted';
      break;
    case 'suspended-by-break-glass':
      outcome = 'suspended';
      break;
    case 'yield':
      outcome = 'yielded';
      break;
    case 'revert': {
      const good = (lastKnownGood as StoredSnapshot).snapshot;
      const target = baseline as LoadBalancerSnapshot;
      const refused = revertTargetProblems(planRevert(target, current, options), current, good);
      if (refused.length > 0) {
        outcome = 'revert-refused';
        await tellVerdict(deps, { ...pendingOf(outcome, false), notification: formatVerdict({ ...report, outcome, refused }) });
        return handledOutcomes(batch, recordsFor(outcome));
      }
      // The outbox first: whatever happens from here, this verdict is told.
      const reRegister = changes.flatMap((c) => (c.eventName === 'DeregisterTargets' && batch.find((b) => b.change === c)?.actor.treatment === 'enforce' ? c.request.targets.map((t) => `${c.request.targetGroupArn}\u0000${t.id}`) : []));
      const reverting: PendingVerdict = {
        ...pendingOf('reverted', false),
        stage: 'reverting',
        records: recordsFor('reverting'),
        revert: {
          baseline: target,
          baselineVersion: (lastKnownGood as StoredSnapshot).version,
          reRegister,
          createTags,
          absorbed: batch.some((c) => c.actor.treatment !== 'enforce'),
          judged: routingFingerprints(current),
          ...(fight?.notice === 'fold' && { silent: true }),
          report: report as unknown as Record<string, unknown>,
        },
      };
      const told = await tellVerdict(deps, reverting, current);
      return handledOutcomes(batch, told.records);
    }
  }
  // Trusted actors' changes are recorded, never told, whatever the verdict: a warning about a bot's change
  // that only kept a risk from before was told while a block of the same bot was silent (chaos seed 303 in
  // npm test). Still told: a rejected baseline (the watchdog's own state) and an unsafe state nothing in the
  // batch explains (not the bot's doing: a lost event's).
  // Automation (judge-only, trusted) is not told of risks its change only kept (see onlyKeptRisks).
  const onlyTrusted = batch.every((c) => c.actor.treatment === 'trust') && outcome !== 'baseline-rejected' && outcome !== 'left-to-audit';
  const keptByAutomation = batch.every((c) => c.actor.treatment !== 'enforce') && outcome !== 'baseline-rejected' && onlyKeptRisks(verdict);
  const told = outcome !== 'not-judged' && outcome !== 'trusted' && fight?.notice !== 'fold' && !onlyTrusted && !keptByAutomation;
  const pending = pendingOf(outcome, told);
  const holdSeconds = deps.policy.unexplained.holdSeconds;
  // Unexplained: the event that explains it (a scaler's, a trusted bot's) may be on its way. Told only if
  // none comes in the wait (chaos soak: Auto Scaling's and a trusted bot's late events were told as mysteries).
  if (outcome === 'left-to-audit' && told && holdSeconds > 0 && scalerAlone.length === 0) await holdVerdict(deps, { ...pending, tellAfter: new Date(deps.now().getTime() + holdSeconds * 1000).toISOString() });
  else await tellVerdict(deps, pending);
  return handledOutcomes(batch, pending.records);
}

function handledOutcomes(batch: readonly ActorChange[], records: readonly AuditRecord[]): Map<Change, ChangeOutcome> {
  return new Map(batch.map(({ change }, i) => [change, { status: 'handled', record: records[i] }]));
}

async function recordDeletion(deps: JudgeDependencies, changes: readonly Change[], loadBalancerArn: string): Promise<Map<Change, ChangeOutcome>> {
  const records: AuditRecord[] = changes.map((change) => ({
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
  }));
  await tellVerdict(deps, { id: notificationIdOf(changes[0], loadBalancerArn), loadBalancerArn, createdAt: deps.now().toISOString(), stage: 'to-publish', claimKeys: changes.map((c) => claimKeyOf(c, loadBalancerArn)), records });
  return new Map(changes.map((change, i) => [change, { status: 'handled', record: records[i] }]));
}
