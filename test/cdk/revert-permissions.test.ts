import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { REVERT_OPERATIONS } from '../../lambdas/core/revert/revert-plan';
import { elbArnPrefix, revertStatements } from '../../lib/revert-permissions';
import { WatchdogScope } from '../../lib/watchdog-scope';
import { ALB_ARN, NLB_ARN } from './synth';

const PREFIX = elbArnPrefix('aws', 'us-east-1', '123456789012');

/** The statements as IAM JSON, resolved in a stack (tokens become CloudFormation functions). */
function resolved(scope: WatchdogScope, prefixes = [PREFIX]): Record<string, { Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  const stack = new Stack(new App(), 'Test');
  return Object.fromEntries(revertStatements(scope, prefixes).map((s) => [s.sid as string, stack.resolve(s.toStatementJson())]));
}

describe('Function: revertStatements', () => {
  it.each([
    ['all', WatchdogScope.all()],
    ['by tag', WatchdogScope.byTag('team', 'web')],
    ['by ARN', WatchdogScope.loadBalancers([ALB_ARN])],
  ])('grants every revert operation exactly once (scope %s)', (_name, scope) => {
    const actions = Object.values(resolved(scope)).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    // AddTags only to tag what a revert creates (tags on create are authorised as AddTags).
    expect(actions.sort()).toEqual([...REVERT_OPERATIONS.map((op) => `elasticloadbalancing:${op}`), 'elasticloadbalancing:AddTags'].sort());
  });

  it('pins listeners and rules to the listed load balancers when scope is an ARN list', () => {
    // GIVEN two load balancers by ARN  WHEN the statements are built
    const statements = resolved(WatchdogScope.loadBalancers([ALB_ARN, NLB_ARN]));
    // THEN
    expect(statements.RevertLoadBalancers.Resource).toEqual([ALB_ARN, NLB_ARN]);
    expect(statements.RevertListeners.Resource).toEqual([
      `${PREFIX}listener/app/web/50dc6c495c0c9188/*`,
      `${PREFIX}listener/net/edge/73e2d6bc24d8a067/*`,
    ]);
    expect(statements.RevertListenerRules.Resource).toEqual([
      `${PREFIX}listener-rule/app/web/50dc6c495c0c9188/*/*`,
      `${PREFIX}listener-rule/net/edge/73e2d6bc24d8a067/*/*`,
    ]);
    // Target group ARNs cannot be derived from a load balancer's: account and Region only.
    expect(statements.RevertTargetGroups.Resource).toBe(`${PREFIX}targetgroup/*`);
    expect(statements.RevertListeners.Condition).toBeUndefined();
  });

  it('splits a load balancer ARN token at deploy time', () => {
    const stack = new Stack(new App(), 'Test');
    const token = new CfnParameter(stack, 'Arn').valueAsString;
    const statements = revertStatements(WatchdogScope.loadBalancers([token]), [PREFIX]).map((s) => stack.resolve(s.toStatementJson()));
    expect(JSON.stringify(statements)).toContain('"Fn::Split":[":loadbalancer/",{"Ref":"Arn"}]');
  });

  it('conditions every statement on the tag, with or without a value: the resource\'s for changes, the request\'s for creates', () => {
    // A create has no resource tag to test yet: scope it by the tags the request carries.
    // Tags on create need AddTags, scoped with elasticloadbalancing:CreateAction:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html
    const byValue = resolved(WatchdogScope.byTag('team', 'web'));
    for (const sid of ['RevertListeners', 'RevertListenerRules', 'RevertTargetGroups', 'RevertLoadBalancers']) {
      expect(byValue[sid].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/team': 'web' } });
    }
    for (const sid of ['RecreateRules', 'RecreateListeners']) expect(byValue[sid].Condition).toEqual({ StringEquals: { 'aws:RequestTag/team': 'web' } });
    expect(byValue.TagRecreated.Condition).toEqual({ StringEquals: { 'aws:RequestTag/team': 'web', 'elasticloadbalancing:CreateAction': ['CreateRule', 'CreateListener'] } });
    const anyValue = resolved(WatchdogScope.byTag('watchdog'));
    expect(anyValue.RevertListeners.Condition).toEqual({ Null: { 'aws:ResourceTag/watchdog': 'false' } });
    expect(anyValue.RecreateRules.Condition).toEqual({ Null: { 'aws:RequestTag/watchdog': 'false' } });
  });

  it('covers every Region it is given, without duplicate statement ids', () => {
    const statements = resolved(WatchdogScope.all(), [PREFIX, elbArnPrefix('aws', 'eu-west-1', '123456789012')]);
    expect(Object.keys(statements)).toEqual(['RevertListeners', 'RecreateListeners', 'RevertListenerRules', 'RecreateRules', 'RevertTargetGroups', 'RevertLoadBalancers', 'TagRecreated']);
    expect(statements.RevertListeners.Resource).toEqual([`${PREFIX}listener/*`, 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/*']);
  });
});
