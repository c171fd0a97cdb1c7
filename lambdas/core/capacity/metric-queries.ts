import type { LoadBalancerSnapshot, TargetGroup } from '../model/snapshot';
import type { MetricQuery, MetricRequest, MetricSeries } from '../ports';
import type { LoadMetric, LoadReading } from './load-types';

/**
 * The GetMetricData queries the watchdog makes, and what their answers mean. Dimension values are CloudWatch's:
 * `LoadBalancer=app/web/50dc6c495c0c9188` (the ARN after `loadbalancer/`) and
 * `TargetGroup=targetgroup/web-blue/0123456789abcdef` (the ARN's resource part).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 */

/** The recent window the hot path reads: the last 15 minutes at one-minute resolution. */
export const RECENT_WINDOW_MINUTES = 15;
/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** GetMetricData returns at most 100,800 datapoints per call. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

const MINUTE = 60_000;

/** `app/web/50dc…` from a load balancer ARN. */
export function loadBalancerDimension(arn: string): string {
  const at = arn.indexOf(':loadbalancer/');
  return at < 0 ? arn : arn.slice(at + ':loadbalancer/'.length);
}

/** `targetgroup/web-blue/0123…` from a target group ARN. */
export function targetGroupDimension(arn: string): string {
  const at = arn.lastIndexOf(':');
  return at < 0 ? arn : arn.slice(at + 1);
}

/** The rate metric of a load balancer type. */
export function loadMetricOf(snapshot: LoadBalancerSnapshot): LoadMetric {
  return snapshot.loadBalancer.type === 'network' ? 'NewFlowCount' : 'RequestCount';
}

function namespaceOf(snapshot: LoadBalancerSnapshot): MetricQuery['namespace'] {
  return snapshot.loadBalancer.type === 'network' ? 'AWS/NetworkELB' : 'AWS/ApplicationELB';
}

/** Groups whose targets are servers with a per-target rate (not a Lambda function, not another ALB). */
export function hasPerTargetMetric(group: TargetGroup): boolean {
  return group.targetType === 'instance' || group.targetType === 'ip';
}

/** The query ids of the recent-load request, by what they measure. */
export interface RecentLoadPlan {
  readonly request: MetricRequest;
  readonly metric: LoadMetric;
  /** Query id → target group ARN. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** The id of the load balancer's own total. */
  readonly totalId: string;
}

/**
 * The one GetMetricData request of the hot path: the last 15 minutes of `RequestCount` (NLB: `NewFlowCount`)
 * per target group of the load balancer, and of the load balancer itself, one-minute periods. At most
 * 499 groups fit one call (a load balancer has far fewer).
 */
export function recentLoadPlan(snapshot: LoadBalancerSnapshot, now: Date, windowMinutes = RECENT_WINDOW_MINUTES): RecentLoadPlan {
  const metric = loadMetricOf(snapshot);
  const namespace = namespaceOf(snapshot);
  const lbDim = { name: 'LoadBalancer', value: loadBalancerDimension(snapshot.loadBalancer.arn) };
  const end = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const start = new Date(end.getTime() - windowMinutes * MINUTE);
  const groupOf = new Map<string, string>();
  const queries: MetricQuery[] = [{ id: 'lb', namespace, metricName: metric, dimensions: [lbDim], stat: 'Sum', periodSeconds: 60 }];
  for (const group of snapshot.targetGroups.slice(0, MAX_QUERIES_PER_CALL - 1)) {
    const id = `g${groupOf.size}`;
    groupOf.set(id, group.arn);
    queries.push({ id, namespace, metricName: metric, dimensions: [{ name: 'TargetGroup', value: targetGroupDimension(group.arn) }, lbDim], stat: 'Sum', periodSeconds: 60 });
  }
  return { request: { start, end, queries }, metric, groupOf, totalId: 'lb' };
}

/**
 * What the answer says: each group's busiest minute of the window (a safe bound: the next minutes are
 * judged against the worst recent one). No datapoint at all means no traffic in the window (a new load
 * balancer, or none yet): then the verdict falls back to shares, and says so.
 */
export function readRecentLoad(plan: RecentLoadPlan, series: readonly MetricSeries[], windowMinutes = RECENT_WINDOW_MINUTES): LoadReading {
  const byId = new Map(series.map((s) => [s.id, s]));
  const peak = (id: string): number | undefined => {
    const values = byId.get(id)?.values ?? [];
    return values.length === 0 ? undefined : Math.max(...values);
  };
  const groups: Record<string, number> = {};
  for (const [id, arn] of plan.groupOf) {
    const value = peak(id);
    if (value !== undefined) groups[arn] = value;
  }
  const total = peak(plan.totalId);
  if (total === undefined && Object.keys(groups).length === 0) {
    return { status: 'unavailable', reason: 'no-traffic', detail: `no ${plan.metric} datapoints in the last ${windowMinutes} minutes (a new load balancer, or no traffic yet)` };
  }
  return { status: 'observed', source: 'cloudwatch', load: { metric: plan.metric, windowMinutes, groups, ...(total !== undefined && { loadBalancer: total }) } };
}
