import * as z from '../zod';

const StateSchema = z.looseObject({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  reason: z.optional(z.string()),
  timestamp: z.optional(z.string()),
});

const MetricQuerySchema = z.looseObject({
  id: z.optional(z.string()),
  expression: z.optional(z.string()),
  metricStat: z.optional(
    z.looseObject({
      metric: z.looseObject({ namespace: z.optional(z.string()), name: z.optional(z.string()), dimensions: z.optional(z.record(z.string(), z.string())) }),
    }),
  ),
});

/**
 * The EventBridge "CloudWatch Alarm State Change" event.
 *
 * @example
 * { "version": "0", "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92", "detail-type": "CloudWatch Alarm State Change",
 *   "source": "aws.cloudwatch", "account": "123456789012", "time": "2026-05-19T14:09:00Z", "region": "us-east-1",
 *   "resources": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:elb-watchdog-tg-web-web-green-1a2b3c4d-share"],
 *   "detail": { "alarmName": "elb-watchdog-tg-web-web-green-1a2b3c4d-share",
 *     "state": { "value": "ALARM", "reason": "Threshold Crossed: 3 datapoints [100.0, 100.0, 100.0] were greater than the threshold (50.0).", "timestamp": "2026-05-19T14:09:00.000+0000" },
 *     "previousState": { "value": "OK", "timestamp": "2026-05-19T13:00:00.000+0000" },
 *     "configuration": { "metrics": [{ "id": "group", "metricStat": { "metric": { "namespace": "AWS/ApplicationELB", "name": "RequestCount",
 *       "dimensions": { "TargetGroup": "targetgroup/web-green/0f1e2d3c4b5a6978", "LoadBalancer": "app/web/50dc6c495c0c9188" } } } }] } } }
 */
export const AlarmStateChangeEventSchema = z.looseObject({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  // EventBridge always sets them; a replayed or hand-made event may not: the alarm ARN in `resources` has both.
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
  time: z.string(),
  detail: z.looseObject({
    alarmName: z.string().check(z.minLength(1)),
    state: StateSchema,
    previousState: z.optional(StateSchema),
    configuration: z.optional(z.looseObject({ description: z.optional(z.string()), metrics: z.optional(z.array(MetricQuerySchema)) })),
  }),
});

/** An alarm state change, with the load balancer and target group its metrics watch. */
export interface AlarmStateChange {
  readonly alarmName: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly previousState?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason?: string;
  readonly time: string;
  readonly loadBalancerArn?: string;
  readonly targetGroupArn?: string;
}

/** True for the changes people need to hear about: into ALARM, and back to OK from ALARM. */
export function isWorthTelling(change: AlarmStateChange): boolean {
  return change.state === 'ALARM' || (change.state === 'OK' && change.previousState === 'ALARM');
}

/** Reads an alarm state change; the ARNs come from the metrics' LoadBalancer and TargetGroup dimensions. */
export function parseAlarmStateChange(input: unknown): AlarmStateChange | { error: string } {
  const parsed = AlarmStateChangeEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `${issue.path.join('.') || 'event'}: ${issue.message}` };
  }
  const { detail, time } = parsed.data;
  const alarmArn = parsed.data.resources?.find((arn) => arn.startsWith('arn:') && arn.includes(':alarm:'))?.split(':');
  const account = parsed.data.account ?? alarmArn?.[4] ?? '';
  const region = parsed.data.region ?? alarmArn?.[3] ?? '';
  const dimensions = (detail.configuration?.metrics ?? []).map((query) => query.metricStat?.metric.dimensions ?? {});
  const lb = dimensions.find((d) => d.LoadBalancer !== undefined)?.LoadBalancer;
  const tg = dimensions.find((d) => d.TargetGroup !== undefined)?.TargetGroup;
  const arn = (resource: string) => `arn:aws:elasticloadbalancing:${region}:${account}:${resource}`;
  return {
    alarmName: detail.alarmName,
    state: detail.state.value,
    previousState: detail.previousState?.value,
    reason: detail.state.reason,
    time: detail.state.timestamp ?? time,
    loadBalancerArn: lb === undefined ? undefined : arn(`loadbalancer/${lb}`),
    targetGroupArn: tg === undefined ? undefined : arn(tg),
  };
}
