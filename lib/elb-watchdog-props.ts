import type { RemovalPolicy } from 'aws-cdk-lib';
import { Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmSettingsSchema, type AlarmSettings } from '../lambdas/core/config/watchdog-environment';
import type { Mode } from '../lambdas/core/policy/verdict';
import * as z from '../lambdas/core/zod';
import { validateNotifications, type SlackChannelProps } from './notifications';
import type { WatchdogLogLevel } from './watchdog-function';
import type { WatchdogPolicyInput } from './watchdog-policy';
import { WatchdogScope } from './watchdog-scope';

/** How the watchdog acts on a blocked change: revert it, only say it would, or not judge at all. */
export type WatchdogMode = Mode;

/** Settings of the alarms `sync-alarms` keeps per target group (all optional; see `AlarmSettingsSchema`). */
export interface WatchdogAlarmSettings {
  /**
   * Width of the anomaly band in standard deviations.
   * @default 2
   */
  readonly bandWidth?: number;
  /**
   * Consecutive 1-minute periods outside the band before an alarm fires.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * The traffic-share alarm fires when one target of a group receives more than this share of its load
   * balancer's requests, derived as (group's requests / load balancer's requests) / healthy hosts.
   * @default 50
   */
  readonly maxTargetSharePercent?: number;
  /**
   * Prefix of every alarm the watchdog owns: it creates, and deletes, only alarms whose names start with it.
   * Letters, digits, `.`, `_` and `-`; it also scopes the IAM policy (`alarm:PREFIX*`).
   * @default 'elb-watchdog'
   */
  readonly alarmNamePrefix?: string;
}

/** Compile-time guard: the props name exactly the schema's settings (a renamed setting fails to compile here). */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const alarmSettingsMatchSchema: SameKeys<Required<WatchdogAlarmSettings>, AlarmSettings> = true;
void alarmSettingsMatchSchema;

/** Props of `ElbWatchdog`. */
export interface ElbWatchdogProps {
  /**
   * The mode for every load balancer in scope, replacing the policy's own `mode` (per-load-balancer
   * overrides in the policy still apply). Start with `dry-run`; switch to `enforce` when its notifications
   * have been right for a while.
   * @default - the policy's mode; `dry-run` with the default policy
   */
  readonly mode?: WatchdogMode;
  /**
   * The policy: an object, or the path of a YAML or JSON policy file (relative to the working directory of
   * `cdk synth`). Validated at synth time; an invalid policy fails the synth with the offending field.
   * @default - the default policy (no target above 50% of a path, no cut of healthy targets by more than half,
   *   forward actions must reach a registered target)
   */
  readonly policy?: WatchdogPolicyInput;
  /**
   * Which load balancers are guarded. Also bounds what the revert may modify (IAM).
   * @default WatchdogScope.all()
   */
  readonly scope?: WatchdogScope;
  /**
   * An existing SNS topic for notifications.
   * @default - a new topic encrypted with a new KMS key
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * E-mail addresses to subscribe to the topic.
   * @default - none
   */
  readonly emailAddresses?: readonly string[];
  /**
   * A Slack channel (AWS Chatbot) to receive the notifications.
   * @default - none
   */
  readonly slackChannel?: SlackChannelProps;
  /**
   * Settings of the per-target-group alarms.
   * @default - the defaults of `WatchdogAlarmSettings`
   */
  readonly alarms?: WatchdogAlarmSettings;
  /**
   * Retention of the functions' logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The functions' log level.
   * @default 'INFO'
   */
  readonly logLevel?: WatchdogLogLevel;
  /**
   * Active X-Ray tracing on every function.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * How often `audit` evaluates every load balancer in scope.
   * @default events.Schedule.rate(Duration.hours(1))
   */
  readonly auditSchedule?: events.Schedule;
  /**
   * How often `sync-alarms` reconciles the alarms even without a target-group event.
   * @default events.Schedule.rate(Duration.minutes(15))
   */
  readonly alarmSyncSchedule?: events.Schedule;
  /**
   * At most this many `on-change` invocations at once (2–1000), also reserved for it. Each judges up to 10
   * load balancers at once and keeps its ELBv2 calls to 40 tokens and 5 per second: raising this raises the
   * watchdog's share of the account's ELB API buckets (40 tokens, 10 per second refill).
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Deliveries of a change before it moves to the change dead-letter queue (1–1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * What happens to the state table (audit trail, last known good) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * The event bus the ELBv2 CloudTrail events arrive on: the account's default bus, where CloudTrail and
   * `ElbWatchdogForwarder` deliver them.
   * @default - the default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Member accounts whose ELBv2 changes this watchdog judges (multi-account): they may put events on the
   * bus, and `on-change` may assume their revert role (`memberRevertRoleName`, see `ElbWatchdogForwarder`).
   * @default - this account only
   */
  readonly memberAccounts?: readonly string[];
  /**
   * Name of the revert role in each member account.
   * @default ElbWatchdogForwarder.DEFAULT_REVERT_ROLE_NAME ('ElbWatchdogRevert')
   */
  readonly memberRevertRoleName?: string;
  /**
   * Create the traffic-share dashboard.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * ARNs of the IAM users and roles (of this account) allowed to suspend enforcement with
   * `elb-watchdog break-glass`: the break-glass operator policy is attached to each, and the state table's
   * resource policy lets them, and nobody else, write break-glass items.
   * @default - nobody: a break-glass is refused in AWS until operators are named
   */
  readonly breakGlassOperators?: readonly string[];
}

const MODES: readonly string[] = ['enforce', 'dry-run', 'off'];
const ALARM_PREFIX = /^[A-Za-z0-9._-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const OPERATOR_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]{1,512}$/;

/** The default name of the revert role in member accounts. */
export const DEFAULT_MEMBER_REVERT_ROLE_NAME = 'ElbWatchdogRevert';

/** Problems with the props that cannot change after construction, as messages naming the prop. */
export function validateProps(props: ElbWatchdogProps): string[] {
  const problems: string[] = [];
  if (props.mode !== undefined && !MODES.includes(props.mode)) problems.push(`mode: "${String(props.mode)}" is not one of ${MODES.join(', ')}`);
  problems.push(...(props.scope ?? WatchdogScope.all()).validate());
  problems.push(...validateNotifications({ emailAddresses: props.emailAddresses, slackChannel: props.slackChannel }));
  const alarms = z.strictObject(AlarmSettingsSchema.shape).safeParse({ ...props.alarms });
  if (!alarms.success) {
    for (const issue of alarms.error.issues) problems.push(`alarms${issue.path.map((key) => `.${String(key)}`).join('')}: ${issue.message}`);
  }
  const prefix = props.alarms?.alarmNamePrefix;
  if (prefix !== undefined && !ALARM_PREFIX.test(prefix)) {
    problems.push(`alarms.alarmNamePrefix: "${prefix}" must be 1-64 letters, digits, ".", "_" or "-" (it is also an IAM resource pattern)`);
  }
  if (props.maxConcurrency !== undefined && !(Number.isInteger(props.maxConcurrency) && props.maxConcurrency >= 2 && props.maxConcurrency <= 1000)) {
    problems.push(`maxConcurrency: ${props.maxConcurrency} must be an integer from 2 to 1000 (an SQS event source's limit)`);
  }
  if (props.maxReceiveCount !== undefined && !(Number.isInteger(props.maxReceiveCount) && props.maxReceiveCount >= 1 && props.maxReceiveCount <= 1000)) {
    problems.push(`maxReceiveCount: ${props.maxReceiveCount} must be an integer from 1 to 1000`);
  }
  (props.memberAccounts ?? []).forEach((account, index) => {
    if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) problems.push(`memberAccounts[${index}]: "${account}" is not a 12-digit account id`);
  });
  (props.breakGlassOperators ?? []).forEach((arn, index) => {
    if (!Token.isUnresolved(arn) && !OPERATOR_ARN.test(arn)) problems.push(`breakGlassOperators[${index}]: "${arn}" is not an IAM user or role ARN (arn:aws:iam::ACCOUNT:user/NAME or role/NAME)`);
  });
  if (props.memberRevertRoleName !== undefined && !ROLE_NAME.test(props.memberRevertRoleName)) {
    problems.push(`memberRevertRoleName: "${props.memberRevertRoleName}" is not a valid IAM role name`);
  }
  return problems;
}
