import * as fs from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchemaText } from '../../../lambdas/core/model/json-schema';

describe('Schema file: load-balancer-snapshot.schema.json', () => {
  it('equals the one generated from the zod schema (run `npm run schema` after changing the model)', () => {
    // Prepare
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', SNAPSHOT_JSON_SCHEMA_PATH), 'utf8');

    // Act
    const generated = snapshotJsonSchemaText();

    // Assess
    expect(committed).toBe(generated);
  });

  it('describes every top-level member of a snapshot', () => {
    // Act
    const schema = JSON.parse(snapshotJsonSchemaText()) as { properties: Record<string, unknown>; required: string[] };

    // Assess
    expect(Object.keys(schema.properties)).toEqual(['schemaVersion', 'capturedAt', 'loadBalancer', 'listeners', 'targetGroups']);
    expect(schema.required).toEqual(['schemaVersion', 'capturedAt', 'loadBalancer', 'listeners', 'targetGroups']);
  });
});
