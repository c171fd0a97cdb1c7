import fc from 'fast-check';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { configurationOf, stableJson } from '../../../lambdas/core/revert/canonical';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import { routingDifferences } from '../../../lambdas/core/revert/verify-routing';
import { applyChange, applyPlan } from '../../../lambdas/core/simulate/apply-change';
import { changeFor, mutationsArb, snapshotArb, type Mutation } from '../../helpers/arbitrary-snapshot';

function mutate(snapshot: LoadBalancerSnapshot, mutations: readonly Mutation[]): LoadBalancerSnapshot {
  return mutations.reduce((s, m) => {
    const change = changeFor(s, m);
    return change === undefined ? s : applyChange(s, change);
  }, snapshot);
}

const config = (s: LoadBalancerSnapshot): string => stableJson(configurationOf(s));

describe('Property: planRevert then applyPlan', () => {
  it('restores the last known good exactly after changes a revert can undo, and replanning yields no step', () => {
    fc.assert(
      fc.property(snapshotArb, mutationsArb(), (lkg, mutations) => {
        // Prepare
        const current = mutate(lkg, mutations);

        // Act
        const plan = planRevert(lkg, current);
        const restored = applyPlan(current, plan);

        // Assess
        expect(plan.unrestorable).toEqual([]);
        expect(config(restored)).toBe(config(lkg));
        expect(planRevert(lkg, restored).steps).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('restores routing within two rounds after any change, deletions and additions included (a deleted listener\'s rules follow it)', () => {
    fc.assert(
      fc.property(snapshotArb, mutationsArb(true), (lkg, mutations) => {
        // Prepare
        const current = mutate(lkg, mutations);

        // Act
        const once = applyPlan(current, planRevert(lkg, current));
        const twice = applyPlan(once, planRevert(lkg, once));

        // Assess
        expect(planRevert(lkg, twice).steps).toEqual([]);
        expect(routingDifferences(lkg, twice)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('plans nothing for an unchanged snapshot', () => {
    fc.assert(
      fc.property(snapshotArb, (lkg) => {
        expect(planRevert(lkg, structuredClone(lkg)).steps).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
