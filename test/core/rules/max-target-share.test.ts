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
      ['block: i-green-1 would receive 100% of HTTP:80 default traffic, was 0%; limit 50%']],
    ['May 19 the slow way: all but one blue target deregistered', may19({ blue: 100, green: 0 }), may19({ blue: 100, green: 0 }, { healthy: 1, draining: 3 }),
      ['block: i-blue-1 would receive 100% of HTTP:80 default traffic, was 25%; limit 50%']],
    ['blue/green 100/0 → 50/50', blueGreen(100, 0), blueGreen(50, 50), []],
    ['blue/green 50/50 → 0/100', blueGreen(50, 50), blueGreen(0, 100), []],
    ['a single-target dev load balancer that was already so', devBox(), devBox(),
      ['warn: i-dev-1 would receive 100% of HTTP:80 default traffic, was 100%; limit 50% (unchanged risk: it already did before the change)']],
    ['no baseline yet', undefined, may19({ blue: 0, green: 100 }),
      ['warn: i-green-1 would receive 100% of HTTP:80 default traffic, before unknown; limit 50% (no baseline yet: cannot tell whether this is new, so not blocking)']],
    ['exactly at the limit', lb().group('g', { healthy: 4 }).listener(80, forward('g')).build(), lb().group('g', { healthy: 2 }).listener(80, forward('g')).build(), []],
    ['a new rule to a single server', lb().group('g', { healthy: 4 }).group('api', { healthy: 1 }).listener(80, forward('g')).build(),
      lb().group('g', { healthy: 4 }).group('api', { healthy: 1 }).listener(80, forward('g')).rule(80, 10, { path: '/api/*' }, forward('api')).build(),
      ['block: i-api-1 would receive 100% of HTTP:80 priority 10 (path /api/*) traffic, was 0% (new path); limit 50%']],
    ['a raised limit lets a 2-target group through', lb().group('g', { healthy: 4 }).listener(80, forward('g')).build(), lb().group('g', { healthy: 1, draining: 3 }).listener(80, forward('g')).build(),
      [], { limitPercent: 100 }],
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
    expect(finding.path?.label).toBe('HTTP:80 default');
  });
});
