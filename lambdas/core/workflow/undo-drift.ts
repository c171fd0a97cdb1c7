import { createHash } from 'node:crypto';
import type { Change } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { VerdictReport } from '../notify/format-verdict';
import { shareChanges } from '../notify/share-diff';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import type { Verdict } from '../policy/verdict';
import type { AuditRecord, PendingVerdict, StoredSnapshot } from '../ports';
import { canonicalListeners } from '../revert/canonical';
import { planRevert, type PlanRevertOptions } from '../revert/plan-revert';
import type { SdkTag } from '../revert/revert-plan';
import { tellVerdict, type TellPorts } from './tell-verdict';

/** Who a drift is attributed to: no event named anyone. */
const NOBODY = 'unknown caller (no change event; found by the audit)';

/**
 * Unsafe drift of routing alone: the baseline's listeners and rules over today's target membership and
 * health, judged against the configuration as it is. Membership (who is registered) belongs to scalers,
 * whose actor a lost event no longer names, so it is never restored here; routing (listeners, rules, weights,
 * priorities) is what a person or pipeline changes, and what the on-change path would have reverted.
 */
export interface RoutingDrift {
  /** The configuration to restore: today's, with the baseline's listeners and rules. */
  readonly target: LoadBalancerSnapshot;
  readonly verdict: Verdict;
  /** A fingerprint of the drifted routing, so a later audit knows it is the same drift. */
  readonly fingerprint: string;
}

/** The routing drift of `current` from `baseline` when the policy blocks it, else undefined. */
export function unsafeRoutingDrift(policy: Policy, baseline: LoadBalancerSnapshot, current: LoadBalancerSnapshot, options: PlanRevertOptions = {}): RoutingDrift | undefined {
  const target: LoadBalancerSnapshot = { ...current, listeners: baseline.listeners };
  if (planRevert(target, current, options).steps.length === 0) return undefined;
  const verdict = evaluate(policy, target, current, { lb: { arn: current.loadBalancer.arn, tags: current.loadBalancer.tags } });
  if (verdict.decision !== 'block') return undefined;
  const fingerprint = createHash('sha256').update(canonicalListeners(current)).digest('hex').slice(0, 16);
  return { target, verdict, fingerprint };
}

/** The outcome recorded when an audit first sees a drift: reverted by the next audit unless an event explains it. */
export const DRIFT_SEEN = 'drift-seen';

/**
 * True when the newest audit record of the load balancer is this audit's own sighting of the same drift
 * against the same baseline: a whole audit period went by and no judged change explained it (a lost event).
 * A drift seen for the first time may be a change whose event is still on its way (CloudTrail's delivery is
 * best effort and unordered), which the on-change path will judge with its actor: the audit waits one period.
 */
export function seenBefore(history: readonly AuditRecord[], drift: RoutingDrift, baselineVersion: number): boolean {
  const newest = history[history.length - 1];
  return newest !== undefined && newest.eventName === 'Audit' && newest.outcome === DRIFT_SEEN && newest.eventId === sightingId(drift, baselineVersion);
}

function sightingId(drift: RoutingDrift, baselineVersion: number): string {
  return `drift#${baselineVersion}#${drift.fingerprint}`;
}

/** The audit record of a first sighting. */
export function sightingRecord(arn: string, drift: RoutingDrift, baselineVersion: number, now: Date): AuditRecord {
  return {
    loadBalancerArn: arn,
    at: now.toISOString(),
    eventId: sightingId(drift, baselineVersion),
    eventName: 'Audit',
    eventTime: now.toISOString(),
    actor: { type: 'Unknown', displayName: NOBODY },
    mode: 'enforce',
    decision: drift.verdict.decision,
    action: 'none',
    outcome: DRIFT_SEEN,
    findings: drift.verdict.findings,
    shareDiff: [],
  };
}

/**
 * Reverts an unexplained routing drift through the outbox, as the on-change path reverts a change: the
 * revert, its audit record and its notification are finished by the next run if this one dies midway.
 */
export async function undoRoutingDrift(
  ports: TellPorts,
  current: LoadBalancerSnapshot,
  stored: StoredSnapshot,
  drift: RoutingDrift,
  createTags: readonly SdkTag[],
): Promise<PendingVerdict> {
  const now = ports.now();
  const arn = current.loadBalancer.arn;
  const id = `${sightingId(drift, stored.version)}#${current.loadBalancer.name}`;
  const firstListener = current.listeners[0]?.arn ?? arn;
  // The notification speaks of a change; this one has no event, so it is named for what drifted.
  const change: Change = {
    eventName: 'ModifyListener',
    eventId: sightingId(drift, stored.version),
    eventTime: now.toISOString(),
    region: arn.split(':')[3] ?? '',
    accountId: arn.split(':')[4] ?? '',
    actor: { type: 'Unknown', displayName: NOBODY },
    resources: { loadBalancerArns: [arn], listenerArns: [firstListener], ruleArns: [], targetGroupArns: [] },
    request: { listenerArn: firstListener },
  };
  const diff = shareChanges(drift.verdict.routing);
  const plan = planRevert(drift.target, current, { createTags });
  const report: Omit<VerdictReport, 'outcome'> = {
    change,
    loadBalancer: { arn, name: current.loadBalancer.name },
    mode: 'enforce',
    verdict: { decision: drift.verdict.decision, findings: drift.verdict.findings },
    shareChanges: diff.slice(0, 100),
    action: 'revert',
    plan,
    lastKnownGoodAt: stored.snapshot.capturedAt,
    notificationId: id,
  };
  const record: AuditRecord = {
    ...sightingRecord(arn, drift, stored.version, now),
    // Its own record: audit records are written once per event id.
    eventId: `${sightingId(drift, stored.version)}#undo`,
    action: 'revert',
    outcome: 'reverting',
    plan,
    shareDiff: diff.slice(0, 100).map(({ requestClass, targetId, before, after }) => ({ requestClass, targetId, before, after })),
    notificationId: id,
  };
  const pending: PendingVerdict = {
    id,
    loadBalancerArn: arn,
    createdAt: now.toISOString(),
    stage: 'reverting',
    claimKeys: [],
    records: [record],
    // Restoring routing only: today's membership is in the target, so no target is registered again.
    revert: { baseline: drift.target, baselineVersion: stored.version, reRegister: [], createTags, absorbed: false, report: report as unknown as Record<string, unknown> },
  };
  return tellVerdict(ports, pending, current);
}
