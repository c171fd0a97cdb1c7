import fc from 'fast-check';
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
  type Action as SdkActionOut,
  type RuleCondition as SdkCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2PlanApplier } from '../../lambdas/aws/elbv2-plan-applier';
import { Elbv2SnapshotReader } from '../../lambdas/aws/elbv2-snapshot-reader';
import { planRevert } from '../../lambdas/core/revert/plan-revert';
import { routingDifferences } from '../../lambdas/core/revert/verify-routing';
import { requestArb } from '../helpers/arbitrary-routing';
import { referenceRoute } from '../helpers/reference-router';
import { demoResources, useStandIn } from '../sim/helpers/stand-in-fixture';
import { patience } from '../helpers/patience';

/**
 * Some of the property cases of the revert, replayed on the stand-in (moto) through the real applier and
 * reader: random rules on the demo listener are the last known good, random rule changes are made through
 * the SDK, the plan is applied by `Elbv2PlanApplier` and read back by `Elbv2SnapshotReader` (re-created
 * rules get moto's new ARNs), and a naive reference router must send random requests where the last known
 * good sent them.
 */
const fixture = useStandIn({ world: 'demo' });

const CONDITIONS: SdkCondition[] = [
  { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } },
  { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
  { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/v2/*', '/admin/*'] } },
  { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } },
  { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] } },
  { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } },
  { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: '2' }] } },
  { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
];

const stepArb = fc.record({ kind: fc.constantFrom('create' as const, 'delete' as const, 'modify' as const, 'swap' as const, 'default' as const), a: fc.nat(99), b: fc.nat(99) });

describe('Replay on the stand-in: a revert plan applied by the real applier restores where requests go', () => {
  const cases = fc.sample(fc.record({ rules: fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.nat(99)), { selector: (r) => r[0], minLength: 1, maxLength: 4 }), steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }), requests: fc.array(requestArb, { minLength: 30, maxLength: 30 }) }), { seed: 20261207, numRuns: 6 });

  it.each(cases.map((c, i) => [i, c] as const))('case %i', async (_i, { rules, steps, requests }) => {
    // Prepare: the last known good (random rules on the demo listener), read as the watchdog reads it
    const { lb, listener, blue, green } = demoResources(fixture.standIn);
    const elbv2 = fixture.clients('alice').elbv2;
    const reader = new Elbv2SnapshotReader(elbv2);
    const forwardTo = (n: number): SdkActionOut[] => [{ Type: 'forward', TargetGroupArn: n % 2 === 0 ? blue : green }];
    for (const [priority, n] of rules) {
      await elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: priority, Conditions: [CONDITIONS[n % CONDITIONS.length]], Actions: forwardTo(n) }));
    }
    const lastKnownGood = await reader.readSnapshot(lb);

    // Act: random changes through the SDK, then the revert through the real applier, round by round
    for (const step of steps) {
      const now = (await reader.readSnapshot(lb)).listeners[0].rules;
      const rule = now[step.a % Math.max(1, now.length)];
      const used = new Set(now.map((r) => r.priority));
      if (step.kind === 'create') {
        const free = [...Array(40).keys()].map((i) => i + 1).filter((p) => !used.has(p));
        await elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: free[step.b % free.length], Conditions: [CONDITIONS[step.b % CONDITIONS.length]], Actions: forwardTo(step.b) }));
      } else if (step.kind === 'delete' && rule !== undefined) await elbv2.send(new DeleteRuleCommand({ RuleArn: rule.arn }));
      else if (step.kind === 'modify' && rule !== undefined) await elbv2.send(new ModifyRuleCommand({ RuleArn: rule.arn, Conditions: [CONDITIONS[step.b % CONDITIONS.length]], Actions: forwardTo(step.b) }));
      else if (step.kind === 'swap' && now.length >= 2) {
        const other = now[(step.a + 1) % now.length];
        await elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: rule.arn, Priority: other.priority }, { RuleArn: other.arn, Priority: rule.priority }] }));
      } else if (step.kind === 'default') await elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo(step.b) }));
    }
    const applier = new Elbv2PlanApplier(elbv2);
    let current = await reader.readSnapshot(lb);
    for (let round = 0; round < 3; round += 1) {
      const plan = planRevert(lastKnownGood, current);
      if (plan.steps.length === 0) break;
      const result = await applier.apply(plan);
      expect(result.failed?.error.message).toBeUndefined();
      current = await reader.readSnapshot(lb);
    }

    // Assess
    expect(routingDifferences(lastKnownGood, current)).toEqual([]);
    for (const request of requests) expect({ request, route: referenceRoute(current, 80, request) }).toEqual({ request, route: referenceRoute(lastKnownGood, 80, request) });
  }, patience(60_000));
});
