import { InputValidationError } from '../../errors';
import { LoadBalancerSnapshotSchema, type LoadBalancerSnapshot, type Target, type TargetGroup } from '../../model/snapshot';
import { placeholderTargetId } from '../static-model';
import type { LoadBalancerView, ViewGroup, ViewListener, ViewLoadBalancer } from './lb-view';

/**
 * The core's `LoadBalancerSnapshot` of one side of a view. ARNs are the view's keys (`tf:ADDRESS`),
 * so the same listener or rule is the same path before and after, and a finding leads back to its
 * Terraform address. Targets are assumed healthy (health is not part of a plan). A group whose
 * targets the configuration does not fix gets `count` stand-in targets: the judge varies that number
 * and reports only what holds for any of them.
 */

/** How many stand-in targets each group with unknown targets gets (1 when not given). */
export type Filling = ReadonlyMap<string, number>;

/** A stand-in target of a group whose targets are unknown (rules and the check skip them). */
export function standInTargets(group: ViewGroup, count: number): Target[] {
  const port = group.after?.group.port ?? group.before?.group.port;
  return Array.from({ length: count }, (_, i) => ({ id: `${placeholderTargetId(group.key)}#${i + 1}`, ...(port !== undefined && { port }), health: 'healthy' as const }));
}

function targetGroupOf(view: LoadBalancerView, group: ViewGroup, side: 'before' | 'after', filling: Filling): TargetGroup {
  const known = group[side] ?? group.after ?? group.before;
  const targets = 'unknown' in group.targets ? standInTargets(group, filling.get(group.key) ?? 1) : group.targets[side];
  return {
    arn: group.key,
    name: group.name,
    targetType: known?.group.targetType ?? 'instance',
    ...(known?.group.port !== undefined && { port: known.group.port }),
    ...(known?.group.protocol !== undefined && { protocol: known.group.protocol }),
    loadBalancerArns: [view.key],
    crossZone: known?.group.crossZone ?? 'inherit',
    attributes: known?.group.attributes ?? {},
    tags: known?.group.tags ?? {},
    targets: [...targets],
  };
}

function groupsIn(listeners: readonly ViewListener[]): Set<string> {
  const actions = listeners.flatMap((l) => [...l.actions, ...l.rules.flatMap((r) => r.actions)]);
  return new Set(actions.flatMap((a) => a.forward?.targetGroups.map((g) => g.targetGroupArn) ?? []));
}

/** The snapshot of a load balancer with no listener: the state right after it is created, before anything routes. */
export function emptySnapshot(lb: ViewLoadBalancer): LoadBalancerSnapshot {
  return build(lb, lb.key, [], []);
}

function build(lb: ViewLoadBalancer, key: string, listeners: LoadBalancerSnapshot['listeners'], targetGroups: TargetGroup[]): LoadBalancerSnapshot {
  const snapshot = {
    schemaVersion: 1 as const,
    capturedAt: 'terraform',
    loadBalancer: { arn: key, name: lb.name, type: lb.type, availabilityZones: [], crossZoneEnabled: lb.crossZone, attributes: {}, tags: { ...lb.tags } },
    listeners,
    targetGroups,
  };
  const parsed = LoadBalancerSnapshotSchema.safeParse(snapshot);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const [where, listener, kind, rule] = issue.path;
  const owner =
    where === 'listeners' && typeof listener === 'number'
      ? kind === 'rules' && typeof rule === 'number'
        ? listeners[listener]?.rules[rule]?.arn
        : listeners[listener]?.arn
      : where === 'targetGroups' && typeof listener === 'number'
        ? targetGroups[listener]?.arn
        : key;
  const field = issue.path.map(String).join('.');
  throw new InputValidationError(`${(owner ?? key).replace(/^tf:/, '')}: ${issue.message} (${field} of the load balancer as the check models it)`, { field, input: 'terraform' });
}

/** One side of a view as a snapshot, with `filling` stand-in targets for each group whose targets are unknown. */
export function snapshotOf(view: LoadBalancerView, side: 'before' | 'after', filling: Filling): LoadBalancerSnapshot | undefined {
  const state = view[side];
  if (state === undefined) return undefined;
  const listeners = state.listeners.map((l) => ({
    arn: `tf:${l.address}`,
    port: l.port,
    protocol: l.protocol,
    defaultActions: l.actions,
    rules: l.rules.map((r) => ({ arn: `tf:${r.address}`, priority: r.priority, conditions: r.conditions, actions: r.actions })),
  }));
  const groups = [...groupsIn(state.listeners)].flatMap((key) => {
    const group = view.groups.get(key);
    return group === undefined ? [] : [targetGroupOf(view, group, side, filling)];
  });
  return build(state.lb, view.key, listeners, groups);
}
