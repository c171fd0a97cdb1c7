import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** How the poller plays one SQS event source mapping. */
export interface SqsEventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  /** Records per invocation, as the mapping's BatchSize. */
  readonly batchSize: number;
  /**
   * Seconds records gather before an invocation, as the mapping's MaximumBatchingWindowInSeconds: once the
   * first records arrive, the poller keeps receiving until the batch is full or the window has passed.
   * @default 0 (an invocation as soon as a receive returns records)
   */
  readonly maxBatchingWindowSeconds?: number;
  /**
   * Batches handled at once (the mapping's `ScalingConfig.MaximumConcurrency`). On a FIFO queue the
   * queue itself keeps a message group to one batch at a time: SQS returns none of a group's messages
   * while earlier ones are in flight, so concurrency is also bounded by the groups with messages.
   * @default 1
   */
  readonly maxConcurrency?: number;
  /**
   * Seconds before a failed record is visible again. Lambda leaves failed records to the queue's
   * visibility timeout (minutes); a local run may shorten it so retries and redrive happen in seconds.
   * @default the queue's own visibility timeout (nothing is changed)
   */
  readonly retryDelaySeconds?: number;
  /** The function: returns partial batch failures (ReportBatchItemFailures) or throws for the whole batch. */
  readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Called with errors the poller itself hit (the queue vanished, the stand-in stopped). */
  readonly onError?: (error: Error) => void;
}

function toRecord(message: Message, options: SqsEventSourceOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId !== undefined && { MessageGroupId: attributes.MessageGroupId }),
      ...(attributes.MessageDeduplicationId !== undefined && { MessageDeduplicationId: attributes.MessageDeduplicationId }),
      ...(attributes.SequenceNumber !== undefined && { SequenceNumber: attributes.SequenceNumber }),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

/**
 * Plays Lambda's SQS event source mapping: long-polls the queue, invokes the function with AWS's
 * `SQSEvent` shape, deletes what succeeded, and leaves failed records to become visible again, so the
 * queue's redrive policy moves them to the DLQ after maxReceiveCount receives — the queue's behaviour,
 * not ours. Up to `maxConcurrency` batches are under way at once: it receives again as soon as a batch
 * is handed to the function, not when it is done. A FIFO group's next batch waits for its previous one
 * because SQS holds the group while its messages are in flight (received, not yet deleted or visible).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly batches = new Set<Promise<void>>();
  private freed: (() => void) | undefined;
  /** Ends a long poll under way when the source stops, instead of waiting out its wait time. */
  private readonly abort = new AbortController();

  public constructor(private readonly options: SqsEventSourceOptions) {}

  /** Starts polling. */
  public start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops receiving; resolves once the batches under way are done. */
  public async stop(): Promise<void> {
    this.halt();
    await this.loop;
    await Promise.all([...this.batches]);
  }

  /** Stops receiving at once, without waiting (the runner then stops the functions, ending their batches). */
  public halt(): void {
    this.running = false;
    this.abort.abort();
    this.freed?.();
  }

  /** True while a batch is being handled. */
  public get busy(): boolean {
    return this.batches.size > 0;
  }

  /** Batches under way now. */
  public get inFlight(): number {
    return this.batches.size;
  }

  private async poll(): Promise<void> {
    const { batchSize } = this.options;
    const maxConcurrency = this.options.maxConcurrency ?? 1;
    while (this.running) {
      if (this.batches.size >= maxConcurrency) {
        await new Promise<void>((resolve) => (this.freed = resolve));
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.receive(batchSize, 1);
        const windowMs = (this.options.maxBatchingWindowSeconds ?? 0) * 1000;
        const closes = performance.now() + windowMs;
        while (messages.length > 0 && messages.length < batchSize && this.running && performance.now() < closes) {
          const waitSeconds = Math.min(1, Math.ceil((closes - performance.now()) / 1000));
          messages = messages.concat(await this.receive(batchSize - messages.length, waitSeconds));
        }
      } catch (error) {
        if (!this.running) return;
        this.options.onError?.(error as Error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (messages.length === 0) continue;
      const batch = this.handle(messages).finally(() => {
        this.batches.delete(batch);
        this.freed?.();
      });
      this.batches.add(batch);
    }
  }

  /** One receive: at most 10 messages, SQS's limit per call (a larger batch takes several). */
  private async receive(count: number, waitSeconds: number): Promise<Message[]> {
    const received = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, count),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return received.Messages ?? [];
  }

  private async handle(messages: Message[]): Promise<void> {
    const { sqs, queueUrl } = this.options;
    const records = messages.map((message) => toRecord(message, this.options));
    let failed: Set<string>;
    try {
      const response = await this.options.invoke({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch {
      // A thrown error, a crashed environment or a timeout: the whole batch failed.
      failed = new Set(records.map((record) => record.messageId));
    }
    const succeeded = messages.filter((message) => !failed.has(message.MessageId ?? ''));
    try {
      if (succeeded.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: succeeded.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      }
      if (this.options.retryDelaySeconds !== undefined) {
        for (const message of messages.filter((m) => failed.has(m.MessageId ?? ''))) {
          await sqs.send(
            new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: this.options.retryDelaySeconds }),
          );
        }
      }
    } catch (error) {
      if (this.running) this.options.onError?.(error as Error);
    }
  }
}
