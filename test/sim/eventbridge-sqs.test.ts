import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from '../../sim';
import { eventually, simJson, useStandIn, type SdkClients } from './helpers/stand-in-fixture';

const PATTERN = {
  source: ['aws.elasticloadbalancing'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['elasticloadbalancing.amazonaws.com'] },
};

/** A FIFO queue behind an EventBridge rule on the default bus, as the watchdog's construct deploys it. */
async function queueBehindRule(c: SdkClients, name: string, groupId: string, contentBasedDeduplication = true): Promise<string> {
  const queue = await c.sqs.send(
    new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: String(contentBasedDeduplication) } }),
  );
  const attrs = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
  await c.events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(PATTERN) }));
  await c.events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'queue', Arn: attrs.Attributes?.QueueArn, SqsParameters: { MessageGroupId: groupId } }] }));
  return queue.QueueUrl ?? '';
}

async function receiveOne(sqs: SQSClient, queueUrl: string) {
  return eventually(async () => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
    return out.Messages?.[0];
  }, 10_000, 'a message on the queue');
}

describe('EventBridge: the change event reaches rules and targets created in the stand-in', () => {
  const fixture = useStandIn({ world: 'demo' });
  const flip = (c: SdkClients) => {
    const r = fixture.standIn.world.resources;
    return c.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: r['listener:web:80'],
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:web-blue'], Weight: 0 }, { TargetGroupArn: r['targetGroup:web-green'], Weight: 100 }] } }],
      }),
    );
  };

  it('delivers a ModifyListener event to an SQS FIFO target with its MessageGroupId', async () => {
    // Prepare
    const c = fixture.clients();
    const queueUrl = await queueBehindRule(c, 'elb-changes', 'elb-watchdog');
    // Act
    await flip(c);
    const message = await receiveOne(c.sqs, queueUrl);
    // Assess
    const body = JSON.parse(message.Body ?? '{}') as EventBridgeEvent;
    // The bus assigns the event id; the stand-in learns it when PutEvents answers, which may be just after the
    // target already has the message.
    await fixture.standIn.settled();
    const { json } = await simJson<{ events: EventBridgeEvent[]; deliveries: { status: string }[] }>(fixture.standIn.url, '/_sim/events');
    expect(json.deliveries).toEqual([expect.objectContaining({ status: 'delivered', eventName: 'ModifyListener' })]);
    const recorded = json.events[0];
    expect(body.id).toBe(recorded?.id);
    expect(body).toMatchObject({ version: '0', source: 'aws.elasticloadbalancing', 'detail-type': 'AWS API Call via CloudTrail', region: 'us-east-1', time: recorded?.time });
    expect(body.detail).toEqual(recorded?.detail);
    expect(message.Attributes?.MessageGroupId).toBe('elb-watchdog');
    // Queue URLs moto builds from the Host header point back at the front, so SDK clients stay on it.
    expect(queueUrl.startsWith(fixture.standIn.url)).toBe(true);
  });

  it('moto gap (not fixed): the body moto delivers has no top-level "account"; AWS events carry it', async () => {
    // Straight at moto: PutEvents, then the target's message. The event we put on the bus has `account`.
    const moto = fixture.moto();
    const queueUrl = await queueBehindRule(moto, 'raw', 'g');
    await moto.events.send(new PutEventsCommand({ Entries: [{ Source: 'aws.elasticloadbalancing', DetailType: 'AWS API Call via CloudTrail', Detail: JSON.stringify({ eventSource: 'elasticloadbalancing.amazonaws.com' }) }] }));
    const body = JSON.parse((await receiveOne(moto.sqs, queueUrl)).Body ?? '{}') as Record<string, unknown>;
    expect(body.account).toBeUndefined();
    // What we recorded (and what AWS would deliver) has it; consumers should read detail.recipientAccountId too.
    await flip(fixture.clients());
    const { json } = await simJson<{ events: EventBridgeEvent[] }>(fixture.standIn.url, '/_sim/events');
    expect(json.events[0]).toMatchObject({ account: '123456789012', detail: { recipientAccountId: '123456789012' } });
  });

  it('moto takes SqsParameters.MessageGroupId literally: a JSON path is not resolved per event', async () => {
    const c = fixture.clients();
    const queueUrl = await queueBehindRule(c, 'per-lb', '$.detail.requestParameters.listenerArn');
    await flip(c);
    const message = await receiveOne(c.sqs, queueUrl);
    expect(message.Attributes?.MessageGroupId).toBe('$.detail.requestParameters.listenerArn');
  });

  it('moto drops events for a FIFO target without content-based deduplication (AWS requires it enabled)', async () => {
    const c = fixture.clients();
    const strict = await queueBehindRule(c, 'no-dedup', 'g', false);
    const control = await queueBehindRule(c, 'control', 'g', true);
    await flip(c);
    await receiveOne(c.sqs, control);
    const out = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: strict, WaitTimeSeconds: 0 }));
    expect(out.Messages ?? []).toEqual([]);
  });
});
