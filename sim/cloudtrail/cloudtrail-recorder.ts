import type { DeliveryFaults } from '../faults/delivery-faults';
import { knownActions } from '../front/codec';
import type { CallContext, CallObserver, CallOutcome } from '../front/interceptor';
import { deliveryIdentity } from './delivery-identity';
import type { EventBusPublisher, Delivery } from './event-bus-publisher';
import { buildRecord, cloudTrailEvent, type EventBridgeEvent } from './record-builder';

/** Listener for CloudTrail events as they are recorded (before delivery), e.g. a watcher wired in-process. */
export type CloudTrailListener = (event: EventBridgeEvent) => void;

// Read-only calls are recorded by CloudTrail but never sent to EventBridge; only writes are "changes".
const READ_ONLY = /^(Describe|Get)/;
// Bounded memory for long `elb-watchdog sim` sessions.
const MAX_KEPT = 10_000;

/**
 * Observes ELBv2 calls through the front and turns every mutating one (successful or failed) into the
 * "AWS API Call via CloudTrail" event, kept for `GET /_sim/events` and put on the bus.
 */
export class CloudTrailRecorder implements CallObserver {
  readonly name = 'cloudtrail';
  private deliveries: Delivery[] = [];
  private readonly listeners = new Set<CloudTrailListener>();

  constructor(
    private readonly accountId: string,
    private readonly publisher: EventBusPublisher,
    /** Decides each event's delivery fate (drop, duplicate, delay, reorder); none = every event plain. */
    private readonly faults?: DeliveryFaults,
  ) {}

  /** Records one call's outcome when it is an ELBv2 write. */
  observe(context: CallContext, outcome: CallOutcome): void {
    const { call } = context;
    if (call.service !== 'elasticloadbalancing' || READ_ONLY.test(call.action)) return;
    if (!knownActions('elasticloadbalancing')?.has(call.action)) return;
    const event = cloudTrailEvent(buildRecord(context, outcome, this.accountId), this.accountId, call.region);
    const decision = this.faults?.decide(call.action, String(event.detail.eventID), deliveryIdentity(event.detail));
    const fate = decision && { drop: decision.drop, duplicates: decision.duplicates, delayMs: decision.delayMs, reorder: decision.reorder };
    this.deliveries.push(this.publisher.publish(event, fate, this.faults?.reorderHoldMs));
    if (this.deliveries.length > MAX_KEPT) this.deliveries = this.deliveries.slice(-MAX_KEPT);
    for (const listener of this.listeners) listener(event);
  }

  /** Subscribes to new events; returns the unsubscribe function. */
  onEvent(listener: CloudTrailListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Recorded events, oldest first, with their delivery state. */
  list(filter: { eventName?: string } = {}): Delivery[] {
    return this.deliveries.filter((d) => !filter.eventName || d.event.detail.eventName === filter.eventName);
  }

  /** Forgets every event (pending deliveries are cancelled by the publisher's owner). */
  reset(): void {
    this.deliveries = [];
  }
}
