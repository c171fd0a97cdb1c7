import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WatchdogFunction, type WatchdogFunctionSettings } from './watchdog-function';

/** Props of the scheduled audit. */
export interface ScheduledAuditProps extends WatchdogFunctionSettings {
  /** The environment (`WatchdogEnvironmentSchema`). */
  readonly environment: Record<string, string>;
  /** How often every load balancer in scope is evaluated. */
  readonly schedule: events.Schedule;
  /** Dead letters of the asynchronous invocations. */
  readonly failedEvents: sqs.IQueue;
}

/**
 * `audit`: evaluates every load balancer in scope on a schedule, refreshes baselines, reports drift and
 * pre-existing risk. It catches what the event path missed (CloudTrail delivery to EventBridge is best
 * effort) and changes made while the watchdog was off.
 */
export class ScheduledAudit extends Construct {
  /** The function. */
  public readonly handler: WatchdogFunction;

  constructor(scope: Construct, id: string, props: ScheduledAuditProps) {
    super(scope, id);
    this.handler = new WatchdogFunction(this, 'Handler', {
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      tracing: props.tracing,
      metricsNamespace: props.metricsNamespace,
      handlerName: 'audit',
      environment: props.environment,
      timeout: Duration.minutes(10),
      memorySize: 512,
      onFailure: props.failedEvents,
    });
    new events.Rule(this, 'Schedule', {
      description: 'ELB Watchdog: audit every load balancer in scope',
      schedule: props.schedule,
      targets: [
        new targets.LambdaFunction(this.handler.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: props.failedEvents,
        }),
      ],
    });
  }
}
