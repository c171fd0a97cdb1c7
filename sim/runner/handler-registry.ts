import { handlerEntry, type WatchdogHandlerName } from '../../lib/watchdog-function';

/** The handler names the construct tags its functions with. */
export const HANDLER_NAMES: readonly WatchdogHandlerName[] = ['route-change', 'on-change', 'sync-alarms', 'on-alarm', 'audit'];

/** The export Lambda calls in every handler module (the functions' `Handler` is `index.handler`). */
export const HANDLER_EXPORT = 'handler';

/**
 * The one place that says which module an execution environment loads for a handler: the same entry the
 * construct bundles (`lambdas/handlers/NAME.ts` from sources, `NAME.js` beside the compiled `lib/`).
 */
export function handlerModule(name: string): string {
  if (!(HANDLER_NAMES as readonly string[]).includes(name)) throw new Error(`unknown handler ${name} (known: ${HANDLER_NAMES.join(', ')})`);
  return handlerEntry(name as WatchdogHandlerName);
}
