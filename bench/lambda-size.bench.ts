/**
 * What the package ships for Lambda, measured as deployed: each handler's bundle (`index.js`, the file
 * Lambda loads; target <= 500 KB) built from the current sources exactly as `npm run build` builds it,
 * its module init time (loading it in a fresh Node.js with `--enable-source-maps`, as the construct runs
 * it; median of 5), the same bundle built the two other ways considered (the SDK bundled as it is,
 * without the credential-chain and package.json substitutions; `@aws-sdk/*` left to the runtime), and the
 * npm tarball's size and file count (`npm pack`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { bundleHandlers, type BuiltBundle, type BundleVariant } from '../bin/bundle-handlers';

/** The largest bundle the project aims for, in bytes. */
export const TARGET_BYTES = 500 * 1024;

const ROOT = path.join(__dirname, '..');
const INIT_RUNS = 5;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Milliseconds to load a bundle in a fresh Node.js, from a copy in a directory of its own (no
 * node_modules anywhere above it: what it needs must be inside, as in Lambda).
 */
function initMs(bundle: BuiltBundle): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-init-'));
  try {
    for (const file of fs.readdirSync(path.dirname(bundle.file))) fs.copyFileSync(path.join(path.dirname(bundle.file), file), path.join(dir, file));
    const script = "const t=process.hrtime.bigint();require('./index.js');process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))";
    const runs = Array.from({ length: INIT_RUNS }, () =>
      Number(execFileSync(process.execPath, ['--enable-source-maps', '-e', script], { cwd: dir, env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } }).toString()),
    );
    return median(runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The tarball `npm pack` makes (its `prepare` runs the build first). */
function tarball(): { size: number; unpackedSize: number; entryCount: number } {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--foreground-scripts=false'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const [packed] = JSON.parse(out.slice(out.indexOf('['))) as { size: number; unpackedSize: number; entryCount: number }[];
  return packed;
}

async function build(variant: BundleVariant): Promise<BuiltBundle[]> {
  return bundleHandlers(fs.mkdtempSync(path.join(os.tmpdir(), `elb-watchdog-${variant}-`)), variant);
}

/** Prints every bundle's size and init time, the alternatives, and the tarball. */
export async function run(): Promise<void> {
  const [shipped, sdkAsIs, runtimeSdk] = [await build('shipped'), await build('sdk-as-is'), await build('runtime-sdk')];
  const byHandler = (bundles: BuiltBundle[], handler: string) => bundles.find((b) => b.handler === handler)?.bytes ?? 0;
  console.log('Lambda bundles as shipped (esbuild, minified, node24, AWS SDK inside; index.js is the file Lambda loads)');
  console.log(
    `${'handler'.padEnd(14)}${'index.js'.padStart(11)}${'deflated'.padStart(11)}${'init'.padStart(10)}${'SDK as is'.padStart(12)}${'runtime SDK'.padStart(14)}`,
  );
  for (const bundle of [...shipped].sort((a, b) => b.bytes - a.bytes)) {
    const deflated = zlib.deflateRawSync(fs.readFileSync(bundle.file), { level: 9 }).length;
    console.log(
      `${bundle.handler.padEnd(14)}${kb(bundle.bytes).padStart(11)}${kb(deflated).padStart(11)}${`${initMs(bundle).toFixed(0)} ms`.padStart(10)}` +
        `${kb(byHandler(sdkAsIs, bundle.handler)).padStart(12)}${kb(byHandler(runtimeSdk, bundle.handler)).padStart(14)}`,
    );
  }
  const largest = shipped.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  console.log(`largest: ${largest.handler} ${kb(largest.bytes)}, ${largest.bytes <= TARGET_BYTES ? 'meets' : 'misses'} the ${kb(TARGET_BYTES)} target`);
  console.log('(SDK as is: with its whole default credential chain and package.json files; runtime SDK: @aws-sdk/* left to the runtime\'s copy)');
  console.log(`(init: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores while measuring)`);
  for (const bundles of [shipped, sdkAsIs, runtimeSdk]) fs.rmSync(path.dirname(path.dirname(bundles[0].file)), { recursive: true, force: true });

  const packed = tarball();
  console.log(`npm tarball: ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files`);
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
