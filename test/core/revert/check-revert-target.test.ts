import { revertTargetProblems } from '../../../lambdas/core/revert/check-revert-target';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import type { RevertPlan } from '../../../lambdas/core/revert/revert-plan';
import { arnsFor, forward, lb } from '../../helpers/snapshot-builder';

const build = (blue: number, green: number) =>
  lb('web').group('web-blue', { healthy: 4 }).group('web-green', { healthy: 1 }).listener(80, forward({ 'web-blue': blue, 'web-green': green })).rule(80, 10, { path: '/api/*' }, forward('web-green'));
const good = build(100, 0).build();
const flipped = build(0, 100).build();
const arns = build(100, 0).arns;
const api = arnsFor('api');

describe('Function: revertTargetProblems', () => {
  it('finds nothing wrong with a plan that restores this load balancer', () => {
    const plan = planRevert(good, flipped);

    expect(plan.steps.map((s) => s.operation)).toEqual(['ModifyListener']);
    expect(revertTargetProblems(plan, flipped, good)).toEqual([]);
  });

  it('allows a forward to a group the change detached (known from the last known good), refuses an unknown one', () => {
    // The change left only green on the listener: blue is no longer attached, but the revert must forward to it.
    const detached = structuredClone(flipped);
    detached.listeners[0].defaultActions = [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('web-green'), weight: 1 }] } }];
    detached.targetGroups = detached.targetGroups.filter((g) => g.name !== 'web-blue');
    const plan = planRevert(good, detached);
    const withoutBlue = { ...good, targetGroups: good.targetGroups.filter((g) => g.name !== 'web-blue') };

    expect(revertTargetProblems(plan, detached, good)).toEqual([]);
    expect(revertTargetProblems(plan, detached, withoutBlue)).toEqual([
      `target group ${arns.group('web-blue')} is neither attached to this load balancer now nor in its last known good`,
    ]);
  });

  it('refuses listeners, rules and target groups of another load balancer, account or Region', () => {
    const foreignGroup = arns.group('web-green').replace(':123456789012:', ':999999999999:');
    const plan: RevertPlan = {
      loadBalancerArn: arns.loadBalancer,
      unrestorable: [],
      steps: [
        { operation: 'ModifyListener', input: { ListenerArn: api.listener(80), DefaultActions: [{ Type: 'forward', TargetGroupArn: foreignGroup }] }, description: '' },
        { operation: 'ModifyRule', input: { RuleArn: api.rule(80, 10), Actions: [] }, description: '' },
        { operation: 'SetRulePriorities', input: { RulePriorities: [{ RuleArn: arns.rule(80, 99), Priority: 1 }] }, description: '' },
        { operation: 'RegisterTargets', input: { TargetGroupArn: api.group('api'), Targets: [{ Id: 'i-1' }] }, description: '' },
        { operation: 'ModifyLoadBalancerAttributes', input: { LoadBalancerArn: api.loadBalancer, Attributes: [] }, description: '' },
      ],
    };

    expect(revertTargetProblems(plan, flipped, good)).toEqual([
      `listener ${api.listener(80)} is not a listener of this load balancer now`,
      `target group ${foreignGroup} is not of this load balancer's account and Region`,
      `rule ${api.rule(80, 10)} is not a rule of this load balancer now`,
      `rule ${arns.rule(80, 99)} is not a rule of this load balancer now`,
      `target group ${api.group('api')} is not attached to this load balancer now`,
      `load balancer ${api.loadBalancer} is not the one being reverted`,
    ]);
  });

  it('refuses a plan made for another load balancer', () => {
    expect(revertTargetProblems({ loadBalancerArn: api.loadBalancer, steps: [], unrestorable: [] }, flipped, good)).toEqual([
      `the plan is for ${api.loadBalancer}, not for ${arns.loadBalancer}`,
    ]);
  });
});
