import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { validateProps } from '../../lib/elb-watchdog-props';
import { StateTable } from '../../lib/state-table';
import { TemplateIamSimulator, type SimulationIdentityPolicy } from '../helpers/iam-simulator';
import { ALB_ARN, synthWatchdog } from './synth';

/**
 * Who may write the watchdog's state and use its MAC key, shown with an IAM policy simulator over the
 * synthesized template (the stand-in stores policies but enforces none).
 *
 * AWS behaviour these tests rely on:
 * - A DynamoDB table's resource-based policy is evaluated with the caller's identity policies; an explicit
 *   Deny in it wins over any Allow: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
 *   (CloudFormation: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-resourcepolicy.html).
 * - `dynamodb:LeadingKeys` is the partition key value(s) of the items an item-level call touches, the way to
 *   restrict writes per partition: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 * - A KMS key can be used only when its key policy allows it; IAM policies count only if the key policy
 *   defers to the account for that action: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 * - HMAC keys and their operations: https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html;
 *   GenerateMac / VerifyMac require `kms:GenerateMac` / `kms:VerifyMac` in the key policy:
 *   https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html
 */

const ACCOUNT = '123456789012';
const CAROL = `arn:aws:iam::${ACCOUNT}:user/carol`;
const MALLORY = `arn:aws:iam::${ACCOUNT}:user/mallory`;
const baselineKey = `LB#${ALB_ARN}`;
const breakGlassKey = `BREAKGLASS#${ALB_ARN}`;
const keys = (...values: string[]) => ({ 'dynamodb:LeadingKeys': values });

/** An identity policy that allows everything on a service: "application roles granted dynamodb:* on every table". */
const allOf = (...services: string[]): SimulationIdentityPolicy => ({
  name: `all-of-${services.join('-')}`,
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: '*' }] },
});

describe('Policies: who may write the state table and use the MAC key', () => {
  let iamSim: TemplateIamSimulator;
  let table: string;
  let key: string;
  let topic: string;
  let roles: { judge: string; audit: string; router: string; alarmSync: string; onAlarm: string };

  beforeAll(() => {
    // GIVEN a watchdog whose break-glass operator is carol, in a known account and Region (one synth for the file)
    const { template } = synthWatchdog({ breakGlassOperators: [CAROL] }, { env: { account: ACCOUNT, region: 'us-east-1' } });
    iamSim = TemplateIamSimulator.of(template.toJSON(), { accountId: ACCOUNT });
    table = iamSim.arnOf('WatchdogStateTable');
    key = iamSim.arnOf('WatchdogBaselineKey');
    topic = iamSim.arnOf('WatchdogNotificationsTopic');
    roles = {
      judge: iamSim.arnOf('WatchdogChangesJudgeRole'),
      audit: iamSim.arnOf('WatchdogAuditHandlerRole'),
      router: iamSim.arnOf('WatchdogChangesRouterRole'),
      alarmSync: iamSim.arnOf('WatchdogAlarmSyncHandlerRole'),
      onAlarm: iamSim.arnOf('WatchdogAlarmNotifierHandlerRole'),
    };
  });

  describe('the watchdog\'s roles', () => {
    it.each(['judge', 'audit'] as const)('%s may write baselines, claims and audit records', async (role) => {
      for (const [action, partition] of [
        ['dynamodb:PutItem', baselineKey],
        ['dynamodb:PutItem', 'EVENT#e1#lb'],
        ['dynamodb:UpdateItem', 'EVENT#e1#lb'],
        ['dynamodb:DeleteItem', 'EVENT#e1#lb'],
        ['dynamodb:PutItem', 'ONCE#risk#x'],
      ]) {
        expect([action, partition, await iamSim.decide({ principal: roles[role], action, resource: table, context: keys(partition) })]).toEqual([action, partition, 'Allowed']);
      }
    });

    it('may not write break-glass items: only operators suspend enforcement', async () => {
      expect(await iamSim.decide({ principal: roles.judge, action: 'dynamodb:PutItem', resource: table, context: keys(breakGlassKey) })).toBe('ExplicitlyDenied');
    });

    it('on-alarm reads the table and writes nothing', async () => {
      expect(await iamSim.decide({ principal: roles.onAlarm, action: 'dynamodb:Query', resource: table, context: keys(baselineKey) })).toBe('Allowed');
      expect(await iamSim.decide({ principal: roles.onAlarm, action: 'dynamodb:PutItem', resource: table, context: keys(baselineKey) })).not.toBe('Allowed');
    });
  });

  describe('a break-glass operator (carol, with only the operator policy the template attaches)', () => {
    it('has exactly the operator policy', () => {
      expect(iamSim.identityPoliciesOf(CAROL).map((p) => p.name)).toEqual([expect.stringMatching(/^WatchdogBreakGlassOperatorsPolicy/)]);
    });

    it('may start and end a break-glass, read the audit log, and announce it on the topic', async () => {
      const allowed = [
        { action: 'dynamodb:PutItem', resource: table, context: keys(breakGlassKey) },
        { action: 'dynamodb:DeleteItem', resource: table, context: keys(breakGlassKey) },
        { action: 'dynamodb:Query', resource: table, context: keys(baselineKey) },
        { action: 'sns:Publish', resource: topic },
      ];
      for (const request of allowed) expect([request.action, await iamSim.decide({ principal: CAROL, ...request })]).toEqual([request.action, 'Allowed']);
    });

    it('may write nothing else: no baseline, no audit record, no claim, no batch mixing partitions, no PartiQL, no MAC', async () => {
      const denied = [
        { action: 'dynamodb:PutItem', resource: table, context: keys(baselineKey) },
        { action: 'dynamodb:PutItem', resource: table, context: keys('EVENT#e1#lb') },
        { action: 'dynamodb:UpdateItem', resource: table, context: keys(breakGlassKey) },
        { action: 'dynamodb:BatchWriteItem', resource: table, context: keys(breakGlassKey, baselineKey) },
        { action: 'dynamodb:PartiQLInsert', resource: table },
        { action: 'kms:GenerateMac', resource: key },
        { action: 'elasticloadbalancing:ModifyListener', resource: ALB_ARN.replace(':loadbalancer/', ':listener/') + '/f2f7dc8efc522ab2' },
      ];
      for (const request of denied) expect([request.action, await iamSim.decide({ principal: CAROL, ...request })]).toEqual([request.action, expect.stringMatching(/Denied$/)]);
    });
  });

  describe('another principal of the account (mallory, granted dynamodb:* and kms:* on everything)', () => {
    const mallory = { principal: MALLORY, identityPolicies: [allOf('dynamodb', 'kms')] };

    it('may not write a baseline, an audit record or a break-glass item: the table\'s resource policy denies it', async () => {
      for (const partition of [baselineKey, breakGlassKey, 'EVENT#e1#lb']) {
        const decision = await iamSim.decide({ ...mallory, action: 'dynamodb:PutItem', resource: table, context: keys(partition) });
        expect([partition, decision]).toEqual([partition, 'ExplicitlyDenied']);
      }
      expect(await iamSim.decide({ ...mallory, action: 'dynamodb:UpdateItem', resource: table, context: keys(baselineKey) })).toBe('ExplicitlyDenied');
    });

    it('may still read it (reads are not restricted: the threat is a forged baseline, not a leaked one)', async () => {
      expect(await iamSim.decide({ ...mallory, action: 'dynamodb:GetItem', resource: table, context: keys(baselineKey) })).toBe('Allowed');
    });

    it('may not use the MAC key, though its own policy allows kms:*', async () => {
      expect(await iamSim.decide({ ...mallory, action: 'kms:GenerateMac', resource: key })).toBe('ImplicitlyDenied');
      expect(await iamSim.decide({ ...mallory, action: 'kms:VerifyMac', resource: key })).toBe('ImplicitlyDenied');
    });
  });

  describe('the MAC key\'s policy', () => {
    it.each(['judge', 'audit'] as const)('lets %s compute and check MACs', async (role) => {
      for (const action of ['kms:GenerateMac', 'kms:VerifyMac']) expect(await iamSim.decide({ principal: roles[role], action, resource: key })).toBe('Allowed');
    });

    it.each(['router', 'alarmSync', 'onAlarm'] as const)('refuses the %s function, even with kms:* in its own policy', async (role) => {
      expect(await iamSim.decide({ principal: roles[role], action: 'kms:GenerateMac', resource: key, identityPolicies: [allOf('kms')] })).toBe('ImplicitlyDenied');
    });

    it('lets an account administrator manage the key but neither use it nor grant use of it', async () => {
      const admin = { principal: iamSim.userArn('admin'), identityPolicies: [allOf('kms')] };
      expect(await iamSim.decide({ ...admin, action: 'kms:DescribeKey', resource: key })).toBe('Allowed');
      expect(await iamSim.decide({ ...admin, action: 'kms:GenerateMac', resource: key })).toBe('ImplicitlyDenied');
      expect(await iamSim.decide({ ...admin, action: 'kms:CreateGrant', resource: key })).toBe('ImplicitlyDenied');
    });
  });
});

describe('Policies: a state table with no break-glass operator named', () => {
  it('lets nobody write break-glass items, not even the watchdog', async () => {
    // GIVEN the table alone (no functions: a fast synth), its writers one role
    const app = new App();
    const stack = new Stack(app, 'Table', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const state = new StateTable(stack, 'State');
    state.table.grantReadWriteData(writer);
    state.restrictWrites({ watchdogRoles: [writer], breakGlassOperators: [] });
    const iamSim = TemplateIamSimulator.of(Template.fromStack(stack).toJSON(), { accountId: ACCOUNT });
    const table = iamSim.arnOf('StateTable');

    // THEN
    expect(await iamSim.decide({ principal: iamSim.arnOf('Writer'), action: 'dynamodb:PutItem', resource: table, context: keys(baselineKey) })).toBe('Allowed');
    expect(await iamSim.decide({ principal: iamSim.arnOf('Writer'), action: 'dynamodb:PutItem', resource: table, context: keys(breakGlassKey) })).toBe('ExplicitlyDenied');
    expect(await iamSim.decide({ principal: CAROL, action: 'dynamodb:PutItem', resource: table, context: keys(breakGlassKey), identityPolicies: [allOf('dynamodb')] })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('Props: breakGlassOperators', () => {
  it('names a bad operator ARN at synth time', () => {
    expect(validateProps({ breakGlassOperators: ['carol', CAROL, `arn:aws:iam::${ACCOUNT}:role/ops/BreakGlass`] })).toEqual([
      'breakGlassOperators[0]: "carol" is not an IAM user or role ARN (arn:aws:iam::ACCOUNT:user/NAME or role/NAME)',
    ]);
  });
});
