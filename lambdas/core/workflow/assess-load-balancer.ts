import type { LoadBalancerSnapshot } from '../model/snapshot';
import { withCurrentHealth } from '../model/with-current-health';
import { shareChanges, type ShareChange } from '../notify/share-diff';
import { evaluate } from '../policy/evaluate';
import type { Policy } from '../policy/policy-schema';
import type { Finding } from '../policy/verdict';
import { planRevert } from '../revert/plan-revert';

/**
 * How a load balancer's configuration now compares with its stored baseline (last known good):
 * `no-baseline` (nothing stored), `unchanged` (no call would restore anything), `safe-drift` (it differs,
 * and the policy allows the difference), `unsafe-drift` (it differs, and the policy would block it).
 */
export type DriftStatus = 'no-baseline' | 'unchanged' | 'safe-drift' | 'unsafe-drift';

/** What the policy says about one load balancer as it is now. */
export interface LoadBalancerAssessment {
  /** Warnings and blocks of the configuration judged against itself: risks that no change introduced. */
  readonly risks: readonly Finding[];
  readonly drift: DriftStatus;
  /** Warnings and blocks of "now" judged against the baseline; empty unless it drifted. */
  readonly driftFindings: readonly Finding[];
  /** Per-target share changes from the baseline to now, largest first per path; empty unless it drifted. */
  readonly driftShareChanges: readonly ShareChange[];
}

const notInfo = (finding: Finding) => finding.severity !== 'info';

/**
 * Judges one load balancer as it is now, without calling anything: the pure part of the scheduled audit
 * and of `elb-watchdog audit`. Judging the configuration against itself leaves exactly the risks no change
 * introduced; judging it against the baseline (with today's health, so a crashed server is not blamed on
 * configuration) tells safe from unsafe drift.
 */
export function assessLoadBalancer(policy: Policy, current: LoadBalancerSnapshot, baseline: LoadBalancerSnapshot | undefined): LoadBalancerAssessment {
  const lb = { arn: current.loadBalancer.arn, tags: current.loadBalancer.tags };
  const risks = evaluate(policy, current, current, { lb }).findings.filter(notInfo);
  if (baseline === undefined) return { risks, drift: 'no-baseline', driftFindings: [], driftShareChanges: [] };
  if (planRevert(baseline, current).steps.length === 0) return { risks, drift: 'unchanged', driftFindings: [], driftShareChanges: [] };
  const verdict = evaluate(policy, withCurrentHealth(baseline, current), current, { lb });
  return {
    risks,
    drift: verdict.decision === 'block' ? 'unsafe-drift' : 'safe-drift',
    driftFindings: verdict.findings.filter(notInfo),
    driftShareChanges: shareChanges(verdict.routing),
  };
}
