import * as fs from 'node:fs';
import * as path from 'node:path';

/** The watchdog's handlers: one file each in `lambdas/handlers/`, each bundled on its own by `npm run build`. */
export const WATCHDOG_HANDLER_NAMES = ['route-change', 'on-change', 'sync-alarms', 'on-alarm', 'audit'] as const;

/** One of the watchdog's handlers. */
export type WatchdogHandlerName = (typeof WATCHDOG_HANDLER_NAMES)[number];

/** Where `npm run build` writes the bundles, under the package root: `<this>/<handler>/index.js`. */
export const HANDLER_BUNDLES_DIR = path.join('dist', 'lambda-bundles');

/**
 * The root of the package: this file runs as `dist/lib/handler-bundles.js` in the published package and
 * as `lib/handler-bundles.ts` from the repository's sources (tests, `cdk synth` through tsx).
 */
function packageRoot(): string {
  const parent = path.dirname(__dirname);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
}

/** The directory of one handler's prebuilt bundle; an error naming the fix when it was not built. */
export function handlerBundleDirectory(name: WatchdogHandlerName): string {
  const directory = path.join(packageRoot(), HANDLER_BUNDLES_DIR, name);
  const entry = path.join(directory, 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`ElbWatchdog: the ${name} handler bundle ${entry} is missing: run \`npm run build\``);
  return directory;
}
