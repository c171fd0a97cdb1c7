import type { AlarmSpec, ExistingAlarm } from './alarm-spec';

/** What to change so that CloudWatch holds exactly the desired alarms. */
export interface AlarmChanges {
  /** Missing, or present with a different spec: PutMetricAlarm (create and update are one call). */
  readonly put: readonly AlarmSpec[];
  /** Alarms with our prefix that no desired spec names: the group or load balancer is gone. */
  readonly delete: readonly ExistingAlarm[];
  readonly unchanged: number;
}

/**
 * Compares desired alarms with the alarms that exist under the watchdog's prefix. Idempotent by
 * construction: after applying the changes, reconciling again yields none.
 */
export function reconcileAlarms(desired: readonly AlarmSpec[], existing: readonly ExistingAlarm[]): AlarmChanges {
  const existingByName = new Map(existing.map((alarm) => [alarm.name, alarm]));
  const desiredNames = new Set(desired.map((spec) => spec.input.AlarmName));
  const put = desired.filter((spec) => existingByName.get(spec.input.AlarmName)?.fingerprint !== spec.fingerprint);
  const remove = existing.filter((alarm) => !desiredNames.has(alarm.name));
  return { put, delete: remove, unchanged: desired.length - put.length };
}
