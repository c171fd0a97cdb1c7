import type { Action, CrossZoneSetting, ListenerRule, LoadBalancerSnapshot, RuleCondition, Target, TargetGroup } from '../model/snapshot';

/**
 * Canonical forms for comparing configurations. Two snapshots can say the same thing in different ways
 * (the reader fills `order: 1` where a parsed event has none; Describe returns stickiness `{enabled:
 * false}` where a request omitted it; a one-group forward's weight does not matter). A revert must see
 * through those, or it would plan calls that change nothing and never converge.
 */

/** JSON with sorted keys and no undefined members: equal configurations give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function canonicalAction(action: Action): unknown {
  const { order: _order, forward, ...rest } = action;
  if (forward === undefined) return rest;
  const single = forward.targetGroups.length === 1 && forward.targetGroups[0].weight > 0;
  const targetGroups = forward.targetGroups.map((g) => ({ targetGroupArn: g.targetGroupArn, weight: single ? 1 : g.weight }));
  const stickiness = forward.stickiness?.enabled === true ? forward.stickiness : undefined;
  return { ...rest, forward: { targetGroups, stickiness } };
}

/** Actions in canonical form: in execution order, positions instead of `order` values. */
export function canonicalActions(actions: readonly Action[]): string {
  const sorted = actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => (a.action.order ?? a.index) - (b.action.order ?? b.index) || a.index - b.index);
  return stableJson(sorted.map(({ action }) => canonicalAction(action)));
}

/** Conditions in canonical form: the order of conditions and of values does not matter to ELB. */
export function canonicalConditions(conditions: readonly RuleCondition[]): string {
  return stableJson(
    conditions
      .map((c) =>
        stableJson({
          field: c.field,
          values: [...c.values].sort(),
          httpHeaderName: c.httpHeaderName,
          regexValues: c.regexValues && c.regexValues.length > 0 ? [...c.regexValues].sort() : undefined,
          queryStrings: c.queryStrings?.map((q) => stableJson(q)).sort(),
        }),
      )
      .sort(),
  );
}

/** Targets on their way out: they count as not registered (a revert registers them again). */
const LEAVING = new Set<Target['health']>(['draining', 'unhealthy.draining']);

/** A target's identity within its group: id and port (ELB fills the group's port when none is given). */
export function targetKey(target: Pick<Target, 'id' | 'port'>, group: Pick<TargetGroup, 'port'>): string {
  return `${target.id}:${target.port ?? group.port ?? ''}`;
}

/** The targets registered (and not being deregistered) in a group, by `targetKey`. */
export function registeredTargets(group: TargetGroup): Map<string, Target> {
  return new Map(group.targets.filter((t) => !LEAVING.has(t.health)).map((t) => [targetKey(t, group), t]));
}

/** The target group attribute that holds the cross-zone setting, and its values. */
export const CROSS_ZONE_ATTRIBUTE = 'load_balancing.cross_zone.enabled';
const CROSS_ZONE_VALUE: Record<CrossZoneSetting, string> = { on: 'true', off: 'false', inherit: 'use_load_balancer_configuration' };

/** The attribute value of a group cross-zone setting. */
export function crossZoneAttributeValue(setting: CrossZoneSetting): string {
  return CROSS_ZONE_VALUE[setting];
}

/** The group cross-zone setting of an attribute value. */
export function crossZoneSettingOf(value: string): CrossZoneSetting {
  return value === 'true' ? 'on' : value === 'false' ? 'off' : 'inherit';
}

/** A group's attributes with the cross-zone setting folded in (the model keeps it in two places). */
export function effectiveAttributes(group: TargetGroup): Record<string, string> {
  return { ...group.attributes, [CROSS_ZONE_ATTRIBUTE]: crossZoneAttributeValue(group.crossZone) };
}

/**
 * Everything a revert restores, in canonical form, for tests and verification: listeners with default
 * actions and rules (priority, conditions, actions), target groups with registered targets and
 * attributes, and the load balancer's cross-zone setting. Health is not configuration and is left out.
 */
export function configurationOf(snapshot: LoadBalancerSnapshot): unknown {
  const byArn = <T extends { arn: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.arn < b.arn ? -1 : 1));
  return {
    crossZoneEnabled: snapshot.loadBalancer.crossZoneEnabled,
    listeners: byArn(snapshot.listeners).map((l) => ({
      arn: l.arn,
      port: l.port,
      protocol: l.protocol,
      defaultActions: canonicalActions(l.defaultActions),
      rules: byArn(l.rules).map((r) => ({
        arn: r.arn,
        priority: r.priority,
        conditions: canonicalConditions(r.conditions),
        actions: canonicalActions(r.actions),
      })),
    })),
    targetGroups: byArn(snapshot.targetGroups).map((g) => ({
      arn: g.arn,
      attributes: stableJson(effectiveAttributes(g)),
      registered: [...registeredTargets(g).keys()].sort(),
    })),
  };
}

/** A rule's routing in canonical form: priority, conditions and actions, not its ARN. */
export function canonicalRule(rule: Pick<ListenerRule, 'priority' | 'conditions' | 'actions'>): string {
  return `${rule.priority}|${canonicalConditions(rule.conditions)}|${canonicalActions(rule.actions)}`;
}

/** Every listener's routing (port, protocol, default actions, rules) without ARNs: equal when they route alike. */
export function canonicalListeners(snapshot: LoadBalancerSnapshot): string {
  return stableJson(
    [...snapshot.listeners]
      .sort((a, b) => a.port - b.port)
      .map((l) => ({ port: l.port, protocol: l.protocol, defaultActions: canonicalActions(l.defaultActions), rules: l.rules.map(canonicalRule).sort() })),
  );
}

/**
 * True when two snapshots hold the same configuration, everything a change can set (listeners and their
 * certificates and policies, rules, groups and their attributes, registrations, subnets, tags): they differ
 * only in what ELB reports (target health) and when they were read.
 */
export function sameConfiguration(a: LoadBalancerSnapshot, b: LoadBalancerSnapshot): boolean {
  const settable = (snapshot: LoadBalancerSnapshot): string =>
    stableJson({
      ...snapshot,
      capturedAt: undefined,
      targetGroups: [...snapshot.targetGroups]
        .sort((x, y) => (x.arn < y.arn ? -1 : 1))
        .map((g) => ({ ...g, targets: g.targets.filter((t) => t.health !== 'draining').map((t) => `${t.id}:${t.port ?? ''}`).sort() })),
      listeners: [...snapshot.listeners].sort((x, y) => (x.arn < y.arn ? -1 : 1)).map((l) => ({ ...l, rules: [...l.rules].sort((x, y) => (x.arn < y.arn ? -1 : 1)) })),
    });
  return settable(a) === settable(b);
}
