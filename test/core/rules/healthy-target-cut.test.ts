import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { healthyTargetCut } from '../../../lambdas/core/rules/healthy-target-cut';
import { forward, lb, may19, redirect, type GroupSpec } from '../../helpers/snapshot-builder';
import { runRule, summary } from '../../helpers/run-rule';

const group = (spec: GroupSpec): LoadBalancerSnapshot => lb().group('g', spec).listener(80, forward('g')).build();
const blueGreen = (blue: number, green: number): LoadBalancerSnapshot =>
  lb().group('blue', { healthy: 4 }).group('green', { healthy: 4 }).listener(80, forward({ blue, green })).build();

describe('Rule: healthy-target-cut', () => {
  it.each<[string, LoadBalancerSnapshot | undefined, LoadBalancerSnapshot, string[], Record<string, unknown>?]>([
    ['May 19: from 4 healthy blue to 1 green', may19({ blue: 100, green: 0 }), may19({ blue: 0, green: 100 }),
      ['block: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%']],
    ['deregistering 3 of 4', group({ healthy: 4 }), group({ healthy: 1, draining: 3 }),
      ['block: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%']],
    ['deregistering 2 of 4 (exactly 50%)', group({ healthy: 4 }), group({ healthy: 2, draining: 2 }), []],
    ['2 → 1 leaves fewer than 2', group({ healthy: 2 }), group({ healthy: 1, draining: 1 }),
      ['block: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 2; minimum 2']],
    ['1 → 1 was never 2', group({ healthy: 1 }), group({ healthy: 1 }), []],
    ['blue/green 100/0 → 50/50 (4 → 8)', blueGreen(100, 0), blueGreen(50, 50), []],
    ['blue/green 50/50 → 0/100 (8 → 4)', blueGreen(50, 50), blueGreen(0, 100), []],
    // A group whose targets are all `initial` serves nothing yet: that is a lost route (forward-reaches-targets), not a cut.
    ['weights to a group still warming up (initial): left to forward-reaches-targets', blueGreen(100, 0),
      lb().group('blue', { healthy: 4 }).group('green', { initial: 4 }).listener(80, forward({ blue: 0, green: 100 })).build(), []],
    ['weights to a group with one healthy target and three warming up', blueGreen(100, 0),
      lb().group('blue', { healthy: 4 }).group('green', { healthy: 1, initial: 3 }).listener(80, forward({ blue: 0, green: 100 })).build(),
      ['block: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%']],
    // Capacity by share: a 1/999 cutover concentrates traffic exactly as 0/100 does.
    ['1/999 cutover from 4 to a group of 1', lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 999, green: 1 })).build(),
      lb().group('blue', { healthy: 4 }).group('green', { healthy: 1 }).listener(80, forward({ blue: 1, green: 999 })).build(),
      ['block: all requests on HTTP:80, the default rule: would be served by 1 healthy target, was 4 (-75%); limit -50%']],
    ['a path turned into a redirect is not a cut', group({ healthy: 4 }), lb().group('g', { healthy: 4 }).listener(80, redirect()).build(), []],
    ['no baseline: nothing to compare', undefined, group({ healthy: 1 }), []],
    ['a stricter policy', group({ healthy: 4 }), group({ healthy: 3, draining: 1 }),
      ['block: all requests on HTTP:80, the default rule: would be served by 3 healthy targets, was 4 (-25%); limit -20%'], { maxCutPercent: 20 }],
  ])('%s', (_name, before, after, expected, params = {}) => {
    // Act
    const findings = runRule(healthyTargetCut, before, after, params);

    // Assess
    expect(summary(findings)).toEqual(expected);
  });
});
