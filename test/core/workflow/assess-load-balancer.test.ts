import { DEFAULT_POLICY } from '../../../lambdas/core/policy';
import { assessLoadBalancer } from '../../../lambdas/core/workflow/assess-load-balancer';
import { forward, lb } from '../../helpers/snapshot-builder';

const blueGreen = (blue: number, green: number, greenHealthy = 1) =>
  lb('web').group('blue', { healthy: 4 }).group('green', { healthy: greenHealthy }).listener(80, forward({ blue, green })).build();

describe('Function: assessLoadBalancer', () => {
  it('reports a pre-existing single-target risk and no drift without a baseline', () => {
    // Prepare
    const current = lb('dev').group('app', { healthy: 1 }).listener(80, forward('app')).build();

    // Act
    const assessment = assessLoadBalancer(DEFAULT_POLICY, current, undefined);

    // Assess
    expect(assessment.drift).toBe('no-baseline');
    expect(assessment.risks.map((f) => [f.ruleId, f.severity])).toEqual([['max-target-share', 'warn']]);
    expect(assessment.driftFindings).toEqual([]);
  });

  it('says unchanged when no call would restore anything, whatever the health did', () => {
    const baseline = blueGreen(100, 0);
    const current = lb('web').group('blue', { healthy: 3, unhealthy: 1 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 100, green: 0 })).build();

    const assessment = assessLoadBalancer(DEFAULT_POLICY, current, baseline);

    expect(assessment).toMatchObject({ drift: 'unchanged', risks: [], driftFindings: [], driftShareChanges: [] });
  });

  it('tells unsafe drift apart, with the findings and the share moves from the baseline', () => {
    const assessment = assessLoadBalancer(DEFAULT_POLICY, blueGreen(0, 100), blueGreen(100, 0));

    expect(assessment.drift).toBe('unsafe-drift');
    expect(assessment.driftFindings.some((f) => f.ruleId === 'max-target-share' && f.severity === 'block')).toBe(true);
    expect(assessment.driftShareChanges[0]).toMatchObject({ targetId: 'i-green-1', before: 0, after: 1 });
    // The flipped configuration is also a risk in itself: one server takes the whole path.
    expect(assessment.risks.map((f) => f.ruleId)).toContain('max-target-share');
  });

  it('accepts drift the policy allows as safe', () => {
    const assessment = assessLoadBalancer(DEFAULT_POLICY, blueGreen(50, 50, 4), blueGreen(100, 0, 4));

    expect(assessment.drift).toBe('safe-drift');
    expect(assessment.driftFindings).toEqual([]);
    expect(assessment.driftShareChanges.length).toBeGreaterThan(0);
  });
});
