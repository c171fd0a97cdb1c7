import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DeliveryFate } from '../faults/fault-config';
import type { EventBridgeEvent } from './record-builder';

/** State of one copy put on the bus. */
export interface CopyState {
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  /** The id the bus assigned, once delivered. */
  id?: string;
  error?: string;
}

/** Delivery state of one event put on the bus, with the fate it met. */
export interface Delivery {
  readonly event: EventBridgeEvent;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  error?: string;
  /** Position in publish order (1 = first since start). */
  readonly seq: number;
  /** What the delivery faults decided (absent when nothing happens to it). */
  readonly fate?: DeliveryFate;
  /** Why it was dropped: a delivery fault, or a reset/stop before it went out. */
  droppedBy?: 'fault' | 'reset';
  /** Position in delivery order, once delivered (differs from `seq` for reordered events). */
  order?: number;
  deliveredAt?: string;
  /** The extra copies of a duplicated event. */
  duplicates?: CopyState[];
}

interface Pending {
  readonly delivery: Delivery;
  readonly due: number;
  /** Held back until an event published after it has been delivered, or until `holdUntil`. */
  held: boolean;
  readonly holdUntil: number;
}

/**
 * Puts events on the backend's default EventBridge bus after a delay, in the order they happened unless a
 * fate says otherwise, so rules and targets created in the stand-in receive them as in AWS. moto accepts
 * `aws.*` sources from PutEvents (AWS would refuse a customer), which is what lets the stand-in play the service.
 * Fates: drop (never sent), delay (sent later; events behind it wait, order kept), duplicate (sent again right
 * after), reorder (held back until the next event has gone, so it arrives after it).
 */
export class EventBusPublisher {
  private pending: Pending[] = [];
  private seq = 0;
  private delivered = 0;
  private pumping = false;
  private idleWaiters: (() => void)[] = [];
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: () => EventBridgeClient,
    /** Real milliseconds between the call and its delivery (CloudTrail → EventBridge takes seconds in AWS). */
    private readonly delayMs: number,
  ) {}

  /** Schedules delivery with a fate (plain when omitted); the returned record tracks it. */
  publish(event: EventBridgeEvent, fate?: DeliveryFate, reorderHoldMs = 5_000): Delivery {
    const interesting = fate && (fate.drop || fate.duplicates > 0 || fate.delayMs > 0 || fate.reorder);
    const delivery: Delivery = { event, status: 'pending', seq: ++this.seq, ...(interesting ? { fate } : {}) };
    if (fate?.drop) {
      delivery.status = 'dropped';
      delivery.droppedBy = 'fault';
      return delivery;
    }
    const due = Date.now() + this.delayMs + (fate?.delayMs ?? 0);
    this.pending.push({ delivery, due, held: fate?.reorder === true, holdUntil: due + reorderHoldMs });
    this.kick();
    return delivery;
  }

  /** Resolves once every event scheduled so far has been delivered or dropped. */
  idle(): Promise<void> {
    if (this.pending.length === 0 && !this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything not yet delivered (reset, stop). */
  cancel(): void {
    for (const { delivery } of this.pending) {
      delivery.status = 'dropped';
      delivery.droppedBy = 'reset';
    }
    this.pending = [];
    this.kick();
  }

  private kick(): void {
    this.wakeUp();
    if (this.pumping) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.pending.length > 0) this.kick();
      else for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  // One event at a time: the first one not held, in publish order; a held one once it has been overtaken or
  // its hold is over. Sleeps are woken by new events and by cancel().
  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      const now = Date.now();
      const next = this.pending.find((p) => !p.held) ?? this.pending.reduce((a, b) => (b.holdUntil < a.holdUntil ? b : a));
      const readyAt = next.held ? next.holdUntil : next.due;
      if (readyAt > now) {
        await this.sleep(readyAt - now);
        continue;
      }
      this.pending.splice(this.pending.indexOf(next), 1);
      // Held events published before this one have now been overtaken: they may go next.
      for (const p of this.pending) if (p.held && p.delivery.seq < next.delivery.seq) p.held = false;
      await this.deliver(next.delivery);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const first = await this.put(delivery.event);
    delivery.status = first.status;
    if (first.id) delivery.event.id = first.id;
    if (first.error) delivery.error = first.error;
    delivery.order = ++this.delivered;
    delivery.deliveredAt = new Date().toISOString();
    const copies = delivery.fate?.duplicates ?? 0;
    if (copies > 0) {
      delivery.duplicates = [];
      for (let i = 0; i < copies; i++) delivery.duplicates.push(await this.put(delivery.event));
    }
  }

  private async put(event: EventBridgeEvent): Promise<CopyState> {
    try {
      const out = await this.client().send(
        new PutEventsCommand({
          Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: event.resources, Time: new Date(event.time) }],
        }),
      );
      const entry = out.Entries?.[0];
      return entry?.EventId ? { status: 'delivered', id: entry.EventId } : { status: 'failed', error: entry?.ErrorMessage ?? 'PutEvents returned no event id' };
    } catch (error) {
      return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }
}
