import fc from 'fast-check';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { configurationOf, stableJson } from '../../../lambdas/core/revert/canonical';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
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

  it('converges in one round after any change, deletions and additions included', () => {
    fc.assert(
      fc.property(snapshotArb, mutationsArb(true), (lkg, mutations) => {
        // Prepare
        const current = mutate(lkg, mutations);

        // Act
        const restored = applyPlan(current, planRevert(lkg, current));

        // Assess
        expect(planRevert(lkg, restored).steps).toEqual([]);
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
