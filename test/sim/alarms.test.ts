import { DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import awsDocAlarmEvents from '../fixtures/sim/aws-doc-alarm-state-change-events.json';
import { awsCli } from './helpers/aws-cli';
import { dimensionValue } from './helpers/metrics';
import { eventually, simJson, useStandIn, type SdkClients } from './helpers/stand-in-fixture';

function shape(value: unknown, path = '$', out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) {
    out[path] = 'array';
    if (value.length > 0) shape(value[0], `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out[path] = 'object';
    for (const [k, v] of Object.entries(value)) shape(v, `${path}.${k}`, out);
  } else out[path] = value === null ? 'null' : typeof value;
  return out;
}

describe('Alarm evaluation on the sim clock (moto stores alarms but never evaluates them)', () => {
  // A fixed start: each sim minute's traffic noise is seeded by the minute, so the anomaly band trained on
  // the warm-up is the same every run (from the clock's start time it crossed the first minute 1 run in 4-8).
  const fixture = useStandIn({ world: 'demo', clock: { warmupMinutes: 10, start: '2026-01-05T10:00:00Z' } });
  const advance = (minutes: number) => simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: minutes } });
  const state = async (c: SdkClients, name: string): Promise<MetricAlarm | undefined> =>
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
  const lbDimension = () => [{ Name: 'LoadBalancer', Value: dimensionValue(fixture.standIn.world.resources['loadBalancer:web'] ?? '') }];

  it('fires a static-threshold alarm when traffic rises, runs its SNS actions, and emits the documented event', async () => {
    // Prepare: an alarm with actions, and a rule sending alarm events to a queue.
    const c = fixture.clients();
    const topic = await c.sns.send(new CreateTopicCommand({ Name: 'ops' }));
    const queue = await c.sqs.send(new CreateQueueCommand({ QueueName: 'alarm-events' }));
    const queueArn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    await c.events.send(new PutRuleCommand({ Name: 'alarms', EventPattern: JSON.stringify({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }) }));
    await c.events.send(new PutTargetsCommand({ Rule: 'alarms', Targets: [{ Id: 'q', Arn: queueArn }] }));
    await c.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-requests-high',
        AlarmDescription: 'More requests than the fleet can take',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: lbDimension(),
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 5000,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic.TopicArn ?? ''],
        OKActions: [topic.TopicArn ?? ''],
      }),
    );
    expect((await state(c, 'web-requests-high'))?.StateValue).toBe('INSUFFICIENT_DATA');
    // Act / Assess: normal traffic → OK; 6,000 a minute for 2 minutes → ALARM; back → OK.
    await advance(2);
    expect((await state(c, 'web-requests-high'))?.StateValue).toBe('OK');
    await simJson(fixture.standIn.url, '/_sim/traffic', { body: { loadBalancers: { web: 6000 } } });
    await advance(1);
    expect((await state(c, 'web-requests-high'))?.StateValue).toBe('OK');
    await advance(1);
    const alarmed = await state(c, 'web-requests-high');
    expect(alarmed?.StateValue).toBe('ALARM');
    expect(alarmed?.StateReason).toMatch(/^Threshold Crossed: 2 out of the last 2 datapoints \[\d+\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\), \d+\.0 .*\] was greater than the threshold \(5000\.0\) \(minimum 2 datapoint for OK -> ALARM transition\)\.$/);
    await simJson(fixture.standIn.url, '/_sim/traffic', { body: { loadBalancers: { web: 4000 } } });
    await advance(1);
    expect((await state(c, 'web-requests-high'))?.StateValue).toBe('OK');
    const notes = await simJson<{ notifications: { subject: string; origin: string }[] }>(fixture.standIn.url, '/_sim/notifications');
    expect(notes.json.notifications.map((n) => [n.subject, n.origin])).toEqual([
      ['OK: "web-requests-high" in US East (N. Virginia)', 'alarm'],
      ['ALARM: "web-requests-high" in US East (N. Virginia)', 'alarm'],
      ['OK: "web-requests-high" in US East (N. Virginia)', 'alarm'],
    ]);
    await fixture.standIn.settled();
    const bodies: Record<string, unknown>[] = [];
    await eventually(async () => {
      const out = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...(out.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>));
      return bodies.length >= 3 ? true : undefined;
    });
    const toAlarm = bodies.find((b) => (b.detail as { state: { value: string } }).state.value === 'ALARM');
    // Every field of the documented event, with the same JSON type — except `account`, which moto drops (see
    // eventbridge-sqs.test.ts), and the dimension names, which are the metric's own.
    const ours = shape(toAlarm);
    const differences = Object.entries(shape(awsDocAlarmEvents.singleMetric)).filter(
      ([path, type]) => path !== '$.account' && !/\.dimensions\./.test(path) && ours[path] !== type,
    );
    expect(differences).toEqual([]);
    expect(toAlarm).toMatchObject({ source: 'aws.cloudwatch', resources: [alarmed?.AlarmArn], detail: { alarmName: 'web-requests-high', previousState: { value: 'OK' } } });
  });

  it('fires a metric-math alarm on a target group\'s traffic share after the weight flip', async () => {
    const c = fixture.clients();
    const { resources } = fixture.standIn.world;
    const green = [{ Name: 'TargetGroup', Value: dimensionValue(resources['targetGroup:web-green'] ?? '') }, ...lbDimension()];
    await c.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'green-share',
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'tg', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: green }, Period: 60, Stat: 'Sum' } },
          { Id: 'lb', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: lbDimension() }, Period: 60, Stat: 'Sum' } },
          { Id: 'share', Expression: '100 * FILL(tg, 0) / lb', Label: 'web-green share %', ReturnData: true },
        ],
      }),
    );
    await advance(1);
    expect((await state(c, 'green-share'))?.StateValue).toBe('OK');
    await c.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: resources['listener:web:80'],
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: resources['targetGroup:web-blue'], Weight: 0 }, { TargetGroupArn: resources['targetGroup:web-green'], Weight: 100 }] } }],
      }),
    );
    await advance(1);
    const alarm = await state(c, 'green-share');
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toContain('[100.0 (');
  });

  it('fires an anomaly-band alarm on a sudden rise, with CloudWatch\'s band wording; the AWS CLI sees the state', async () => {
    const c = fixture.clients();
    await c.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-requests-anomaly',
        ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
        EvaluationPeriods: 1,
        ThresholdMetricId: 'ad1',
        Metrics: [
          { Id: 'm1', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: lbDimension() }, Period: 60, Stat: 'Sum' } },
          { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', ReturnData: true },
        ],
      }),
    );
    await advance(1);
    expect((await state(c, 'web-requests-anomaly'))?.StateValue).toBe('OK');
    await simJson(fixture.standIn.url, '/_sim/traffic', { body: { loadBalancers: { web: 8000 } } });
    await advance(1);
    const cli = await awsCli(fixture.standIn.url, ['cloudwatch', 'describe-alarms', '--alarm-names', 'web-requests-anomaly']);
    const alarm = (cli.json as { MetricAlarms: MetricAlarm[] }).MetricAlarms[0];
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toMatch(/^Thresholds Crossed: 1 out of the last 1 datapoints \[\d+\.0 .*\] was less than the lower thresholds \[[\d.]+\] or greater than the upper thresholds \[[\d.]+\]/);
    const reasonData = JSON.parse(alarm?.StateReasonData ?? '{}') as Record<string, unknown>;
    expect(reasonData).toMatchObject({ version: '1.0', period: 60, recentLowerThresholds: [expect.any(Number)], recentUpperThresholds: [expect.any(Number)] });
  });
});
