import { readLoad, canMoveTraffic } from '../capacity/read-load';
import type { LoadContext } from '../capacity/load-types';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { withCurrentHealth } from '../model/with-current-health';
import type { Policy } from '../policy/policy-schema';
import { resolveRuleSettings, type PolicySubject } from '../policy/resolve-mode';
import type { CapacityStore, MetricsReader } from '../ports';
import { RULES } from '../rules';

/** What reading the load of a change needs; without `metrics` changes are judged by shares alone. */
export interface LoadDependencies {
  readonly metrics?: MetricsReader;
  readonly capacity?: CapacityStore;
  readonly policy: Policy;
  readonly now: () => Date;
}

/**
 * The load a change is judged with: one GetMetricData call and the stored proven capacity (read together),
 * only when `capacity-headroom` is on for the load balancer and the change can move traffic against the
 * baseline. Otherwise nothing is read and nothing is said about load.
 */
export async function loadForChange(
  deps: LoadDependencies,
  baseline: LoadBalancerSnapshot | undefined,
  current: LoadBalancerSnapshot,
  lb: PolicySubject,
  /** When the first change of the batch was made: the rates are those of the 15 minutes before it. */
  madeAt?: Date,
): Promise<{ load?: LoadContext }> {
  if (deps.metrics === undefined || baseline === undefined) return {};
  if (resolveRuleSettings(deps.policy, lb, RULES).get('capacity-headroom')?.enabled !== true) return {};
  if (!canMoveTraffic(withCurrentHealth(baseline, current), current)) return {};
  const [reading, capacity] = await Promise.all([
    readLoad(deps.metrics, current, madeAt !== undefined && Number.isFinite(madeAt.getTime()) && madeAt < deps.now() ? madeAt : deps.now()),
    // A capacity that cannot be read is no capacity: the targets fall back to their source groups, then shares.
    deps.capacity?.getProvenCapacity(lb.arn).catch(() => undefined),
  ]);
  return { load: { reading, ...(capacity !== undefined && { capacity }) } };
}
