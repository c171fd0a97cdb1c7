import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { waitUntil } from '../../../sim/launcher/wait-until';
import { SqsEventSource } from '../../../sim/runner/sqs-event-source';
import { useStandIn } from '../helpers/stand-in-fixture';
import { patience } from '../../helpers/patience';

/**
 * Lambda's SQS event source on a FIFO queue, as AWS documents it: "each batch may contain messages from
 * more than one message group, but the order of the messages is maintained"; concurrency is capped by the
 * number of message groups or the maximum concurrency setting, whichever is lower; a group's messages wait
 * while earlier ones are in flight ("Inflight messages block delivery of available messages within the
 * same message group").
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 * https://repost.aws/knowledge-center/sqs-fifo-messages-not-returned
 */
describe('Class: SqsEventSource on a FIFO queue', () => {
  const fixture = useStandIn({ world: 'empty' });
  const sources: SqsEventSource[] = [];
  let sqs: SQSClient;
  let queue: { url: string; arn: string };
  let batches: string[][];
  const gates = new Map<string, () => void>();

  beforeEach(async () => {
    sqs = new SQSClient({ endpoint: fixture.standIn.url, region: 'us-east-1', credentials: { accessKeyId: 'lambda-service', secretAccessKey: 'x' } });
    const name = `changes-${Date.now()}.fifo`;
    const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    queue = { url: created.QueueUrl as string, arn: `arn:aws:sqs:us-east-1:123456789012:${name}` };
    batches = [];
  });
  afterEach(async () => {
    for (const open of gates.values()) open();
    gates.clear();
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    sqs.destroy();
  });

  /** A source whose function logs each batch's bodies and holds a batch that contains a gated body. */
  const start = (options: { batchSize: number; maxConcurrency: number }) => {
    const held = new Map<string, Promise<void>>();
    const gate = (body: string) => held.set(body, new Promise<void>((resolve) => gates.set(body, resolve)));
    const source = new SqsEventSource({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      ...options,
      invoke: async (event: SQSEvent) => {
        const bodies = event.Records.map((record) => record.body);
        batches.push(bodies);
        await Promise.all(bodies.map((body) => held.get(body)));
      },
    });
    sources.push(source);
    source.start();
    return { source, gate };
  };
  const send = (group: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageGroupId: group, MessageBody: body }));
  const seen = (body: string) => batches.some((batch) => batch.includes(body));
  const until = (probe: () => boolean, what: string) => waitUntil(async () => (probe() ? true : undefined), { timeoutMs: 20_000, intervalMs: 20, onTimeout: () => new Error(`timed out waiting for ${what}`) });

  it('runs batches of two groups concurrently while a group\'s next batch waits for its previous one', async () => {
    const { source, gate } = start({ batchSize: 10, maxConcurrency: 5 });
    gate('a1');

    await send('A', 'a1');
    await until(() => seen('a1'), 'group A\'s first batch');
    await send('A', 'a2');
    await send('B', 'b1');
    await until(() => seen('b1'), 'group B\'s batch while A\'s is under way');
    // a2 went into the queue before b2: a receive that returns b2 would have returned a2 first, were group
    // A not held while a1 is in flight.
    await send('B', 'b2');
    await until(() => seen('b2'), 'group B\'s next batch');

    await until(() => source.inFlight === 1, 'group B\'s batches done, A\'s still under way');
    expect(seen('a2')).toBe(false);
    gates.get('a1')?.();
    await until(() => seen('a2'), 'group A\'s next batch');

    expect(batches).toEqual([['a1'], ['b1'], ['b2'], ['a2']]);
  }, patience(60_000));

  it('with a maximum concurrency of 1, takes nothing more off the queue while a batch is under way', async () => {
    const { gate } = start({ batchSize: 10, maxConcurrency: 1 });
    gate('a1');
    await send('A', 'a1');
    await until(() => seen('a1'), 'group A\'s batch');

    await send('B', 'b1');
    // Nobody else holds b1: another consumer still receives it (and leaves it visible).
    const peek = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    expect(peek.Messages?.map((m) => m.Body)).toEqual(['b1']);
    expect(seen('b1')).toBe(false);
    gates.get('a1')?.();

    await until(() => seen('b1'), 'group B\'s batch once A\'s is done');
    expect(batches).toEqual([['a1'], ['b1']]);
  }, patience(60_000));

  it('puts at most BatchSize records in a batch, a group\'s records in order', async () => {
    for (const body of ['c1', 'c2', 'c3']) await send('C', body);

    start({ batchSize: 2, maxConcurrency: 5 });
    await until(() => seen('c3'), 'every record');

    expect(batches).toEqual([['c1', 'c2'], ['c3']]);
  }, patience(60_000));
});
