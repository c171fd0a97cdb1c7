import type { LoadBalancerNode, TargetGroupNode, TargetNode, Topology } from './topology';

/** Requests that one target group received from one load balancer in a minute, and where they went. */
export interface TargetGroupFlow {
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly requests: number;
  /** Requests per receiving target id. */
  readonly targets: ReadonlyMap<string, number>;
  readonly healthy: number;
  readonly unhealthy: number;
  /** True when no target was healthy and the group routed to all of them (ELB fails open). */
  readonly failOpen: boolean;
}

/** The whole split for one minute. */
export interface TrafficSplit {
  /** Offered requests per target id, summed over every group and load balancer. */
  readonly perTarget: ReadonlyMap<string, number>;
  readonly flows: readonly TargetGroupFlow[];
  /** Requests per load balancer, and those it could not route (zero weights, empty groups): ELB 503s. */
  readonly perLoadBalancer: ReadonlyMap<string, { readonly requests: number; readonly unroutable: number }>;
}

/** What the split needs besides the configuration. */
export interface SplitInputs {
  /** Requests this minute for a load balancer. */
  rateOf(lb: LoadBalancerNode): number;
  /** False for targets the crash model has taken down. */
  isUp(targetId: string): boolean;
}

// Targets in these states get no new requests, even when a group fails open.
const OUT_OF_SERVICE = new Set(['draining', 'unused', 'unavailable']);

/**
 * Splits each load balancer's requests as ELBv2 routes them — our own model, independent of the watchdog's:
 * evenly over listeners; on a listener, along its default rule; over target groups in proportion to their
 * forward weights; within a group over healthy targets (all of them when none is healthy: fail open), per
 * Availability Zone first when cross-zone load balancing is off.
 */
export function splitTraffic(topology: Topology, inputs: SplitInputs): TrafficSplit {
  const perTarget = new Map<string, number>();
  const flows = new Map<string, { lb: string; tg: string; requests: number }>();
  const perLoadBalancer = new Map<string, { requests: number; unroutable: number }>();
  for (const lb of topology.loadBalancers) {
    const total = inputs.rateOf(lb);
    const tally = { requests: lb.listeners.length > 0 ? total : 0, unroutable: 0 };
    perLoadBalancer.set(lb.arn, tally);
    for (const listener of lb.listeners) {
      const rate = total / lb.listeners.length;
      const path = listener.paths.find((p) => p.isDefault);
      if (!path?.forwards) continue; // redirect or fixed response: answered by the load balancer itself
      const weight = path.forwards.reduce((sum, f) => sum + Math.max(0, f.weight), 0);
      if (weight <= 0) {
        tally.unroutable += rate;
        continue;
      }
      for (const f of path.forwards) {
        if (f.weight <= 0) continue;
        const key = `${lb.arn} ${f.targetGroupArn}`;
        const flow = flows.get(key) ?? { lb: lb.arn, tg: f.targetGroupArn, requests: 0 };
        flow.requests += (rate * f.weight) / weight;
        flows.set(key, flow);
      }
    }
  }
  const result: TargetGroupFlow[] = [];
  const lbByArn = new Map(topology.loadBalancers.map((l) => [l.arn, l]));
  for (const flow of flows.values()) {
    const group = topology.targetGroups.get(flow.tg);
    const lb = lbByArn.get(flow.lb);
    const spread = group && lb ? spreadOverTargets(group, lb, flow.requests, inputs) : undefined;
    if (!spread || spread.targets.size === 0) {
      const tally = perLoadBalancer.get(flow.lb);
      if (tally) tally.unroutable += flow.requests;
    }
    for (const [id, n] of spread?.targets ?? []) perTarget.set(id, (perTarget.get(id) ?? 0) + n);
    result.push({
      loadBalancerArn: flow.lb,
      targetGroupArn: flow.tg,
      requests: flow.requests,
      targets: spread?.targets ?? new Map(),
      healthy: spread?.healthy ?? 0,
      unhealthy: spread?.unhealthy ?? 0,
      failOpen: spread?.failOpen ?? false,
    });
  }
  return { perTarget, flows: result, perLoadBalancer };
}

function spreadOverTargets(group: TargetGroupNode, lb: LoadBalancerNode, requests: number, inputs: SplitInputs) {
  const candidates = group.targets.filter((t) => !OUT_OF_SERVICE.has(t.backendState));
  const healthy = candidates.filter((t) => t.backendState === 'healthy' && inputs.isUp(t.id));
  const failOpen = healthy.length === 0 && candidates.length > 0;
  const receivers = failOpen ? candidates : healthy;
  const targets = new Map<string, number>();
  const crossZone = group.crossZone ?? lb.crossZone;
  if (crossZone) {
    for (const t of receivers) add(targets, t, requests / receivers.length);
  } else {
    const byZone = new Map<string, TargetNode[]>();
    for (const t of receivers) byZone.set(t.zone, [...(byZone.get(t.zone) ?? []), t]);
    // Clients reach every enabled zone's node equally; a zone with no receiver is taken out of DNS.
    const zones = lb.zones.filter((z) => byZone.has(z));
    const live = zones.length > 0 ? zones : [...byZone.keys()];
    for (const zone of live) {
      const inZone = byZone.get(zone) ?? [];
      for (const t of inZone) add(targets, t, requests / live.length / inZone.length);
    }
  }
  return { targets, healthy: healthy.length, unhealthy: candidates.length - healthy.length, failOpen };
}

function add(map: Map<string, number>, target: TargetNode, n: number): void {
  map.set(target.id, (map.get(target.id) ?? 0) + n);
}
