import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { TrafficModel } from '../../lambdas/core/traffic/forward-traffic';
import type { ForwardTraffic } from '../../lambdas/core/traffic/types';

/** The traffic of the first listener's default forward (the usual case of a traffic test). */
export function defaultForward(snapshot: LoadBalancerSnapshot): ForwardTraffic {
  const forward = snapshot.listeners[0].defaultActions.find((a) => a.type === 'forward')?.forward;
  if (forward === undefined) throw new Error('the first listener does not forward');
  return new TrafficModel(snapshot).forward(forward);
}

/** Shares as `{ targetId: percent }`, rounded to 0.01%, summed per target id. */
export function sharesOf(traffic: ForwardTraffic): Record<string, number> {
  const sums = new Map<string, number>();
  for (const t of traffic.targets) sums.set(t.targetId, (sums.get(t.targetId) ?? 0) + t.share);
  return Object.fromEntries([...sums].map(([id, share]) => [id, Math.round(share * 10000) / 100]));
}
