import { readProvenCapacity } from '../capacity/read-load';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { Policy } from '../policy/policy-schema';
import { resolveRuleSettings } from '../policy/resolve-mode';
import type { CapacityStore, MetricsReader } from '../ports';
import { RULES } from '../rules';

/** What computing a load balancer's proven capacity needs. */
export interface ProvenCapacityDependencies {
  readonly metrics?: MetricsReader;
  readonly capacity?: CapacityStore;
  readonly policy: Policy;
  readonly now?: () => Date;
}

/**
 * The audit's part of judging with load: each group's proven capacity over the policy's lookback, from
 * CloudWatch (one GetMetricData call per 25 groups at 14 days), stored beside the baseline for the judge.
 * A failure is reported, never fatal: the judge then uses the capacity stored before, or shares.
 */
export async function provenCapacityFor(
  deps: ProvenCapacityDependencies,
  current: LoadBalancerSnapshot,
): Promise<{ groups: number } | { error: string } | undefined> {
  if (deps.metrics === undefined || deps.capacity === undefined) return undefined;
  const settings = resolveRuleSettings(deps.policy, { arn: current.loadBalancer.arn, tags: current.loadBalancer.tags }, RULES).get('capacity-headroom');
  if (settings?.enabled !== true) return undefined;
  const { lookbackHours } = settings.params as { lookbackHours: number };
  try {
    const proven = await readProvenCapacity(deps.metrics, current, (deps.now ?? (() => new Date()))(), lookbackHours);
    await deps.capacity.putProvenCapacity(proven);
    return { groups: Object.keys(proven.groups).length };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
