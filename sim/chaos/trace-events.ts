import type { StandIn } from '../launcher/stand-in';
import type { TracedEvent } from './chaos-trace';
import { jsonObject, type JsonObject } from '../cloudtrail/json-object';

/** Every ELBv2 write the stand-in recorded, with its caller, parameters and delivery. */
export function collectEvents(standIn: StandIn, stamps: ReadonlyMap<string, number>): TracedEvent[] {
  return standIn.events().map((delivery) => {
    const detail = jsonObject(delivery.event.detail);
    const eventID = String(detail.eventID);
    return {
      eventID,
      requestID: String(detail.requestID ?? ''),
      eventName: String(detail.eventName),
      accessKeyId: String(jsonObject(detail.userIdentity).accessKeyId ?? ''),
      requestParameters: jsonObject(detail.requestParameters),
      ...(detail.errorCode !== undefined && { errorCode: String(detail.errorCode) }),
      atMs: stamps.get(eventID) ?? -1,
      delivery: delivery.status,
      ...(delivery.fate && { fate: delivery.fate }),
    };
  });
}

/** The delivery decisions of a run, each with its event's key: the `cloudTrail.script` that replays them by key. */
export function deliveryScriptOf(faults: JsonObject): JsonObject[] {
  const decisions = jsonObject(faults.cloudTrail).decisions;
  return Array.isArray(decisions)
    ? decisions.map((d) => {
        const { eventName, key, drop, duplicates, delayMs, reorder } = jsonObject(d);
        return { eventName, ...(key !== undefined && { key }), drop, duplicates, delayMs, reorder };
      })
    : [];
}

/** Faults injected by kind: per call (throttled, 5xx, delayed) and per delivery (dropped, duplicated, delayed, reordered). */
export function faultStatsOf(faults: JsonObject): Record<string, number> {
  const calls = jsonObject(faults.stats);
  const deliveries = jsonObject(jsonObject(faults.cloudTrail).stats);
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return {
    'call throttled': n(calls.throttled),
    'call 5xx': n(calls.failed),
    'call delayed': n(calls.delayed),
    'delivery dropped': n(deliveries.dropped),
    'delivery duplicated': n(deliveries.duplicated),
    'delivery delayed': n(deliveries.delayed),
    'delivery reordered': n(deliveries.reordered),
    // Replayed by key: events the recorded run did not have (delivered plainly).
    'script mismatches': n(deliveries.scriptMismatches),
  };
}
