import * as path from 'node:path';
import { handlerBundleDirectory, WATCHDOG_HANDLER_NAMES, type WatchdogHandlerName } from '../../lib/handler-bundles';
import { localEntry as audit } from '../../lambdas/handlers/audit';
import { localEntry as onAlarm } from '../../lambdas/handlers/on-alarm';
import { localEntry as onChange } from '../../lambdas/handlers/on-change';
import { localEntry as routeChange } from '../../lambdas/handlers/route-change';
import { localEntry as syncAlarms } from '../../lambdas/handlers/sync-alarms';
import type { BaseRuntime } from '../../lambdas/handlers/runtime-parts';
import type { WatchdogRuntime } from '../../lambdas/handlers/watchdog-runtime';

/** A handler as the runner invokes it: the event in, a promise of its result out. */
export type InvocableHandler = (event: never) => Promise<unknown>;

/**
 * Where the runner takes the handlers' code from (`ELB_WATCHDOG_HANDLERS`):
 * - `bundles` (the default): the bundles `npm run build` made, the files `ElbWatchdog` deploys. The
 *   end-to-end tests, `elb-watchdog sim` and `demo` run them, so the code deployed is the code tested.
 * - `sources`: the TypeScript handlers, for stepping through them in a debugger.
 */
export const HANDLER_CODE_ENV = 'ELB_WATCHDOG_HANDLERS';

/** A handler factory, given the runtime the runner builds (every part, from the function's environment). */
type HandlerFactory = (runtime: () => WatchdogRuntime) => InvocableHandler;

/** What every handler module (and so every bundle) exports for a local runner: `localEntry`. */
interface BundleEntry {
  readonly createHandler: (runtime: () => unknown) => InvocableHandler;
  readonly createRuntime: (environment: NodeJS.ProcessEnv) => { destroy(): void };
}

const FROM_SOURCES: Readonly<Record<WatchdogHandlerName, HandlerFactory>> = {
  'route-change': routeChange.createHandler,
  'on-change': onChange.createHandler,
  'sync-alarms': syncAlarms.createHandler,
  'on-alarm': onAlarm.createHandler,
  audit: audit.createHandler,
};

/** The local entry of a handler's bundle, loaded (once per process) from its prebuilt directory. */
function bundleEntry(name: WatchdogHandlerName): BundleEntry {
  const file = path.join(handlerBundleDirectory(name), 'index.js');
  // Stack traces through the bundle's source map name our TypeScript files, as in Lambda (the construct sets
  // NODE_OPTIONS=--enable-source-maps). Not under jest, whose module loader does not apply them: set
  // ELB_WATCHDOG_HANDLERS=sources to debug a handler there.
  process.setSourceMapsEnabled(true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle chosen at run time
  const loaded = require(file) as { localEntry?: Partial<BundleEntry> };
  const entry = loaded.localEntry;
  if (typeof entry?.createHandler !== 'function' || typeof entry.createRuntime !== 'function') {
    throw new Error(`${file} exports no localEntry { createHandler, createRuntime }: rebuild it with \`npm run build\``);
  }
  return entry as BundleEntry;
}

function codeSource(): 'bundles' | 'sources' {
  const value = process.env[HANDLER_CODE_ENV] ?? 'bundles';
  if (value !== 'bundles' && value !== 'sources') throw new Error(`${HANDLER_CODE_ENV}=${value}: expected bundles or sources`);
  return value;
}

/**
 * A handler run from its bundle. The runner hands every handler a runtime built from the sources, with the
 * function's environment; the bundle builds its own from that environment (so its own SDK clients and
 * adapters run, as in Lambda), and closes it when the runner closes the one it handed over.
 */
function fromBundle(name: WatchdogHandlerName): HandlerFactory {
  return (runtime) => {
    const entry = bundleEntry(name);
    let own: { destroy(): void } | undefined;
    return entry.createHandler(() => {
      if (own === undefined) {
        const host: BaseRuntime = runtime();
        own = entry.createRuntime(host.environment);
        const closeHost = host.destroy;
        const closeOwn = own.destroy;
        host.destroy = () => {
          closeOwn();
          closeHost();
        };
      }
      return own;
    });
  };
}

/**
 * The handlers by the name the construct tags their functions with. The runner builds each with the same
 * factory its Lambda entry point uses; only the runtime (environment) differs.
 */
export const HANDLER_FACTORIES: Readonly<Record<string, HandlerFactory>> = Object.fromEntries(
  WATCHDOG_HANDLER_NAMES.map((name): [string, HandlerFactory] => [name, (runtime) => (codeSource() === 'sources' ? FROM_SOURCES[name] : fromBundle(name))(runtime)]),
);
