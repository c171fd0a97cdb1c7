import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { maxTargetShare } from '../../../lambdas/core/rules/max-target-share';
import { forward, lb, may19 } from '../../helpers/snapshot-builder';
import { runRule, summary } from '../../helpers/run-rule';

const blueGreen = (blue: number, green: number): LoadBalancerSnapshot =>
  lb().group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue, green })).build();
const devBox = (): LoadBalancerSnapshot => lb('dev').group('dev', { healthy: 1 }).listener(80, forward('dev')).build();

describe('Rule: max-target-share', () => {
  it.each<[string, LoadBalancerSnapshot | undefined, LoadBalancerSnapshot, string[], Record<string, unknown>?]>([
    ['May 19: weights flipped to the single green server', may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }),
      ['block: all requests on HTTP:80, the default rule: i-green-1 would receive 100%, was 0%; limit 50%']],
    ['May 19 the slow way: all but one blue target deregistered', may19({ blue: 100, green: 0 }), may19({ blue: 100, green: 0 }, { healthy: 1, draining: 3 }),
      ['block: all requests on HTTP:80, the default rule: i-blue-1 would receive 100%, was 25%; limit 50%']],
    ['blue/green 100/0 → 50/50', blueGreen(100, 0), blueGreen(50, 50), []],
    ['blue/green 50/50 → 0/100', blueGreen(50, 50), blueGreen(0, 100), []],
    ['a single-target dev load balancer that was already so', devBox(), devBox(),
      ['warn: all requests on HTTP:80, the default rule: i-dev-1 would receive 100%, was 100%; limit 50% (unchanged risk: it already did before the change)']],
    ['no baseline yet', undefined, may19({ blue: 0, green: 100 }),
      ['warn: all requests on HTTP:80, the default rule: i-green-1 would receive 100%, before unknown; limit 50% (no baseline yet: cannot tell whether this is new, so not blocking)']],
    ['exactly at the limit', lb().group('g', { healthy: 4 }).listener(80, forward('g')).build(), lb().group('g', { healthy: 2 }).listener(80, forward('g')).build(), []],
    ['a new rule to a single server', lb().group('g', { healthy: 4 }).group('api', { healthy: 1 }).listener(80, forward('g')).build(),
      lb().group('g', { healthy: 4 }).group('api', { healthy: 1 }).listener(80, forward('g')).rule(80, 10, { path: '/api/*' }, forward('api')).build(),
      ['block: requests to /api/* on HTTP:80, rule 10: i-api-1 would receive 100%, was 0%; limit 50%']],
    ['a raised limit lets a 2-target group through', lb().group('g', { healthy: 4 }).listener(80, forward('g')).build(), lb().group('g', { healthy: 1, draining: 3 }).listener(80, forward('g')).build(),
      [], { limitPercent: 100 }],
    // A lambda group holds one function and an alb group one load balancer, by API design: not one server.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html (TargetType)
    ['a cutover to a lambda target group', lb().group('g', { healthy: 4 }).group('fn', { targetType: 'lambda', unavailable: 1 }).listener(80, forward('g')).build(),
      lb().group('g', { healthy: 4 }).group('fn', { targetType: 'lambda', unavailable: 1 }).listener(80, forward('fn')).build(), []],
    ['a cutover to an alb target group (NLB in front of an ALB)', lb('edge', 'network').group('g', { healthy: 4 }).group('alb', { targetType: 'alb', healthy: 1 }).listener(80, forward('g')).build(),
      lb('edge', 'network').group('g', { healthy: 4 }).group('alb', { targetType: 'alb', healthy: 1 }).listener(80, forward('alb')).build(), []],
    ['a cutover to a lambda target group, with the policy opting in', lb().group('g', { healthy: 4 }).group('fn', { targetType: 'lambda', unavailable: 1 }).listener(80, forward('g')).build(),
      lb().group('g', { healthy: 4 }).group('fn', { targetType: 'lambda', unavailable: 1 }).listener(80, forward('fn')).build(),
      ['block: all requests on HTTP:80, the default rule: i-fn-1 would receive 100%, was 0%; limit 50%'], { includeLambdaAndAlbTargets: true }],
    // "a class with no working route before is never blocked for the route it gets now" (an empty group answered 503):
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html
    ['registering the first target of an empty group', lb().group('g').listener(80, forward('g')).build(), lb().group('g', { healthy: 1 }).listener(80, forward('g')).build(),
      ['warn: all requests on HTTP:80, the default rule: i-g-1 would receive 100%, was 0%; limit 50% (it had no working route before: not blocking)']],
  ])('%s', (_name, before, after, expected, params = {}) => {
    // Act
    const findings = runRule(maxTargetShare, before, after, params);

    // Assess
    expect(summary(findings)).toEqual(expected);
  });

  it('gives the numbers behind the finding', () => {
    // Act
    const [finding] = runRule(maxTargetShare, may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }));

    // Assess
    expect(finding).toMatchObject({ ruleId: 'max-target-share', targetId: 'i-green-1', numbers: { after: 1, before: 0, limit: 0.5 } });
    expect(finding.requestClass).toMatchObject({ label: 'all requests on HTTP:80', rule: 'the default rule', listenerPort: 80 });
  });
});
