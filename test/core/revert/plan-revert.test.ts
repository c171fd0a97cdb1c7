import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { configurationOf, stableJson } from '../../../lambdas/core/revert/canonical';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import { routingDifferences } from '../../../lambdas/core/revert/verify-routing';
import type { RevertStep } from '../../../lambdas/core/revert/revert-plan';
import { applyChange, applyPlan, type ApplicableChange } from '../../../lambdas/core/simulate/apply-change';
import { arnsFor, arns as appArns, forward, lb, may19, redirect } from '../../helpers/snapshot-builder';

const arns = arnsFor('web', 'network');

/** A production-like load balancer: weighted default, two rules, cross-zone on. */
const lkg = (): LoadBalancerSnapshot =>
  lb('web', 'network')
    .group('blue', { healthy: 4, attributes: { 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false' } })
    .group('green', { healthy: 2 })
    .listener(80, forward({ blue: 100, green: 0 }))
    .rule(80, 10, { path: '/api/*' }, forward('green'))
    .rule(80, 20, { host: 'admin.example.com' }, redirect())
    .build();

function after(snapshot: LoadBalancerSnapshot, ...changes: ApplicableChange[]): LoadBalancerSnapshot {
  return changes.reduce((s, c) => applyChange(s, c), snapshot);
}

const ops = (steps: readonly RevertStep[]) => steps.map((s) => s.operation);

describe('Function: planRevert', () => {
  it.each<[string, ApplicableChange[], string[]]>([
    ['weights flipped on the default action', [{ eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('blue'), weight: 0 }, { targetGroupArn: arns.group('green'), weight: 100 }] } }] } }], ['ModifyListener']],
    ['targets deregistered', [{ eventName: 'DeregisterTargets', request: { targetGroupArn: arns.group('blue'), targets: [{ id: 'i-blue-1' }, { id: 'i-blue-2' }] } }], ['RegisterTargets']],
    ['a rule re-pointed and its condition changed', [{ eventName: 'ModifyRule', request: { ruleArn: arns.rule(80, 10), conditions: [{ field: 'path-pattern', values: ['/*'] }], actions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('blue'), weight: 1 }] } }] } }], ['ModifyRule']],
    ['two rule priorities swapped', [{ eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 20 }, { ruleArn: arns.rule(80, 20), priority: 10 }] } }], ['SetRulePriorities']],
    ['a target group attribute and its cross-zone setting', [{ eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: arns.group('blue'), attributes: [{ key: 'stickiness.enabled', value: 'true' }, { key: 'load_balancing.cross_zone.enabled', value: 'false' }] } }], ['ModifyTargetGroupAttributes']],
    ['cross-zone turned off at the load balancer', [{ eventName: 'ModifyLoadBalancerAttributes', request: { loadBalancerArn: arns.loadBalancer, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'false' }] } }], ['ModifyLoadBalancerAttributes']],
    ['everything at once, in restore order', [
      { eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('green'), weight: 1 }] } }] } },
      { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 30 }] } },
      { eventName: 'ModifyRule', request: { ruleArn: arns.rule(80, 20), actions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('green'), weight: 1 }] } }] } },
      { eventName: 'DeregisterTargets', request: { targetGroupArn: arns.group('blue'), targets: [{ id: 'i-blue-4' }] } },
      { eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: arns.group('green'), attributes: [{ key: 'deregistration_delay.timeout_seconds', value: '0' }] } },
    ], ['RegisterTargets', 'ModifyTargetGroupAttributes', 'SetRulePriorities', 'ModifyRule', 'ModifyListener']],
  ])('restores %s', (_name, changes, operations) => {
    // Prepare
    const good = lkg();
    const current = after(good, ...changes.map((c) => ({ ...c, request: structuredClone(c.request) }) as ApplicableChange));

    // Act
    const plan = planRevert(good, current);
    const restored = applyPlan(current, plan);

    // Assess
    expect(ops(plan.steps)).toEqual(operations);
    expect(stableJson(configurationOf(restored))).toBe(stableJson(configurationOf(good)));
    expect(planRevert(good, restored).steps).toEqual([]);
    expect(plan.unrestorable).toEqual([]);
  });

  it('plans nothing when nothing changed', () => {
    expect(planRevert(lkg(), lkg())).toEqual({ loadBalancerArn: lkg().loadBalancer.arn, steps: [], unrestorable: [], kept: [] });
  });

  it('restores the May 19 weight flip with the SDK input ModifyListener takes', () => {
    // Act
    const plan = planRevert(may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }));

    // Assess
    expect(plan.steps).toEqual([
      {
        operation: 'ModifyListener',
        input: {
          ListenerArn: appArns.listener(80),
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: appArns.group('blue'), Weight: 100 }, { TargetGroupArn: appArns.group('green'), Weight: 0 }] } }],
        },
        description: 'Restore HTTP:80 default actions: forward blue=100, green=0',
      },
    ]);
  });

  it('keeps targets someone added instead of deregistering them', () => {
    // Prepare
    const good = lkg();
    const current = after(good, { eventName: 'RegisterTargets', request: { targetGroupArn: arns.group('blue'), targets: [{ id: 'i-extra' }] } });

    // Act
    const plan = planRevert(good, current);

    // Assess
    expect(plan.steps).toEqual([]);
    expect(plan.kept).toEqual(['1 target(s) added to blue since last known good were left registered: i-extra']);
  });

  it('creates a deleted rule again and restores routing, not ARNs', () => {
    // Prepare
    const good = lkg();
    const current = after(
      good,
      { eventName: 'DeleteRule', request: { ruleArn: arns.rule(80, 20) } },
      { eventName: 'ModifyRule', request: { ruleArn: arns.rule(80, 10), actions: [{ type: 'fixed-response', fixedResponseConfig: { StatusCode: '503' } }] } },
    );

    // Act
    const plan = planRevert(good, current, { createTags: [{ Key: 'guarded-by', Value: 'elb-watchdog' }] });
    const restored = applyPlan(current, plan);

    // Assess
    expect(ops(plan.steps)).toEqual(['ModifyRule', 'CreateRule']);
    expect(plan.steps[1]).toMatchObject({
      input: { ListenerArn: arns.listener(80), Priority: 20, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.example.com'] } }], Tags: [{ Key: 'guarded-by', Value: 'elb-watchdog' }] },
      description: 'Create rule 20 (host admin.example.com) on HTTP:80 again: redirect',
    });
    expect(routingDifferences(good, restored)).toEqual([]);
    expect(planRevert(good, restored).steps).toEqual([]);
  });

  it('creates a deleted listener again, and its rules once it exists; a deleted group stays unrestorable', () => {
    // Prepare
    const good = lkg();
    const gone = { ...good, listeners: [], targetGroups: good.targetGroups.filter((g) => g.name !== 'green') };

    // Act
    const first = planRevert(good, gone);
    const second = planRevert(good, applyPlan(gone, first));

    // Assess
    expect(ops(first.steps)).toEqual(['CreateListener']);
    expect(first.followUps).toEqual(['then create the 2 rule(s) of HTTP:80 again']);
    expect(first.unrestorable).toEqual([expect.stringMatching(/^target group green .* is not in the current snapshot/)]);
    expect(ops(second.steps)).toEqual(['CreateRule', 'CreateRule']);
  });

  it('restores a forward to a group the current snapshot no longer lists (detached, maybe deleted)', () => {
    // Prepare: blue is re-pointed away from, so the reader no longer sees it attached
    const good = may19({ blue: 100, green: 0 });
    const moved = applyChange(good, { eventName: 'ModifyListener', request: { listenerArn: appArns.listener(80), defaultActions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: appArns.group('green'), weight: 1 }] } }] } });
    const current = { ...moved, targetGroups: moved.targetGroups.filter((g) => g.name !== 'blue') };

    // Act
    const plan = planRevert(good, current);

    // Assess
    expect(ops(plan.steps)).toEqual(['ModifyListener']);
    expect(plan.unrestorable).toEqual([expect.stringMatching(/^target group blue .* is not in the current snapshot \(deleted or detached\)/)]);
  });

  it('deletes a rule added since the last known good, before restoring the priorities it took', () => {
    // Prepare
    const good = lkg();
    const moved = after(good, { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 15 }] } });
    const current = after(moved, {
      eventName: 'CreateRule',
      createdArn: arns.rule(80, 99),
      request: { listenerArn: arns.listener(80), priority: 10, conditions: [{ field: 'path-pattern', values: ['/new/*'] }], actions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('green'), weight: 1 }] } }] },
    });

    // Act
    const plan = planRevert(good, current);
    const restored = applyPlan(current, plan);

    // Assess
    expect(ops(plan.steps)).toEqual(['DeleteRule', 'SetRulePriorities']);
    expect(plan.steps[0].input).toEqual({ RuleArn: arns.rule(80, 99) });
    expect(plan.steps[1].input).toEqual({ RulePriorities: [{ RuleArn: arns.rule(80, 10), Priority: 10 }] });
    expect(planRevert(good, restored).steps).toEqual([]);
  });

  it('keeps an added rule the policy trusts, moving it out of the priority a restored rule needs', () => {
    // Prepare
    const good = lkg();
    const moved = after(good, { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 15 }] } });
    const current = after(moved, {
      eventName: 'CreateRule',
      createdArn: arns.rule(80, 99),
      request: { listenerArn: arns.listener(80), priority: 10, conditions: [{ field: 'path-pattern', values: ['/new/*'] }], actions: [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('green'), weight: 1 }] } }] },
    });

    // Act
    const plan = planRevert(good, current, { keepRule: (rule) => rule.arn === arns.rule(80, 99) });
    const restored = applyPlan(current, plan);

    // Assess
    expect(plan.steps[0].input).toEqual({ RulePriorities: [{ RuleArn: arns.rule(80, 10), Priority: 10 }, { RuleArn: arns.rule(80, 99), Priority: 21 }] });
    expect(plan.kept).toEqual([expect.stringContaining('rule 10 (path /new/*) on HTTP:80 was added since the last known good by someone the policy trusts: kept'), expect.stringContaining('moved to priority 21')]);
    expect(planRevert(good, restored, { keepRule: (rule) => rule.arn === arns.rule(80, 99) }).steps).toEqual([]);
  });

  it('refuses to plan across two load balancers', () => {
    expect(() => planRevert(lkg(), lb('other').build())).toThrow('cannot plan a revert across load balancers');
  });
});
