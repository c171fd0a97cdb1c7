import type { LoadContext, ProvenCapacity } from '../../../lambdas/core/capacity/load-types';
import { arns } from '../../helpers/snapshot-builder';

/** Proven capacity per target, by builder group name (load balancer `web`). */
export function proven(perTarget: Record<string, number>, lbArn = arns.loadBalancer, groupArn: (name: string) => string = arns.group): ProvenCapacity {
  return {
    loadBalancerArn: lbArn,
    computedAt: '2026-12-07T04:00:00.000Z',
    lookbackHours: 336,
    periodMinutes: 5,
    metric: 'RequestCount',
    groups: Object.fromEntries(
      Object.entries(perTarget).map(([name, rate]) => [groupArn(name), { groupName: name, perTargetPerMinute: rate, sustainedMinutes: 5, at: '2026-12-01T18:05:00.000Z' }]),
    ),
  };
}

/** A reading of recent rates per builder group name. */
export function observed(rates: Record<string, number>, capacity?: ProvenCapacity, groupArn: (name: string) => string = arns.group, metric: 'RequestCount' | 'NewFlowCount' = 'RequestCount'): LoadContext {
  return {
    reading: { status: 'observed', source: 'cloudwatch', load: { metric, windowMinutes: 15, groups: Object.fromEntries(Object.entries(rates).map(([n, r]) => [groupArn(n), r])) } },
    ...(capacity !== undefined && { capacity }),
  };
}
