import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MUTATING_EVENT_NAMES } from '../../lambdas/core/events/change';
import { ElbWatchdogForwarder } from '../../lib/elb-watchdog-forwarder';
import { flattenForNag as flat } from '../../lib/nag-acknowledgements';
import { ALARM_SYNC_EVENT_NAMES } from '../../lib/event-patterns';
import { WatchdogScope } from '../../lib/watchdog-scope';
import { asList, policyStatements, synthWatchdog, type SynthesizedWatchdog } from './synth';

const CENTRAL = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';

type Statement = Record<string, unknown>;

/** A revert statement with the account made generic, to compare a member's with the central one. */
function shapeOf(statement: Statement): Statement {
  const resources = asList(statement.Resource).map((r) => flat(r).replace(/\d{12}|<AWS::AccountId>/g, '<ACCOUNT>'));
  return { Sid: statement.Sid, Action: statement.Action, Condition: statement.Condition, Resource: resources };
}

describe('Construct: ElbWatchdogForwarder', () => {
  let member: { app: App; stack: Stack; template: Template };
  let central: SynthesizedWatchdog;
  const scope = WatchdogScope.byTag('watchdog', 'on');

  beforeAll(() => {
    // GIVEN a member account forwarding to a central watchdog that lists it, both guarding tag watchdog=on
    const app = new App();
    const stack = new Stack(app, 'Member', { env: { account: MEMBER, region: REGION } });
    new ElbWatchdogForwarder(stack, 'Forwarder', { centralAccount: CENTRAL, scope });
    member = { app, stack, template: Template.fromStack(stack) };
    central = synthWatchdog({ scope, memberAccounts: [MEMBER] }, { env: { account: CENTRAL, region: REGION } });
  });

  it('forwards every ELBv2 call the central watchdog listens to, to the central default bus, with a DLQ', () => {
    const rule = Object.values(member.template.findResources('AWS::Events::Rule'))[0] as { Properties: { EventPattern: { detail: { eventName: string[] } }; Targets: Statement[] } };
    expect([...rule.Properties.EventPattern.detail.eventName].sort()).toEqual([...new Set([...MUTATING_EVENT_NAMES, ...ALARM_SYNC_EVENT_NAMES])].sort());
    const target = rule.Properties.Targets[0];
    expect(flat(target.Arn)).toBe(`arn:<AWS::Partition>:events:${REGION}:${CENTRAL}:event-bus/default`);
    expect(target).toMatchObject({ DeadLetterConfig: { Arn: expect.anything() }, RoleArn: expect.anything() });
  });

  it('creates a revert role the central account may assume, named as the central watchdog expects', () => {
    const role = Object.values(member.template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'ElbWatchdogRevert' } }))[0] as {
      Properties: { AssumeRolePolicyDocument: { Statement: { Principal: { AWS: unknown } }[] } };
    };
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((s) => flat(s.Principal.AWS))).toEqual([`arn:<AWS::Partition>:iam::${CENTRAL}:root`]);
  });

  it('tells the central functions which role to assume for member changes, and lets router and judge assume it', () => {
    const functions = Object.values(central.template.findResources('AWS::Lambda::Function')) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ WATCHDOG_MEMBER_ROLE_NAME: 'ElbWatchdogRevert', WATCHDOG_ACCOUNT_ID: CENTRAL });
    }
    const assumers = policyStatements(central.template).filter(({ statement }) => statement.Action === 'sts:AssumeRole');
    expect(assumers.map(({ policy }) => policy.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual([
      expect.stringMatching(/ChangesJudgeRoleDefaultPolicy/),
      expect.stringMatching(/ChangesRouterRoleDefaultPolicy/),
    ]);
  });

  it("gives the revert role exactly the central judge's revert permissions", () => {
    const revert = (template: Template) =>
      policyStatements(template)
        .map(({ statement }) => statement)
        .filter((s) => String(s.Sid ?? '').startsWith('Revert'))
        .map(shapeOf)
        // The central stack grants them to two roles (on-change and the audit): the same statements.
        .filter((s, i, all) => all.findIndex((o) => JSON.stringify(o) === JSON.stringify(s)) === i)
        .sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)));
    expect(revert(member.template)).toHaveLength(4);
    expect(revert(member.template)).toEqual(revert(central.template));
  });

  it('lets the central judge assume the member revert roles and treats their calls as its own', () => {
    const assume = policyStatements(central.template).find(({ statement }) => statement.Sid === 'AssumeMemberRevertRoles')?.statement;
    expect(asList(assume?.Resource).map(flat)).toEqual([`arn:<AWS::Partition>:iam::${MEMBER}:role/ElbWatchdogRevert`]);
    const busPolicy = Object.values(central.template.findResources('AWS::Events::EventBusPolicy'))[0] as {
      Properties: { EventBusName: string; Statement: { Principal: { AWS: unknown }; Action: string } };
    };
    expect(busPolicy.Properties.EventBusName).toBe('default');
    expect(busPolicy.Properties.Statement.Action).toBe('events:PutEvents');
    expect(flat(busPolicy.Properties.Statement.Principal.AWS)).toBe(`arn:<AWS::Partition>:iam::${MEMBER}:root`);
    const judge = Object.values(central.template.findResources('AWS::Lambda::Function', { Properties: { Description: 'ELB Watchdog: on-change' } }))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(JSON.stringify(judge.Properties.Environment.Variables.WATCHDOG_OWN_ROLE_NAMES)).toContain('ElbWatchdogRevert');
  });

  it('passes cdk-nag AwsSolutions', () => {
    const report = new AwsSolutionsChecks(member.app).validateScope(member.stack);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
  });

  it('rejects a central account that is not an id', () => {
    expect(() => new ElbWatchdogForwarder(new Stack(new App(), 'S'), 'F', { centralAccount: 'central' })).toThrow(/centralAccount "central" is not a 12-digit account id/);
  });
});
