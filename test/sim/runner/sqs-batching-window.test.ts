import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { waitUntil } from '../../../sim/launcher/wait-until';
import { SqsEventSource } from '../../../sim/runner/sqs-event-source';
import { useStandIn } from '../helpers/stand-in-fixture';

/**
 * Lambda's batching window on an SQS event source, as AWS documents it: with MaximumBatchingWindowInSeconds,
 * Lambda gathers records until the batch is full or the window expires, so a batch can hold more than the 10
 * messages one ReceiveMessage returns; without it, a function is invoked as soon as records arrive.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html#sqs-batching-window
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html (MaxNumberOfMessages: 1 to 10)
 */
describe('Class: SqsEventSource with a batching window', () => {
  const fixture = useStandIn({ world: 'empty' });
  const sources: SqsEventSource[] = [];
  let sqs: SQSClient;
  let queue: { url: string; arn: string };
  let batches: string[][];

  beforeEach(async () => {
    sqs = new SQSClient({ endpoint: fixture.standIn.url, region: 'us-east-1', credentials: { accessKeyId: 'lambda-service', secretAccessKey: 'x' } });
    const name = `nudges-${Date.now()}`;
    const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    queue = { url: created.QueueUrl as string, arn: `arn:aws:sqs:us-east-1:123456789012:${name}` };
    batches = [];
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    sqs.destroy();
  });

  const start = (options: { batchSize: number; maxBatchingWindowSeconds?: number }) => {
    const source = new SqsEventSource({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      maxConcurrency: 2,
      ...options,
      invoke: async (event: SQSEvent) => {
        batches.push(event.Records.map((record) => record.body));
      },
    });
    sources.push(source);
    source.start();
  };
  const sendMany = async (count: number) => {
    for (let first = 0; first < count; first += 10) {
      const ids = Array.from({ length: Math.min(10, count - first) }, (_, i) => first + i);
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: ids.map((id) => ({ Id: String(id), MessageBody: `m${id}` })) }));
    }
  };
  const delivered = () => batches.reduce((sum, batch) => sum + batch.length, 0);
  const untilDelivered = (count: number) =>
    waitUntil(async () => (delivered() === count ? true : undefined), { timeoutMs: 30_000, intervalMs: 20, onTimeout: () => new Error(`timed out: ${delivered()} of ${count} delivered`) });

  it('gathers 25 queued messages into one invocation across receives of at most 10', async () => {
    await sendMany(25);
    start({ batchSize: 100, maxBatchingWindowSeconds: 3 });

    await untilDelivered(25);
    expect(batches).toHaveLength(1);
    expect(new Set(batches[0])).toEqual(new Set(Array.from({ length: 25 }, (_, i) => `m${i}`)));
  });

  it('invokes with what it has when the window closes before the batch is full', async () => {
    start({ batchSize: 100, maxBatchingWindowSeconds: 1 });
    await sendMany(3);

    await untilDelivered(3);
    expect(batches).toEqual([expect.arrayContaining(['m0', 'm1', 'm2'])]);
  });

  it('without a window, invokes as soon as a receive returns messages: never more than 10 at once', async () => {
    await sendMany(25);
    start({ batchSize: 100 });

    await untilDelivered(25);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(10);
    expect(batches.length).toBeGreaterThanOrEqual(3);
  });
});
