import { expandMix, type RequestKind } from './routing/request-mix';
import { routeRequest, type Route } from './routing/listener-router';
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

/** Requests one rule of one listener took in a minute. */
export interface RuleFlow {
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  /** Undefined for the default rule. */
  readonly ruleArn?: string;
  readonly priority?: number;
  readonly requests: number;
}

/** Requests the load balancer answered itself (no target): fixed responses by status code, and redirects. */
export interface ElbAnswered {
  readonly fixedResponse: number;
  readonly fixedResponseByStatus: Readonly<Record<string, number>>;
  readonly redirected: number;
}

/** Where one request kind of a load balancer's mix went. */
export interface MixFlow {
  /** Index in the configured mix; undefined for the remainder (requests no rule condition matches). */
  readonly entry?: number;
  readonly share: number;
  readonly requests: number;
  /** One route per listener the kind arrives on. */
  readonly routes: readonly Route[];
}

/** The whole split for one minute. */
export interface TrafficSplit {
  /** Offered requests per target id, summed over every group and load balancer. */
  readonly perTarget: ReadonlyMap<string, number>;
  readonly flows: readonly TargetGroupFlow[];
  /** Requests per load balancer (redirected ones count again on the listener they come back to), and those it could not route (zero weights, empty groups, no route): ELB 5XX. */
  readonly perLoadBalancer: ReadonlyMap<string, { readonly requests: number; readonly unroutable: number }>;
  readonly rules: readonly RuleFlow[];
  readonly answered: ReadonlyMap<string, ElbAnswered>;
  readonly mix: ReadonlyMap<string, readonly MixFlow[]>;
}

/** What the split needs besides the configuration. */
export interface SplitInputs {
  /** Requests this minute for a load balancer. */
  rateOf(lb: LoadBalancerNode): number;
  /** False for targets the crash model has taken down. */
  isUp(targetId: string): boolean;
  /** The load balancer's request mix; none: every request takes the default rule. */
  mixOf?(lb: LoadBalancerNode): readonly RequestKind[] | undefined;
}

// Targets in these states get no new requests, even when a group fails open.
const OUT_OF_SERVICE = new Set(['draining', 'unused', 'unavailable']);

/**
 * Splits each load balancer's requests as ELBv2 routes them — our own model, independent of the watchdog's:
 * by the load balancer's request mix (each kind evenly over listeners, or on the port it names); on a listener
 * through its rules in priority order, first match, default last, redirects followed; over target groups in
 * proportion to their forward weights; within a group over healthy targets (all of them when none is healthy:
 * fail open), per Availability Zone first when cross-zone load balancing is off.
 */
export function splitTraffic(topology: Topology, inputs: SplitInputs): TrafficSplit {
  const perTarget = new Map<string, number>();
  const flows = new Map<string, { lb: string; tg: string; requests: number }>();
  const perLoadBalancer = new Map<string, { requests: number; unroutable: number }>();
  const rules = new Map<string, { loadBalancerArn: string; listenerArn: string; ruleArn?: string; priority?: number; requests: number }>();
  const answered = new Map<string, { fixedResponse: number; fixedResponseByStatus: Record<string, number>; redirected: number }>();
  const mix = new Map<string, MixFlow[]>();
  for (const lb of topology.loadBalancers) {
    const total = inputs.rateOf(lb);
    const tally = { requests: 0, unroutable: 0 };
    const elb = { fixedResponse: 0, fixedResponseByStatus: {} as Record<string, number>, redirected: 0 };
    perLoadBalancer.set(lb.arn, tally);
    answered.set(lb.arn, elb);
    const kinds: MixFlow[] = [];
    mix.set(lb.arn, kinds);
    if (lb.listeners.length === 0) continue;
    for (const kind of expandMix(inputs.mixOf?.(lb))) {
      const rate = total * kind.share;
      const listeners = kind.port === undefined ? lb.listeners : lb.listeners.filter((l) => l.port === kind.port);
      const routes: Route[] = [];
      kinds.push({ ...(kind.entry !== undefined ? { entry: kind.entry } : {}), share: kind.share, requests: rate, routes });
      if (listeners.length === 0) {
        // Nothing listens on that port: the requests fail, and no listener counts them.
        tally.unroutable += rate;
        continue;
      }
      for (const listener of listeners) {
        const share = rate / listeners.length;
        const route = routeRequest(lb, listener, kind.request);
        routes.push(route);
        for (const hop of route.hops) {
          tally.requests += share;
          const key = `${hop.listener.arn} ${hop.rule.ruleArn ?? 'default'}`;
          const flow = rules.get(key) ?? { loadBalancerArn: lb.arn, listenerArn: hop.listener.arn, ruleArn: hop.rule.ruleArn, priority: hop.rule.priority, requests: 0 };
          flow.requests += share;
          rules.set(key, flow);
          if (hop.action.kind === 'redirect') elb.redirected += share;
        }
        if (route.hops.length === 0) tally.requests += share;
        const end = route.end;
        if (end.kind === 'lost') tally.unroutable += share;
        else if (end.kind === 'fixed-response') {
          elb.fixedResponse += share;
          elb.fixedResponseByStatus[end.statusCode] = (elb.fixedResponseByStatus[end.statusCode] ?? 0) + share;
        } else if (end.kind === 'forward') forward(lb, end.forwards, share, tally, flows);
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
  return { perTarget, flows: result, perLoadBalancer, rules: [...rules.values()], answered, mix };
}

/** Splits requests over a forward's target groups by weight; total weight 0 routes nowhere (ELB 5XX). */
function forward(
  lb: LoadBalancerNode,
  forwards: readonly { readonly targetGroupArn: string; readonly weight: number }[],
  requests: number,
  tally: { unroutable: number },
  flows: Map<string, { lb: string; tg: string; requests: number }>,
): void {
  const weight = forwards.reduce((sum, f) => sum + Math.max(0, f.weight), 0);
  if (weight <= 0) {
    tally.unroutable += requests;
    return;
  }
  for (const f of forwards) {
    if (f.weight <= 0) continue;
    const key = `${lb.arn} ${f.targetGroupArn}`;
    const flow = flows.get(key) ?? { lb: lb.arn, tg: f.targetGroupArn, requests: 0 };
    flow.requests += (requests * f.weight) / weight;
    flows.set(key, flow);
  }
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
