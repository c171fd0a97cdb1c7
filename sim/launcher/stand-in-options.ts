import * as z from 'zod';
import { IdentitySpecSchema } from '../front/identity-registry';
import { TrafficUpdateSchema } from '../traffic/traffic-settings';
import { WORLD_NAMES } from '../worlds';

/** The account moto plays unless told otherwise. */
export const DEFAULT_ACCOUNT_ID = '123456789012';
/** The Region unless configured. */
export const DEFAULT_REGION = 'us-east-1';

/**
 * Options of {@link startStandIn}; every field is optional.
 * @example { "port": 0, "world": "demo", "clock": { "speed": 0, "warmupMinutes": 30 } }
 */
export const StandInOptionsSchema = z
  .object({
    /** Front port on 127.0.0.1; 0 picks a free one. @default 0 */
    port: z.number().int().min(0).max(65535).default(0),
    /** Starting state. @default 'demo' */
    world: z.enum(WORLD_NAMES).default('demo'),
    /** @default 'us-east-1' */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).default(DEFAULT_REGION),
    /** Account moto plays (passed as MOTO_ACCOUNT_ID; ignored with `backendUrl`). @default '123456789012' */
    accountId: z.string().regex(/^\d{12}$/).default(DEFAULT_ACCOUNT_ID),
    /** An already running moto or LocalStack to use instead of starting moto. */
    backendUrl: z.url().optional(),
    /** Python interpreter that has moto. @default 'python3' */
    python: z.string().min(1).optional(),
    /** Real milliseconds between an ELBv2 call and its CloudTrail event on the bus. @default 200 */
    cloudTrailDelayMs: z.number().int().min(0).max(600_000).default(200),
    /** DynamoDB: dynalite in this process, or the backend's own. @default 'dynalite' */
    dynamo: z.enum(['dynalite', 'backend']).default('dynalite'),
    clock: z
      .object({
        /** Sim seconds per real second; 0 = time moves only when advanced. @default 1 */
        speed: z.number().min(0).max(100_000).default(1),
        /** Sim minutes of normal traffic simulated before the stand-in is ready (anomaly history). @default 0 */
        warmupMinutes: z.number().int().min(0).max(7 * 24 * 60).default(0),
        /** Sim time when ready. @default now */
        start: z.coerce.date().optional(),
      })
      .strict()
      .default({ speed: 1, warmupMinutes: 0 }),
    /** Traffic settings over the world's defaults. */
    traffic: TrafficUpdateSchema.default({}),
    /** Enforce ELBv2's API token buckets per account (AWS's sizes), also after resets; `/_sim/faults` can override. @default false */
    elbApiBuckets: z.boolean().default(false),
    /** Access keys that stand for roles (e.g. the watchdog's own), beyond the default key = IAM user. */
    identities: z.array(IdentitySpecSchema).max(1000).default([]),
  })
  .strict();

/** Input options (all optional). */
export type StandInOptions = z.input<typeof StandInOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedStandInOptions = z.output<typeof StandInOptionsSchema>;
