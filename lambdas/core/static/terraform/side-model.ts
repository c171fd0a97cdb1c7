import type { Action, CrossZoneSetting, LoadBalancer, RuleCondition, Target, TargetGroup } from '../../model/snapshot';
import { readActions, readConditions, type GroupResolver, type Unknown } from './actions';
import { referencedInstance, type ConfigIndex, type ReferenceCandidate } from './configuration';
import { isUnknown, type ElbInstance, type ElbInstanceOf, type Side } from './instances';
import type { TfKind } from './provider-values';

/**
 * One side of a Terraform change as routing sees it: load balancers, listeners, rules and target
 * groups keyed by Terraform address (`tf:module.web.aws_lb_listener.http`), or by ARN for a resource
 * outside the configuration (`ext:arn:...`), so the same resource is the same thing before and after
 * whatever its ARN (a new resource has none yet). References between them (a listener's load
 * balancer, a rule's listener, a forward's groups, an attachment's group) are resolved by ARN when
 * known, through the configuration's references when not, and otherwise left unknown with the reason.
 */

/** A reference resolved to a key, or unknown. */
export type Ref = { readonly key: string } | Unknown;

/** A load balancer. */
export interface SideLoadBalancer {
  readonly key: string;
  readonly address: string;
  readonly resourceType: string;
  readonly arn?: string;
  readonly name: string;
  readonly type: LoadBalancer['type'];
  readonly crossZone: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly tagsKnown: boolean;
}

/** A listener. */
export interface SideListener {
  readonly address: string;
  readonly resourceType: string;
  readonly lb: Ref;
  readonly port?: number;
  readonly protocol?: string;
  readonly actions: Action[] | Unknown;
}

/** A listener rule. */
export interface SideRule {
  readonly address: string;
  readonly resourceType: string;
  readonly listener: Ref;
  readonly priority: number | Unknown;
  readonly conditions: RuleCondition[] | Unknown;
  readonly actions: Action[] | Unknown;
}

/** A target group (its targets are the attachments, kept apart). */
export interface SideGroup {
  readonly key: string;
  readonly address: string;
  readonly resourceType: string;
  readonly name: string;
  readonly group: Omit<TargetGroup, 'arn' | 'targets' | 'loadBalancerArns'>;
  /** Its ARN is known only after apply (a new or replaced group). */
  readonly arnUnknown: boolean;
}

/** One side, resolved. */
export interface SideModel {
  readonly lbs: ReadonlyMap<string, SideLoadBalancer>;
  readonly listeners: ReadonlyMap<string, SideListener>;
  readonly rules: ReadonlyMap<string, SideRule>;
  readonly groups: ReadonlyMap<string, SideGroup>;
  /** Group key → the targets its attachments register. */
  readonly targets: ReadonlyMap<string, readonly Target[]>;
  /** Attachments whose target group is known only after apply. */
  readonly unplaced: readonly string[];
  /** Group key → a resource that registers its targets (an Auto Scaling group, an ECS service). */
  readonly registrars: ReadonlyMap<string, string>;
}

/** The key of a resource of the configuration. */
export const keyOf = (address: string): string => `tf:${address}`;
/** The key of a resource outside the configuration. */
export const externalKey = (arn: string): string => `ext:${arn}`;

function knownString(instance: ElbInstance, name: string): string | undefined {
  const value = (instance.values as Record<string, unknown>)[name];
  return !isUnknown(instance.unknown, [name]) && typeof value === 'string' && value !== '' ? value : undefined;
}

function knownInt(instance: ElbInstance, name: string): number | undefined {
  const value = (instance.values as Record<string, unknown>)[name];
  return !isUnknown(instance.unknown, [name]) && typeof value === 'number' ? value : undefined;
}

/** Real ARN → address, from every ELBv2 resource whose ARN is known on any side. */
export function indexArns(sides: readonly Side[]): Map<string, { address: string; kind: TfKind }> {
  const index = new Map<string, { address: string; kind: TfKind }>();
  for (const side of sides) {
    for (const instance of side.elb) {
      for (const name of ['arn', 'id']) {
        const arn = instance.kind === 'attachment' ? undefined : knownString(instance, name);
        if (arn !== undefined && !index.has(arn)) index.set(arn, { address: instance.address, kind: instance.kind });
      }
    }
  }
  return index;
}

function lbTypeOf(value: string | undefined, arn: string | undefined): LoadBalancer['type'] {
  if (value === 'network' || value === 'gateway' || value === 'application') return value;
  if (arn?.includes(':loadbalancer/net/') === true) return 'network';
  return arn?.includes(':loadbalancer/gwy/') === true ? 'gateway' : 'application';
}

function tagsOf(instance: ElbInstanceOf<'lb'> | ElbInstanceOf<'targetGroup'>): { tags: Record<string, string>; known: boolean } {
  const source = instance.values.tags_all ?? instance.values.tags ?? {};
  const tags = Object.fromEntries(Object.entries(source).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { tags, known: !isUnknown(instance.unknown, ['tags_all']) && !isUnknown(instance.unknown, ['tags']) };
}

function crossZoneOf(value: string | undefined): CrossZoneSetting {
  return value === 'true' ? 'on' : value === 'false' ? 'off' : 'inherit';
}

/** The target group attributes routing may read, under the names the API gives them. */
function groupAttributes(instance: ElbInstanceOf<'targetGroup'>): Record<string, string> {
  const v = instance.values;
  const out: Record<string, string> = {};
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') out[key] = String(value);
  };
  set('deregistration_delay.timeout_seconds', v.deregistration_delay);
  set('slow_start.duration_seconds', v.slow_start);
  set('load_balancing.algorithm.type', v.load_balancing_algorithm_type);
  if (v.load_balancing_cross_zone_enabled === 'true' || v.load_balancing_cross_zone_enabled === 'false') set('load_balancing.cross_zone.enabled', v.load_balancing_cross_zone_enabled);
  set('stickiness.enabled', v.stickiness?.[0]?.enabled);
  set('stickiness.type', v.stickiness?.[0]?.type);
  for (const [block, prefix] of [['dns_failover', 'dns_failover'], ['unhealthy_state_routing', 'unhealthy_state_routing']] as const) {
    const thresholds = v.target_group_health?.[0]?.[block]?.[0];
    set(`target_group_health.${prefix}.minimum_healthy_targets.count`, thresholds?.minimum_healthy_targets_count);
    set(`target_group_health.${prefix}.minimum_healthy_targets.percentage`, thresholds?.minimum_healthy_targets_percentage);
  }
  return out;
}

function collectStrings(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => collectStrings(v, into));
  return into;
}

/** Builds one side. `arns` spans both sides, so a known ARN resolves to the same address on each. */
export function buildSide(side: Side, arns: ReadonlyMap<string, { address: string; kind: TfKind }>, config: ConfigIndex | undefined): SideModel {
  const of = <K extends TfKind>(kind: K) => side.elb.filter((i): i is ElbInstanceOf<K> => i.kind === kind);
  const candidates = (kind: TfKind): ReferenceCandidate[] => of(kind);
  const resolve = (instance: ElbInstance, name: string, kind: TfKind): Ref => {
    const value = knownString(instance, name);
    if (value !== undefined) {
      const found = arns.get(value);
      return { key: found !== undefined && found.kind === kind ? keyOf(found.address) : externalKey(value) };
    }
    const address = referencedInstance(config?.expression(instance, [name]), instance, candidates(kind));
    return address === undefined ? { unknown: `its ${name} is known only after apply` } : { key: keyOf(address) };
  };
  const groupResolver: GroupResolver = {
    known: (arn) => {
      const found = arns.get(arn);
      return found !== undefined && found.kind === 'targetGroup' ? keyOf(found.address) : externalKey(arn);
    },
    byExpression: (expression, from) => {
      const address = referencedInstance(expression, from, candidates('targetGroup'));
      return address === undefined ? undefined : keyOf(address);
    },
  };
  const context = { groups: groupResolver, config };

  const lbs = new Map<string, SideLoadBalancer>();
  for (const lb of of('lb')) {
    const arn = knownString(lb, 'arn');
    const type = lbTypeOf(knownString(lb, 'load_balancer_type') ?? (isUnknown(lb.unknown, ['load_balancer_type']) ? undefined : 'application'), arn);
    const { tags, known } = tagsOf(lb);
    lbs.set(keyOf(lb.address), {
      key: keyOf(lb.address),
      address: lb.address,
      resourceType: lb.type,
      ...(arn !== undefined && { arn }),
      name: knownString(lb, 'name') ?? lb.address,
      type,
      // ALB always balances across zones; NLB and GWLB only when the attribute says so.
      crossZone: type === 'application' || lb.values.enable_cross_zone_load_balancing === true,
      tags,
      tagsKnown: known,
    });
  }

  const listeners = new Map<string, SideListener>();
  for (const listener of of('listener')) {
    const port = knownInt(listener, 'port');
    const protocol = knownString(listener, 'protocol');
    listeners.set(listener.address, {
      address: listener.address,
      resourceType: listener.type,
      lb: resolve(listener, 'load_balancer_arn', 'lb'),
      ...(port !== undefined && { port }),
      ...(protocol !== undefined && { protocol: protocol.toUpperCase() }),
      actions: readActions(listener, context),
    });
  }

  const rules = new Map<string, SideRule>();
  for (const rule of of('rule')) {
    const priority = knownInt(rule, 'priority');
    rules.set(rule.address, {
      address: rule.address,
      resourceType: rule.type,
      listener: resolve(rule, 'listener_arn', 'listener'),
      // An unset priority is computed by AWS at create time ("next available"): known only after apply.
      priority: priority ?? { unknown: 'its priority is known only after apply' },
      conditions: readConditions(rule),
      actions: readActions(rule, context),
    });
  }

  const groups = new Map<string, SideGroup>();
  const groupByArn = new Map<string, string>();
  for (const group of of('targetGroup')) {
    const key = keyOf(group.address);
    const arn = knownString(group, 'arn');
    if (arn !== undefined) groupByArn.set(arn, key);
    const declared = knownString(group, 'target_type');
    const port = knownInt(group, 'port');
    const protocol = knownString(group, 'protocol');
    groups.set(key, {
      key,
      address: group.address,
      resourceType: group.type,
      name: knownString(group, 'name') ?? group.address,
      arnUnknown: arn === undefined,
      group: {
        name: knownString(group, 'name') ?? group.address,
        ...(port !== undefined && { port }),
        ...(protocol !== undefined && { protocol }),
        targetType: declared === 'ip' || declared === 'lambda' || declared === 'alb' ? declared : 'instance',
        crossZone: crossZoneOf(knownString(group, 'load_balancing_cross_zone_enabled')),
        attributes: groupAttributes(group),
        tags: tagsOf(group).tags,
      },
    });
  }

  const targets = new Map<string, Target[]>();
  const unplaced: string[] = [];
  for (const attachment of of('attachment')) {
    const ref = resolve(attachment, 'target_group_arn', 'targetGroup');
    if ('unknown' in ref) {
      unplaced.push(attachment.address);
      continue;
    }
    const id = knownString(attachment, 'target_id');
    const port = knownInt(attachment, 'port') ?? groups.get(ref.key)?.group.port;
    const zone = knownString(attachment, 'availability_zone');
    // A target whose id is known only after apply (a new instance) is still one target: counted under its attachment's address.
    const target: Target = { id: id ?? `(${attachment.address}: id known after apply)`, ...(port !== undefined && { port }), ...(zone !== undefined && { availabilityZone: zone }), health: 'healthy' };
    targets.set(ref.key, [...(targets.get(ref.key) ?? []), target]);
  }

  const registrars = new Map<string, string>();
  const groupsByName = new Map<string, string[]>();
  for (const g of of('targetGroup')) groupsByName.set(`${g.module}|${g.type}.${g.name}`, [...(groupsByName.get(`${g.module}|${g.type}.${g.name}`) ?? []), keyOf(g.address)]);
  for (const other of side.others) {
    for (const value of collectStrings(other.values, new Set())) {
      const key = groupByArn.get(value);
      if (key !== undefined && !registrars.has(key)) registrars.set(key, other.address);
    }
    for (const reference of collectStrings(config?.at(other, []), new Set())) {
      const match = /^([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/.exec(reference);
      for (const key of match === null ? [] : (groupsByName.get(`${other.module}|${match[1]}`) ?? [])) if (!registrars.has(key)) registrars.set(key, other.address);
    }
  }
  return { lbs, listeners, rules, groups, targets, unplaced, registrars };
}
