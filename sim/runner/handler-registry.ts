import { createAuditHandler } from '../../lambdas/handlers/audit';
import { createOnAlarmHandler } from '../../lambdas/handlers/on-alarm';
import { createOnChangeHandler } from '../../lambdas/handlers/on-change';
import { createRouteChangeHandler } from '../../lambdas/handlers/route-change';
import { createSyncAlarmsHandler } from '../../lambdas/handlers/sync-alarms';
import type { WatchdogRuntime } from '../../lambdas/handlers/watchdog-runtime';

/** A handler as the runner invokes it: the event in, a promise of its result out. */
export type InvocableHandler = (event: never) => Promise<unknown>;

/**
 * The handlers by the name the construct tags their functions with. The runner builds each with the same
 * factory its Lambda entry point uses; only the runtime (environment) differs.
 */
export const HANDLER_FACTORIES: Readonly<Record<string, (runtime: () => WatchdogRuntime) => InvocableHandler>> = {
  'route-change': createRouteChangeHandler,
  'on-change': createOnChangeHandler,
  'sync-alarms': createSyncAlarmsHandler,
  'on-alarm': createOnAlarmHandler,
  audit: createAuditHandler,
};
