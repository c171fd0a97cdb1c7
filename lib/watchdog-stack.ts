import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, Node } from 'constructs';
import { ElbWatchdog, type ElbWatchdogProps, type WatchdogMode } from './elb-watchdog';
import type { WatchdogLogLevel } from './watchdog-function';
import { WatchdogScope } from './watchdog-scope';

/** Props of the ready-made stack. */
export interface ElbWatchdogStackProps extends StackProps {
  /**
   * The watchdog's props.
   * @default - the defaults of `ElbWatchdogProps` (dry-run, every load balancer, a new topic, no subscriber)
   */
  readonly watchdog?: ElbWatchdogProps;
  /**
   * The ARN of an existing SNS topic to notify (imported into the stack); ignored when
   * `watchdog.notificationTopic` is set.
   * @default - a new topic
   */
  readonly notificationTopicArn?: string;
}

/** The ready-made stack: one `ElbWatchdog` and outputs naming what a person needs after deploying. */
export class ElbWatchdogStack extends Stack {
  /** The watchdog. */
  public readonly watchdog: ElbWatchdog;

  constructor(scope: Construct, id: string, props: ElbWatchdogStackProps = {}) {
    super(scope, id, { description: 'ELB Watchdog: judges every ELBv2 change within seconds and reverts unsafe ones', ...props });
    const topic =
      props.watchdog?.notificationTopic ??
      (props.notificationTopicArn === undefined ? undefined : sns.Topic.fromTopicArn(this, 'ExistingTopic', props.notificationTopicArn));
    this.watchdog = new ElbWatchdog(this, 'Watchdog', { ...props.watchdog, ...(topic === undefined ? {} : { notificationTopic: topic }) });
    new CfnOutput(this, 'Mode', { value: this.watchdog.policy.mode, description: 'Default mode of the policy' });
    new CfnOutput(this, 'TopicArn', { value: this.watchdog.notifications.topic.topicArn, description: 'Notifications (subscribe here)' });
    new CfnOutput(this, 'StateTableName', { value: this.watchdog.table.table.tableName, description: 'Audit log, last known good, break-glass' });
    new CfnOutput(this, 'BreakGlassOperatorPolicyArn', {
      value: this.watchdog.breakGlassOperatorPolicy.policy.managedPolicyArn,
      description: 'Attach to the people allowed to suspend enforcement (and list them in breakGlassOperators)',
    });
    new CfnOutput(this, 'JudgeRoleName', {
      value: this.watchdog.changePipeline.judge.role.roleName,
      description: 'The role whose ELBv2 calls are the watchdog\'s own reverts',
    });
    new CfnOutput(this, 'ChangeRuleName', {
      value: this.watchdog.changePipeline.rule.ruleName,
      description: 'Emergency stop: aws events disable-rule --name <this> (changes are then not judged at all)',
    });
    if (this.watchdog.dashboard !== undefined) {
      new CfnOutput(this, 'DashboardName', { value: this.watchdog.dashboard.dashboard.dashboardName, description: 'Traffic share per target group' });
    }
  }
}

/** The context keys `bin/app.ts` reads (`cdk deploy -c key=value`). */
export const CONTEXT_KEYS = {
  mode: 'enforce | dry-run | off',
  email: 'e-mail address(es) to notify, comma-separated',
  topicArn: 'an existing SNS topic instead of a new one',
  scopeTag: 'guard load balancers with this tag: key=value or key',
  scopeArns: 'guard these load balancers: ARNs, comma-separated',
  policy: 'path of a YAML or JSON policy file',
  slackWorkspaceId: 'AWS Chatbot Slack workspace id (with slackChannelId)',
  slackChannelId: 'AWS Chatbot Slack channel id (with slackWorkspaceId)',
  logRetentionDays: 'log retention in days (a CloudWatch Logs value, e.g. 30, 90, 365)',
  logLevel: 'DEBUG | INFO | WARN | ERROR',
  tracing: 'true to enable X-Ray',
  memberAccounts: 'member account ids whose forwarded events are judged, comma-separated',
  alarmNamePrefix: 'prefix of the alarms the watchdog owns',
  breakGlassOperators: 'ARNs of the IAM users and roles allowed to suspend enforcement (break-glass), comma-separated',
  centralAccount: 'deploy the member-account forwarder (and revert role) for this central account instead of the watchdog',
} as const;

/** A context value as a list: a JSON array from cdk.json, or a comma-separated string from `-c`. */
function listOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

function stringOf(node: Node, key: keyof typeof CONTEXT_KEYS): string | undefined {
  const value: unknown = node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** What the context configures: the watchdog's props, and an existing topic by ARN. */
export interface WatchdogContext {
  /** The watchdog's props. */
  readonly watchdog: ElbWatchdogProps;
  /** An existing topic's ARN (`topicArn`). */
  readonly notificationTopicArn?: string;
  /** Set in a member account (`centralAccount`): deploy the forwarder instead of the watchdog. */
  readonly centralAccount?: string;
}

/**
 * `ElbWatchdogProps` from CDK context, e.g. `-c mode=enforce -c email=ops@example.com -c scopeTag=watchdog=on
 * -c policy=./policy.yaml`. Throws one error listing every bad key.
 */
export function watchdogContext(node: Node): WatchdogContext {
  const problems: string[] = [];
  const mode = stringOf(node, 'mode');
  if (mode !== undefined && !['enforce', 'dry-run', 'off'].includes(mode)) problems.push(`mode: "${mode}" is not one of enforce, dry-run, off`);

  const scopeTag = stringOf(node, 'scopeTag');
  const scopeArns = listOf(node.tryGetContext('scopeArns'));
  let scope: WatchdogScope | undefined;
  if (scopeTag !== undefined && scopeArns !== undefined) problems.push('scopeTag and scopeArns: give one of them, not both');
  else if (scopeTag !== undefined) {
    const at = scopeTag.indexOf('=');
    scope = at < 0 ? WatchdogScope.byTag(scopeTag) : WatchdogScope.byTag(scopeTag.slice(0, at), scopeTag.slice(at + 1));
  } else if (scopeArns !== undefined) scope = WatchdogScope.loadBalancers(scopeArns);

  const workspace = stringOf(node, 'slackWorkspaceId');
  const channel = stringOf(node, 'slackChannelId');
  if ((workspace === undefined) !== (channel === undefined)) problems.push('slackWorkspaceId and slackChannelId: give both or neither');

  const days = stringOf(node, 'logRetentionDays');
  const retentions = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (days !== undefined && !retentions.includes(Number(days))) problems.push(`logRetentionDays: ${days} is not one of ${retentions.join(', ')}`);

  const logLevel = stringOf(node, 'logLevel');
  if (logLevel !== undefined && !['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(logLevel)) problems.push(`logLevel: "${logLevel}" is not one of DEBUG, INFO, WARN, ERROR`);

  const tracing = stringOf(node, 'tracing');
  if (tracing !== undefined && !['true', 'false'].includes(tracing)) problems.push(`tracing: "${tracing}" is not true or false`);

  if (problems.length > 0) {
    throw new Error(`ElbWatchdog: invalid context:\n  - ${problems.join('\n  - ')}\nKeys: ${Object.keys(CONTEXT_KEYS).join(', ')}`);
  }

  const topicArn = stringOf(node, 'topicArn');
  const centralAccount = stringOf(node, 'centralAccount');
  const prefix = stringOf(node, 'alarmNamePrefix');
  const policy = stringOf(node, 'policy');
  const emails = listOf(node.tryGetContext('email'));
  const members = listOf(node.tryGetContext('memberAccounts'));
  const operators = listOf(node.tryGetContext('breakGlassOperators'));
  const watchdog: ElbWatchdogProps = {
    ...(mode === undefined ? {} : { mode: mode as WatchdogMode }),
    ...(scope === undefined ? {} : { scope }),
    ...(policy === undefined ? {} : { policy }),
    ...(emails === undefined ? {} : { emailAddresses: emails }),
    ...(workspace === undefined || channel === undefined ? {} : { slackChannel: { workspaceId: workspace, channelId: channel } }),
    ...(days === undefined ? {} : { logRetention: Number(days) as logs.RetentionDays }),
    ...(logLevel === undefined ? {} : { logLevel: logLevel as WatchdogLogLevel }),
    ...(tracing === undefined ? {} : { tracing: tracing === 'true' }),
    ...(members === undefined ? {} : { memberAccounts: members }),
    ...(operators === undefined ? {} : { breakGlassOperators: operators }),
    ...(prefix === undefined ? {} : { alarms: { alarmNamePrefix: prefix } }),
  };
  return {
    watchdog,
    ...(topicArn === undefined ? {} : { notificationTopicArn: topicArn }),
    ...(centralAccount === undefined ? {} : { centralAccount }),
  };
}
