import type { ChangeRequest } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { ReadScope } from '../ports';
import type { RevertStep } from '../revert/revert-plan';
import { compareRouting } from '../routing/compare-routing';

/**
 * What a change can affect, so the watchdog re-reads only that and takes the rest from the last known good
 * (the ELBv2 API budget is a token bucket shared by the whole account: Describe 40, refilling 10/s,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html). The hourly audit
 * is the full re-read that catches anything this misses.
 */

/** An empty scope (nothing to re-read). */
export function emptyScope(): ReadScope {
  return { loadBalancer: false, loadBalancerTags: false, loadBalancerAttributes: false, allListeners: false, listeners: [], certificates: [], groupHealth: [], groupAttributes: [], groupMembership: false };
}

/** The union of scopes. */
export function mergeScopes(...scopes: readonly ReadScope[]): ReadScope {
  const out = emptyScope();
  return scopes.reduce<ReadScope>(
    (a, b) => ({
      loadBalancer: a.loadBalancer || b.loadBalancer,
      loadBalancerTags: a.loadBalancerTags || b.loadBalancerTags,
      loadBalancerAttributes: a.loadBalancerAttributes || b.loadBalancerAttributes,
      allListeners: a.allListeners || b.allListeners,
      listeners: [...new Set([...a.listeners, ...b.listeners])],
      certificates: [...new Set([...a.certificates, ...b.certificates])],
      groupHealth: [...new Set([...a.groupHealth, ...b.groupHealth])],
      groupAttributes: [...new Set([...a.groupAttributes, ...b.groupAttributes])],
      groupMembership: a.groupMembership || b.groupMembership,
    }),
    out,
  );
}

/** The listener a rule ARN belongs to (`listener-rule/app/N/ID/LISTENER/RULE` → `listener/app/N/ID/LISTENER`). */
export function listenerOfRule(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').split('/').slice(0, -1).join('/');
}

/** What one change can affect, before the groups its classes reach are known (see `healthScope`). */
export function changeScope(change: ChangeRequest): ReadScope {
  const s = emptyScope();
  switch (change.eventName) {
    case 'RegisterTargets':
    case 'DeregisterTargets':
    case 'ModifyTargetGroup':
      return { ...s, groupHealth: [change.request.targetGroupArn] };
    case 'ModifyTargetGroupAttributes':
      return { ...s, groupAttributes: [change.request.targetGroupArn] };
    case 'ModifyListener':
    case 'CreateRule':
      return { ...s, listeners: [change.request.listenerArn] };
    case 'AddListenerCertificates':
    case 'RemoveListenerCertificates':
      return { ...s, listeners: [change.request.listenerArn], certificates: [change.request.listenerArn] };
    case 'ModifyRule':
    case 'DeleteRule':
      return { ...s, listeners: [listenerOfRule(change.request.ruleArn)] };
    case 'SetRulePriorities':
      return { ...s, listeners: [...new Set(change.request.rulePriorities.map((p) => listenerOfRule(p.ruleArn)))] };
    case 'CreateListener':
    case 'DeleteListener':
      return { ...s, allListeners: true, groupMembership: true };
    case 'ModifyLoadBalancerAttributes':
      return { ...s, loadBalancerAttributes: true };
    case 'SetSubnets':
    case 'DeleteLoadBalancer':
      return { ...s, loadBalancer: true };
    case 'DeleteTargetGroup':
      return { ...s, groupMembership: true };
  }
}

/** What a revert touched, to verify it by re-reading only that. */
export function stepsScope(steps: readonly RevertStep[]): ReadScope {
  const s = emptyScope();
  return mergeScopes(
    ...steps.map((step): ReadScope => {
      switch (step.operation) {
        case 'ModifyListener':
        case 'CreateRule':
          return { ...s, listeners: [step.input.ListenerArn] };
        case 'AddListenerCertificates':
          return { ...s, listeners: [step.input.ListenerArn], certificates: [step.input.ListenerArn] };
        case 'ModifyRule':
        case 'DeleteRule':
          return { ...s, listeners: [listenerOfRule(step.input.RuleArn)] };
        case 'SetRulePriorities':
          return { ...s, listeners: step.input.RulePriorities.map((p) => listenerOfRule(p.RuleArn)) };
        case 'CreateListener':
          return { ...s, allListeners: true };
        case 'RegisterTargets':
          return { ...s, groupHealth: [step.input.TargetGroupArn] };
        case 'ModifyTargetGroupAttributes':
          return { ...s, groupAttributes: [step.input.TargetGroupArn] };
        case 'ModifyLoadBalancerAttributes':
          return { ...s, loadBalancerAttributes: true };
        case 'SetSubnets':
          return { ...s, loadBalancer: true };
      }
    }),
  );
}

/**
 * The groups whose health matters after a configuration change: every group reached by a request class
 * whose route changed (before or after), and groups the base does not know yet. Their health is read
 * fresh; the others keep the last known good's, which judges both sides alike.
 */
export function healthScope(base: LoadBalancerSnapshot, refreshed: LoadBalancerSnapshot): ReadScope {
  const groups = new Set<string>();
  const known = new Set(base.targetGroups.map((g) => g.arn));
  for (const { before, after } of compareRouting(base, refreshed).classes) {
    if (before !== undefined && before.route.outcome.key === after.route.outcome.key) continue;
    for (const side of [before, after]) {
      if (side?.route.outcome.kind !== 'forward') continue;
      for (const g of side.route.outcome.forward.targetGroups) if (g.weight > 0) groups.add(g.targetGroupArn);
    }
  }
  for (const l of refreshed.listeners) {
    for (const a of [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)]) for (const g of a.forward?.targetGroups ?? []) if (!known.has(g.targetGroupArn)) groups.add(g.targetGroupArn);
  }
  return { ...emptyScope(), groupHealth: [...groups] };
}

/** True when a scope asks for nothing. */
export function isEmptyScope(scope: ReadScope): boolean {
  return !scope.loadBalancer && !scope.loadBalancerTags && !scope.loadBalancerAttributes && !scope.allListeners && scope.listeners.length === 0 && scope.certificates.length === 0 && scope.groupHealth.length === 0 && scope.groupAttributes.length === 0 && !scope.groupMembership;
}
