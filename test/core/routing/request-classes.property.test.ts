import fc from 'fast-check';
import type { LoadBalancerSnapshot } from '../../../lambdas/core/model/snapshot';
import { planRevert } from '../../../lambdas/core/revert/plan-revert';
import { requestClasses } from '../../../lambdas/core/routing/request-classes';
import type { Route } from '../../../lambdas/core/routing/route';
import { applyRoutingChanges, requestArb, routingChangesArb, routingSnapshotArb } from '../../helpers/arbitrary-routing';
import { interpretSteps } from '../../helpers/elbv2-interpreter';
import { referenceRoute, type ReferenceOutcome } from '../../helpers/reference-router';

/*
 * The request-class model against a naive router written apart from it (test/helpers/reference-router.ts):
 * for random listeners with overlapping conditions of every type, random changes, and concrete requests
 * drawn without looking at the model, both must send every request to the same place, before and after.
 * Rule evaluation: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
 * Condition matching: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 */

function asReference(route: Route | undefined): ReferenceOutcome | undefined {
  if (route === undefined) return undefined;
  const o = route.outcome;
  switch (o.kind) {
    case 'forward': {
      const total = o.forward.targetGroups.reduce((sum, g) => sum + g.weight, 0);
      const groups: Record<string, number> = {};
      for (const g of o.forward.targetGroups) if (g.weight > 0) groups[g.targetGroupArn] = (groups[g.targetGroupArn] ?? 0) + g.weight / total;
      return { kind: 'forward', groups };
    }
    case 'fixed-response':
      return { kind: 'fixed-response', statusCode: o.statusCode };
    case 'redirect':
      return { kind: 'redirect', config: '' };
    case 'no-listener':
      return { kind: 'no-listener' };
    case 'no-route':
      return { kind: 'no-route' };
  }
}

function loose(outcome: ReferenceOutcome): ReferenceOutcome {
  return outcome.kind === 'redirect' ? { kind: 'redirect', config: '' } : outcome;
}

describe('Property: request classes route as a naive reference router does', () => {
  it('every concrete request falls in a class whose routes before and after are the reference router\'s', () => {
    fc.assert(
      fc.property(routingSnapshotArb, routingChangesArb, fc.array(requestArb, { minLength: 20, maxLength: 20 }), (before, changes, requests) => {
        // Prepare
        const after = applyRoutingChanges(before, changes);

        // Act
        const model = requestClasses(before, after);

        // Assess
        for (const request of requests) {
          for (const port of [80, 443]) {
            const found = model.classify(port, request);
            expect({ port, request, found: found !== undefined }).toEqual({ port, request, found: true });
            expect(asReference(found?.before)).toEqual(loose(referenceRoute(before, port, request)));
            expect(asReference(found?.after)).toEqual(loose(referenceRoute(after, port, request)));
          }
        }
        expect(model.bounded).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Property: a revert plan restores where every request goes', () => {
  const routesAlike = (a: LoadBalancerSnapshot, b: LoadBalancerSnapshot, requests: readonly import('../../../lambdas/core/routing/http-request').HttpRequest[]) => {
    for (const request of requests) {
      for (const port of [80, 443]) expect({ port, request, route: loose(referenceRoute(b, port, request)) }).toEqual({ port, request, route: loose(referenceRoute(a, port, request)) });
    }
  };

  it('applied by a separate interpreter of the ELBv2 calls (new ARNs, unique priorities), within three rounds', () => {
    fc.assert(
      fc.property(routingSnapshotArb, routingChangesArb, fc.array(requestArb, { minLength: 20, maxLength: 20 }), (lastKnownGood, changes, requests) => {
        // Prepare
        let current = applyRoutingChanges(lastKnownGood, changes);

        // Act: apply, re-read, plan again (a re-created listener's rules come in the second round)
        for (let round = 0; round < 3; round += 1) {
          const plan = planRevert(lastKnownGood, current);
          if (plan.steps.length === 0) break;
          current = interpretSteps(current, plan.steps);
        }

        // Assess
        expect(planRevert(lastKnownGood, current).steps).toEqual([]);
        routesAlike(lastKnownGood, current, requests);
      }),
      { numRuns: 300 },
    );
  });
});
