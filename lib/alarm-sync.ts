import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_SYNC_EVENT_NAMES, elbApiCallPattern } from './event-patterns';
import { addWildcardStatement } from './nag-acknowledgements';
import { grantDescribe } from './revert-permissions';
import { functionSettingsOf, WatchdogFunction, type WatchdogFunctionSettings } from './watchdog-function';

/** Props of the alarm synchroniser. */
export interface AlarmSyncProps extends WatchdogFunctionSettings {
  /** The environment (`WatchdogEnvironmentSchema`). */
  readonly environment: Record<string, string>;
  /** Prefix of every alarm the watchdog owns; the function may create and delete only alarms with it. */
  readonly alarmNamePrefix: string;
  /** Dead letters of the asynchronous invocations, and of nudges that failed every receive. */
  readonly failedEvents: sqs.IQueue;
  /** How often the alarms are reconciled with the target groups even without a change event. */
  readonly schedule: events.Schedule;
  /** The bus CloudTrail's ELBv2 events arrive on. */
  readonly eventBus?: events.IEventBus;
}

/**
 * How long change events gather in the nudge queue before one reconcile handles them all. A pipeline or a
 * burst of 20 flips sends dozens of events within seconds; each used to start its own full reconcile (3
 * ELBv2 reads, in the account's bucket the reverts need, and a cold start each in a burst). One reconcile
 * per window does the same work: the events are only nudges.
 */
export const ALARM_SYNC_BATCHING_WINDOW = Duration.seconds(5);

/**
 * `sync-alarms`: keeps one anomaly alarm and one traffic-share alarm per target group and load balancer.
 * Runs when a target group appears, goes or gets targets, or a listener or rule changes (CloudTrail), and on
 * a schedule. Change events go to a queue that the function drains in batches (up to 100 events gathered for
 * `ALARM_SYNC_BATCHING_WINDOW`), so a burst of changes costs one reconcile, not one per change
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html#sqs-batching-window).
 */
export class AlarmSync extends Construct {
  /** The function. */
  public readonly handler: WatchdogFunction;
  /** Change events waiting for the next reconcile. */
  public readonly nudges: sqs.Queue;

  constructor(scope: Construct, id: string, props: AlarmSyncProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.handler = new WatchdogFunction(this, 'Handler', {
      ...functionSettingsOf(props),
      handlerName: 'sync-alarms',
      environment: props.environment,
      // Creating a few hundred alarms at PutMetricAlarm's 3 TPS takes minutes.
      timeout: Duration.minutes(10),
      memorySize: 256,
      onFailure: props.failedEvents,
    });
    const role = this.handler.role;
    grantDescribe(role);
    addWildcardStatement(
      role,
      new iam.PolicyStatement({
        sid: 'ManageOwnAlarms',
        actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:ListTagsForResource'],
        resources: [`arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${props.alarmNamePrefix}*`],
      }),
      'Alarm writes are limited to the alarms whose names start with the watchdog\'s prefix; the target groups ' +
        '(and so the alarm names) come and go at run time.',
    );
    addWildcardStatement(
      role,
      new iam.PolicyStatement({
        sid: 'ListAlarmsAndManageAnomalyModels',
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:PutAnomalyDetector', 'cloudwatch:DeleteAnomalyDetector', 'cloudwatch:DescribeAnomalyDetectors'],
        resources: ['*'],
      }),
      'Anomaly detectors have no ARN (AWS requires Resource "*" for Put/Delete/DescribeAnomalyDetector(s)); ' +
        'DescribeAlarms lists by name prefix, which is authorised on "*". The handler deletes only models behind its own alarms.',
    );

    const target = new targets.LambdaFunction(this.handler.function, {
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: props.failedEvents,
    });
    // Lambda's advice for an SQS source: a visibility timeout of at least six times the function's timeout.
    // A nudge that fails every receive goes to the failed events; the schedule reconciles anyway.
    this.nudges = new sqs.Queue(this, 'Nudges', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(60),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: props.failedEvents, maxReceiveCount: 3 },
    });
    new events.Rule(this, 'OnTargetGroupChange', {
      description: 'ELB Watchdog: target groups created, deleted or given targets; listeners and rules changed',
      eventPattern: elbApiCallPattern(ALARM_SYNC_EVENT_NAMES),
      ...(props.eventBus === undefined ? {} : { eventBus: props.eventBus }),
      targets: [new targets.SqsQueue(this.nudges, { deadLetterQueue: props.failedEvents, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    // The mapping's minimum concurrency is 2 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html);
    // reconciles are idempotent, so two at once only repeat reads.
    this.handler.function.addEventSource(
      new eventsources.SqsEventSource(this.nudges, {
        batchSize: 100,
        maxBatchingWindow: ALARM_SYNC_BATCHING_WINDOW,
        maxConcurrency: 2,
      }),
    );
    new events.Rule(this, 'Schedule', {
      description: 'ELB Watchdog: reconcile alarms with target groups',
      schedule: props.schedule,
      targets: [target],
    });
  }
}
