import { ENV } from '../core/config/watchdog-environment';
import { isOwnCallEvent } from '../core/workflow/own-change';
import { syncAlarms, type SyncAlarmsResult } from '../core/workflow/sync-alarms';
import {
  alarmsPart,
  elbv2Part,
  lazyRuntime,
  runtimeBuilder,
  type AlarmsPart,
  type BaseRuntime,
  type Elbv2Part,
} from './runtime-parts';
import { MetricUnit } from './telemetry/emf-metrics';

/** What `sync-alarms` uses: only these clients end up in its bundle. */
export type SyncAlarmsRuntime = BaseRuntime & Elbv2Part & AlarmsPart;

/** Its runtime, from the function's environment. */
export function createSyncAlarmsRuntime(environment: NodeJS.ProcessEnv): SyncAlarmsRuntime {
  const builder = runtimeBuilder(environment);
  return { ...builder.base, ...elbv2Part(builder), ...alarmsPart(builder) };
}

/**
 * The events that woke the function: the bodies of a batch from the nudge queue (each an EventBridge event),
 * or the event itself (the schedule's). A body that is not JSON still counts as a nudge.
 */
function nudgesIn(event: unknown): unknown[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [event];
  return records.map((record: { eventSource?: unknown; body?: unknown }) => {
    if (record?.eventSource !== 'aws:sqs' || typeof record.body !== 'string') return record;
    try {
      return JSON.parse(record.body) as unknown;
    } catch {
      return record.body;
    }
  });
}

/**
 * Keeps the per-target-group alarms in step. Whatever woke it (a batch of change events, the schedule), it
 * reconciles everything in scope once: the events are only nudges, so a lost or duplicated event cannot
 * leave an alarm behind. The watchdog's own calls (its reverts) nudge nothing.
 */
export function createSyncAlarmsHandler(runtime: () => SyncAlarmsRuntime) {
  return async (event: unknown): Promise<SyncAlarmsResult | { skipped: 'own-call' }> => {
    const rt = runtime();
    // Only the watchdog's own reverts: nothing a sync has not seen (the schedule reconciles the rest).
    const nudges = nudgesIn(event);
    if (nudges.length > 0 && nudges.every((nudge) => isOwnCallEvent(nudge, rt.env[ENV.ownRoleNames]))) {
      rt.logger.info('own calls only: alarms not re-synchronised', { events: nudges.length });
      return { skipped: 'own-call' };
    }
    try {
      const result = await syncAlarms({
        reader: rt.reader,
        alarms: rt.alarms,
        scope: rt.env[ENV.scope],
        settings: rt.env[ENV.alarmSettings],
      });
      rt.logger.info('alarms reconciled', { put: result.put, deleted: result.deleted, unchanged: result.unchanged });
      rt.metrics.addMetric('AlarmsPut', MetricUnit.Count, result.put.length);
      rt.metrics.addMetric('AlarmsDeleted', MetricUnit.Count, result.deleted.length);
      return result;
    } finally {
      rt.metrics.publishStoredMetrics();
    }
  };
}

/** The Lambda entry point. */
export const handler = createSyncAlarmsHandler(lazyRuntime(() => createSyncAlarmsRuntime(process.env)));

/** The same handler for a local runner (`sim/runner`), under the names every handler bundle exports. */
export const localEntry = { createHandler: createSyncAlarmsHandler, createRuntime: createSyncAlarmsRuntime };
