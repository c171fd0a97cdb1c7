import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
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
  /** Dead letters of the asynchronous invocations. */
  readonly failedEvents: sqs.IQueue;
  /** How often the alarms are reconciled with the target groups even without a change event. */
  readonly schedule: events.Schedule;
  /** The bus CloudTrail's ELBv2 events arrive on. */
  readonly eventBus?: events.IEventBus;
}

/**
 * `sync-alarms`: keeps one anomaly alarm and one traffic-share alarm per target group and load balancer.
 * Runs when a target group appears, goes or gets targets (CloudTrail), and on a schedule, which also picks
 * up target groups attached to a load balancer by a listener or rule change.
 */
export class AlarmSync extends Construct {
  /** The function. */
  public readonly handler: WatchdogFunction;

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
    new events.Rule(this, 'OnTargetGroupChange', {
      description: 'ELB Watchdog: target groups created, deleted or given targets',
      eventPattern: elbApiCallPattern(ALARM_SYNC_EVENT_NAMES),
      ...(props.eventBus === undefined ? {} : { eventBus: props.eventBus }),
      targets: [target],
    });
    new events.Rule(this, 'Schedule', {
      description: 'ELB Watchdog: reconcile alarms with target groups',
      schedule: props.schedule,
      targets: [target],
    });
  }
}
