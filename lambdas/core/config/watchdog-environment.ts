import * as z from '../zod';

/**
 * The environment the CDK construct gives the watchdog's Lambdas, and the local runner gives the same
 * handlers in the stand-in. One schema, written by `lib/` and read by `lambdas/handlers/`, so the two
 * cannot drift apart.
 */

/** Which load balancers the watchdog guards. */
export const ScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('tag'), key: z.string().check(z.minLength(1)), value: z.optional(z.string()) }),
  z.object({ type: z.literal('arns'), arns: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)) }),
]);
/** Which load balancers the watchdog guards. */
export type Scope = z.infer<typeof ScopeSchema>;

/** Settings of the alarms `sync-alarms` keeps per target group. */
export const AlarmSettingsSchema = z.object({
  /** Width of the anomaly band in standard deviations. */
  bandWidth: z._default(z.number().check(z.positive()), 2),
  /** Consecutive 1-minute periods outside the band before the alarm fires. */
  evaluationPeriods: z._default(z.int().check(z.gte(1)), 3),
  /**
   * The traffic-share alarm fires when one target of a group receives more than this share of its load
   * balancer's requests, derived as (group's requests / load balancer's requests) / healthy hosts.
   */
  maxTargetSharePercent: z._default(z.number().check(z.gte(1), z.lte(100)), 50),
  /** Prefix of every alarm name the watchdog owns (it deletes only alarms with this prefix). */
  alarmNamePrefix: z._default(z.string().check(z.minLength(1)), 'elb-watchdog'),
});
/** Settings of the alarms the watchdog keeps. */
export type AlarmSettings = z.infer<typeof AlarmSettingsSchema>;

/** Names of the environment variables, in one place. */
export const ENV = {
  policy: 'WATCHDOG_POLICY',
  scope: 'WATCHDOG_SCOPE',
  tableName: 'WATCHDOG_TABLE',
  topicArn: 'WATCHDOG_TOPIC_ARN',
  changeQueueUrl: 'WATCHDOG_CHANGE_QUEUE_URL',
  ownRoleNames: 'WATCHDOG_OWN_ROLE_NAMES',
  alarmSettings: 'WATCHDOG_ALARMS',
  accountId: 'WATCHDOG_ACCOUNT_ID',
  memberRoleName: 'WATCHDOG_MEMBER_ROLE_NAME',
  baselineKeyArn: 'WATCHDOG_BASELINE_KEY_ARN',
  /** The handlers' own telemetry (`lambdas/handlers/telemetry`); the construct sets them per function. */
  logLevel: 'WATCHDOG_LOG_LEVEL',
  serviceName: 'WATCHDOG_SERVICE_NAME',
  metricsNamespace: 'WATCHDOG_METRICS_NAMESPACE',
  metricsDisabled: 'WATCHDOG_METRICS_DISABLED',
} as const;

/** Log levels, most verbose first; `SILENT` writes nothing (the local runner's default). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const jsonText = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((text: string, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'is not valid JSON', input: text });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );

/**
 * The watchdog's environment.
 *
 * @example
 * { "WATCHDOG_TABLE": "ElbWatchdogState", "WATCHDOG_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:elb-watchdog",
 *   "WATCHDOG_BASELINE_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
 *   "WATCHDOG_SCOPE": "{\"type\":\"all\"}", "WATCHDOG_OWN_ROLE_NAMES": "ElbWatchdog-OnChangeRole",
 *   "WATCHDOG_POLICY": "{\"version\":1,\"mode\":\"dry-run\"}" }
 */
export const WatchdogEnvironmentSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(3)),
  [ENV.topicArn]: z.string().check(z.minLength(1)),
  /** The KMS HMAC key that signs and checks stored baselines; required: an unsigned baseline is never trusted. */
  [ENV.baselineKeyArn]: z.string().check(z.minLength(1)),
  [ENV.scope]: z._default(jsonText(ScopeSchema), { type: 'all' }),
  /** JSON policy document; validated by the policy module, absent means the default policy. */
  [ENV.policy]: z.optional(z.string()),
  [ENV.changeQueueUrl]: z.optional(z.string()),
  /** Comma-separated IAM role names whose calls are the watchdog's own (never judged: no loops). */
  [ENV.ownRoleNames]: z.pipe(
    z._default(z.string(), ''),
    z.transform((text: string) => text.split(',').map((name) => name.trim()).filter((name) => name.length > 0)),
  ),
  [ENV.alarmSettings]: z._default(jsonText(AlarmSettingsSchema), AlarmSettingsSchema.parse({})),
  /** The account the watchdog runs in; changes of other accounts are read and reverted through their role. */
  [ENV.accountId]: z.optional(z.string().check(z.regex(/^\d{12}$/))),
  /** Multi-account: the role the watchdog assumes in a member account (`ElbWatchdogForwarder`'s revert role). */
  [ENV.memberRoleName]: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  [ENV.logLevel]: z._default(z.enum(LOG_LEVELS), 'INFO'),
  /** The `service` of every log line and the `service` dimension of every metric. */
  [ENV.serviceName]: z._default(z.string().check(z.minLength(1)), 'elb-watchdog'),
  /** The CloudWatch namespace of the handlers' metrics (CloudWatch allows 1-255 characters). */
  [ENV.metricsNamespace]: z._default(z.string().check(z.minLength(1), z.maxLength(255)), 'ElbWatchdog'),
  /** `true`: no metrics are written (the local runner, whose stdout is no log group). */
  [ENV.metricsDisabled]: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((text: 'true' | 'false') => text === 'true'),
  ),
});
/** The watchdog's environment, parsed. */
export type WatchdogEnvironment = z.infer<typeof WatchdogEnvironmentSchema>;
