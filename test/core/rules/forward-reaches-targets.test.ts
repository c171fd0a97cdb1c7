import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { forwardReachesTargets } from '../../../lambdas/core/rules/forward-reaches-targets';
import { forward, lb, type GroupSpec } from '../../helpers/snapshot-builder';
import { runRule, summary } from '../../helpers/run-rule';

const weighted = (a: number, b: number, bSpec: GroupSpec = { healthy: 2 }): LoadBalancerSnapshot =>
  lb().group('a', { healthy: 2 }).group('b', bSpec).listener(80, forward({ a, b })).build();

describe('Rule: forward-reaches-targets', () => {
  it.each<[string, LoadBalancerSnapshot | undefined, LoadBalancerSnapshot, string[]]>([
    ['a normal forward', weighted(1, 1), weighted(1, 0), []],
    ['total weight set to 0', weighted(1, 1), weighted(0, 0), ['block: all requests on HTTP:80, the default rule: had a working route, would now get a forward with total weight 0, answered with 503']],
    ['all weight to an empty group', weighted(1, 1), weighted(0, 1, {}), ['block: all requests on HTTP:80, the default rule: had a working route, would now get a forward to b, where no target can take requests, answered with 503']],
    ['all weight to a group whose targets are all draining', weighted(1, 1), weighted(0, 1, { draining: 2 }),
      ['block: all requests on HTTP:80, the default rule: had a working route, would now get a forward to b, where no target can take requests, answered with 503']],
    ['already forwarding nowhere before', weighted(0, 0), weighted(0, 0), ['warn: all requests on HTTP:80, the default rule: no working route: a forward with total weight 0, answered with 503 (unchanged: it had none before the change)']],
    ['no baseline yet', undefined, weighted(0, 0),
      ['warn: all requests on HTTP:80, the default rule: no working route: a forward with total weight 0, answered with 503 (no baseline yet: cannot tell whether this is new, so not blocking)']],
    ['part of the traffic to an empty group', weighted(1, 0, {}), weighted(3, 1, {}),
      ['warn: all requests on HTTP:80, the default rule: 25% of its requests would go to target groups or zones with no target that can take them; those fail with 503']],
  ])('%s', (_name, before, after, expected) => {
    // Act
    const findings = runRule(forwardReachesTargets, before, after);

    // Assess
    expect(summary(findings)).toEqual(expected);
  });
});
