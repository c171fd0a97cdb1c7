import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TargetHealthStateSchema, type Target } from '../core/model/snapshot';

/**
 * SDK output shapes → the core's snapshot model, for what the core's converters do not cover (actions and
 * conditions go through `lambdas/core/events/convert-actions`, which reads either casing).
 */

/** One DescribeTargetHealth entry as a model target. */
export function toModelTarget(description: TargetHealthDescription): Target | undefined {
  const id = description.Target?.Id;
  if (id === undefined) return undefined;
  const state = TargetHealthStateSchema.safeParse(description.TargetHealth?.State);
  return {
    id,
    port: description.Target?.Port,
    availabilityZone: description.Target?.AvailabilityZone,
    health: state.success ? state.data : 'unavailable',
    reason: description.TargetHealth?.Reason,
  };
}

/** `[{Key, Value}]` as a plain record. */
export function toRecord(pairs: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs ?? []) if (pair.Key !== undefined) record[pair.Key] = pair.Value ?? '';
  return record;
}
