import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of a dead-letter queue with an alarm. */
export interface AlarmedDeadLetterQueueProps {
  /** Whether the queue is FIFO (a FIFO queue's redrive target must be FIFO too). */
  readonly fifo: boolean;
  /** What lands here, for the alarm's description. */
  readonly description: string;
  /** Where the alarm notifies. */
  readonly topic: sns.ITopic;
  /**
   * Whether the queue receives messages by an SQS redrive policy (otherwise: from EventBridge targets and
   * Lambda on-failure destinations, which cdk-nag cannot see).
   */
  readonly isRedriveTarget: boolean;
}

/**
 * A dead-letter queue (SSE-SQS, TLS only, 14 days) with an alarm as soon as one message is visible: a message
 * here is a change the watchdog did not judge, so people must look.
 */
export class AlarmedDeadLetterQueue extends Construct {
  /** The queue. */
  public readonly queue: sqs.Queue;
  /** The alarm on its visible messages. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AlarmedDeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      ...(props.fifo ? { fifo: true } : {}),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    if (!props.isRedriveTarget) {
      Validations.of(this.queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue (of EventBridge targets and Lambda on-failure destinations, ' +
          'which cdk-nag does not recognise as DLQ wiring); it is alarmed instead of redriven.',
      });
    }
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `ELB Watchdog: ${props.description}. Inspect the messages, fix the cause, then redrive or delete them.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
