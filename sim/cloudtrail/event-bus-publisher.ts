import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from './record-builder';

/** Delivery state of one event put on the bus. */
export interface Delivery {
  readonly event: EventBridgeEvent;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  error?: string;
}

/**
 * Puts events on the backend's default EventBridge bus after a delay, one at a time in the order they
 * happened, so rules and targets created in the stand-in receive them as in AWS. moto accepts `aws.*`
 * sources from PutEvents (AWS would refuse a customer), which is what lets the stand-in play the service.
 */
export class EventBusPublisher {
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly client: () => EventBridgeClient,
    /** Real milliseconds between the call and its delivery (CloudTrail → EventBridge takes seconds in AWS). */
    private readonly delayMs: number,
  ) {}

  /** Schedules delivery; the returned record tracks it. */
  publish(event: EventBridgeEvent): Delivery {
    const delivery: Delivery = { event, status: 'pending' };
    const generation = this.generation;
    const due = Date.now() + this.delayMs;
    this.queue = this.queue.then(async () => {
      await this.sleepUntil(due);
      if (generation !== this.generation) {
        delivery.status = 'dropped';
        return;
      }
      await this.deliver(delivery);
    });
    return delivery;
  }

  /** Resolves once every scheduled event has been delivered or dropped. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Drops everything not yet delivered (reset, stop). */
  cancel(): void {
    this.generation++;
    // Wake the sleepers now: they see the new generation and drop their event.
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { event } = delivery;
    try {
      const out = await this.client().send(
        new PutEventsCommand({
          Entries: [
            {
              Source: event.source,
              DetailType: event['detail-type'],
              Detail: JSON.stringify(event.detail),
              Resources: event.resources,
              Time: new Date(event.time),
            },
          ],
        }),
      );
      const entry = out.Entries?.[0];
      if (entry?.EventId) {
        event.id = entry.EventId;
        delivery.status = 'delivered';
      } else {
        delivery.status = 'failed';
        delivery.error = entry?.ErrorMessage ?? 'PutEvents returned no event id';
      }
    } catch (error) {
      delivery.status = 'failed';
      delivery.error = error instanceof Error ? error.message : String(error);
    }
  }

  private sleepUntil(due: number): Promise<void> {
    const wait = due - Date.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, wait);
      this.timers.set(timer, resolve);
    });
  }
}
