import { CrashInjector } from '../../../sim/runner/crash-injector';
import { CrashSpecError } from '../../../sim/runner/errors';
import { readTemplate } from '../../../sim/runner/template-model';

const TAG = 'elb-watchdog:handler';

/** The settings CloudFormation gives a function and an SQS event source mapping, as the runner reads them. */
const template = {
  Resources: {
    JudgeRole: { Type: 'AWS::IAM::Role', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, VisibilityTimeout: 360 } },
    Judge: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['JudgeRole', 'Arn'] },
        Timeout: 60,
        MemorySize: 512,
        ReservedConcurrentExecutions: 4,
        Environment: { Variables: { WATCHDOG_TABLE: { Ref: 'Table' } } },
        Tags: [{ Key: TAG, Value: 'on-change' }],
      },
    },
    Plain: { Type: 'AWS::Lambda::Function', Properties: { Tags: [{ Key: TAG, Value: 'audit' }] } },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        FunctionName: { Ref: 'Judge' },
        EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      },
    },
    Schedule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Arn: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Id: 'T' }] } },
    Drain: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Arn: { 'Fn::GetAtt': ['Plain', 'Arn'] }, Id: 'D', Input: '{"task":"drain-outbox"}' }] } },
    Nudges: { Type: 'AWS::SQS::Queue', Properties: {} },
    OnChange: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.elasticloadbalancing'] }, Targets: [{ Arn: { 'Fn::GetAtt': ['Nudges', 'Arn'] }, Id: 'Q' }] } },
    NudgeMapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { FunctionName: { Ref: 'Plain' }, EventSourceArn: { 'Fn::GetAtt': ['Nudges', 'Arn'] }, BatchSize: 100, MaximumBatchingWindowInSeconds: 5 },
    },
  },
};

describe('Function: readTemplate', () => {
  it('reads what Lambda runs a function with: role, timeout, memory, reserved concurrency', () => {
    const model = readTemplate(template, TAG);

    expect(model.functions).toEqual([
      { logicalId: 'Judge', handler: 'on-change', environment: { WATCHDOG_TABLE: { Ref: 'Table' } }, roleLogicalId: 'JudgeRole', timeoutSeconds: 60, memorySize: 512, reservedConcurrency: 4 },
      // CloudFormation's defaults: 3 s, 128 MB, the account's unreserved pool.
      { logicalId: 'Plain', handler: 'audit', environment: {}, roleLogicalId: undefined, timeoutSeconds: 3, memorySize: 128, reservedConcurrency: undefined },
    ]);
  });

  it('reads the event source mappings\' batch size, batching window and maximum concurrency, and the rules\' function and queue targets and constant inputs', () => {
    const model = readTemplate(template, TAG);

    expect(model.eventSources).toEqual([
      { functionLogicalId: 'Judge', queueLogicalId: 'Queue', batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5, maxBatchingWindowSeconds: undefined },
      { functionLogicalId: 'Plain', queueLogicalId: 'Nudges', batchSize: 100, reportBatchItemFailures: false, maxConcurrency: undefined, maxBatchingWindowSeconds: 5 },
    ]);
    expect(model.rules).toEqual([
      { logicalId: 'Schedule', eventPattern: undefined, schedule: 'rate(1 hour)', targets: [{ functionLogicalId: 'Plain' }], queueTargets: [] },
      // Target.Input replaces the event: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
      { logicalId: 'Drain', eventPattern: undefined, schedule: 'rate(1 minute)', targets: [{ functionLogicalId: 'Plain', input: { task: 'drain-outbox' } }], queueTargets: [] },
      { logicalId: 'OnChange', eventPattern: { source: ['aws.elasticloadbalancing'] }, schedule: undefined, targets: [], queueTargets: ['Nudges'] },
    ]);
  });
});

describe('Class: CrashInjector', () => {
  describe('Method: add', () => {
    it('takes a spec with defaults (skip 0, times 1) and the usual service names', () => {
      const rule = new CrashInjector().add({ function: 'on-change', service: 'elbv2', action: 'ModifyListener', phase: 'after' });

      expect(rule.spec).toEqual({ function: 'on-change', service: 'elasticloadbalancing', action: 'ModifyListener', phase: 'after', skip: 0, times: 1 });
    });

    it.each([
      [{ function: 'on-change', service: 'sns', action: 'Publish', phase: 'during' }, 'phase'],
      [{ function: '', service: 'sns', action: 'Publish', phase: 'before' }, 'function'],
      [{ function: 'on-change', service: 'sns', action: 'Publish', phase: 'before', times: 0 }, 'times'],
    ])('throws a CrashSpecError naming the field for %j', (spec, field) => {
      const error = (() => {
        try {
          new CrashInjector().add(spec as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(CrashSpecError);
      expect(error).toMatchObject({ field, message: expect.stringContaining(`crash spec ${field}:`) });
    });
  });
});
