/**
 * The size of each Lambda asset the CDK app ships: synthesizes the ready stack with bundling (local
 * esbuild, as `cdk synth` does) into a temporary directory and prints, per handler, the minified bundle,
 * its source map, and the bundle deflated (about its share of the zip Lambda stores).
 * Target: the largest bundle under 500 KB.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { ElbWatchdogStack } from '../lib/watchdog-stack';

/** The largest bundle the project aims for, in bytes. */
export const TARGET_BYTES = 500 * 1024;

/** One handler's asset sizes, in bytes. */
export interface AssetSize {
  readonly handler: string;
  readonly bundle: number;
  readonly sourceMap: number;
  readonly deflated: number;
}

/** Synthesizes the stack and measures every Lambda asset. */
export function measureLambdaAssets(): AssetSize[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-assets-'));
  try {
    const app = new App({ outdir });
    const stack = new ElbWatchdogStack(app, 'ElbWatchdog');
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }>;
    };
    const sizes: AssetSize[] = [];
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const hash = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '');
      if (hash === undefined) continue;
      const dir = path.join(assembly.directory, `asset.${hash}`);
      const bundle = fs.readFileSync(path.join(dir, 'index.js'));
      const map = path.join(dir, 'index.js.map');
      sizes.push({
        handler: (resource.Properties.Description ?? hash).replace(/^ELB Watchdog: /, ''),
        bundle: bundle.length,
        sourceMap: fs.existsSync(map) ? fs.statSync(map).size : 0,
        deflated: zlib.deflateRawSync(bundle, { level: 9 }).length,
      });
    }
    return sizes.sort((a, b) => b.bundle - a.bundle);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Prints every asset's size and whether the largest meets the target. */
export async function run(): Promise<void> {
  const started = Date.now();
  const sizes = measureLambdaAssets();
  console.log(`Lambda assets (minified, bundled with the AWS SDK; synth ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${'handler'.padEnd(14)}${'bundle'.padStart(12)}${'source map'.padStart(14)}${'deflated'.padStart(12)}`);
  for (const size of sizes) {
    console.log(`${size.handler.padEnd(14)}${kb(size.bundle).padStart(12)}${kb(size.sourceMap).padStart(14)}${kb(size.deflated).padStart(12)}`);
  }
  const largest = sizes[0];
  if (largest !== undefined) {
    const verdict = largest.bundle <= TARGET_BYTES ? 'meets' : 'misses';
    console.log(`largest: ${largest.handler} ${kb(largest.bundle)}, ${verdict} the ${kb(TARGET_BYTES)} target`);
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
