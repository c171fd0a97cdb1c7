import { Duration, Fn, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { managedAlarmPrefix } from '../lambdas/core/alarms/desired-alarms';
import { AlarmSettingsSchema, ENV, type AlarmSettings } from '../lambdas/core/config/watchdog-environment';
import type { Policy } from '../lambdas/core/policy';
import { AlarmNotifier } from './alarm-notifier';
import { AlarmSync } from './alarm-sync';
import { AlarmedDeadLetterQueue } from './alarmed-queue';
import { BaselineMacKey } from './baseline-mac-key';
import { BreakGlassOperatorPolicy } from './break-glass-operator-policy';
import { ChangePipeline } from './change-pipeline';
import { DEFAULT_MEMBER_REVERT_ROLE_NAME, validateProps, type ElbWatchdogProps } from './elb-watchdog-props';
import { acknowledgeWildcards, addWildcardStatement } from './nag-acknowledgements';
import { Notifications } from './notifications';
import { elbArnPrefix, grantDescribe, grantRevert } from './revert-permissions';
import { ScheduledAudit } from './scheduled-audit';
import { StateTable } from './state-table';
import { TrafficDashboard } from './traffic-dashboard';
import type { WatchdogFunction } from './watchdog-function';
import { resolvePolicy } from './watchdog-policy';
import { WatchdogScope } from './watchdog-scope';

export { DEFAULT_MEMBER_REVERT_ROLE_NAME, type ElbWatchdogProps, type WatchdogAlarmSettings, type WatchdogMode } from './elb-watchdog-props';

/**
 * ELB Watchdog: judges every ELBv2 change from its CloudTrail event within seconds, reverts unsafe ones
 * (mode `enforce`) or says it would (`dry-run`), keeps anomaly and traffic-share alarms per target group,
 * audits every load balancer hourly, and tells people what happened.
 *
 * Data flow of one change: EventBridge rule (the 14 mutating ELBv2 calls) → `route-change` Lambda → SQS
 * FIFO queue with one message group per load balancer → `on-change` Lambda (partial batch failures) → after
 * repeated failures, an alarmed dead-letter queue. A router sits between the rule and the queue because
 * EventBridge's SQS target only takes a static MessageGroupId, target-group calls name no load balancer,
 * and one target group may serve several load balancers: see `ChangePipeline`.
 *
 * @example
 * new ElbWatchdog(this, 'Watchdog', {
 *   mode: 'dry-run',
 *   scope: WatchdogScope.byTag('watchdog', 'on'),
 *   emailAddresses: ['ops@example.com'],
 * });
 */
export class ElbWatchdog extends Construct {
  /** The validated policy the functions receive (mode applied). */
  public readonly policy: Policy;
  /** The alarm settings the functions receive. */
  public readonly alarmSettings: AlarmSettings;
  /** The scope. */
  public readonly scope: WatchdogScope;
  /** The state table. */
  public readonly table: StateTable;
  /** The KMS HMAC key whose MACs make a stored baseline the watchdog's own. */
  public readonly baselineKey: BaselineMacKey;
  /** The managed policy for people allowed to suspend enforcement (`elb-watchdog break-glass`). */
  public readonly breakGlassOperatorPolicy: BreakGlassOperatorPolicy;
  /** The notification topic and its subscribers. */
  public readonly notifications: Notifications;
  /** Rule → router → FIFO queue → judge. */
  public readonly changePipeline: ChangePipeline;
  /** `sync-alarms`. */
  public readonly alarmSync: AlarmSync;
  /** `on-alarm`. */
  public readonly alarmNotifier: AlarmNotifier;
  /** `audit`. */
  public readonly audit: ScheduledAudit;
  /** Dead letters of every asynchronous invocation and EventBridge target. */
  public readonly failedEvents: AlarmedDeadLetterQueue;
  /** The traffic dashboard, unless disabled. */
  public readonly dashboard?: TrafficDashboard;

  private readonly ownRoleNames: string[] = [];

  constructor(scope: Construct, id: string, props: ElbWatchdogProps = {}) {
    super(scope, id);
    const problems = validateProps(props);
    if (problems.length > 0) throw new Error(`ElbWatchdog ${this.node.path}: invalid props:\n  - ${problems.join('\n  - ')}`);

    this.scope = props.scope ?? WatchdogScope.all();
    this.policy = resolvePolicy(props.policy, props.mode);
    this.alarmSettings = AlarmSettingsSchema.parse({ ...props.alarms });
    const stack = Stack.of(this);
    const settings = { logRetention: props.logRetention, logLevel: props.logLevel, tracing: props.tracing };

    this.table = new StateTable(this, 'State', { removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN });
    this.baselineKey = new BaselineMacKey(this, 'BaselineKey');
    this.notifications = new Notifications(this, 'Notifications', {
      topic: props.notificationTopic,
      emailAddresses: props.emailAddresses,
      slackChannel: props.slackChannel,
    });
    const topic = this.notifications.topic;
    this.failedEvents = new AlarmedDeadLetterQueue(this, 'FailedEvents', {
      fifo: false,
      description: 'events an EventBridge target or an asynchronous invocation failed to process, and queued events route-change or the alarm sync failed on every receive',
      topic,
      // The incoming change queue and the alarm sync's nudge queue redrive here.
      isRedriveTarget: true,
    });

    const environment: Record<string, string> = {
      [ENV.tableName]: this.table.table.tableName,
      [ENV.topicArn]: topic.topicArn,
      [ENV.baselineKeyArn]: this.baselineKey.key.keyArn,
      [ENV.scope]: stack.toJsonString(this.scope.toScope()),
      [ENV.policy]: JSON.stringify(this.policy),
      // Resolved after every function exists: the judge's own role name is in its own environment.
      [ENV.ownRoleNames]: Lazy.string({ produce: () => Fn.join(',', this.ownRoleNames) }),
      [ENV.alarmSettings]: JSON.stringify(this.alarmSettings),
      // Changes of other accounts (forwarded by members) are read and reverted with the member's role.
      [ENV.accountId]: stack.account,
      ...(props.memberAccounts !== undefined && props.memberAccounts.length > 0
        ? { [ENV.memberRoleName]: props.memberRevertRoleName ?? DEFAULT_MEMBER_REVERT_ROLE_NAME }
        : {}),
    };

    this.changePipeline = new ChangePipeline(this, 'Changes', {
      ...settings,
      environment,
      topic,
      failedEvents: this.failedEvents.queue,
      eventBus: props.eventBus,
      maxConcurrency: props.maxConcurrency,
      maxReceiveCount: props.maxReceiveCount,
    });
    this.alarmSync = new AlarmSync(this, 'AlarmSync', {
      ...settings,
      environment,
      alarmNamePrefix: this.alarmSettings.alarmNamePrefix,
      failedEvents: this.failedEvents.queue,
      schedule: props.alarmSyncSchedule ?? events.Schedule.rate(Duration.minutes(15)),
      eventBus: props.eventBus,
    });
    this.alarmNotifier = new AlarmNotifier(this, 'AlarmNotifier', {
      ...settings,
      environment,
      // Only the per-target-group alarms: the DLQ alarms notify the topic directly.
      alarmNamePrefix: managedAlarmPrefix(this.alarmSettings),
      failedEvents: this.failedEvents.queue,
    });
    this.audit = new ScheduledAudit(this, 'Audit', {
      ...settings,
      environment,
      schedule: props.auditSchedule ?? events.Schedule.rate(Duration.hours(1)),
      failedEvents: this.failedEvents.queue,
    });

    this.grantJudge(this.changePipeline.judge, stack, props);
    this.grantReader(this.alarmNotifier.handler, { writeState: false });
    this.grantReader(this.audit.handler, { writeState: true });
    // Only the two functions that store baselines may write the table (and sign and check baselines).
    this.table.restrictWrites({ watchdogRoles: [this.changePipeline.judge.role, this.audit.handler.role], breakGlassOperators: props.breakGlassOperators ?? [] });
    this.breakGlassOperatorPolicy = new BreakGlassOperatorPolicy(this, 'BreakGlassOperators', {
      table: this.table.table,
      topic,
      topicKey: this.notifications.key,
      operators: props.breakGlassOperators,
    });

    if (props.memberAccounts !== undefined && props.memberAccounts.length > 0) {
      this.allowMemberAccounts(props.memberAccounts, props.eventBus);
    }

    if (props.dashboard !== false) {
      const arns = this.scope.toScope();
      this.dashboard = new TrafficDashboard(this, 'Dashboard', {
        loadBalancerArns: arns.type === 'arns' ? arns.arns : [],
        deadLetterQueues: [this.changePipeline.deadLetters.queue, this.failedEvents.queue],
        functions: this.functions.map((fn) => fn.function),
      });
    }

    this.node.addValidation({ validate: () => this.validateEnvironmentSize(environment) });
  }

  /** Every function of the watchdog. */
  public get functions(): WatchdogFunction[] {
    return [this.changePipeline.router, this.changePipeline.judge, this.alarmSync.handler, this.alarmNotifier.handler, this.audit.handler];
  }

  /** The roles whose ELBv2 calls are the watchdog's own (`WATCHDOG_OWN_ROLE_NAMES`). */
  public get ownRoles(): readonly string[] {
    return [...this.ownRoleNames];
  }

  /** `on-change`: reads, reverts within scope, records state, notifies; assumes member accounts' revert roles. */
  private grantJudge(judge: WatchdogFunction, stack: Stack, props: ElbWatchdogProps): void {
    const role = judge.role;
    grantDescribe(role);
    grantRevert(role, this.scope, [elbArnPrefix(stack.partition, stack.region, stack.account)]);
    this.table.table.grantReadWriteData(role);
    this.baselineKey.grantSignAndVerify(role);
    this.grantPublish(role);
    // One GetMetricData call per change that can move traffic: the load it moves (capacity-headroom).
    addWildcardStatement(
      role,
      new iam.PolicyStatement({ sid: 'ReadTrafficMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
      'cloudwatch:GetMetricData supports no resource-level permissions: AWS requires Resource "*". Read-only.',
    );
    this.ownRoleNames.push(role.roleName);

    const members = props.memberAccounts ?? [];
    if (members.length > 0) {
      const roleName = props.memberRevertRoleName ?? DEFAULT_MEMBER_REVERT_ROLE_NAME;
      const assume = new iam.PolicyStatement({
        sid: 'AssumeMemberRevertRoles',
        actions: ['sts:AssumeRole'],
        resources: members.map((account) => `arn:${stack.partition}:iam::${account}:role/${roleName}`),
      });
      role.addToPrincipalPolicy(assume);
      // The router reads a member's target groups to find their load balancers.
      this.changePipeline.router.role.addToPrincipalPolicy(assume);
      // Reverts in member accounts are made by their revert role: its events must be recognised as ours too.
      this.ownRoleNames.push(roleName);
    }
  }

  /** `on-alarm` and `audit`: read ELBv2 and metrics, read (or write) state, notify. */
  private grantReader(fn: WatchdogFunction, options: { writeState: boolean }): void {
    grantDescribe(fn.role);
    addWildcardStatement(
      fn.role,
      new iam.PolicyStatement({ sid: 'ReadTrafficMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
      'cloudwatch:GetMetricData supports no resource-level permissions: AWS requires Resource "*". Read-only.',
    );
    if (options.writeState) {
      this.table.table.grantReadWriteData(fn.role);
      this.baselineKey.grantSignAndVerify(fn.role);
      // The audit finishes a revert a crashed or failed on-change run left in the outbox: the same rights,
      // and its calls are the watchdog's own (never judged as someone's change).
      grantRevert(fn.role, this.scope, [elbArnPrefix(Stack.of(this).partition, Stack.of(this).region, Stack.of(this).account)]);
      this.ownRoleNames.push(fn.role.roleName);
    } else this.table.table.grantReadData(fn.role);
    this.grantPublish(fn.role);
  }

  /** sns:Publish on the topic, and for our own topic the key's data-key calls SNS encryption needs. */
  private grantPublish(role: iam.IRole): void {
    this.notifications.topic.grantPublish(role);
    if (this.notifications.key !== undefined) {
      acknowledgeWildcards(
        role,
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey*'], resources: [this.notifications.key.keyArn] }),
        'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* (CDK grantPublish), on the topic\'s own key only.',
      );
    }
  }

  /** Member accounts may put their forwarded ELBv2 events on the bus. */
  private allowMemberAccounts(accounts: readonly string[], bus: events.IEventBus | undefined): void {
    accounts.forEach((account, index) => {
      new events.CfnEventBusPolicy(this, `AllowMember${index}`, {
        eventBusName: bus?.eventBusName ?? 'default',
        statementId: `ElbWatchdogMember${account}`,
        statement: {
          Effect: 'Allow',
          Principal: { AWS: `arn:${Stack.of(this).partition}:iam::${account}:root` },
          Action: 'events:PutEvents',
          Resource: bus?.eventBusArn ?? `arn:${Stack.of(this).partition}:events:${Stack.of(this).region}:${Stack.of(this).account}:event-bus/default`,
        },
      });
    });
  }

  /** Lambda caps the environment at 4 KB; the policy is the variable that grows. */
  private validateEnvironmentSize(environment: Record<string, string>): string[] {
    const literal = Object.entries(environment).filter(([, value]) => !Token.isUnresolved(value));
    const bytes = literal.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    // Tokens (table name, topic ARN, role names, queue URL) resolve to at most ~600 bytes together.
    return bytes + 600 > 4096 ? [`the functions' environment would exceed Lambda's 4 KB limit (${bytes} bytes before tokens): shorten the policy or the scope`] : [];
  }
}
