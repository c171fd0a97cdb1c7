import { inScope } from '../config/in-scope';
import type { Scope } from '../config/watchdog-environment';
import { ConcurrentUpdateError } from '../errors';
import { withCurrentHealth } from '../model/with-current-health';
import { formatRisks } from '../notify/format-risks';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import type { Finding } from '../policy/verdict';
import type { Notifier, SnapshotReader, StateStore } from '../ports';
import { planRevert } from '../revert/plan-revert';

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

const riskKey = (arn: string, finding: Finding) =>
  `risk#${arn}#${finding.ruleId}#${finding.path?.label ?? ''}#${finding.targetId ?? ''}#${finding.targetGroupArn ?? ''}`;

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
  const lb = { arn, tags: current.loadBalancer.tags };
  const stored = await deps.store.getLastKnownGood(arn);
  // Judging the configuration against itself leaves exactly the risks no change introduced.
  const risks = evaluate(deps.policy, current, current, { lb }).findings.filter((f) => f.severity !== 'info');
  let status: LoadBalancerAudit['status'];
  let unsafeDrift: Finding[] = [];
  if (stored === undefined) {
    status = 'baseline-created';
  } else if (planRevert(stored.snapshot, current).steps.length === 0) {
    status = 'baseline-refreshed';
  } else {
    const verdict = evaluate(deps.policy, withCurrentHealth(stored.snapshot, current), current, { lb });
    status = verdict.decision === 'block' ? 'unsafe-drift' : 'safe-drift-accepted';
    unsafeDrift = verdict.findings.filter((f) => f.severity === 'block');
  }
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
