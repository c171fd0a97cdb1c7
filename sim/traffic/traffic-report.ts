import type { TrafficEngine } from './traffic-engine';

/** Per-target request rates, as `GET /_sim/traffic` reports them. */
export interface TrafficReport {
  /** The split the current configuration gives (requests per minute, no noise). */
  readonly loadBalancers: {
    name: string;
    arn: string;
    type: string;
    requestsPerMinute: number;
    unroutablePerMinute: number;
    targetGroups: {
      name: string;
      arn: string;
      requestsPerMinute: number;
      healthy: number;
      unhealthy: number;
      failOpen: boolean;
      targets: { id: string; zone: string; requestsPerMinute: number; share: number; capacityPerMinute: number; up: boolean }[];
    }[];
  }[];
  readonly crashed: { id: string; since?: string }[];
  /** The last simulated minute: what each target was offered and what failed. */
  readonly lastMinute?: {
    minute: string;
    targets: { id: string; offered: number; served: number; target5xx: number; elb5xx: number }[];
  };
}

/** Builds the traffic report from the engine's live configuration and its last minute. */
export async function trafficReport(engine: TrafficEngine): Promise<TrafficReport> {
  const { topology, split } = await engine.preview();
  const settings = engine.getSettings();
  const last = engine.lastMinute();
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    loadBalancers: topology.loadBalancers.map((lb) => {
      const tally = split.perLoadBalancer.get(lb.arn) ?? { requests: 0, unroutable: 0 };
      return {
        name: lb.name,
        arn: lb.arn,
        type: lb.type,
        requestsPerMinute: round(tally.requests),
        unroutablePerMinute: round(tally.unroutable),
        // Every group the load balancer forwards to, including those at weight 0 (they show 0 requests).
        targetGroups: [...new Set(lb.listeners.flatMap((l) => l.paths.flatMap((p) => (p.forwards ?? []).map((f) => f.targetGroupArn))))]
          .map((arn) => split.flows.find((f) => f.loadBalancerArn === lb.arn && f.targetGroupArn === arn) ?? emptyFlow(arn))
          .map((f) => {
            const group = topology.targetGroups.get(f.targetGroupArn);
            return {
              name: group?.name ?? '',
              arn: f.targetGroupArn,
              requestsPerMinute: round(f.requests),
              // A group at weight 0 gets no flow; its health still shows.
              healthy: f.requests > 0 ? f.healthy : (group?.targets ?? []).filter((t) => t.backendState === 'healthy' && engine.isUp(t.id)).length,
              unhealthy: f.requests > 0 ? f.unhealthy : (group?.targets ?? []).filter((t) => t.backendState !== 'healthy' || !engine.isUp(t.id)).length,
              failOpen: f.failOpen,
              targets: (group?.targets ?? []).map((t) => {
                const rate = f.targets.get(t.id) ?? 0;
                return {
                  id: t.id,
                  zone: t.zone,
                  requestsPerMinute: round(rate),
                  share: tally.requests > 0 ? round(rate / tally.requests) : 0,
                  capacityPerMinute: settings.targets[t.id] ?? settings.defaultCapacityPerMinute,
                  up: engine.isUp(t.id),
                };
              }),
            };
          }),
      };
    }),
    crashed: engine.crashedTargets().map((c) => ({ id: c.id, since: c.since?.toISOString() })),
    ...(last
      ? {
          lastMinute: {
            minute: last.minute.toISOString(),
            targets: [...last.targets].map(([id, m]) => ({ id, offered: round(m.offered), served: round(m.served), target5xx: round(m.target5xx), elb5xx: round(m.elb5xx) })),
          },
        }
      : {}),
  };
}

function emptyFlow(targetGroupArn: string) {
  return { targetGroupArn, requests: 0, healthy: 0, unhealthy: 0, failOpen: false, targets: new Map<string, number>() };
}
