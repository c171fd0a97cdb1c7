import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { WatchdogEnvironmentSchema } from '../../lambdas/core/config/watchdog-environment';
import { MUTATING_EVENT_NAMES } from '../../lambdas/core/events/change';
import { validatePolicy } from '../../lambdas/core/policy';
import { REVERT_OPERATIONS } from '../../lambdas/core/revert/revert-plan';
import { ElbWatchdog, type ElbWatchdogProps } from '../../lib/elb-watchdog';
import { WatchdogScope } from '../../lib/watchdog-scope';
import { ALB_ARN, asList, policyStatements, synthWatchdog, type SynthesizedWatchdog } from './synth';

/** Calls AWS authorises only on Resource "*" although they write (anomaly models have no ARN). */
const WRITES_AWS_CANNOT_SCOPE = new Set(['cloudwatch:PutAnomalyDetector', 'cloudwatch:DeleteAnomalyDetector']);
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

type Json = Record<string, unknown>;

describe('Construct: ElbWatchdog', () => {
  let synth: SynthesizedWatchdog;

  beforeAll(() => {
    // GIVEN a watchdog in enforce mode guarding load balancers tagged watchdog=on, notifying by e-mail
    // WHEN it is synthesized (once for the whole file)
    synth = synthWatchdog({ mode: 'enforce', scope: WatchdogScope.byTag('watchdog', 'on'), emailAddresses: ['ops@example.com'] });
  });

  const functions = (): [string, Json][] =>
    Object.entries(synth.template.findResources('AWS::Lambda::Function')).map(([id, r]) => [id, (r as { Properties: Json }).Properties]);
  const functionOf = (handler: string): [string, Json] => {
    const found = functions().find(([, props]) => props.Description === `ELB Watchdog: ${handler}`);
    if (found === undefined) throw new Error(`no function for ${handler}`);
    return found;
  };

  describe('Part: change pipeline', () => {
    it('matches every mutating ELBv2 call delivered by CloudTrail, and nothing else', () => {
      // THEN
      const rules = Object.values(synth.template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { detail: { eventName: Match.arrayWith(['ModifyListener', 'DeregisterTargets']) } } },
      })) as { Properties: { EventPattern: Json; Targets: Json[] } }[];
      expect(rules).toHaveLength(1);
      const pattern = rules[0].Properties.EventPattern as { source: string[]; 'detail-type': string[]; detail: { eventSource: string[]; eventName: string[] } };
      expect(pattern.source).toEqual(['aws.elasticloadbalancing']);
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(pattern.detail.eventSource).toEqual(['elasticloadbalancing.amazonaws.com']);
      expect([...pattern.detail.eventName].sort()).toEqual([...MUTATING_EVENT_NAMES].sort());
    });

    it('queues the rule\'s events for route-change, which takes them 10 at a time, at most 2 batches at once, reporting partial failures', () => {
      // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html (MaximumConcurrency: 2 to 1000)
      const [routerId] = functionOf('route-change');
      const mapping = Object.values(synth.template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: routerId } } }))[0] as { Properties: Json };
      expect(mapping.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
      const incomingId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
      const incoming = synth.template.findResources('AWS::SQS::Queue')[incomingId] as { Properties: Json };
      expect(incoming.Properties).toMatchObject({ VisibilityTimeout: 180, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 5 } });
      expect(incoming.Properties.FifoQueue).toBeUndefined();
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { detail: { eventName: Match.arrayWith(['ModifyListener']) } },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [incomingId, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
            DeadLetterConfig: { Arn: Match.anyValue() },
          }),
        ],
      });
      // Nothing invokes the router asynchronously any more.
      expect(synth.template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: { Ref: routerId } } })).toEqual({});
    });

    it('queues changes in a FIFO queue without content-based deduplication, redriven to a FIFO DLQ after 5 receives', () => {
      const queues = synth.template.findResources('AWS::SQS::Queue', { Properties: { FifoQueue: true, RedrivePolicy: Match.anyValue() } });
      expect(Object.keys(queues)).toHaveLength(1);
      const queue = (Object.values(queues)[0] as { Properties: Json }).Properties as {
        ContentBasedDeduplication: boolean;
        DeduplicationScope: string;
        FifoThroughputLimit: string;
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] }; maxReceiveCount: number };
        VisibilityTimeout: number;
      };
      expect(queue.ContentBasedDeduplication).toBe(false);
      expect(queue.DeduplicationScope).toBe('messageGroup');
      expect(queue.FifoThroughputLimit).toBe('perMessageGroupId');
      expect(queue.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(queue.VisibilityTimeout).toBe(6 * 60);
      const dlqId = queue.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
      synth.template.hasResource('AWS::SQS::Queue', { Properties: Match.objectLike({ FifoQueue: true }) });
      expect(synth.template.toJSON().Resources[dlqId].Properties.FifoQueue).toBe(true);
    });

    it('consumes the queue with on-change, 10 at a time, reporting partial batch failures', () => {
      const [judgeId] = functionOf('on-change');
      synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: judgeId },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    /**
     * A FIFO event source takes at most 10 per batch and no batching window; reserved concurrency at least the
     * event source's maximum concurrency, or Lambda throttles messages
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html,
     * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
     */
    it('reserves on-change\'s concurrency, equal to the event source\'s maximum, with no batching window', () => {
      const [judgeId, judge] = functionOf('on-change');
      const mapping = Object.values(synth.template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: judgeId } } }))[0] as { Properties: Json };
      expect(judge.ReservedConcurrentExecutions).toBe(2);
      expect(mapping.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
      // Only the judge: the other functions take the account's unreserved pool.
      expect(functions().filter(([, p]) => p.ReservedConcurrentExecutions !== undefined).map(([id]) => id)).toEqual([judgeId]);
    });

    it('reserves what maxConcurrency asks for', () => {
      const other = synthWatchdog({ mode: 'enforce', maxConcurrency: 8 });
      const [judgeId, judge] = Object.entries(other.template.findResources('AWS::Lambda::Function'))
        .map(([id, r]) => [id, (r as { Properties: Json }).Properties] as const)
        .find(([, p]) => p.Description === 'ELB Watchdog: on-change') ?? ['', {} as Json];
      expect(judge.ReservedConcurrentExecutions).toBe(8);
      other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: judgeId }, ScalingConfig: { MaximumConcurrency: 8 } });
    });

    it('alarms on the first visible dead letter of both dead-letter queues, to the topic', () => {
      const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' },
      })) as { Properties: Json }[];
      expect(alarms).toHaveLength(2);
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/Topic/) }]);
      }
    });
  });

  describe('Part: audit', () => {
    it('runs the audit when its own stack finishes deploying, so baselines exist before the first change', () => {
      // THEN
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudformation'],
          'detail-type': ['CloudFormation Stack Status Change'],
          detail: { 'stack-id': [{ Ref: 'AWS::StackId' }], 'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] } },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Audit'), 'Arn'] } })],
      });
    });

    it('drains the outbox every minute: the audit function with a constant input, not retried (the next minute drains again)', () => {
      // Target.Input: "Valid JSON text passed to the target. In this case, nothing from the event itself is
      // passed to the target." https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Audit'), 'Arn'] },
            Input: JSON.stringify({ task: 'drain-outbox' }),
            RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
          }),
        ],
      });
    });
  });

  describe('Part: functions', () => {
    it('runs every handler on nodejs24.x, arm64, with a log group of its own', () => {
      const all = functions();
      expect(all.map(([, p]) => p.Description).sort()).toEqual(
        ['audit', 'on-alarm', 'on-change', 'route-change', 'sync-alarms'].map((name) => `ELB Watchdog: ${name}`),
      );
      for (const [, props] of all) {
        expect(props.Runtime).toBe('nodejs24.x');
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.LoggingConfig).toEqual({ LogGroup: { Ref: expect.any(String) } });
      }
      synth.template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 90 }, 5);
    });

    it('gives every function an environment the handlers parse', () => {
      for (const [, props] of functions()) {
        const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
        // Tokens (Ref / GetAtt) stand for names only known at deploy time.
        expect(variables.WATCHDOG_ACCOUNT_ID).toEqual({ Ref: 'AWS::AccountId' });
        const atDeploy = (k: string) => (k === 'WATCHDOG_ACCOUNT_ID' ? '123456789012' : 'resolved-at-deploy');
        const env = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : atDeploy(k)]));
        const parsed = WatchdogEnvironmentSchema.parse(env);
        expect(parsed.WATCHDOG_SCOPE).toEqual({ type: 'tag', key: 'watchdog', value: 'on' });
        expect(parsed.WATCHDOG_ALARMS.alarmNamePrefix).toBe('elb-watchdog');
        expect(validatePolicy(JSON.parse(parsed.WATCHDOG_POLICY ?? '{}')).mode).toBe('enforce');
        expect(parsed).toMatchObject({ WATCHDOG_LOG_LEVEL: 'INFO', WATCHDOG_METRICS_NAMESPACE: 'ElbWatchdog', WATCHDOG_METRICS_DISABLED: false });
        expect(parsed.WATCHDOG_SERVICE_NAME).toMatch(/^elb-watchdog-/);
      }
      const [, router] = functionOf('route-change');
      expect((router.Environment as { Variables: Json }).Variables.WATCHDOG_CHANGE_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/ChangesQueue/) });
    });

    it("names the roles that make the watchdog's own ELBv2 calls (on-change, and the audit finishing a revert), so its reverts are not judged", () => {
      const [, judge] = functionOf('on-change');
      const [, audit] = functionOf('audit');
      const roleOf = (fn: Json) => ({ Ref: (fn.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] });
      const ownRoles = (judge.Environment as { Variables: Json }).Variables.WATCHDOG_OWN_ROLE_NAMES;
      expect(ownRoles).toEqual({ 'Fn::Join': [',', [roleOf(judge), roleOf(audit)]] });
    });
  });

  describe('Part: IAM', () => {
    it('grants nothing but reads on "*", except the anomaly-model calls AWS cannot scope', () => {
      for (const { policy, statement } of policyStatements(synth.template)) {
        if (!asList(statement.Resource).includes('*')) continue;
        for (const action of asList(statement.Action as string | string[])) {
          expect({ policy, action, ok: READ_ONLY.test(action) || WRITES_AWS_CANNOT_SCOPE.has(action) }).toEqual({ policy, action, ok: true });
        }
      }
    });

    it('grants each revert operation on its own resource type only, conditioned on the scope tag, to on-change and the audit only', () => {
      const modify = policyStatements(synth.template).filter(({ statement }) =>
        asList(statement.Action as string | string[]).some((a) => a.startsWith('elasticloadbalancing:') && !a.includes(':Describe')),
      );
      const [judgeId, judge] = functionOf('on-change');
      const [, audit] = functionOf('audit');
      const roleOf = (fn: Json) => (fn.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
      const judgeRole = roleOf(judge);
      expect(new Set(modify.map(({ policy }) => synth.template.toJSON().Resources[policy].Properties.Roles[0].Ref))).toEqual(new Set([judgeRole, roleOf(audit)]));
      expect(judgeId).toBeDefined();
      const grantedTo = (role: string) =>
        modify.filter(({ policy }) => synth.template.toJSON().Resources[policy].Properties.Roles[0].Ref === role).flatMap(({ statement }) => asList(statement.Action as string | string[]));
      expect(grantedTo(judgeRole).sort()).toEqual([...REVERT_OPERATIONS.map((op) => `elasticloadbalancing:${op}`), 'elasticloadbalancing:AddTags'].sort());
      expect(grantedTo(roleOf(audit)).sort()).toEqual(grantedTo(judgeRole).sort());
      const typeOf: Record<string, string> = {
        RevertListeners: ':listener/*',
        RevertListenerRules: ':listener-rule/*',
        RevertTargetGroups: ':targetgroup/*',
        RevertLoadBalancers: ':loadbalancer/*',
        RecreateRules: ':listener/*',
        RecreateListeners: ':loadbalancer/*',
      };
      for (const { statement } of modify.filter(({ statement: st }) => st.Sid !== 'TagRecreated')) {
        const tagKey = String(statement.Sid).startsWith('Recreate') ? 'aws:RequestTag/watchdog' : 'aws:ResourceTag/watchdog';
        expect(statement.Condition).toEqual({ StringEquals: { [tagKey]: 'on' } });
        const resources = asList(statement.Resource) as { 'Fn::Join': [string, unknown[]] }[];
        expect(resources).toHaveLength(1);
        const parts = resources[0]['Fn::Join'][1];
        expect(parts).toEqual(['arn:', { Ref: 'AWS::Partition' }, ':elasticloadbalancing:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, typeOf[statement.Sid as string]]);
      }
    });

    it('gathers alarm-sync nudges for 5 s in a queue, so a burst of changes is one reconcile, and keeps the schedule as a direct target', () => {
      // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html#sqs-batching-window
      const [syncId] = functionOf('sync-alarms');
      const mapping = Object.values(synth.template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: syncId } } }))[0] as { Properties: Json };
      expect(mapping.Properties).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 5, ScalingConfig: { MaximumConcurrency: 2 } });
      const queueId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
      const queue = synth.template.findResources('AWS::SQS::Queue')[queueId] as { Properties: Json };
      // Lambda advises a visibility timeout of six times the function's (10 minutes).
      expect(queue.Properties).toMatchObject({ VisibilityTimeout: 3600, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 3 } });

      const rules = Object.values(synth.template.findResources('AWS::Events::Rule')) as { Properties: { EventPattern?: Json; ScheduleExpression?: string; Targets: { Arn: unknown }[] } }[];
      const onChange = rules.find((rule) => JSON.stringify(rule.Properties.EventPattern ?? {}).includes('CreateTargetGroup') && !JSON.stringify(rule.Properties.EventPattern).includes('ModifyLoadBalancerAttributes'));
      expect(onChange?.Properties.Targets.map((t) => t.Arn)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
      const schedule = rules.find((rule) => rule.Properties.ScheduleExpression === 'rate(15 minutes)');
      expect(schedule?.Properties.Targets.map((t) => t.Arn)).toEqual([{ 'Fn::GetAtt': [syncId, 'Arn'] }]);
    });

    it('scopes alarm writes to the alarm-name prefix', () => {
      const statement = policyStatements(synth.template).find(({ statement: s }) => s.Sid === 'ManageOwnAlarms')?.statement;
      expect(statement?.Action).toEqual(['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:ListTagsForResource']);
      expect(JSON.stringify(statement?.Resource)).toContain(':alarm:elb-watchdog*');
    });

    it('attaches no managed policy to any role', () => {
      for (const role of Object.values(synth.template.findResources('AWS::IAM::Role')) as { Properties: Json }[]) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('Part: state and notifications', () => {
    it('keeps state in an on-demand table with PITR, TTL on expiresAt and KMS, retained on delete', () => {
      synth.template.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          SSESpecification: { SSEEnabled: true },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('encrypts the topic with a rotated key CloudWatch alarms may use, accepts TLS only, and subscribes the e-mails', () => {
      synth.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } });
      synth.template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
      synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
      synth.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    });

    it('draws the traffic-share dashboard from SEARCH expressions', () => {
      const body = JSON.stringify(synth.template.findResources('AWS::CloudWatch::Dashboard'));
      expect(body).toContain('SEARCH(');
      expect(body).toContain('RequestCount');
    });
  });

  describe('Part: cdk-nag', () => {
    it('reports no AwsSolutions error or warning', () => {
      const report = new AwsSolutionsChecks(synth.app).validateScope(synth.stack);
      expect(report.violations.map((v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    });

    it('gives every acknowledgement a written reason', () => {
      const acknowledgements: { path: string; id: string; reason: unknown }[] = [];
      const visit = (node: IConstruct): void => {
        for (const entry of node.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) acknowledgements.push({ path: node.node.path, id, reason });
        }
        node.node.children.forEach(visit);
      };
      visit(synth.stack);
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const ack of acknowledgements) {
        expect({ ...ack, reasonIsWritten: typeof ack.reason === 'string' && ack.reason.length >= 40 }).toMatchObject({ reasonIsWritten: true });
      }
    });
  });
});

describe('Construct: ElbWatchdog (props validation)', () => {
  // Validation runs before any function is created: no bundling, no synth.
  const construct = (props: ElbWatchdogProps) => () => new ElbWatchdog(new Stack(new App(), 'Test'), 'Watchdog', props);

  it.each<[string, ElbWatchdogProps, RegExp]>([
    ['a bad policy, naming the field', { policy: { rules: { 'max-target-share': { limitPercent: 500 } } } }, /invalid policy: rules\.max-target-share\.limitPercent: Too big/],
    ['an unknown rule, naming it', { policy: { rules: { 'max-target-shares': {} } } }, /invalid policy: rules\.max-target-shares/],
    ['a missing policy file', { policy: 'does-not-exist.yaml' }, /cannot read policy file does-not-exist\.yaml/],
    ['an empty ARN list', { scope: WatchdogScope.loadBalancers([]) }, /scope: the list of load balancer ARNs is empty/],
    ['a Classic load balancer', { scope: WatchdogScope.loadBalancers(['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/old']) }, /scope\.arns\[0\].*Classic/],
    ['an unknown mode', { mode: 'panic' as never }, /mode: "panic" is not one of enforce, dry-run, off/],
    ['a bad e-mail address', { emailAddresses: ['ops.example.com'] }, /emailAddresses\[0\]: "ops\.example\.com" is not an e-mail address/],
    ['a bad Slack channel', { slackChannel: { workspaceId: 'workspace', channelId: 'C0123' } }, /slackChannel\.workspaceId: "workspace"/],
    ['an alarm prefix with a wildcard', { alarms: { alarmNamePrefix: 'elb*' } }, /alarms\.alarmNamePrefix: "elb\*" must be/],
    ['an unknown alarm setting', { alarms: { maxGroupSharePercent: 90 } as never }, /alarms: Unrecognized key: "maxGroupSharePercent"/],
    ['an alarm setting out of range', { alarms: { maxTargetSharePercent: 0 } }, /alarms\.maxTargetSharePercent: Too small/],
    ['a concurrency below the SQS minimum', { maxConcurrency: 1 }, /maxConcurrency: 1 must be an integer from 2 to 1000/],
    ['a member account that is not an id', { memberAccounts: ['prod'] }, /memberAccounts\[0\]: "prod" is not a 12-digit account id/],
  ])('rejects %s', (_case, props, message) => {
    expect(construct(props)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(construct({ mode: 'panic' as never, maxReceiveCount: 0, emailAddresses: ['x'] })).toThrow(/mode[\s\S]*emailAddresses[\s\S]*maxReceiveCount/);
  });
});

describe('Construct: ElbWatchdog (every option on)', () => {
  let synth: SynthesizedWatchdog;

  beforeAll(() => {
    // GIVEN a watchdog scoped by ARN, with Slack, X-Ray, a member account and its own alarm prefix
    synth = synthWatchdog({
      scope: WatchdogScope.loadBalancers([ALB_ARN]),
      slackChannel: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
      tracing: true,
      memberAccounts: ['222222222222'],
      alarms: { alarmNamePrefix: 'guard', maxTargetSharePercent: 60 },
      logLevel: 'DEBUG',
    });
  });

  it('still reports no AwsSolutions error or warning', () => {
    const report = new AwsSolutionsChecks(synth.app).validateScope(synth.stack);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('pins load balancer reverts to the listed ARN', () => {
    const statement = policyStatements(synth.template).find(({ statement: s }) => s.Sid === 'RevertLoadBalancers')?.statement;
    expect(statement?.Resource).toBe(ALB_ARN);
    expect(statement?.Condition).toBeUndefined();
  });

  it('caps the Slack channel at reading CloudWatch (no AdministratorAccess guardrail)', () => {
    synth.template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      GuardrailPolicies: [{ Ref: Match.stringLikeRegexp('ChatbotPolicy') }],
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
  });

  it('passes the alarm settings and tracing through', () => {
    const fn = Object.values(synth.template.findResources('AWS::Lambda::Function'))[0] as { Properties: { TracingConfig: unknown; Environment: { Variables: Record<string, string> } } };
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(JSON.parse(fn.Properties.Environment.Variables.WATCHDOG_ALARMS)).toMatchObject({ alarmNamePrefix: 'guard', maxTargetSharePercent: 60 });
    expect(fn.Properties.Environment.Variables.WATCHDOG_LOG_LEVEL).toBe('DEBUG');
    synth.template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.cloudwatch'], detail: { alarmName: [{ prefix: 'guard-tg-' }] } } });
  });
});
