import { GetMetricDataCommand, PutMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CreateRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { parseQueryResponse } from '../../sim/front/codec';
import { dimensionValue } from './helpers/metrics';
import { query, rawCall } from './helpers/raw-call';
import { simJson, useStandIn } from './helpers/stand-in-fixture';

// GetMetricData: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
// A dimension is a name/value pair that is part of the metric's identity (order is no part of it):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html

const WARMUP = 30;
const MIN = 60_000;

describe('Metrics: the front answers GetMetricData from an index of what the traffic model wrote, as moto would', () => {
  // Half of web's requests take an /api/* rule to web-green, so both groups have history.
  const fixture = useStandIn({ world: 'demo', clock: { warmupMinutes: WARMUP }, traffic: { requestMix: { web: [{ path: '/api/orders', share: 0.2 }] } } });
  const served = async () => (await simJson<{ metricIndex: { served: number; forwarded: number } }>(fixture.standIn.url, '/_sim/health')).json.metricIndex;
  const stat = (id: string, name: string, dims: Record<string, string>, period: number, s = 'Sum', extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: s },
    ...extra,
  });

  it('gives moto\'s answers for the watchdog\'s queries: 15 minutes of RequestCount, 14 days of RequestCountPerTarget, and more', async () => {
    // Prepare: the rule, then an hour more of traffic.
    const { resources } = fixture.standIn.world;
    await fixture.clients().elbv2.send(
      new CreateRuleCommand({ ListenerArn: resources['listener:web:80'], Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: resources['targetGroup:web-green'] }] }),
    );
    await simJson(fixture.standIn.url, '/_sim/clock', { body: { advanceMinutes: 20 } });
    const lb = dimensionValue(resources['loadBalancer:web'] ?? '');
    const blue = dimensionValue(resources['targetGroup:web-blue'] ?? '');
    const green = dimensionValue(resources['targetGroup:web-green'] ?? '');
    const now = fixture.standIn.clock.now().getTime();
    const requests: GetMetricDataCommandInput[] = [
      // On a change: the last 15 minutes per group and load balancer, one call.
      {
        StartTime: new Date(now - 15 * MIN),
        EndTime: new Date(now),
        MetricDataQueries: [stat('lb', 'RequestCount', { LoadBalancer: lb }, 60), stat('blue', 'RequestCount', { TargetGroup: blue, LoadBalancer: lb }, 60), stat('green', 'RequestCount', { TargetGroup: green, LoadBalancer: lb }, 60)],
      },
      // The audit: 14 days of RequestCountPerTarget at 5 minutes.
      { StartTime: new Date(now - 14 * 24 * 60 * MIN), EndTime: new Date(now), MetricDataQueries: [stat('b', 'RequestCountPerTarget', { TargetGroup: blue }, 300), stat('g', 'RequestCountPerTarget', { TargetGroup: green }, 300, 'Maximum')] },
      // Other shapes: ascending, a window not on the minute, Average and SampleCount, a label, a hidden query, no dimensions.
      {
        StartTime: new Date(now - 47 * MIN - 30_500),
        EndTime: new Date(now - 3 * MIN + 10_000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          stat('a', 'HealthyHostCount', { TargetGroup: blue, LoadBalancer: lb }, 120, 'Average', { Label: 'blue hosts' }),
          stat('c', 'RequestCount', { TargetGroup: green, LoadBalancer: lb }, 180, 'SampleCount', { ReturnData: false }),
          stat('all', 'RequestCount', {}, 600, 'Sum'),
        ],
      },
    ];
    const before = await served();
    // Act
    const front = fixture.clients().cloudwatch;
    const moto = fixture.moto().cloudwatch;
    for (const input of requests) {
      const ours = await front.send(new GetMetricDataCommand(input));
      const theirs = await moto.send(new GetMetricDataCommand(input));
      // Assess: the same results, and not empty ones.
      expect(ours.MetricDataResults).toEqual(theirs.MetricDataResults);
      expect(ours.MetricDataResults?.some((r) => (r.Values ?? []).length > 0)).toBe(true);
    }
    // The index answered all three: the comparison was index against moto, not moto against itself.
    expect((await served()).served - before.served).toBe(3);
  });

  it('answers Query-protocol callers too, with the same figures as moto', async () => {
    const { resources } = fixture.standIn.world;
    const now = fixture.standIn.clock.now().getTime();
    const body = query({
      Action: 'GetMetricData',
      Version: '2010-08-01',
      StartTime: new Date(now - 10 * MIN).toISOString(),
      EndTime: new Date(now).toISOString(),
      'MetricDataQueries.member.1.Id': 'm',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/ApplicationELB',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'RequestCount',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'LoadBalancer',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': dimensionValue(resources['loadBalancer:web'] ?? ''),
      'MetricDataQueries.member.1.MetricStat.Period': 60,
      'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
    });
    const figures = async (url: string) => {
      const raw = await rawCall(url, 'monitoring', { body });
      expect(raw.status).toBe(200);
      const [result] = parseQueryResponse(raw.text).result?.MetricDataResults as { Timestamps: string[]; Values: string[] }[];
      return { timestamps: result?.Timestamps.map((t) => Date.parse(t)), values: result?.Values.map(Number) };
    };
    const before = await served();
    const ours = await figures(fixture.standIn.url);
    expect(ours).toEqual(await figures(fixture.standIn.backendUrl));
    expect(ours.values).toHaveLength(10);
    expect((await served()).served - before.served).toBe(1);
  });

  it('moto gap (fixed when the index answers): moto finds nothing when the query lists the dimensions in another order', async () => {
    const { resources } = fixture.standIn.world;
    const now = fixture.standIn.clock.now().getTime();
    const input = {
      StartTime: new Date(now - 10 * MIN),
      EndTime: new Date(now),
      MetricDataQueries: [stat('m', 'RequestCount', { LoadBalancer: dimensionValue(resources['loadBalancer:web'] ?? ''), TargetGroup: dimensionValue(resources['targetGroup:web-blue'] ?? '') }, 60)],
    };
    const theirs = await fixture.moto().cloudwatch.send(new GetMetricDataCommand(input));
    const ours = await fixture.clients().cloudwatch.send(new GetMetricDataCommand(input));
    expect(theirs.MetricDataResults?.[0]?.Values).toEqual([]);
    expect(ours.MetricDataResults?.[0]?.Values).toHaveLength(10);
  });

  it('leaves to moto what it cannot know: metric math, and namespaces others write to', async () => {
    const now = fixture.standIn.clock.now().getTime();
    const before = await served();
    const out = await fixture.clients().cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 10 * MIN),
        EndTime: new Date(now),
        MetricDataQueries: [stat('m', 'RequestCount', {}, 60, 'Sum', { ReturnData: false }), { Id: 'e', Expression: 'm * 2' }],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Id).toBe('e');
    expect((await served()).forwarded - before.forwarded).toBe(1);
    // Someone else writes into the namespace (moto accepts it): from then on, its queries go to moto.
    const c = fixture.clients().cloudwatch;
    await c.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: [{ MetricName: 'RequestCount', Value: 1 }] }));
    await c.send(new GetMetricDataCommand({ StartTime: new Date(now - 10 * MIN), EndTime: new Date(now), MetricDataQueries: [stat('m', 'RequestCount', {}, 60)] }));
    expect((await served()).forwarded - before.forwarded).toBe(2);
  });
});
