import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBusPublisher } from '../../../sim/cloudtrail/event-bus-publisher';
import type { EventBridgeEvent } from '../../../sim/cloudtrail/record-builder';
import { PLAIN_DELIVERY } from '../../../sim/faults/delivery-faults';

/** A bus that records what it was given, in order (the publisher's only dependency). */
function recordingBus() {
  const received: string[] = [];
  let n = 0;
  const client = {
    send: (command: { input: { Entries: { Detail: string }[] } }) => {
      received.push((JSON.parse(command.input.Entries[0]?.Detail ?? '{}') as { eventName: string }).eventName);
      return Promise.resolve({ Entries: [{ EventId: `bus-${++n}` }] });
    },
  } as unknown as EventBridgeClient;
  return { client: () => client, received };
}

const event = (eventName: string): EventBridgeEvent => ({
  version: '0',
  id: 'local',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.elasticloadbalancing',
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventName },
});

describe('CloudTrail: EventBusPublisher delivery fates', () => {
  it('delivers in call order by default', async () => {
    const bus = recordingBus();
    const publisher = new EventBusPublisher(bus.client, 0);
    const deliveries = ['a', 'b', 'c'].map((n) => publisher.publish(event(n)));
    await publisher.idle();
    expect(bus.received).toEqual(['a', 'b', 'c']);
    expect(deliveries.map((d) => [d.status, d.seq, d.order, d.event.id])).toEqual([
      ['delivered', 1, 1, 'bus-1'],
      ['delivered', 2, 2, 'bus-2'],
      ['delivered', 3, 3, 'bus-3'],
    ]);
  });

  it('drops, duplicates and reorders as the fate says; a delayed event keeps its place', async () => {
    // Prepare
    const bus = recordingBus();
    const publisher = new EventBusPublisher(bus.client, 0);
    // Act
    const a = publisher.publish(event('a'), { ...PLAIN_DELIVERY, reorder: true }, 60_000);
    const b = publisher.publish(event('b'), { ...PLAIN_DELIVERY, drop: true });
    const c = publisher.publish(event('c'), { ...PLAIN_DELIVERY, duplicates: 2 });
    const d = publisher.publish(event('d'), { ...PLAIN_DELIVERY, delayMs: 50 });
    const e = publisher.publish(event('e'));
    await publisher.idle();
    // Assess: `a` waits until `c` has overtaken it (not for its 60 s hold); `b` never goes; `e` waits behind `d`.
    expect(bus.received).toEqual(['c', 'c', 'c', 'a', 'd', 'e']);
    expect(b).toMatchObject({ status: 'dropped', droppedBy: 'fault', fate: { drop: true } });
    expect(c.duplicates).toEqual([{ status: 'delivered', id: 'bus-2' }, { status: 'delivered', id: 'bus-3' }]);
    expect([a.order, c.order, d.order, e.order]).toEqual([2, 1, 3, 4]);
    expect(e.fate).toBeUndefined();
  });

  it('lets a held event go after its hold when nothing overtakes it', async () => {
    const bus = recordingBus();
    const publisher = new EventBusPublisher(bus.client, 0);
    const only = publisher.publish(event('only'), { ...PLAIN_DELIVERY, reorder: true }, 20);
    await publisher.idle();
    expect(only.status).toBe('delivered');
  });

  it('drops what is still pending on cancel (reset), and is idle at once', async () => {
    const bus = recordingBus();
    const publisher = new EventBusPublisher(bus.client, 60_000);
    const late = publisher.publish(event('late'));
    publisher.cancel();
    await publisher.idle();
    expect(late).toMatchObject({ status: 'dropped', droppedBy: 'reset' });
    expect(bus.received).toEqual([]);
  });
});
