/**
 * The second half of `npm run build`: bundles each Lambda handler into `dist/lambda-bundles/<handler>/`
 * (`index.js` and its source map), which the published package carries and `ElbWatchdog` deploys as they
 * are, so a user's `cdk synth` needs neither esbuild nor Docker. Development tooling: not compiled into
 * the package (tsconfig.build.json leaves it out); run with tsx.
 *
 * Every bundle: esbuild, minified, CommonJS for the `nodejs24.x` runtime, the AWS SDK inside (the runtime's
 * own copy is older than the one the tests run, and AWS updates it on its own schedule), one bundle per
 * handler with only the SDK clients that handler calls (`lambdas/handlers/runtime-parts.ts`), zod's
 * smaller entry (`zod/mini`, `lambdas/core/zod.ts`) in everything a handler imports. Bundles today:
 * on-change 498 KB, audit 469, on-alarm 406, route-change 322, sync-alarms 310 (target: under 500 KB).
 * Substitutions keep each bundle under that without changing what runs in Lambda (`npm run bench`
 * measures the alternatives):
 * - `@aws-sdk/credential-provider-node` (the default credential chain: SSO, profiles, web identity,
 *   containers, IMDS; ~90 KB with the clients it brings) becomes `lambdas/handlers/lambda-credentials.ts`:
 *   Lambda hands a function its role's credentials in environment variables, the chain's first link.
 * - The SDK packages' `package.json` files, imported whole for the `version` in the user agent, shrink to
 *   that version (~10 KB).
 * - `@smithy/core/event-streams` becomes `lambdas/handlers/no-event-streams.ts`: loaded only for an
 *   operation with an event-stream member, which no bundled client has (~15 KB).
 * - The SDK's JavaScript SHA-256, the fallback for a Node.js without a native one, becomes
 *   `lambdas/handlers/no-js-sha256.ts` (~3 KB).
 * - `@aws-sdk/endpoint-cache` (DynamoDB endpoint discovery's LRU, never filled: discovery is off) becomes
 *   `lambdas/handlers/no-endpoint-cache.ts` (~5 KB).
 * - `@aws-sdk/signature-v4-multi-region` (STS's and EventBridge's signer, SigV4a when an endpoint asks for
 *   it, which needs a library no bundle carries) becomes `lambdas/handlers/sigv4-only.ts`: plain SigV4, as
 *   the real signer signs in Lambda (~4 KB).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { HANDLER_BUNDLES_DIR, WATCHDOG_HANDLER_NAMES, type WatchdogHandlerName } from '../lib/handler-bundles';

const ROOT = path.join(__dirname, '..');

/**
 * How a bundle is built: `shipped` is what the package carries; the others are the alternatives the
 * benchmark measures against it: the SDK bundled as it is (without the two substitutions), and the
 * runtime's own SDK (`@aws-sdk/*` left out of the bundle).
 */
export type BundleVariant = 'shipped' | 'sdk-as-is' | 'runtime-sdk';

/** One built bundle. */
export interface BuiltBundle {
  readonly handler: WatchdogHandlerName;
  readonly file: string;
  readonly bytes: number;
}

/** Only the `version` of an AWS SDK package's package.json: the one field the SDK reads from it. */
const sdkPackageVersionOnly: esbuild.Plugin = {
  name: 'sdk-package-version-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, (args) => {
      const { version } = JSON.parse(fs.readFileSync(args.path, 'utf8')) as { version: string };
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** `Sha256Node`'s fallback for a Node.js without native SHA-256 becomes `lambdas/handlers/no-js-sha256.ts`. */
const noJsSha256: esbuild.Plugin = {
  name: 'no-js-sha256',
  setup(build) {
    build.onResolve({ filter: /^\.\/Sha256Js$/ }, (args) =>
      /[\\/]@smithy[\\/]core[\\/].*[\\/]checksum[\\/]sha256[\\/]Sha256Node\.js$/.test(args.importer) ? { path: path.join(ROOT, 'lambdas', 'handlers', 'no-js-sha256.ts') } : undefined,
    );
  },
};

/** The esbuild options of one handler's bundle. */
export function bundleOptions(handler: WatchdogHandlerName, outdir: string, variant: BundleVariant = 'shipped'): esbuild.BuildOptions {
  return {
    entryPoints: [path.join(ROOT, 'lambdas', 'handlers', `${handler}.ts`)],
    outfile: path.join(outdir, handler, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    // Stack traces name our files and lines (NODE_OPTIONS=--enable-source-maps); the sources themselves
    // would triple the map.
    sourcemap: true,
    sourcesContent: false,
    // The SDK's ES modules tree-shake; its CommonJS builds do not.
    mainFields: ['module', 'main'],
    // The SDK loads some Node.js built-ins lazily (`import('node:http')`): `require` them, as any CommonJS
    // module does, so the bundle also runs where dynamic import is unavailable (a vm context, like jest's).
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
    ...(variant === 'runtime-sdk' ? { external: ['@aws-sdk/*'] } : {}),
    ...(variant === 'shipped'
      ? {
          alias: {
            '@aws-sdk/credential-provider-node': path.join(ROOT, 'lambdas', 'handlers', 'lambda-credentials.ts'),
            '@smithy/core/event-streams': path.join(ROOT, 'lambdas', 'handlers', 'no-event-streams.ts'),
            '@aws-sdk/endpoint-cache': path.join(ROOT, 'lambdas', 'handlers', 'no-endpoint-cache.ts'),
            '@aws-sdk/signature-v4-multi-region': path.join(ROOT, 'lambdas', 'handlers', 'sigv4-only.ts'),
          },
          plugins: [sdkPackageVersionOnly, noJsSha256],
        }
      : {}),
  };
}

/** Bundles every handler into `outdir` (default: the package's `dist/lambda-bundles`), replacing what was there. */
export async function bundleHandlers(outdir: string = path.join(ROOT, HANDLER_BUNDLES_DIR), variant: BundleVariant = 'shipped'): Promise<BuiltBundle[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  return Promise.all(
    WATCHDOG_HANDLER_NAMES.map(async (handler) => {
      const options = bundleOptions(handler, outdir, variant);
      await esbuild.build(options);
      const file = options.outfile as string;
      return { handler, file, bytes: fs.statSync(file).size };
    }),
  );
}

if (require.main === module) {
  const started = Date.now();
  bundleHandlers()
    .then((bundles) => {
      const sizes = bundles.map((b) => `${b.handler} ${(b.bytes / 1024).toFixed(0)} KB`).join(', ');
      // On stderr: `cdk synth` runs this before the app (cdk.json), and its stdout is the template.
      process.stderr.write(`bundled ${bundles.length} handlers into ${HANDLER_BUNDLES_DIR} in ${Date.now() - started} ms: ${sizes}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bundling failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
