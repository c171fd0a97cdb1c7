import * as fs from 'node:fs';
import * as path from 'node:path';
import { handlerBundleDirectory, WATCHDOG_HANDLER_NAMES, type WatchdogHandlerName } from '../../lib/handler-bundles';

/** The handler names the construct tags its functions with. */
export const HANDLER_NAMES: readonly WatchdogHandlerName[] = WATCHDOG_HANDLER_NAMES;

/** The export Lambda calls in every handler module (the functions' `Handler` is `index.handler`). */
export const HANDLER_EXPORT = 'handler';

/**
 * Where the runner takes the handlers' code from (`ELB_WATCHDOG_HANDLERS`):
 * - `bundles` (the default): the bundles `npm run build` made, the files `ElbWatchdog` deploys. The
 *   end-to-end tests, `elb-watchdog sim` and `demo` run them, so the code deployed is the code tested.
 * - `sources`: the TypeScript handlers, for stepping through them in a debugger.
 */
export const HANDLER_CODE_ENV = 'ELB_WATCHDOG_HANDLERS';

/** Which code the runner loads now. */
export function handlerCodeSource(): 'bundles' | 'sources' {
  const value = process.env[HANDLER_CODE_ENV] ?? 'bundles';
  if (value !== 'bundles' && value !== 'sources') throw new Error(`${HANDLER_CODE_ENV}=${value}: expected bundles or sources`);
  return value;
}

function sourceEntry(name: WatchdogHandlerName): string {
  const base = path.join(__dirname, '..', '..', 'lambdas', 'handlers', name);
  const found = ['.ts', '.js'].map((ext) => base + ext).find((file) => fs.existsSync(file));
  if (found === undefined) throw new Error(`handler entry ${base}.ts (or .js) not found`);
  return found;
}

/**
 * The one place that says which module an execution environment loads for a handler: its prebuilt bundle
 * (`dist/lambda-bundles/NAME/index.js`, what the construct deploys), or its source with
 * `ELB_WATCHDOG_HANDLERS=sources`.
 */
export function handlerModule(name: string): string {
  if (!(HANDLER_NAMES as readonly string[]).includes(name)) throw new Error(`unknown handler ${name} (known: ${HANDLER_NAMES.join(', ')})`);
  const handler = name as WatchdogHandlerName;
  return handlerCodeSource() === 'sources' ? sourceEntry(handler) : path.join(handlerBundleDirectory(handler), 'index.js');
}
