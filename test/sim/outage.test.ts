import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { dimensionValue, minuteSums } from './helpers/metrics';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

const WARMUP = 30;

describe('The May 19 outage, with no watchdog', () => {
  const fixture = useStandIn({ world: 'demo', clock: { warmupMinutes: WARMUP } });

  it('sends 100% to one server, which falls over within the configured minutes: 5XX appear, the anomaly alarm fires', async () => {
    // Prepare: the anomaly alarm sync-alarms would keep on web-green's RequestCountPerTarget (missing = 0).
    const { resources } = fixture.standIn.world;
    const c = fixture.clients();
    const topic = await c.sns.send(new CreateTopicCommand({ Name: 'elb-watchdog-alerts' }));
    const tg = dimensionValue(resources['targetGroup:web-green'] ?? '');
    const lb = dimensionValue(resources['loadBalancer:web'] ?? '');
    await c.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-green-request-anomaly',
        AlarmActions: [topic.TopicArn ?? ''],
        ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
        EvaluationPeriods: 1,
        ThresholdMetricId: 'ad1',
        TreatMissingData: 'notBreaching',
        Metrics: [
          { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: tg }] }, Period: 60, Stat: 'Sum' } },
          { Id: 'e1', Expression: 'FILL(m1, 0)', ReturnData: true },
          { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(e1, 2)', ReturnData: true },
        ],
      }),
    );
    const flipAt = fixture.standIn.clock.now();
    // Act 1: the routine update.
    await c.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: resources['listener:web:80'],
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: resources['targetGroup:web-blue'], Weight: 0 }, { TargetGroupArn: resources['targetGroup:web-green'], Weight: 100 }] } }],
      }),
    );
    const traffic = await simJson<{ loadBalancers: { targetGroups: { name: string; targets: { id: string; share: number }[] }[] }[] }>(fixture.standIn.url, '/_sim/traffic');
    expect(traffic.json.loadBalancers[0]?.targetGroups.find((g) => g.name === 'web-green')?.targets).toEqual([expect.objectContaining({ id: resources['instance:web-5'], share: 1 })]);
    // Act 2: one sim minute, then the second.
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 1 } });
    const health = () => c.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: resources['targetGroup:web-green'] }));
    expect((await health()).TargetHealthDescriptions?.[0]?.TargetHealth?.State).toBe('healthy');
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 1 } });
    // Assess: crashed after crashAfterMinutes (2) of overload, as AWS reports a failing target.
    expect((await health()).TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' });
    const end = fixture.standIn.clock.now();
    const start = new Date(flipAt.getTime() - 60_000);
    const target5xx = await minuteSums(c.cloudwatch, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', [{ Name: 'TargetGroup', Value: tg }, { Name: 'LoadBalancer', Value: lb }], start, end);
    expect(Math.max(...target5xx)).toBeGreaterThan(2000);
    const perTarget = await minuteSums(c.cloudwatch, 'AWS/ApplicationELB', 'RequestCountPerTarget', [{ Name: 'TargetGroup', Value: tg }], start, end);
    expect(Math.min(...perTarget)).toBeGreaterThan(3500);
    const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-green-request-anomaly'] }))).MetricAlarms?.[0];
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toMatch(/^Thresholds Crossed: 1 out of the last 1 datapoints \[\d+\.0 .*greater than the upper thresholds/);
    const notes = await simJson<{ notifications: { topicArn: string; subject: string; message: string }[] }>(fixture.standIn.url, '/_sim/notifications');
    expect(notes.json.notifications).toEqual([expect.objectContaining({ topicArn: topic.TopicArn, subject: 'ALARM: "web-green-request-anomaly" in US East (N. Virginia)' })]);
    expect(JSON.parse(notes.json.notifications[0]?.message ?? '{}')).toMatchObject({ NewStateValue: 'ALARM', AlarmName: 'web-green-request-anomaly', AWSAccountId: '123456789012' });
  });

  it('keeps the server down while it still gets everything (fail open), and lets it recover once traffic moves back', async () => {
    const { resources } = fixture.standIn.world;
    const c = fixture.clients();
    const weights = (blue: number, green: number) =>
      c.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: resources['listener:web:80'],
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: resources['targetGroup:web-blue'], Weight: blue }, { TargetGroupArn: resources['targetGroup:web-green'], Weight: green }] } }],
        }),
      );
    await weights(0, 100);
    await fixture.standIn.clock.advance(4);
    const down = await simJson<{ loadBalancers: { targetGroups: { name: string; failOpen: boolean }[] }[]; crashed: { id: string }[] }>(fixture.standIn.url, '/_sim/traffic');
    expect(down.json.crashed.map((t) => t.id)).toEqual([resources['instance:web-5']]);
    expect(down.json.loadBalancers[0]?.targetGroups.find((g) => g.name === 'web-green')?.failOpen).toBe(true);
    await weights(100, 0);
    await fixture.standIn.clock.advance(5);
    const up = await simJson<{ crashed: unknown[] }>(fixture.standIn.url, '/_sim/traffic');
    expect(up.json.crashed).toEqual([]);
  });
});
