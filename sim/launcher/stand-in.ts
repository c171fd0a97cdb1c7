import type { Delivery } from '../cloudtrail/event-bus-publisher';
import type { CloudTrailListener } from '../cloudtrail/cloudtrail-recorder';
import type { FaultInjector } from '../faults/fault-injector';
import type { CallCounter } from '../front/call-counter';
import type { CallHooks } from '../front/call-hooks';
import type { IdentityRegistry } from '../front/identity-registry';
import type { Notification } from '../notifications/notification-log';
import type { SimClock } from '../traffic/sim-clock';
import type { MinuteListener } from '../traffic/minute-listeners';
import type { TrafficEngine } from '../traffic/traffic-engine';
import type { WorldInfo, WorldName } from '../worlds';

/**
 * Something that runs alongside the stand-in, e.g. the watchdog runner playing the Lambda service. It is
 * started once the world is built, reset after the stand-in resets, and stopped before the stand-in stops.
 */
export interface Watcher {
  readonly name: string;
  start(standIn: StandIn): Promise<void>;
  stop(): Promise<void>;
  /** Stops working before the backend is emptied (so nothing in flight hits a closed table); `reset` follows. */
  pause?(): Promise<void>;
  reset?(): Promise<void>;
}

/** A running stand-in: one endpoint for every AWS client, plus the controls tests and demos need. */
export interface StandIn {
  /** The front: point `AWS_ENDPOINT_URL` / `--endpoint-url` here. */
  readonly url: string;
  readonly region: string;
  readonly accountId: string;
  /** The backend (moto or LocalStack) the front forwards to. */
  readonly backendUrl: string;
  /** The world as last built. */
  readonly world: WorldInfo;
  readonly clock: SimClock;
  readonly traffic: TrafficEngine;
  readonly identities: IdentityRegistry;
  readonly faults: FaultInjector;
  /** Calls the front answered, per caller × service × action (`GET /_sim/calls`). */
  readonly calls: CallCounter;
  /** Hooks that see (and may hold or drop) AWS calls before the backend and after its answer. */
  readonly callHooks: CallHooks;
  /** Subscribes to every simulated sim minute (after traffic and alarms); returns the unsubscribe function. */
  onMinute(listener: MinuteListener): () => void;
  /** CloudTrail events recorded so far (with delivery state), oldest first. */
  events(filter?: { eventName?: string }): Delivery[];
  /** SNS messages published through the front and by alarm actions. */
  notifications(): Notification[];
  /** Subscribes to CloudTrail events as they are recorded; returns the unsubscribe function. */
  onCloudTrailEvent(listener: CloudTrailListener): () => void;
  /** Resolves when every event scheduled so far is on the bus (or dropped). */
  settled(): Promise<void>;
  /** Starts a watcher now and keeps it for reset and stop. */
  attach(watcher: Watcher): Promise<void>;
  /** Back to a fresh world: backend state, events, notifications, faults, call counts, detectors, traffic and clock. */
  reset(options?: { world?: WorldName }): Promise<void>;
  /** Stops watchers, the clock, the front, dynalite and the moto process group. Idempotent. */
  stop(): Promise<void>;
}
