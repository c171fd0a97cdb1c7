import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionSettingsOf, WatchdogFunction, type WatchdogFunctionSettings } from './watchdog-function';

/** Props of the alarm notifier. */
export interface AlarmNotifierProps extends WatchdogFunctionSettings {
  /** The environment (`WatchdogEnvironmentSchema`). */
  readonly environment: Record<string, string>;
  /** Prefix of the alarms the watchdog owns: only their state changes reach the function. */
  readonly alarmNamePrefix: string;
  /** Dead letters of the asynchronous invocations. */
  readonly failedEvents: sqs.IQueue;
}

/**
 * `on-alarm`: turns a state change of one of the watchdog's alarms into a notification enriched with the
 * current traffic split. CloudWatch emits state changes to the default bus of the alarm's account.
 */
export class AlarmNotifier extends Construct {
  /** The function. */
  public readonly handler: WatchdogFunction;
  /** The rule on the alarms' state changes. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: AlarmNotifierProps) {
    super(scope, id);
    this.handler = new WatchdogFunction(this, 'Handler', {
      ...functionSettingsOf(props),
      handlerName: 'on-alarm',
      environment: props.environment,
      timeout: Duration.seconds(60),
      memorySize: 256,
      onFailure: props.failedEvents,
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: "ELB Watchdog: state changes of the watchdog's alarms",
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { alarmName: events.Match.prefix(props.alarmNamePrefix) },
      },
      targets: [
        new targets.LambdaFunction(this.handler.function, {
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: props.failedEvents,
        }),
      ],
    });
  }
}
