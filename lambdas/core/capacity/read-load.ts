import { AwsCallError } from '../errors';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { MetricSeries, MetricsReader } from '../ports';
import { compareRouting } from '../routing/compare-routing';
import type { LoadReading, ProvenCapacity } from './load-types';
import { readRecentLoad, recentLoadPlan } from './metric-queries';
import { computeProvenCapacity, provenCapacityPlan } from './proven-capacity';

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException']);

/**
 * The recent load of a load balancer by one GetMetricData call. A failed call never fails the verdict: it
 * is judged by shares, and the reading says why (throttled, or what failed).
 */
export async function readLoad(metrics: MetricsReader, snapshot: LoadBalancerSnapshot, now: Date): Promise<LoadReading> {
  const plan = recentLoadPlan(snapshot, now);
  let series: MetricSeries[];
  try {
    series = await metrics.read(plan.request);
  } catch (error) {
    const code = error instanceof AwsCallError ? error.code : undefined;
    if (code !== undefined && THROTTLING.has(code)) return { status: 'unavailable', reason: 'throttled', detail: `the metrics call (GetMetricData) was throttled (${code})` };
    return { status: 'unavailable', reason: 'failed', detail: `the metrics call (GetMetricData) failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  return readRecentLoad(plan, series);
}

/** The proven capacity of each group of a load balancer over the lookback (the audit's job: one call per 25 groups). */
export async function readProvenCapacity(metrics: MetricsReader, snapshot: LoadBalancerSnapshot, now: Date, lookbackHours: number): Promise<ProvenCapacity> {
  const plan = provenCapacityPlan(snapshot, now, lookbackHours);
  const series: MetricSeries[] = [];
  for (const request of plan.requests) series.push(...(await metrics.read(request)));
  return computeProvenCapacity(snapshot, plan, series, now);
}

/**
 * Whether a change can move traffic: some request class reaches other targets, or the same ones in other
 * shares. A change that cannot (an attribute that does not affect routing, a registration into an unused
 * group) costs no metrics call.
 */
export function canMoveTraffic(before: LoadBalancerSnapshot | undefined, after: LoadBalancerSnapshot): boolean {
  if (before === undefined) return false;
  const routing = compareRouting(before, after);
  for (const c of routing.classes) {
    const a = c.after.traffic;
    const b = c.before?.traffic;
    if (a === undefined || b === undefined) {
      if (a !== b) return true;
      continue;
    }
    if (a.segments.length !== b.segments.length) return true;
    const shares = new Map<string, number>();
    for (const t of b.targets) shares.set(`${t.targetGroupArn}\u0000${t.targetId}\u0000${t.healthy}`, t.share);
    if (a.targets.length !== b.targets.length) return true;
    for (const t of a.targets) {
      const was = shares.get(`${t.targetGroupArn}\u0000${t.targetId}\u0000${t.healthy}`);
      if (was === undefined || Math.abs(was - t.share) > 1e-9) return true;
    }
  }
  return false;
}
