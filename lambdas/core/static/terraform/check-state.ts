import type { Policy } from '../../policy/policy-schema';
import { describeConditions } from '../../traffic/path-label';
import { checkLoadBalancer } from '../check-template';
import type { RuleFinding, StaticRuleRegistry } from '../rules';
import { placeKey, type StaticLoadBalancer, type StaticNote, type StaticPlace, type StaticTargetGroup } from '../static-model';
import type { LoadBalancerView } from './lb-view';
import { snapshotOf } from './snapshots';

/**
 * A Terraform state has no "before": it is judged the way `check` judges a CloudFormation template,
 * with the static rules (every route is new; a group with fewer fixed targets than the minimum is a
 * warning). The state becomes the same partial model a template does: one snapshot per load balancer,
 * groups whose targets the configuration does not fix marked as such, and each listener, rule and group
 * tied to its Terraform address.
 */

const PREFIX = { application: 'app', network: 'net', gateway: 'gwy' } as const;

/** The static model of one load balancer of a state. */
export function staticLoadBalancerOf(view: LoadBalancerView): StaticLoadBalancer | undefined {
  const state = view.after;
  const snapshot = snapshotOf(view, 'after', new Map());
  if (state === undefined || snapshot === undefined) return undefined;
  const { lb } = state;
  const groups = new Map<string, StaticTargetGroup>();
  for (const group of view.groups.values()) {
    const base = { arn: group.key, name: group.name, ...(group.address !== undefined && { logicalId: group.address }) };
    groups.set(group.key, 'unknown' in group.targets ? { ...base, unknownTargets: group.targets.unknown } : { ...base, fixedTargets: new Set(group.targets.after.map((t) => t.id)).size });
  }
  const places = new Map<string, StaticPlace>();
  for (const listener of state.listeners) {
    const listenerArn = `tf:${listener.address}`;
    const label = `listener ${listener.protocol}:${listener.port} of LB ${lb.name}`;
    places.set(placeKey(listenerArn), { logicalId: listener.address, resourceType: listener.resourceType, label });
    for (const rule of listener.rules) {
      const summary = describeConditions(rule.conditions);
      places.set(placeKey(listenerArn, `tf:${rule.address}`), {
        logicalId: rule.address,
        resourceType: rule.resourceType,
        label: `rule priority ${rule.priority}${summary === '' ? '' : ` (${summary})`} on ${label}`,
      });
    }
  }
  const name = lb.name === lb.address ? '*' : lb.name;
  return {
    ...(lb.address !== undefined && { logicalId: lb.address }),
    name: lb.name,
    snapshot,
    subject: {
      arn: lb.arn ?? `arn:*:elasticloadbalancing:*:*:loadbalancer/${PREFIX[lb.type]}/${name}/*`,
      tags: new Map(Object.entries(lb.tags)),
      tagsKnown: lb.tagsKnown,
    },
    groups,
    places,
  };
}

/** The static rules over each load balancer of a state. */
export function checkState(views: readonly LoadBalancerView[], policy: Policy, registry: StaticRuleRegistry): { findings: RuleFinding[]; notes: StaticNote[] } {
  const notes: StaticNote[] = [];
  const findings: RuleFinding[] = [];
  const types = new Map<string, string>();
  for (const view of views) {
    notes.push(...view.notes.map((n) => ({ logicalId: n.address, message: n.message })));
    const lb = staticLoadBalancerOf(view);
    if (lb === undefined || lb.places.size === 0) continue;
    if (lb.logicalId !== undefined) types.set(lb.logicalId, view.after?.lb.resourceType ?? 'aws_lb');
    for (const group of view.groups.values()) {
      if (group.address !== undefined) types.set(group.address, group.resourceType ?? 'aws_lb_target_group');
      if ('unknown' in group.targets) notes.push({ logicalId: group.address ?? group.name, message: `target group ${group.name}: target-level rules skipped: ${group.targets.unknown}` });
    }
    findings.push(...checkLoadBalancer(lb, policy, registry, notes));
  }
  // The static rules name the template's resource types; a state's are the provider's.
  return { findings: findings.map((f) => ({ ...f, resourceType: types.get(f.logicalId) ?? f.resourceType })), notes };
}
