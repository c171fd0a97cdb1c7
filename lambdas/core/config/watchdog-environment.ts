import * as z from 'zod';

/**
 * The environment the CDK construct gives the watchdog's Lambdas, and the local runner gives the same
 * handlers in the stand-in. One schema, written by `lib/` and read by `lambdas/handlers/`, so the two
 * cannot drift apart.
 */

/** Which load balancers the watchdog guards. */
export const ScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('tag'), key: z.string().min(1), value: z.string().optional() }),
  z.object({ type: z.literal('arns'), arns: z.array(z.string().min(1)).min(1) }),
]);
/** Which load balancers the watchdog guards. */
export type Scope = z.infer<typeof ScopeSchema>;

/** Settings of the alarms `sync-alarms` keeps per target group. */
export const AlarmSettingsSchema = z.object({
  /** Width of the anomaly band in standard deviations. */
  bandWidth: z.number().positive().default(2),
  /** Consecutive 1-minute periods outside the band before the alarm fires. */
  evaluationPeriods: z.number().int().min(1).default(3),
  /**
   * The traffic-share alarm fires when one target of a group receives more than this share of its load
   * balancer's requests, derived as (group's requests / load balancer's requests) / healthy hosts.
   */
  maxTargetSharePercent: z.number().min(1).max(100).default(50),
  /** Prefix of every alarm name the watchdog owns (it deletes only alarms with this prefix). */
  alarmNamePrefix: z.string().min(1).default('elb-watchdog'),
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
} as const;

const jsonText = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

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
  [ENV.tableName]: z.string().min(3),
  [ENV.topicArn]: z.string().min(1),
  /** The KMS HMAC key that signs and checks stored baselines; required: an unsigned baseline is never trusted. */
  [ENV.baselineKeyArn]: z.string().min(1),
  [ENV.scope]: jsonText(ScopeSchema).default({ type: 'all' }),
  /** JSON policy document; validated by the policy module, absent means the default policy. */
  [ENV.policy]: z.string().optional(),
  [ENV.changeQueueUrl]: z.string().optional(),
  /** Comma-separated IAM role names whose calls are the watchdog's own (never judged: no loops). */
  [ENV.ownRoleNames]: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((name) => name.trim()).filter((name) => name.length > 0)),
  [ENV.alarmSettings]: jsonText(AlarmSettingsSchema).default(AlarmSettingsSchema.parse({})),
  /** The account the watchdog runs in; changes of other accounts are read and reverted through their role. */
  [ENV.accountId]: z.string().regex(/^\d{12}$/).optional(),
  /** Multi-account: the role the watchdog assumes in a member account (`ElbWatchdogForwarder`'s revert role). */
  [ENV.memberRoleName]: z.string().min(1).max(64).optional(),
});
/** The watchdog's environment, parsed. */
export type WatchdogEnvironment = z.infer<typeof WatchdogEnvironmentSchema>;
