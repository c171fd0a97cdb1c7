import * as z from 'zod';
import { RequestMixSchema } from './routing/request-mix';

// The fields once, without defaults: updates must not reset what they do not name.
const fields = {
  /** Requests per minute a load balancer receives unless set per load balancer. */
  defaultRequestsPerMinute: z.number().min(0).max(1e9),
  /** Requests per minute a target serves before it is overloaded, unless set per target. */
  defaultCapacityPerMinute: z.number().min(1).max(1e9),
  /** Consecutive overloaded sim minutes after which a target crashes (fails health checks). */
  crashAfterMinutes: z.number().int().min(1).max(1440),
  /** Consecutive sim minutes back under capacity after which a crashed target recovers. */
  recoverAfterMinutes: z.number().int().min(1).max(1440),
  /** Relative random variation of each minute's rate (keeps anomaly bands from collapsing). */
  noise: z.number().min(0).max(0.5),
  /** Average bytes per NLB flow, for ProcessedBytes. */
  bytesPerFlow: z.number().min(0).max(1e9),
  /** Per load balancer rate, by name or ARN. */
  loadBalancers: z.record(z.string(), z.number().min(0).max(1e9)),
  /** Per target capacity, by target id. */
  targets: z.record(z.string(), z.number().min(1).max(1e9)),
  /** Per load balancer (name or ARN), the kinds of requests it receives by host and path; none: all take the default rule. */
  requestMix: z.record(z.string(), RequestMixSchema),
};

/**
 * How traffic behaves in the stand-in. Rates and capacities are requests per sim minute.
 * @example { "defaultRequestsPerMinute": 4000, "defaultCapacityPerMinute": 1500, "crashAfterMinutes": 2 }
 */
export const TrafficSettingsSchema = z
  .object({
    defaultRequestsPerMinute: fields.defaultRequestsPerMinute.default(1000),
    defaultCapacityPerMinute: fields.defaultCapacityPerMinute.default(1500),
    crashAfterMinutes: fields.crashAfterMinutes.default(2),
    recoverAfterMinutes: fields.recoverAfterMinutes.default(5),
    noise: fields.noise.default(0.03),
    bytesPerFlow: fields.bytesPerFlow.default(20_000),
    loadBalancers: fields.loadBalancers.default({}),
    targets: fields.targets.default({}),
    requestMix: fields.requestMix.default({}),
  })
  .strict();

/** Parsed traffic settings. */
export type TrafficSettings = z.infer<typeof TrafficSettingsSchema>;

/**
 * The body of `POST /_sim/traffic` (and the `traffic` launcher option): any subset; maps merge key by key.
 * @example { "loadBalancers": { "web": 6000 }, "targets": { "i-0abc": 3000 } }
 * @example { "requestMix": { "web": [{ "host": "www.example.com", "path": "/api/orders", "share": 0.3 }] } }
 */
export const TrafficUpdateSchema = z.object(fields).partial().strict();

/** A partial update of the traffic settings. */
export type TrafficUpdate = z.infer<typeof TrafficUpdateSchema>;

/** Merges an update into settings (maps merge key by key). */
export function mergeTraffic(current: TrafficSettings, update: TrafficUpdate): TrafficSettings {
  return TrafficSettingsSchema.parse({
    ...current,
    ...update,
    loadBalancers: { ...current.loadBalancers, ...(update.loadBalancers ?? {}) },
    targets: { ...current.targets, ...(update.targets ?? {}) },
    // A load balancer's mix is replaced whole; [] gives it back the default (every request on the default rule).
    requestMix: { ...current.requestMix, ...(update.requestMix ?? {}) },
  });
}
