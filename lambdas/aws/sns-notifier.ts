import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from '../core/ports';
import { callAws } from './aws-error';

/** SNS allows 100 printable ASCII characters in a subject, with no line breaks. */
function toSnsSubject(subject: string): string {
  const printable = subject.replace(/[^\x20-\x7e]/g, ' ').replace(/\s+/g, ' ').trim();
  return printable.length <= 100 ? printable : `${printable.slice(0, 99)}…`.replace('…', '.');
}

/** Publishes notifications to one SNS topic (e-mail, chat, and anything subscribed). */
export class SnsNotifier implements Notifier {
  public constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  public async publish(notification: Notification): Promise<void> {
    await callAws('Publish', this.topicArn, () =>
      this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: toSnsSubject(notification.subject),
          Message: notification.body,
          MessageAttributes: Object.fromEntries(
            Object.entries(notification.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
          ),
        }),
      ),
    );
  }
}
