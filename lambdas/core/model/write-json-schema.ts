/**
 * Writes `schema/load-balancer-snapshot.schema.json` from the zod snapshot schema (`npm run schema`,
 * i.e. `tsx lambdas/core/model/write-json-schema.ts`). With `--check` it writes nothing and exits 1 when
 * the committed file differs. A build script, not runtime code: the only core file that touches disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchemaText } from './json-schema';

/** Writes (or with `check`, compares) the schema file under `root`; returns false when a check fails. */
export function writeJsonSchema(root: string, check = false): boolean {
  const file = path.join(root, SNAPSHOT_JSON_SCHEMA_PATH);
  const text = snapshotJsonSchemaText();
  if (check) return fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const ok = writeJsonSchema(path.resolve(__dirname, '../../..'), check);
  process.stdout.write(check ? (ok ? `${SNAPSHOT_JSON_SCHEMA_PATH} is up to date\n` : `${SNAPSHOT_JSON_SCHEMA_PATH} is stale: run npm run schema\n`) : `wrote ${SNAPSHOT_JSON_SCHEMA_PATH}\n`);
  if (!ok) process.exitCode = 1;
}
