import { loadBalancerArnOf } from '../events/arn';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { isTargetGroupOf } from '../trust/foreign-arns';
import type { RevertPlan, SdkAction } from './revert-plan';

function forwardGroups(actions: readonly SdkAction[]): string[] {
  return actions.flatMap((action) => [
    ...(action.TargetGroupArn === undefined ? [] : [action.TargetGroupArn]),
    ...(action.ForwardConfig?.TargetGroups.map((group) => group.TargetGroupArn) ?? []),
  ]);
}

/**
 * Why a revert plan must not be applied: every listener, rule and target group it names must exist and
 * belong to the load balancer being reverted, in its account and Region. "Exists" is what the live read
 * (`current`) shows: listeners and rules of this load balancer, target groups attached to it. A target group
 * a restored forward points to may have been detached by the very change being undone, so it may instead be
 * one the last known good lists (ELB itself refuses a forward to a group that was deleted since). Returns
 * one sentence per problem; empty when the plan stays within its load balancer. Pure: no AWS call.
 */
export function revertTargetProblems(plan: RevertPlan, current: LoadBalancerSnapshot, lastKnownGood: LoadBalancerSnapshot): string[] {
  const lb = current.loadBalancer.arn;
  const problems: string[] = [];
  if (plan.loadBalancerArn !== lb) problems.push(`the plan is for ${plan.loadBalancerArn}, not for ${lb}`);
  const listeners = new Set(current.listeners.map((listener) => listener.arn));
  const rules = new Set(current.listeners.flatMap((listener) => listener.rules.map((rule) => rule.arn)));
  const attached = new Set(current.targetGroups.map((group) => group.arn));
  const known = new Set([...attached, ...lastKnownGood.targetGroups.map((group) => group.arn)]);
  const ownListener = (arn: string) => {
    if (loadBalancerArnOf(arn) !== lb || !listeners.has(arn)) problems.push(`listener ${arn} is not a listener of this load balancer now`);
  };
  const ownRule = (arn: string) => {
    if (loadBalancerArnOf(arn) !== lb || !rules.has(arn)) problems.push(`rule ${arn} is not a rule of this load balancer now`);
  };
  const attachedGroup = (arn: string) => {
    if (!isTargetGroupOf(arn, lb) || !attached.has(arn)) problems.push(`target group ${arn} is not attached to this load balancer now`);
  };
  const forwardTo = (actions: readonly SdkAction[]) => {
    for (const arn of forwardGroups(actions)) {
      if (!isTargetGroupOf(arn, lb)) problems.push(`target group ${arn} is not of this load balancer's account and Region`);
      else if (!known.has(arn)) problems.push(`target group ${arn} is neither attached to this load balancer now nor in its last known good`);
    }
  };
  for (const step of plan.steps) {
    switch (step.operation) {
      case 'ModifyListener':
        ownListener(step.input.ListenerArn);
        forwardTo(step.input.DefaultActions ?? []);
        break;
      case 'AddListenerCertificates':
        ownListener(step.input.ListenerArn);
        break;
      case 'CreateListener':
        if (step.input.LoadBalancerArn !== lb) problems.push(`load balancer ${step.input.LoadBalancerArn} is not the one being reverted`);
        forwardTo(step.input.DefaultActions);
        break;
      case 'CreateRule':
        ownListener(step.input.ListenerArn);
        forwardTo(step.input.Actions);
        break;
      case 'ModifyRule':
        ownRule(step.input.RuleArn);
        forwardTo(step.input.Actions);
        break;
      case 'DeleteRule':
        ownRule(step.input.RuleArn);
        break;
      case 'SetRulePriorities':
        for (const priority of step.input.RulePriorities) ownRule(priority.RuleArn);
        break;
      case 'RegisterTargets':
      case 'ModifyTargetGroupAttributes':
        attachedGroup(step.input.TargetGroupArn);
        break;
      case 'ModifyLoadBalancerAttributes':
      case 'SetSubnets':
        if (step.input.LoadBalancerArn !== lb) problems.push(`load balancer ${step.input.LoadBalancerArn} is not the one being reverted`);
        break;
    }
  }
  return [...new Set(problems)];
}
