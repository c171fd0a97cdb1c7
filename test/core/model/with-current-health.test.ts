import { withCurrentHealth } from '../../../lambdas/core/model/with-current-health';
import { forward, lb } from '../../helpers/snapshot-builder';

describe('Function: withCurrentHealth', () => {
  const baseline = lb('web').group('blue', { healthy: 3 }).listener(80, forward('blue')).build();

  it.each([
    ['takes health that changed on its own', 'unhealthy', 'unhealthy'],
    ['keeps the baseline health of a target draining after a deregistration', 'draining', 'healthy'],
  ] as const)('%s', (_name, nowState, expected) => {
    // Prepare
    const current = structuredClone(baseline);
    current.targetGroups[0].targets[0].health = nowState;

    // Act
    const judged = withCurrentHealth(baseline, current);

    // Assess
    expect(judged.targetGroups[0].targets[0].health).toBe(expected);
    expect(baseline.targetGroups[0].targets[0].health).toBe('healthy');
  });

  it('keeps the baseline health of a target that is gone now', () => {
    const current = structuredClone(baseline);
    current.targetGroups[0].targets.splice(0, 1);
    current.targetGroups[0].targets[0].health = 'unhealthy';

    const judged = withCurrentHealth(baseline, current);

    expect(judged.targetGroups[0].targets.map((t) => t.health)).toEqual(['healthy', 'unhealthy', 'healthy']);
  });
});
