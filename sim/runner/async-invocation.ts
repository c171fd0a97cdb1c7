import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { RunnerStoppedError } from './errors';

/** How Lambda treats an asynchronous invocation (an EventBridge rule's Lambda target). */
export interface AsyncInvocationOptions {
  /** Retries after the first failure; Lambda's default is 2. */
  readonly retries: number;
  /** Where an event goes after the last retry (the function's on-failure destination or DLQ). */
  readonly deadLetter?: { readonly sqs: SQSClient; readonly queueUrl: string };
  /** Told about each failed attempt. */
  readonly onFailure?: (error: Error, attempt: number) => void;
}

/**
 * Wraps a handler as Lambda invokes it asynchronously: the event as the payload, retried on error, then
 * sent to the dead-letter queue. Fed by an `SqsEventSource` on the queue the local runner puts behind the
 * EventBridge rule in place of the Lambda target; each message body is one EventBridge event, and each
 * is its own invocation: the events of one batch run concurrently, as Lambda's asynchronous invocations do.
 */
export function asyncInvocation(handler: (event: unknown) => Promise<unknown>, options: AsyncInvocationOptions) {
  return async (batch: SQSEvent): Promise<void> => {
    await Promise.all(batch.Records.map((record) => invokeOne(record.body)));
  };

  async function invokeOne(body: string): Promise<void> {
    const event = JSON.parse(body) as unknown;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      try {
        await handler(event);
        lastError = undefined;
        break;
      } catch (error) {
        // Stopping the runner is not a failure of the event: it stays in its queue.
        if (error instanceof RunnerStoppedError) throw error;
        lastError = error as Error;
        options.onFailure?.(lastError, attempt + 1);
      }
    }
    if (lastError !== undefined && options.deadLetter !== undefined) {
      await options.deadLetter.sqs.send(
        new SendMessageCommand({
          QueueUrl: options.deadLetter.queueUrl,
          MessageBody: body,
          MessageAttributes: { ErrorMessage: { DataType: 'String', StringValue: lastError.message.slice(0, 256) } },
        }),
      );
    }
  }
}
