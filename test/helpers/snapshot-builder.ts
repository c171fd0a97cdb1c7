import {
  LoadBalancerSnapshotSchema,
  type Action,
  type LoadBalancerSnapshot,
  type RuleCondition,
  type Target,
  type TargetGroup,
  type TargetHealthState,
} from '../../lambdas/core/model/snapshot';

/**
 * One fluent way to build load balancer snapshots in tests and benchmarks:
 *
 *   const snapshot = lb('web')
 *     .group('blue', { healthy: 4 })
 *     .group('green', { healthy: 1 })
 *     .listener(80, forward({ blue: 100, green: 0 }))
 *     .rule(80, 10, { path: '/api/*' }, forward({ green: 1 }))
 *     .build();
 *
 * Groups are named by a short name; `forward` refers to them by that name. ARNs are deterministic
 * (`arns.group('blue')`, `arns.listener(80)`, `arns.rule(80, 10)`) so tests can name resources.
 */

/** The account of every built ARN (the stand-in's default). */
export const ACCOUNT = '123456789012';
/** The Region of every built ARN. */
export const REGION = 'us-east-1';
const LB_ID = '50dc6c495c0c9188';
const TYPE_PREFIX = { application: 'app', network: 'net', gateway: 'gwy' } as const;

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/** FNV-1a: a stable, collision-unlikely id per group name. */
function nameId(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hex16(hash);
}

/** Deterministic ARNs of the resources a builder makes (for load balancer `lbName`). */
export function arnsFor(lbName = 'web', type: keyof typeof TYPE_PREFIX = 'application') {
  const prefix = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
  const path = `${TYPE_PREFIX[type]}/${lbName}/${LB_ID}`;
  return {
    loadBalancer: `${prefix}:loadbalancer/${path}`,
    listener: (port: number) => `${prefix}:listener/${path}/${hex16(port)}`,
    rule: (port: number, priority: number) => `${prefix}:listener-rule/${path}/${hex16(port)}/${hex16(priority)}`,
    group: (name: string) => `${prefix}:targetgroup/${name}/${nameId(name)}`,
  };
}

/** ARNs for the default load balancer `web` (application). */
export const arns = arnsFor('web');

/** A group reference inside a forward: a builder group name, resolved to its ARN at build time. */
type GroupRef = { name: string; weight: number };
/** An action whose forward names groups by builder name (resolved by `build()`). */
export type DraftAction = Omit<Action, 'forward'> & { forwardTo?: GroupRef[]; stickiness?: { enabled: boolean; durationSeconds?: number } };

/** A forward to groups by name and weight: `forward({ blue: 100, green: 0 })` or `forward('blue')`. */
export function forward(weights: Record<string, number> | string, stickySeconds?: number): DraftAction {
  const map = typeof weights === 'string' ? { [weights]: 1 } : weights;
  return {
    type: 'forward',
    forwardTo: Object.entries(map).map(([name, weight]) => ({ name, weight })),
    ...(stickySeconds !== undefined && { stickiness: { enabled: true, durationSeconds: stickySeconds } }),
  };
}

/** One explicit target (for groups whose zones or states the counts cannot express). */
export function target(id: string, health: TargetHealthState = 'healthy', availabilityZone = 'us-east-1a', port = 80): Target {
  return { id, port, availabilityZone, health };
}

/** A fixed-response action (not a traffic path). */
export function fixedResponse(status = '404'): DraftAction {
  return { type: 'fixed-response', fixedResponseConfig: { StatusCode: status, ContentType: 'text/plain' } };
}

/** A redirect action (not a traffic path). */
export function redirect(): DraftAction {
  return { type: 'redirect', redirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } };
}

/** How many targets of each health state a group gets; targets are spread round-robin over zones. */
export type GroupSpec = Partial<Record<TargetHealthState, number>> & {
  crossZone?: TargetGroup['crossZone'];
  targetType?: TargetGroup['targetType'];
  attributes?: Record<string, string>;
  /** Explicit targets instead of (or in addition to) counts. */
  targets?: Target[];
  /** Zones to spread counted targets over; defaults to the load balancer's. */
  zones?: string[];
};

/** Rule conditions in short form: `{ path: '/api/*', host: 'api.example.com' }`. */
export type ConditionSpec = { path?: string | string[]; host?: string | string[]; header?: [string, string]; method?: string; query?: { key?: string; value: string }; sourceIp?: string };

function toConditions(spec: ConditionSpec): RuleCondition[] {
  const out: RuleCondition[] = [];
  if (spec.host !== undefined) out.push({ field: 'host-header', values: [spec.host].flat() });
  if (spec.path !== undefined) out.push({ field: 'path-pattern', values: [spec.path].flat() });
  if (spec.header !== undefined) out.push({ field: 'http-header', httpHeaderName: spec.header[0], values: [spec.header[1]] });
  if (spec.method !== undefined) out.push({ field: 'http-request-method', values: [spec.method] });
  if (spec.query !== undefined) out.push({ field: 'query-string', values: [], queryStrings: [spec.query] });
  if (spec.sourceIp !== undefined) out.push({ field: 'source-ip', values: [spec.sourceIp] });
  return out;
}

const STATE_ORDER: TargetHealthState[] = ['healthy', 'initial', 'unhealthy', 'draining', 'unused', 'unavailable', 'unhealthy.draining'];

/** Fluent snapshot builder; see the module comment. */
export class SnapshotBuilder {
  private readonly arnSet: ReturnType<typeof arnsFor>;
  private readonly groups: TargetGroup[] = [];
  private readonly listeners: { port: number; protocol: string; actions: DraftAction[]; rules: { priority: number; conditions: RuleCondition[]; actions: DraftAction[] }[] }[] = [];
  private zones = ['us-east-1a', 'us-east-1b'];
  private crossZone = true;
  private tags: Record<string, string> = {};
  private attributes: Record<string, string> = {};

  public constructor(
    private readonly name: string,
    private readonly type: keyof typeof TYPE_PREFIX = 'application',
  ) {
    this.arnSet = arnsFor(name, type);
  }

  /** The ARNs this builder assigns. */
  public get arns(): ReturnType<typeof arnsFor> {
    return this.arnSet;
  }

  /** Enabled Availability Zones (default us-east-1a, us-east-1b). */
  public zonesAre(...zones: string[]): this {
    this.zones = zones;
    return this;
  }

  /** Cross-zone load balancing at the load balancer (default on). */
  public crossZoneLb(enabled: boolean): this {
    this.crossZone = enabled;
    return this;
  }

  /** Load balancer tags. */
  public tagged(tags: Record<string, string>): this {
    this.tags = { ...this.tags, ...tags };
    return this;
  }

  /** Load balancer attributes. */
  public lbAttributes(attributes: Record<string, string>): this {
    this.attributes = { ...this.attributes, ...attributes };
    return this;
  }

  /** A target group with targets `i-<name>-<n>` in the given health states. */
  public group(name: string, spec: GroupSpec = {}): this {
    const zones = spec.zones ?? this.zones;
    const targets: Target[] = [...(spec.targets ?? [])];
    for (const state of STATE_ORDER) {
      for (let i = 0; i < (spec[state] ?? 0); i += 1) {
        const n = targets.length + 1;
        targets.push({ id: `i-${name}-${n}`, port: 80, availabilityZone: zones[(n - 1) % zones.length], health: state });
      }
    }
    this.groups.push({
      arn: this.arnSet.group(name),
      name,
      protocol: 'HTTP',
      port: 80,
      targetType: spec.targetType ?? 'instance',
      loadBalancerArns: [this.arnSet.loadBalancer],
      crossZone: spec.crossZone ?? 'inherit',
      attributes: spec.attributes ?? { 'deregistration_delay.timeout_seconds': '300' },
      tags: {},
      targets,
    });
    return this;
  }

  /** A listener with its default actions (one action or a list). */
  public listener(port: number, actions: DraftAction | DraftAction[], protocol = port === 443 ? 'HTTPS' : 'HTTP'): this {
    this.listeners.push({ port, protocol, actions: [actions].flat(), rules: [] });
    return this;
  }

  /** A rule on the listener at `port`. */
  public rule(port: number, priority: number, conditions: ConditionSpec, actions: DraftAction | DraftAction[]): this {
    const listener = this.listeners.find((l) => l.port === port);
    if (listener === undefined) throw new Error(`no listener on port ${port}: add it before its rules`);
    listener.rules.push({ priority, conditions: toConditions(conditions), actions: [actions].flat() });
    return this;
  }

  /** The snapshot, validated against the schema (defaults filled). */
  public build(): LoadBalancerSnapshot {
    const resolve = (draft: DraftAction): Action => {
      const { forwardTo, stickiness, ...rest } = draft;
      if (forwardTo === undefined) return rest;
      const targetGroups = forwardTo.map((g) => ({ targetGroupArn: this.arnSet.group(g.name), weight: g.weight }));
      return { ...rest, forward: { targetGroups, ...(stickiness !== undefined && { stickiness }) } };
    };
    return LoadBalancerSnapshotSchema.parse({
      schemaVersion: 1,
      capturedAt: '2026-05-19T14:02:11.000Z',
      loadBalancer: {
        arn: this.arnSet.loadBalancer,
        name: this.name,
        type: this.type,
        scheme: 'internet-facing',
        availabilityZones: this.zones,
        crossZoneEnabled: this.crossZone,
        attributes: this.attributes,
        tags: this.tags,
      },
      listeners: this.listeners.map((l) => ({
        arn: this.arnSet.listener(l.port),
        port: l.port,
        protocol: l.protocol,
        defaultActions: l.actions.map(resolve),
        rules: l.rules.map((r) => ({ arn: this.arnSet.rule(l.port, r.priority), priority: r.priority, conditions: r.conditions, actions: r.actions.map(resolve) })),
      })),
      targetGroups: this.groups,
    });
  }
}

/** Starts a builder for a load balancer (application by default). */
export function lb(name = 'web', type: keyof typeof TYPE_PREFIX = 'application'): SnapshotBuilder {
  return new SnapshotBuilder(name, type);
}

/** The May 19 load balancer: blue (4 healthy) and green (1 healthy) behind HTTP:80 with the given weights. */
export function may19(weights: { blue: number; green: number }, blue: GroupSpec = { healthy: 4 }): LoadBalancerSnapshot {
  return lb('web').group('blue', blue).group('green', { healthy: 1 }).listener(80, forward(weights)).build();
}
