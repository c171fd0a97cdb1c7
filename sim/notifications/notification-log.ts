import type { CallContext, CallObserver, CallOutcome } from '../front/interceptor';

/** One message published to SNS, as `GET /_sim/notifications` lists it. */
export interface Notification {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  /** Sim-clock time of the publish. */
  readonly time: string;
  /** `api`: a Publish through the front; `alarm`: a CloudWatch alarm action run by the stand-in. */
  readonly origin: 'api' | 'alarm';
  readonly messageId?: string;
}

// Bounded memory for long sessions.
const MAX_KEPT = 10_000;

/** Records every successful SNS Publish / PublishBatch through the front, and alarm actions. */
export class NotificationLog implements CallObserver {
  readonly name = 'notifications';
  private entries: Notification[] = [];

  observe({ call, time }: CallContext, outcome: CallOutcome): void {
    if (call.service !== 'sns' || outcome.error) return;
    if (call.action === 'Publish') {
      const topicArn = str(call.params.TopicArn) ?? str(call.params.TargetArn) ?? str(call.params.PhoneNumber) ?? '';
      this.add({ topicArn, subject: str(call.params.Subject), message: str(call.params.Message) ?? '', time: time.toISOString(), origin: 'api' });
    } else if (call.action === 'PublishBatch' && Array.isArray(call.params.PublishBatchRequestEntries)) {
      for (const entry of call.params.PublishBatchRequestEntries as Record<string, unknown>[]) {
        this.add({ topicArn: str(call.params.TopicArn) ?? '', subject: str(entry.Subject), message: str(entry.Message) ?? '', time: time.toISOString(), origin: 'api' });
      }
    }
  }

  /** Adds one notification (alarm actions come this way). */
  add(notification: Notification): void {
    this.entries.push(notification);
    if (this.entries.length > MAX_KEPT) this.entries = this.entries.slice(-MAX_KEPT);
  }

  /** Every notification, oldest first, optionally for one topic. */
  list(topicArn?: string): Notification[] {
    return this.entries.filter((n) => !topicArn || n.topicArn === topicArn);
  }

  /** Forgets everything. */
  reset(): void {
    this.entries = [];
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
