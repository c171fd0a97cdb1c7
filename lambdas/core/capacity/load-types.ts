import * as z from '../zod';

/**
 * What the load balancer's own CloudWatch metrics say about its traffic, as core reads it: the recent rate
 * per target group (the hot path) and the capacity per target each group has proven (the audit). Rates are
 * requests per minute for an Application Load Balancer (`RequestCount`) and new flows per minute for a
 * Network Load Balancer (`NewFlowCount`).
 */

/** The metric a rate counts: ALB requests, NLB new flows. */
export const LoadMetricSchema = z.enum(['RequestCount', 'NewFlowCount']);
/** The metric a rate counts. */
export type LoadMetric = z.infer<typeof LoadMetricSchema>;

/**
 * The traffic each target group moved recently: its busiest minute in the window (a safe bound for the
 * next minutes). A group the load balancer forwarded nothing to is absent (CloudWatch publishes request
 * counts only when there were requests).
 * @example { "metric": "RequestCount", "windowMinutes": 15, "groups": { "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef": 4000 } }
 */
export const ObservedLoadSchema = z.strictObject({
  metric: LoadMetricSchema,
  /** Minutes of history the rates come from. */
  windowMinutes: z.number().check(z.gt(0)),
  /** Requests (or flows) per minute per target group ARN. */
  groups: z.record(z.string().check(z.minLength(1)), z.number().check(z.gte(0))),
  /** The load balancer's own total per minute, when known. */
  loadBalancer: z.optional(z.number().check(z.gte(0))),
});
/** The traffic each target group moved recently. */
export type ObservedLoad = z.infer<typeof ObservedLoadSchema>;

/** Why a verdict was made without metrics. */
export type LoadUnavailableReason = 'throttled' | 'failed' | 'no-traffic' | 'not-read';

/** The outcome of reading the recent load: observed, or why not. */
export type LoadReading =
  | { readonly status: 'observed'; readonly load: ObservedLoad; readonly source: 'cloudwatch' | 'file' }
  | { readonly status: 'unavailable'; readonly reason: LoadUnavailableReason; readonly detail: string };

/** The highest rate per target one group sustained for a whole period while its targets stayed healthy. */
export const GroupCapacitySchema = z.strictObject({
  groupName: z.string().check(z.minLength(1)),
  /** Requests (or flows) per minute per target. */
  perTargetPerMinute: z.number().check(z.gte(0)),
  /** How long the rate was sustained: one whole period. */
  sustainedMinutes: z.number().check(z.gt(0)),
  /** ISO-8601 start of that period. */
  at: z.string().check(z.minLength(1)),
});
/** A group's proven capacity per target. */
export type GroupCapacity = z.infer<typeof GroupCapacitySchema>;

/**
 * The capacity per target each group of one load balancer has proven over the lookback, computed by the
 * scheduled audit and stored beside the baseline. Groups without a period of healthy traffic are absent.
 * @example { "loadBalancerArn": "arn:...:loadbalancer/app/web/50dc6c495c0c9188", "computedAt": "2026-12-07T04:00:00.000Z", "lookbackHours": 336, "periodMinutes": 5, "metric": "RequestCount", "groups": { "arn:...:targetgroup/web-blue/0123": { "groupName": "web-blue", "perTargetPerMinute": 1050, "sustainedMinutes": 5, "at": "2026-12-01T18:05:00.000Z" } } }
 */
export const ProvenCapacitySchema = z.strictObject({
  loadBalancerArn: z.string().check(z.minLength(1)),
  computedAt: z.string().check(z.minLength(1)),
  lookbackHours: z.number().check(z.gt(0)),
  periodMinutes: z.number().check(z.gt(0)),
  metric: LoadMetricSchema,
  groups: z.record(z.string().check(z.minLength(1)), GroupCapacitySchema),
});
/** The proven capacity of a load balancer's groups. */
export type ProvenCapacity = z.infer<typeof ProvenCapacitySchema>;

/** What judging with load needs: the recent reading and the stored proven capacity (if any). */
export interface LoadContext {
  readonly reading: LoadReading;
  readonly capacity?: ProvenCapacity;
}

/** `4,000`: rates as people read them (no decimals above 10). */
export function rateText(perMinute: number): string {
  const rounded = perMinute >= 10 ? Math.round(perMinute) : Math.round(perMinute * 10) / 10;
  return rounded.toLocaleString('en-US');
}

/** `requests/min` or `new flows/min`. */
export function unitText(metric: LoadMetric): string {
  return metric === 'RequestCount' ? 'requests/min' : 'new flows/min';
}

/** `14 days`, `3 hours`, `30 minutes`: a lookback as people say it. */
export function lookbackText(hours: number): string {
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  if (hours >= 1 && Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.round(hours * 60)} minutes`;
}
