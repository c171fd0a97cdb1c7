import { listenerArnOfRule, loadBalancerArnOf, parseElbArn } from '../events/arn';
import type { Action, LoadBalancerSnapshot } from '../model/snapshot';

/** Target group ARNs a list of actions forwards to. */
export function forwardedGroupArns(actions: readonly Action[]): string[] {
  return actions.flatMap((action) => action.forward?.targetGroups.map((group) => group.targetGroupArn) ?? []);
}

/** True when `arn` is a target group ARN of the load balancer's own partition, account and Region. */
export function isTargetGroupOf(arn: string, loadBalancerArn: string): boolean {
  const lb = parseElbArn(loadBalancerArn);
  const group = parseElbArn(arn);
  return (
    lb !== undefined &&
    group !== undefined &&
    group.resourceType === 'targetgroup' &&
    group.partition === lb.partition &&
    group.accountId === lb.accountId &&
    group.region === lb.region
  );
}

/**
 * The ARNs in a snapshot that are not this load balancer's: the load balancer itself, listeners and rules of
 * another load balancer, target groups of another account or Region (in the groups or in a forward). Empty
 * for a snapshot that only names what belongs to `loadBalancerArn`. Pure, no AWS call.
 */
export function foreignArns(snapshot: LoadBalancerSnapshot, loadBalancerArn: string): string[] {
  const foreign = new Set<string>();
  if (snapshot.loadBalancer.arn !== loadBalancerArn) foreign.add(snapshot.loadBalancer.arn);
  for (const listener of snapshot.listeners) {
    if (loadBalancerArnOf(listener.arn) !== loadBalancerArn || parseElbArn(listener.arn)?.resourceType !== 'listener') foreign.add(listener.arn);
    for (const arn of forwardedGroupArns(listener.defaultActions)) if (!isTargetGroupOf(arn, loadBalancerArn)) foreign.add(arn);
    for (const rule of listener.rules) {
      if (listenerArnOfRule(rule.arn) !== listener.arn) foreign.add(rule.arn);
      for (const arn of forwardedGroupArns(rule.actions)) if (!isTargetGroupOf(arn, loadBalancerArn)) foreign.add(arn);
    }
  }
  for (const group of snapshot.targetGroups) if (!isTargetGroupOf(group.arn, loadBalancerArn)) foreign.add(group.arn);
  return [...foreign];
}
