import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { MetricQuery, MetricRequest, MetricSeries } from '../ports';
import type { GroupCapacity, ProvenCapacity } from './load-types';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, hasPerTargetMetric, loadBalancerDimension, loadMetricOf, targetGroupDimension } from './metric-queries';

/**
 * Proven capacity: the highest rate per target a group sustained for a whole period while none of its targets
 * was unhealthy, over the lookback. ALB: `RequestCountPerTarget` (statistic Sum only) per period divided by the
 * period's minutes. NLB has no per-target count: `NewFlowCount` divided by the period's highest
 * `HealthyHostCount` (the larger divisor: the smaller, safer rate). Five-minute periods are what CloudWatch keeps
 * for 63 days (one-minute data only 15), and 14 days of them are 4,032 datapoints per query: 25 queries a call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */

/** The default lookback: 14 days. */
export const DEFAULT_LOOKBACK_HOURS = 14 * 24;
/** The period a rate must be sustained for. */
export const PROVEN_PERIOD_MINUTES = 5;

const MINUTE = 60_000;

/** One group's queries, by role. */
interface GroupQueries {
  readonly arn: string;
  readonly name: string;
  readonly rate: string;
  readonly unhealthy: string;
  /** NLB: the healthy host count the flows divide by. */
  readonly healthy?: string;
}

/** The requests (one per GetMetricData call) that read a load balancer's history, and how to read them. */
export interface ProvenCapacityPlan {
  readonly requests: readonly MetricRequest[];
  readonly groups: readonly GroupQueries[];
  readonly lookbackHours: number;
  readonly periodMinutes: number;
}

/**
 * The history requests for every group with a per-target metric, split so that no call exceeds 500 queries or
 * 100,800 datapoints (a group's queries stay in one call).
 */
export function provenCapacityPlan(snapshot: LoadBalancerSnapshot, now: Date, lookbackHours = DEFAULT_LOOKBACK_HOURS, periodMinutes = PROVEN_PERIOD_MINUTES): ProvenCapacityPlan {
  const network = snapshot.loadBalancer.type === 'network';
  const namespace: MetricQuery['namespace'] = network ? 'AWS/NetworkELB' : 'AWS/ApplicationELB';
  const period = periodMinutes * MINUTE;
  const end = new Date(Math.floor(now.getTime() / period) * period);
  const start = new Date(end.getTime() - Math.max(period, Math.ceil((lookbackHours * 60 * MINUTE) / period) * period));
  const pointsPerQuery = Math.ceil((end.getTime() - start.getTime()) / period);
  const lbDim = { name: 'LoadBalancer', value: loadBalancerDimension(snapshot.loadBalancer.arn) };
  const groups: GroupQueries[] = [];
  const queriesOf: MetricQuery[][] = [];
  for (const group of snapshot.targetGroups.filter(hasPerTargetMetric)) {
    const i = groups.length;
    const dims = [{ name: 'TargetGroup', value: targetGroupDimension(group.arn) }, lbDim];
    const q = (id: string, metricName: string, stat: MetricQuery['stat']): MetricQuery => ({ id, namespace, metricName, dimensions: dims, stat, periodSeconds: periodMinutes * 60 });
    const entry: GroupQueries = { arn: group.arn, name: group.name, rate: `r${i}`, unhealthy: `u${i}`, ...(network && { healthy: `h${i}` }) };
    groups.push(entry);
    queriesOf.push([
      network ? q(entry.rate, 'NewFlowCount', 'Sum') : q(entry.rate, 'RequestCountPerTarget', 'Sum'),
      q(entry.unhealthy, 'UnHealthyHostCount', 'Maximum'),
      ...(network ? [q(`h${i}`, 'HealthyHostCount', 'Maximum')] : []),
    ]);
  }
  const requests: MetricRequest[] = [];
  let batch: MetricQuery[] = [];
  for (const queries of queriesOf) {
    const fits = batch.length + queries.length <= MAX_QUERIES_PER_CALL && (batch.length + queries.length) * pointsPerQuery <= MAX_DATAPOINTS_PER_CALL;
    if (!fits && batch.length > 0) {
      requests.push({ start, end, queries: batch });
      batch = [];
    }
    batch.push(...queries);
  }
  if (batch.length > 0) requests.push({ start, end, queries: batch });
  return { requests, groups, lookbackHours, periodMinutes };
}

function pointsOf(series: MetricSeries | undefined): Map<number, number> {
  const points = new Map<number, number>();
  series?.timestamps.forEach((t, i) => points.set(t, series.values[i] ?? 0));
  return points;
}

/**
 * Each group's proven capacity from the answers: the best period in which the group's targets were all
 * healthy (the period's `UnHealthyHostCount` maximum is 0; a period without it proves nothing). A group that
 * never served in the lookback is absent.
 */
export function computeProvenCapacity(snapshot: LoadBalancerSnapshot, plan: ProvenCapacityPlan, series: readonly MetricSeries[], now: Date): ProvenCapacity {
  const byId = new Map(series.map((s) => [s.id, s]));
  const groups: Record<string, GroupCapacity> = {};
  for (const group of plan.groups) {
    const rates = pointsOf(byId.get(group.rate));
    const unhealthy = pointsOf(byId.get(group.unhealthy));
    const healthy = group.healthy === undefined ? undefined : pointsOf(byId.get(group.healthy));
    let best: { rate: number; at: number } | undefined;
    for (const [t, value] of rates) {
      if (unhealthy.get(t) !== 0) continue;
      const divisor = healthy === undefined ? 1 : (healthy.get(t) ?? 0);
      if (divisor <= 0) continue;
      const rate = value / divisor / plan.periodMinutes;
      if (rate > 0 && (best === undefined || rate > best.rate)) best = { rate, at: t };
    }
    if (best !== undefined) {
      groups[group.arn] = { groupName: group.name, perTargetPerMinute: best.rate, sustainedMinutes: plan.periodMinutes, at: new Date(best.at).toISOString() };
    }
  }
  return {
    loadBalancerArn: snapshot.loadBalancer.arn,
    computedAt: now.toISOString(),
    lookbackHours: plan.lookbackHours,
    periodMinutes: plan.periodMinutes,
    metric: loadMetricOf(snapshot),
    groups,
  };
}
