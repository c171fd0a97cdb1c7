import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/core/config/watchdog-environment';
import { AlarmedDeadLetterQueue } from './alarmed-queue';
import { changeEventPattern } from './event-patterns';
import { addWildcardStatement } from './nag-acknowledgements';
import { DESCRIBE_WILDCARD_REASON } from './revert-permissions';
import { functionSettingsOf, WatchdogFunction, type WatchdogFunctionSettings } from './watchdog-function';

/** Props of the change pipeline. */
export interface ChangePipelineProps extends WatchdogFunctionSettings {
  /** The environment both functions share (`WatchdogEnvironmentSchema`). */
  readonly environment: Record<string, string>;
  /** Where the DLQ alarms notify. */
  readonly topic: sns.ITopic;
  /** Dead letters of the rule's target and of events route-change failed on every receive (standard queue). */
  readonly failedEvents: sqs.IQueue;
  /** The bus CloudTrail's ELBv2 events arrive on. */
  readonly eventBus?: events.IEventBus;
  /**
   * Concurrent `on-change` invocations: the event source's maximum concurrency and the function's reserved
   * concurrency. Each invocation judges up to 10 load balancers at once (a batch's FIFO groups), and each
   * environment spends at most its share of the account's ELBv2 API buckets (`WATCHDOG_ELBV2_SHARE`).
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Deliveries of one change before it moves to the change DLQ.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/** `on-change` invocations at once, unless the props say otherwise (see the constructor). */
const ON_CHANGE_CONCURRENCY = 2;
/** `route-change`'s timeout; its queue's visibility timeout is six times it. */
const ROUTER_TIMEOUT = Duration.seconds(30);
/** `on-change`'s timeout; the queue's visibility timeout is six times it, as AWS advises for SQS event sources. */
const ON_CHANGE_TIMEOUT = Duration.seconds(60);

/**
 * From an ELBv2 API call to its verdict:
 *
 * ```
 * EventBridge rule (14 mutating calls) ─► SQS incoming (standard) ─► route-change (batches of 10, partial
 *   batch failures; after 5 receives: the failed-events DLQ) ─► SQS FIFO, one message group per load
 *   balancer ─► on-change (batches of 10, partial batch failures) ─► after 5 receives: the change DLQ (FIFO), alarmed
 * ```
 *
 * Why a router Lambda between the rule and the queue: changes to one load balancer must be judged in order
 * and never concurrently, so the FIFO message group must be the load balancer. EventBridge's SQS target takes
 * only a static `MessageGroupId` (at most 100 characters), target-group calls (RegisterTargets,
 * DeregisterTargets, Modify/DeleteTargetGroup) carry no load balancer ARN at all, and one target group may
 * serve several load balancers. `route-change` resolves the load balancers (DescribeTargetGroups) and sends
 * one message per load balancer, with `MessageGroupId` = the load balancer ARN and `MessageDeduplicationId` =
 * eventID + load balancer, so CloudTrail's duplicate deliveries collapse within SQS's 5-minute window
 * (content-based deduplication is off: the body of a duplicate need not be byte-identical).
 */
export class ChangePipeline extends Construct {
  /** The EventBridge rule on the mutating ELBv2 calls. */
  public readonly rule: events.Rule;
  /** The rule's events, waiting for `route-change`. */
  public readonly incoming: sqs.Queue;
  /** `route-change`. */
  public readonly router: WatchdogFunction;
  /** The FIFO queue of changes, grouped per load balancer. */
  public readonly queue: sqs.Queue;
  /** `on-change`, the judge. */
  public readonly judge: WatchdogFunction;
  /** Where changes go after `maxReceiveCount` failed deliveries. */
  public readonly deadLetters: AlarmedDeadLetterQueue;

  constructor(scope: Construct, id: string, props: ChangePipelineProps) {
    super(scope, id);
    const settings = functionSettingsOf(props);

    this.deadLetters = new AlarmedDeadLetterQueue(this, 'DeadLetters', {
      fifo: true,
      description: 'changes on-change failed to judge after every retry',
      topic: props.topic,
      isRedriveTarget: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: false,
      // High-throughput FIFO: deduplication and throughput per message group, i.e. per load balancer.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(ON_CHANGE_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    // A queue, not an asynchronous invocation, between the rule and the router: a burst of changes (a pipeline,
    // 20 flips in a second, 100 Auto Scaling calls) is handled in batches by at most 2 environments, where
    // asynchronous invocations started one environment per event, each a cold start, each slower on a busy
    // host. The visibility timeout is six times the router's timeout, as Lambda advises for SQS sources.
    this.incoming = new sqs.Queue(this, 'Incoming', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(ROUTER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: props.failedEvents, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.router = new WatchdogFunction(this, 'Router', {
      ...settings,
      handlerName: 'route-change',
      environment: { ...props.environment, [ENV.changeQueueUrl]: this.queue.queueUrl },
      timeout: ROUTER_TIMEOUT,
      memorySize: 256,
    });
    this.router.function.addEventSource(
      new eventsources.SqsEventSource(this.incoming, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // The mapping's minimum (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
        maxConcurrency: 2,
      }),
    );
    this.queue.grantSendMessages(this.router.role);
    addWildcardStatement(
      this.router.role,
      new iam.PolicyStatement({
        sid: 'ResolveLoadBalancersOfTargetGroups',
        actions: ['elasticloadbalancing:DescribeTargetGroups'],
        resources: ['*'],
      }),
      DESCRIBE_WILDCARD_REASON,
    );

    this.rule = new events.Rule(this, 'Rule', {
      description: 'ELB Watchdog: every mutating ELBv2 API call, as CloudTrail records it',
      eventPattern: changeEventPattern(),
      ...(props.eventBus === undefined ? {} : { eventBus: props.eventBus }),
    });
    this.rule.addTarget(
      new targets.SqsQueue(this.incoming, {
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: props.failedEvents,
      }),
    );

    // Sized for a burst of changes to many load balancers (issue 16), politely (issue 11):
    // - batches of 10, the most a FIFO event source takes, and no batching window (FIFO has none): a batch may
    //   hold several message groups, i.e. load balancers, which on-change judges concurrently, so one
    //   invocation judges up to 10 load balancers at once and 2 judge a burst across 20 in one round
    //   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html,
    //   https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html);
    // - 2 concurrent invocations (the event source's minimum): each environment's ELBv2 client keeps to 40
    //   tokens and 5/s (WATCHDOG_ELBV2_SHARE), half the account's 10/s refill, so the judges together reach
    //   the account's whole refill only when both are busy (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html);
    // - reserved concurrency equal to the maximum concurrency, as AWS advises ("make sure that the function's
    //   reserved concurrency is greater than or equal to the total maximum concurrency"): the judge can always
    //   run, also when other functions use up the account's concurrency, and never runs more than that.
    const concurrency = props.maxConcurrency ?? ON_CHANGE_CONCURRENCY;
    this.judge = new WatchdogFunction(this, 'Judge', {
      ...settings,
      handlerName: 'on-change',
      environment: props.environment,
      timeout: ON_CHANGE_TIMEOUT,
      reservedConcurrency: concurrency,
    });
    this.judge.function.addEventSource(
      new eventsources.SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: concurrency,
      }),
    );
  }
}
