import { InputValidationError, ResourceNotFoundError } from '../../../lambdas/core/errors';
import { parseChangeEvent } from '../../../lambdas/core/events';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { applyChange, type ApplicableChange } from '../../../lambdas/core/simulate/apply-change';
import { cloudTrailFixture } from '../../helpers/fixtures';
import { arns, arnsFor, forward, lb } from '../../helpers/snapshot-builder';

const base = (): LoadBalancerSnapshot =>
  lb().group('blue', { healthy: 2 }).group('green', { healthy: 1 }).group('spare').listener(80, forward('blue')).rule(80, 10, { path: '/api/*' }, forward('green')).rule(80, 20, { path: '/x' }, forward('green')).build();
const fwd = (group: string) => [{ type: 'forward' as const, forward: { targetGroups: [{ targetGroupArn: arns.group(group), weight: 1 }] } }];

describe('Function: applyChange', () => {
  it.each<[string, ApplicableChange, (s: LoadBalancerSnapshot) => unknown, unknown]>([
    ['CreateListener adds a listener', { eventName: 'CreateListener', createdArn: arns.listener(443), request: { loadBalancerArn: arns.loadBalancer, port: 443, protocol: 'HTTPS', defaultActions: fwd('blue') } },
      (s) => s.listeners.map((l) => `${l.protocol}:${l.port}`), ['HTTP:80', 'HTTPS:443']],
    ['ModifyListener replaces default actions', { eventName: 'ModifyListener', request: { listenerArn: arns.listener(80), defaultActions: fwd('green') } },
      (s) => s.listeners[0].defaultActions, fwd('green')],
    ['DeleteListener removes it', { eventName: 'DeleteListener', request: { listenerArn: arns.listener(80) } }, (s) => s.listeners.length, 0],
    ['CreateRule adds a rule', { eventName: 'CreateRule', createdArn: arns.rule(80, 30), request: { listenerArn: arns.listener(80), priority: 30, conditions: [], actions: fwd('blue') } },
      (s) => s.listeners[0].rules.map((r) => r.priority), [10, 20, 30]],
    ['ModifyRule keeps what it does not send', { eventName: 'ModifyRule', request: { ruleArn: arns.rule(80, 10), actions: fwd('blue') } },
      (s) => [s.listeners[0].rules[0].conditions[0].values, s.listeners[0].rules[0].actions], [['/api/*'], fwd('blue')]],
    ['DeleteRule removes it', { eventName: 'DeleteRule', request: { ruleArn: arns.rule(80, 10) } }, (s) => s.listeners[0].rules.map((r) => r.arn), [arns.rule(80, 20)]],
    ['SetRulePriorities swaps in one call', { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 20 }, { ruleArn: arns.rule(80, 20), priority: 10 }] } },
      (s) => s.listeners[0].rules.map((r) => r.priority), [20, 10]],
    ['RegisterTargets adds initial targets on the group port', { eventName: 'RegisterTargets', request: { targetGroupArn: arns.group('green'), targets: [{ id: 'i-new' }] } },
      (s) => s.targetGroups[1].targets[1], { id: 'i-new', port: 80, health: 'initial', reason: 'Elb.RegistrationInProgress' }],
    ['DeregisterTargets drains targets', { eventName: 'DeregisterTargets', request: { targetGroupArn: arns.group('blue'), targets: [{ id: 'i-blue-1', port: 80 }] } },
      (s) => s.targetGroups[0].targets.map((t) => t.health), ['draining', 'healthy']],
    ['ModifyTargetGroup changes nothing the model holds', { eventName: 'ModifyTargetGroup', request: { targetGroupArn: arns.group('blue'), settings: { healthCheckPath: '/x' } } }, (s) => s, base()],
    ['ModifyTargetGroupAttributes sets attributes and cross-zone', { eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: arns.group('blue'), attributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'false' }] } },
      (s) => [s.targetGroups[0].crossZone, s.targetGroups[0].attributes['load_balancing.cross_zone.enabled']], ['off', 'false']],
    ['DeleteTargetGroup removes an unused group', { eventName: 'DeleteTargetGroup', request: { targetGroupArn: arns.group('spare') } }, (s) => s.targetGroups.map((g) => g.name), ['blue', 'green']],
    ['ModifyLoadBalancerAttributes sets cross-zone', { eventName: 'ModifyLoadBalancerAttributes', request: { loadBalancerArn: arns.loadBalancer, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'false' }] } },
      (s) => s.loadBalancer.crossZoneEnabled, false],
    ['DeleteLoadBalancer leaves no listener', { eventName: 'DeleteLoadBalancer', request: { loadBalancerArn: arns.loadBalancer } }, (s) => [s.listeners.length, s.targetGroups[0].loadBalancerArns], [0, []]],
    ['a call about another load balancer changes nothing', { eventName: 'ModifyListener', request: { listenerArn: arnsFor('other').listener(80), defaultActions: [] } }, (s) => s, base()],
  ])('%s', (_name, change, pick, expected) => {
    // Prepare
    const snapshot = base();

    // Act
    const next = applyChange(snapshot, change);

    // Assess
    expect(pick(next)).toEqual(expected);
    expect(snapshot).toEqual(base());
  });

  it.each<[string, ApplicableChange, new (...args: never[]) => Error]>([
    ['a listener of this load balancer that does not exist', { eventName: 'ModifyListener', request: { listenerArn: arns.listener(8080), defaultActions: [] } }, ResourceNotFoundError],
    ['a rule that does not exist', { eventName: 'DeleteRule', request: { ruleArn: arns.rule(80, 99) } }, ResourceNotFoundError],
    ['a priority in use', { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: arns.rule(80, 10), priority: 20 }] } }, InputValidationError],
    ['a group in use', { eventName: 'DeleteTargetGroup', request: { targetGroupArn: arns.group('blue') } }, InputValidationError],
    ['a CreateRule without priority', { eventName: 'CreateRule', request: { listenerArn: arns.listener(80), conditions: [], actions: [] } }, InputValidationError],
    ['a second listener on a port', { eventName: 'CreateListener', request: { loadBalancerArn: arns.loadBalancer, port: 80, defaultActions: [] } }, InputValidationError],
  ])('rejects %s as ELB would', (_name, change, errorClass) => {
    expect(() => applyChange(base(), change)).toThrow(errorClass);
  });

  it('applies a parsed CloudTrail change (the created rule keeps its real ARN)', () => {
    // Prepare
    const parsed = parseChangeEvent(cloudTrailFixture('create-rule'));
    if (parsed.status !== 'change') throw new Error('fixture must parse');
    const snapshot = lb().group('g', { healthy: 1 }).listener(80, forward('g')).build();
    const withRealArns = { ...snapshot, listeners: [{ ...snapshot.listeners[0], arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2' }] };

    // Act
    const next = applyChange(withRealArns, parsed.change);

    // Assess
    expect(next.listeners[0].rules.map((r) => r.arn)).toEqual(parsed.change.resources.ruleArns);
  });
});
