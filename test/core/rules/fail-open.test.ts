import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { failOpen } from '../../../lambdas/core/rules/fail-open';
import { arns, forward, lb, type GroupSpec } from '../../helpers/snapshot-builder';
import { runRule, summary } from '../../helpers/run-rule';

const app = (green: GroupSpec): LoadBalancerSnapshot =>
  lb().group('blue', { healthy: 2 }).group('green', green).listener(80, forward({ blue: 50, green: 50 })).build();

describe('Rule: fail-open', () => {
  it.each<[string, LoadBalancerSnapshot | undefined, LoadBalancerSnapshot, string[]]>([
    ['every group has a healthy target', app({ healthy: 2 }), app({ healthy: 1, unhealthy: 1 }), []],
    ['a group loses its last healthy target', app({ healthy: 2 }), app({ unhealthy: 2 }),
      ['warn: all requests on HTTP:80, the default rule: green has too few healthy targets: ELB fails open and sends its 50% to all 2 registered targets regardless of health']],
    ['a group that already failed open', app({ unhealthy: 1 }), app({ unhealthy: 1 }),
      ['info: all requests on HTTP:80, the default rule: green has too few healthy targets: ELB fails open and sends its 50% to all 1 registered target regardless of health']],
    ['an empty group is not failing open (it is unroutable)', app({ healthy: 2 }), app({}), []],
  ])('%s', (_name, before, after, expected) => {
    // Act
    const findings = runRule(failOpen, before, after);

    // Assess
    expect(summary(findings)).toEqual(expected);
  });

  it('names the group that fails open', () => {
    // Act
    const [finding] = runRule(failOpen, app({ healthy: 2 }), app({ unhealthy: 2 }));

    // Assess
    expect(finding).toMatchObject({ ruleId: 'fail-open', targetGroupArn: arns.group('green'), numbers: { share: 0.5, registered: 2 } });
  });
});
