import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_MEMBER_REVERT_ROLE_NAME } from './elb-watchdog-props';
import { forwardedEventPattern } from './event-patterns';
import { elbArnPrefix, grantDescribe, grantRevert } from './revert-permissions';
import { WatchdogScope } from './watchdog-scope';

/** Props of `ElbWatchdogForwarder`. */
export interface ElbWatchdogForwarderProps {
  /** The account the central `ElbWatchdog` runs in (it lists this account in `memberAccounts`). */
  readonly centralAccount: string;
  /**
   * The central watchdog's event bus.
   * @default - the default bus of `centralAccount` in this stack's Region
   */
  readonly centralEventBusArn?: string;
  /**
   * The central watchdog's scope: bounds what the revert role may modify, exactly as in the central account.
   * @default WatchdogScope.all()
   */
  readonly scope?: WatchdogScope;
  /**
   * Create the revert role the central watchdog assumes. IAM roles are global: in an account with
   * forwarders in several Regions, create it in one of them and list the Regions in `revertRegions`.
   * @default true
   */
  readonly createRevertRole?: boolean;
  /**
   * Name of the revert role (the central watchdog's `memberRevertRoleName`).
   * @default 'ElbWatchdogRevert'
   */
  readonly revertRoleName?: string;
  /**
   * Regions in which the revert role may act.
   * @default - this stack's Region
   */
  readonly revertRegions?: readonly string[];
  /**
   * Only these principals of the central account may assume the revert role (`aws:PrincipalArn`,
   * wildcards allowed), e.g. `arn:aws:iam::111111111111:role/ElbWatchdog-*`.
   * @default - any principal the central account's own IAM policies allow (only the watchdog's judge role
   *   is granted sts:AssumeRole on it by the construct)
   */
  readonly trustedPrincipalArns?: readonly string[];
}

/**
 * For member accounts of a multi-account setup: forwards this account's ELBv2 CloudTrail events (the
 * mutating calls and the target-group calls `sync-alarms` listens to) to the central watchdog's event bus,
 * and creates the revert role the central `on-change` assumes to restore a load balancer here. The role's
 * permissions are the central watchdog's revert permissions, statement for statement, plus the Describe
 * calls. Deploy it in every Region with load balancers to guard (CloudTrail events are regional).
 */
export class ElbWatchdogForwarder extends Construct {
  /** The default name of the revert role. */
  public static readonly DEFAULT_REVERT_ROLE_NAME = DEFAULT_MEMBER_REVERT_ROLE_NAME;

  /** The forwarding rule. */
  public readonly rule: events.Rule;
  /** Events the central bus refused, kept 14 days. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The revert role, when created. */
  public readonly revertRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ElbWatchdogForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(props.centralAccount) && !/^\d{12}$/.test(props.centralAccount)) {
      throw new Error(`ElbWatchdogForwarder ${this.node.path}: centralAccount "${props.centralAccount}" is not a 12-digit account id`);
    }
    const watchdogScope = props.scope ?? WatchdogScope.all();
    const problems = watchdogScope.validate();
    if (problems.length > 0) throw new Error(`ElbWatchdogForwarder ${this.node.path}: invalid props:\n  - ${problems.join('\n  - ')}`);

    const busArn = props.centralEventBusArn ?? `arn:${stack.partition}:events:${stack.region}:${props.centralAccount}:event-bus/default`;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the forwarding rule target (EventBridge DLQ wiring cdk-nag does not recognise).',
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'ELB Watchdog: forward ELBv2 CloudTrail events to the central watchdog',
      eventPattern: forwardedEventPattern(),
      targets: [
        new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', busArn), { deadLetterQueue: this.deadLetterQueue }),
      ],
    });

    if (props.createRevertRole !== false) {
      const trusted = new iam.AccountPrincipal(props.centralAccount);
      this.revertRole = new iam.Role(this, 'RevertRole', {
        roleName: props.revertRoleName ?? DEFAULT_MEMBER_REVERT_ROLE_NAME,
        description: 'ELB Watchdog: lets the central watchdog restore load balancers of this account',
        maxSessionDuration: Duration.hours(1),
        assumedBy:
          props.trustedPrincipalArns === undefined
            ? trusted
            : trusted.withConditions({ ArnLike: { 'aws:PrincipalArn': [...props.trustedPrincipalArns] } }),
      });
      grantDescribe(this.revertRole);
      const regions = props.revertRegions ?? [stack.region];
      grantRevert(this.revertRole, watchdogScope, regions.map((region) => elbArnPrefix(stack.partition, region, stack.account)));
    }
  }
}
