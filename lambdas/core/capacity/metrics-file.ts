import * as z from '../zod';
import { InputValidationError } from '../errors';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { LoadMetricSchema, type GroupCapacity, type LoadContext } from './load-types';
import { loadMetricOf, targetGroupDimension } from './metric-queries';

/**
 * `evaluate --metrics FILE`: the traffic a saved change moved, so it can be judged offline as the watchdog
 * judges it live. Either a small JSON of rates:
 *
 * @example { "groups": { "web-blue": 4000 }, "provenCapacity": { "web-blue": 1050 }, "lookbackHours": 336 }
 *
 * (requests per minute per target group, and the capacity per target each has proven; groups by name,
 * `targetgroup/<name>/<id>` or ARN), or the output of `aws cloudwatch get-metric-data` whose results are
 * labelled with the group (`--metric-data-queries` with `"Label": "web-blue"`): a group's rate is its busiest
 * period of `RequestCount` (NLB `NewFlowCount`) Sum; a result labelled `capacity:web-blue` is the group's
 * `RequestCountPerTarget` Sum, whose busiest period is its proven capacity.
 */
export const RatesFileSchema = z.strictObject({
  metric: z.optional(LoadMetricSchema),
  windowMinutes: z._default(z.number().check(z.gt(0)), 15),
  groups: z.record(z.string().check(z.minLength(1)), z.number().check(z.gte(0))),
  provenCapacity: z._default(z.record(z.string().check(z.minLength(1)), z.number().check(z.gt(0))), {}),
  lookbackHours: z._default(z.number().check(z.gt(0)), 14 * 24),
});

/** `aws cloudwatch get-metric-data` output (the fields read). */
export const GetMetricDataOutputSchema = z.object({
  MetricDataResults: z.array(
    z.object({
      Id: z.optional(z.string()),
      Label: z.optional(z.string()),
      Timestamps: z._default(z.array(z.union([z.string(), z.number()])), []),
      Values: z._default(z.array(z.number()), []),
    }),
  ),
});

function issueText(error: { readonly issues: readonly z.core.$ZodIssue[] }, file: string): InputValidationError {
  const issue = error.issues[0];
  const field = ['metrics', ...issue.path.map(String)].join('.');
  return new InputValidationError(`${file}: ${field}: ${issue.message}`, { field, input: 'metrics' });
}

/** Rates per minute from a GetMetricData result: its busiest period divided by the period's minutes. */
function busiestPerMinute(timestamps: readonly (string | number)[], values: readonly number[]): number {
  const times = timestamps.map((t) => (typeof t === 'number' ? t * 1000 : Date.parse(t))).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t)).filter((g) => g > 0);
  const periodMinutes = gaps.length === 0 ? 1 : Math.min(...gaps) / 60_000;
  return values.length === 0 ? 0 : Math.max(...values) / periodMinutes;
}

/** The load context of a metrics file, its group names resolved against the snapshot; throws naming the field. */
export function loadFromMetricsFile(input: unknown, snapshot: LoadBalancerSnapshot, file = 'metrics file'): LoadContext {
  const groupArn = (name: string, field: string): string => {
    const group = snapshot.targetGroups.find((g) => g.arn === name || g.name === name || targetGroupDimension(g.arn) === name);
    if (group === undefined) {
      throw new InputValidationError(`${file}: ${field}: no target group ${JSON.stringify(name)} in the snapshot of ${snapshot.loadBalancer.name} (give its name, targetgroup/<name>/<id> or ARN)`, { field, input: 'metrics' });
    }
    return group.arn;
  };
  let rates: Record<string, number>;
  let capacity: Record<string, number>;
  let windowMinutes = 15;
  let lookbackHours = 14 * 24;
  let metric = loadMetricOf(snapshot);
  if (typeof input === 'object' && input !== null && 'MetricDataResults' in input) {
    const parsed = GetMetricDataOutputSchema.safeParse(input);
    if (!parsed.success) throw issueText(parsed.error, file);
    rates = {};
    capacity = {};
    parsed.data.MetricDataResults.forEach((r, i) => {
      const label = r.Label ?? r.Id ?? '';
      const rate = busiestPerMinute(r.Timestamps, r.Values);
      if (label.startsWith('capacity:')) capacity[groupArn(label.slice('capacity:'.length), `metrics.MetricDataResults.${i}.Label`)] = rate;
      else rates[groupArn(label, `metrics.MetricDataResults.${i}.Label`)] = rate;
    });
  } else {
    const parsed = RatesFileSchema.safeParse(input);
    if (!parsed.success) throw issueText(parsed.error, file);
    rates = Object.fromEntries(Object.entries(parsed.data.groups).map(([name, rate]) => [groupArn(name, `metrics.groups.${name}`), rate]));
    capacity = Object.fromEntries(Object.entries(parsed.data.provenCapacity).map(([name, rate]) => [groupArn(name, `metrics.provenCapacity.${name}`), rate]));
    windowMinutes = parsed.data.windowMinutes;
    lookbackHours = parsed.data.lookbackHours;
    metric = parsed.data.metric ?? metric;
  }
  const name = (arn: string) => snapshot.targetGroups.find((g) => g.arn === arn)?.name ?? arn;
  const groups: Record<string, GroupCapacity> = Object.fromEntries(
    Object.entries(capacity).map(([arn, rate]) => [arn, { groupName: name(arn), perTargetPerMinute: rate, sustainedMinutes: 5, at: snapshot.capturedAt }]),
  );
  return {
    reading: { status: 'observed', source: 'file', load: { metric, windowMinutes, groups: rates } },
    ...(Object.keys(groups).length > 0 && {
      capacity: { loadBalancerArn: snapshot.loadBalancer.arn, computedAt: snapshot.capturedAt, lookbackHours, periodMinutes: 5, metric, groups },
    }),
  };
}
