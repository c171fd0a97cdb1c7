import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DRAIN_OUTBOX_INPUT } from '../lambdas/core/events/audit-task';
import { functionSettingsOf, WatchdogFunction, type WatchdogFunctionSettings } from './watchdog-function';

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
 * effort) and changes made while the watchdog was off. It also runs when its stack finishes deploying:
 * a change seen before a load balancer's first baseline is learnt, not judged (there is nothing to return
 * to), so baselines must exist before the first schedule comes round, an hour later. CloudFormation's own
 * stack status event does that without a custom resource. Every minute it only drains the outbox: a verdict
 * held for the event that may explain it (`policy.unexplained.holdSeconds`) is told soon after its wait,
 * one a crashed run left soon after its lease, whether or not its load balancer changes again.
 */
export class ScheduledAudit extends Construct {
  /** The function. */
  public readonly handler: WatchdogFunction;

  constructor(scope: Construct, id: string, props: ScheduledAuditProps) {
    super(scope, id);
    this.handler = new WatchdogFunction(this, 'Handler', {
      ...functionSettingsOf(props),
      handlerName: 'audit',
      environment: props.environment,
      timeout: Duration.minutes(10),
      memorySize: 512,
      onFailure: props.failedEvents,
    });
    const invokeAudit = () =>
      new targets.LambdaFunction(this.handler.function, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: props.failedEvents,
      });
    new events.Rule(this, 'AfterDeploy', {
      description: 'ELB Watchdog: audit (and take baselines) when the stack finishes deploying',
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Stack Status Change'],
        detail: { 'stack-id': [Stack.of(this).stackId], 'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] } },
      },
      targets: [invokeAudit()],
    });
    new events.Rule(this, 'Schedule', {
      description: 'ELB Watchdog: audit every load balancer in scope',
      schedule: props.schedule,
      targets: [invokeAudit()],
    });
    new events.Rule(this, 'DrainOutbox', {
      description: 'ELB Watchdog: tell the verdicts whose wait or lease is over',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // The next minute's run drains again: a late or failed one is not worth retrying.
      targets: [
        new targets.LambdaFunction(this.handler.function, {
          event: events.RuleTargetInput.fromObject(DRAIN_OUTBOX_INPUT),
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
          deadLetterQueue: props.failedEvents,
        }),
      ],
    });
  }
}
