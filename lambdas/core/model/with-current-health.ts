import type { LoadBalancerSnapshot, TargetHealthState } from './snapshot';

/** States that say a target is leaving because someone deregistered it: configuration, not health. */
const LEAVING: ReadonlySet<TargetHealthState> = new Set(['draining', 'unhealthy.draining']);

/**
 * The last known good configuration with each target's health as it is now. Health moves on its own
 * (a server crashes, health checks recover); judging a change against a baseline with hours-old health
 * would blame the change for it. Targets that are gone now, or draining because someone deregistered
 * them, keep the baseline's health: their absence is what the change did.
 */
export function withCurrentHealth(baseline: LoadBalancerSnapshot, current: LoadBalancerSnapshot): LoadBalancerSnapshot {
  const now = new Map<string, TargetHealthState>();
  for (const group of current.targetGroups) {
    for (const target of group.targets) {
      if (!LEAVING.has(target.health)) now.set(`${group.arn}\u0000${target.id}\u0000${target.port ?? ''}`, target.health);
    }
  }
  return {
    ...baseline,
    targetGroups: baseline.targetGroups.map((group) => ({
      ...group,
      targets: group.targets.map((target) => {
        const health = now.get(`${group.arn}\u0000${target.id}\u0000${target.port ?? ''}`);
        return health === undefined || health === target.health ? target : { ...target, health };
      }),
    })),
  };
}
