import { inScope } from '../config/in-scope';
import type { Scope } from '../config/watchdog-environment';
import { ConcurrentUpdateError } from '../errors';
import { formatRisks } from '../notify/format-risks';
import type { Policy } from '../policy/policy-schema';
import type { Finding } from '../policy/verdict';
import type { Notifier, SnapshotReader, StateStore } from '../ports';
import { assessLoadBalancer, type DriftStatus } from './assess-load-balancer';

/** What the audit needs. */
export interface AuditDependencies {
  readonly reader: SnapshotReader;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly policy: Policy;
  readonly scope: Scope;
}

/** What the audit found on one load balancer. */
export interface LoadBalancerAudit {
  readonly arn: string;
  readonly name: string;
  /** `baseline-created`, `baseline-refreshed`, `safe-drift-accepted`, `unsafe-drift`, or `error`. */
  readonly status: 'baseline-created' | 'baseline-refreshed' | 'safe-drift-accepted' | 'unsafe-drift' | 'error';
  readonly risks: readonly Finding[];
  readonly newlyReported: number;
  readonly error?: string;
}

const STATUS_OF: Record<DriftStatus, LoadBalancerAudit['status']> = {
  'no-baseline': 'baseline-created',
  unchanged: 'baseline-refreshed',
  'safe-drift': 'safe-drift-accepted',
  'unsafe-drift': 'unsafe-drift',
};

const riskKey = (arn: string, finding: Finding) =>
  `risk#${arn}#${finding.ruleId}#${finding.requestClass?.label ?? ''}#${finding.targetId ?? ''}#${finding.targetGroupArn ?? ''}`;

/**
 * The scheduled audit: judges every load balancer in scope as it is now. It stores a baseline where
 * there is none, refreshes baselines that still match, accepts safe drift, and reports what people
 * should know once: risks that exist without any change (a single-target path) and unsafe drift that no
 * change event explained. It never reverts: a drift may be a change whose event is still on its way, and
 * the on-change path owns reverts.
 */
export async function auditLoadBalancers(
  deps: AuditDependencies,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<LoadBalancerAudit[]> {
  const loadBalancers = (await deps.reader.listLoadBalancers()).filter((lb) => inScope(deps.scope, lb));
  const results: LoadBalancerAudit[] = [];
  for (const lb of loadBalancers) {
    try {
      results.push(await auditOne(deps, lb.arn));
    } catch (error) {
      results.push({ arn: lb.arn, name: lb.name, status: 'error', risks: [], newlyReported: 0, error: (error as Error).message });
    }
    onProgress(results.length, loadBalancers.length);
  }
  return results;
}

async function auditOne(deps: AuditDependencies, arn: string): Promise<LoadBalancerAudit> {
  const current = await deps.reader.readSnapshot(arn);
  const stored = await deps.store.getLastKnownGood(arn);
  const { risks, drift, driftFindings } = assessLoadBalancer(deps.policy, current, stored?.snapshot);
  const status = STATUS_OF[drift];
  const unsafeDrift = drift === 'unsafe-drift' ? driftFindings.filter((f) => f.severity === 'block') : [];
  if (status !== 'unsafe-drift') {
    try {
      await deps.store.putLastKnownGood(current, { expectedVersion: stored?.version });
    } catch (error) {
      // A change was judged while we looked: its baseline is newer than ours; keep it.
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  const newRisks: Finding[] = [];
  for (const finding of risks) if (await deps.store.rememberOnce(riskKey(arn, finding))) newRisks.push(finding);
  const newDrift: Finding[] = [];
  for (const finding of unsafeDrift) if (await deps.store.rememberOnce(`drift#${stored?.version}#${riskKey(arn, finding)}`)) newDrift.push(finding);
  if (newRisks.length > 0 || newDrift.length > 0) {
    await deps.notifier.publish(formatRisks({ loadBalancerArn: arn, loadBalancerName: current.loadBalancer.name, risks: newRisks, unsafeDrift: newDrift }));
  }
  return { arn, name: current.loadBalancer.name, status, risks, newlyReported: newRisks.length + newDrift.length };
}
