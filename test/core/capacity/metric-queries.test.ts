import { readLoad, canMoveTraffic } from '../../../lambdas/core/capacity/read-load';
import { recentLoadPlan, readRecentLoad, MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from '../../../lambdas/core/capacity/metric-queries';
import { computeProvenCapacity, provenCapacityPlan } from '../../../lambdas/core/capacity/proven-capacity';
import { AwsCallError } from '../../../lambdas/core/errors';
import type { MetricRequest, MetricSeries, MetricsReader } from '../../../lambdas/core/ports';
import { forward, lb, may19 } from '../../helpers/snapshot-builder';

/**
 * The GetMetricData queries and what their answers mean. ELB metric names, dimensions and statistics:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * (RequestCountPerTarget: "The only valid statistic is Sum"; NLB: NewFlowCount, no RequestCount)
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 * Limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 * ("You can ... retrieve ... as many as 500 different metrics in a single request, with a total of as many as 100,800 data points").
 */
const NOW = new Date('2026-12-07T04:17:30.000Z');
const MINUTE = 60_000;

class FakeMetrics implements MetricsReader {
  public readonly requests: MetricRequest[] = [];
  public constructor(private readonly answer: (request: MetricRequest) => MetricSeries[] | Error) {}
  public read(request: MetricRequest): Promise<MetricSeries[]> {
    this.requests.push(request);
    const result = this.answer(request);
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  }
}

describe('Function: recentLoadPlan', () => {
  it('asks for the last 15 whole minutes of RequestCount per group and for the load balancer, with CloudWatch dimensions', () => {
    const plan = recentLoadPlan(may19({ blue: 100, green: 0 }), NOW);

    expect(plan.request.end.toISOString()).toBe('2026-12-07T04:17:00.000Z');
    expect(plan.request.end.getTime() - plan.request.start.getTime()).toBe(15 * MINUTE);
    expect(plan.request.queries.map((q) => `${q.id} ${q.namespace} ${q.metricName} ${q.stat} ${q.periodSeconds} ${q.dimensions.map((d) => `${d.name}=${d.value}`).join(',')}`)).toEqual([
      'lb AWS/ApplicationELB RequestCount Sum 60 LoadBalancer=app/web/50dc6c495c0c9188',
      expect.stringMatching(/^g0 AWS\/ApplicationELB RequestCount Sum 60 TargetGroup=targetgroup\/blue\/[0-9a-f]{16},LoadBalancer=app\/web\/50dc6c495c0c9188$/),
      expect.stringMatching(/^g1 .* TargetGroup=targetgroup\/green\//),
    ]);
  });

  it('counts new flows for a Network Load Balancer', () => {
    const nlb = lb('tcp', 'network').group('blue', { healthy: 2 }).listener(443, forward({ blue: 1 }), 'TCP').build();
    const plan = recentLoadPlan(nlb, NOW);
    expect(new Set(plan.request.queries.map((q) => `${q.namespace} ${q.metricName}`))).toEqual(new Set(['AWS/NetworkELB NewFlowCount']));
  });
});

describe('Function: readRecentLoad', () => {
  const plan = recentLoadPlan(may19({ blue: 100, green: 0 }), NOW);
  it('takes each group\'s busiest minute; a group with no datapoint moved nothing', () => {
    const reading = readRecentLoad(plan, [
      { id: 'lb', timestamps: [1, 2], values: [3900, 4100] },
      { id: 'g0', timestamps: [1, 2], values: [3900, 4100] },
      { id: 'g1', timestamps: [], values: [] },
    ]);
    expect(reading).toEqual({ status: 'observed', source: 'cloudwatch', load: { metric: 'RequestCount', windowMinutes: 15, groups: { [plan.groupOf.get('g0') ?? '']: 4100 }, loadBalancer: 4100 } });
  });

  it('says "no traffic" when nothing at all was published (a new load balancer)', () => {
    expect(readRecentLoad(plan, [])).toMatchObject({ status: 'unavailable', reason: 'no-traffic' });
  });
});

describe('Function: readLoad', () => {
  it.each([
    ['ThrottlingException', 'throttled', /throttled \(ThrottlingException\)/],
    ['AccessDenied', 'failed', /failed: GetMetricData failed/],
  ])('turns a %s into an unavailable reading (%s), never a failed verdict', async (code, reason, detail) => {
    const metrics = new FakeMetrics(() => new AwsCallError(`GetMetricData failed: ${code}`, { operation: 'GetMetricData', code, retryable: code.startsWith('Throttl') }));
    const reading = await readLoad(metrics, may19({ blue: 100, green: 0 }), NOW);
    expect(reading).toMatchObject({ status: 'unavailable', reason });
    expect(reading.status === 'unavailable' && reading.detail).toMatch(detail);
    expect(metrics.requests).toHaveLength(1);
  });
});

describe('Function: provenCapacityPlan', () => {
  it('keeps every call within 500 queries and 100,800 datapoints (14 days of 5-minute periods: 4,032 a query)', () => {
    const many = lb('web');
    for (let i = 0; i < 60; i += 1) many.group(`g${i}`, { healthy: 2 });
    const snapshot = many.listener(80, forward({ g0: 1 })).build();

    const plan = provenCapacityPlan(snapshot, NOW);

    const points = (r: MetricRequest) => r.queries.length * ((r.end.getTime() - r.start.getTime()) / (5 * MINUTE));
    expect(plan.requests.every((r) => r.queries.length <= MAX_QUERIES_PER_CALL && points(r) <= MAX_DATAPOINTS_PER_CALL)).toBe(true);
    expect(plan.requests.flatMap((r) => r.queries)).toHaveLength(120);
    expect(plan.requests).toHaveLength(5);
    expect(plan.requests[0].queries.map((q) => `${q.metricName} ${q.stat} ${q.periodSeconds}`).slice(0, 2)).toEqual(['RequestCountPerTarget Sum 300', 'UnHealthyHostCount Maximum 300']);
  });

  it('leaves Lambda and ALB target groups out (no per-target metric)', () => {
    const snapshot = lb('web').group('fn', { healthy: 1, targetType: 'lambda' }).group('blue', { healthy: 2 }).listener(80, forward({ fn: 1, blue: 1 })).build();
    expect(provenCapacityPlan(snapshot, NOW).groups.map((g) => g.name)).toEqual(['blue']);
  });
});

describe('Function: computeProvenCapacity', () => {
  const snapshot = may19({ blue: 100, green: 0 });
  const plan = provenCapacityPlan(snapshot, NOW, 3);
  const t = (minutes: number) => Date.parse('2026-12-07T02:00:00.000Z') + minutes * MINUTE;

  it('takes the best whole period in which no target was unhealthy, per minute per target', () => {
    const proven = computeProvenCapacity(snapshot, plan, [
      // 5,250 per target in one 5-minute period = 1,050/min; 9,000 in a period with an unhealthy target does not count
      { id: 'r0', timestamps: [t(0), t(5), t(10)], values: [5000, 5250, 9000] },
      { id: 'u0', timestamps: [t(0), t(5), t(10)], values: [0, 0, 1] },
    ], NOW);
    expect(Object.values(proven.groups)).toEqual([{ groupName: 'blue', perTargetPerMinute: 1050, sustainedMinutes: 5, at: new Date(t(5)).toISOString() }]);
    expect(proven.lookbackHours).toBe(3);
  });

  it('leaves out a group that never served, and a period without health data proves nothing', () => {
    const proven = computeProvenCapacity(snapshot, plan, [{ id: 'r0', timestamps: [t(0)], values: [5000] }], NOW);
    expect(proven.groups).toEqual({});
  });
});

describe('Function: canMoveTraffic', () => {
  it.each([
    ['a weight flip', may19({ blue: 0, green: 100 }), true],
    ['the same configuration', may19({ blue: 100, green: 0 }), false],
    ['a registration into a group at weight 0', lb('web').group('blue', { healthy: 4 }).group('green', { healthy: 2 }).listener(80, forward({ blue: 100, green: 0 })).build(), false],
    ['a registration into a serving group', may19({ blue: 100, green: 0 }, { healthy: 5 }), true],
  ])('%s', (_name, after, expected) => {
    expect(canMoveTraffic(may19({ blue: 100, green: 0 }), after)).toBe(expected);
  });
});
