/**
 * Runs every `bench/*.bench.ts` in name order, one after the other (`npm run bench` = `tsx bench/run.ts`).
 * Contract for a bench file: it exports `async function run(): Promise<void>` that measures and prints;
 * importing it must not start measuring (so files can share helpers). A file without `run` is an error.
 * Optional filter: `tsx bench/run.ts core` runs only files whose name contains `core`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// The SDK's notice that it will need Node 22 from 2027 is noise between the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
    .sort();
  for (const file of files) {
    process.stdout.write(`\n## ${file}\n`);
    const mod = (await import(path.join(__dirname, file))) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
    await mod.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
