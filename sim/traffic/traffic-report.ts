import { actionOf, type Route } from './routing/listener-router';
import type { ListenerNode, PathNode } from './topology';
import type { TrafficEngine } from './traffic-engine';
import type { TrafficSplit } from './traffic-split';

/** One rule of a listener with the requests it takes. */
export interface RuleReport {
  ruleArn?: string;
  priority: number | 'default';
  conditions: { field: string; values: string[]; header?: string }[];
  action: 'forward' | 'redirect' | 'fixed-response' | 'none';
  statusCode?: string;
  redirect?: { protocol?: string; port?: string; host?: string; path?: string };
  requestsPerMinute: number;
}

/** Where one request kind of the mix went, per listener it arrives on. */
export interface MixReport {
  entry?: number;
  share: number;
  requestsPerMinute: number;
  routes: { via: { port?: number; rule: number | 'default' }[]; outcome: string }[];
}

/** Per-target request rates, as `GET /_sim/traffic` reports them. */
export interface TrafficReport {
  /** The split the current configuration gives (requests per minute, no noise). */
  readonly loadBalancers: {
    name: string;
    arn: string;
    type: string;
    requestsPerMinute: number;
    unroutablePerMinute: number;
    /** Answered by the load balancer itself: fixed responses (by status code) and redirects. */
    fixedResponsePerMinute: number;
    fixedResponseByStatus: Record<string, number>;
    redirectedPerMinute: number;
    listeners: { arn: string; port?: number; protocol?: string; rules: RuleReport[] }[];
    /** The request mix (the remainder, requests no condition matches, without `entry`). */
    mix: MixReport[];
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
        fixedResponsePerMinute: round(split.answered.get(lb.arn)?.fixedResponse ?? 0),
        fixedResponseByStatus: Object.fromEntries(Object.entries(split.answered.get(lb.arn)?.fixedResponseByStatus ?? {}).map(([k, v]) => [k, round(v)])),
        redirectedPerMinute: round(split.answered.get(lb.arn)?.redirected ?? 0),
        listeners: lb.listeners.map((l) => ({ arn: l.arn, port: l.port, protocol: l.protocol, rules: rulesOf(l, split, round) })),
        mix: (split.mix.get(lb.arn) ?? []).map((m) => ({
          ...(m.entry !== undefined ? { entry: m.entry } : {}),
          share: round(m.share),
          requestsPerMinute: round(m.requests),
          routes: m.routes.map(describeRoute),
        })),
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

function rulesOf(listener: ListenerNode, split: TrafficSplit, round: (n: number) => number): RuleReport[] {
  const ordered = [...listener.paths].sort((a, b) => (a.isDefault ? 1 : 0) - (b.isDefault ? 1 : 0) || (a.priority ?? Infinity) - (b.priority ?? Infinity));
  return ordered.map((rule) => {
    const action = actionOf(rule);
    const flow = split.rules.find((r) => r.listenerArn === listener.arn && r.ruleArn === rule.ruleArn);
    return {
      ...(rule.ruleArn ? { ruleArn: rule.ruleArn } : {}),
      priority: priorityOf(rule),
      conditions: (rule.conditions ?? []).map((c) => ({ field: c.field, values: [...c.values, ...(c.pairs ?? []).map((p) => (p.key === undefined ? p.value : `${p.key}=${p.value}`))], ...(c.header ? { header: c.header } : {}) })),
      action: action.kind,
      ...(action.kind === 'fixed-response' ? { statusCode: action.statusCode } : {}),
      ...(action.kind === 'redirect' ? { statusCode: action.redirect.statusCode, redirect: { protocol: action.redirect.protocol, port: action.redirect.port, host: action.redirect.host, path: action.redirect.path } } : {}),
      requestsPerMinute: round(flow?.requests ?? 0),
    };
  });
}

function priorityOf(rule: PathNode): number | 'default' {
  return rule.isDefault ? 'default' : (rule.priority ?? 'default');
}

function describeRoute(route: Route): MixReport['routes'][number] {
  const end = route.end;
  const outcome = end.kind === 'fixed-response' ? `fixed-response ${end.statusCode}` : end.kind === 'lost' ? `lost: ${end.reason}` : end.kind;
  return { via: route.hops.map((h) => ({ port: h.listener.port, rule: priorityOf(h.rule) })), outcome };
}
