import * as z from '../zod';
import { LoadBalancerSnapshotSchema } from './snapshot';

/** Where the published schema lives, relative to the repository root. */
export const SNAPSHOT_JSON_SCHEMA_PATH = 'schema/load-balancer-snapshot.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a load balancer snapshot, generated from the zod schema so the two
 * never drift. Input form: members with defaults are optional, as a hand-written snapshot may omit them.
 */
export function snapshotJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(LoadBalancerSnapshotSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'urn:elb-watchdog:schema:load-balancer-snapshot:1',
    title: 'ELB Watchdog load balancer snapshot',
    description: 'The configuration of one Elastic Load Balancing v2 load balancer: listeners, rules, target groups, targets.',
  };
}

/** The schema file's exact text (two-space JSON and a final newline). */
export function snapshotJsonSchemaText(): string {
  return `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`;
}
