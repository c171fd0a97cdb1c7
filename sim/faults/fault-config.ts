import * as z from 'zod';

const rate = z.number().min(0).max(1);

/**
 * One fault rule: which calls it hits (omitted = all) and what happens to them.
 * @example { "service": "elasticloadbalancing", "action": "ModifyListener", "throttleRate": 0.5, "latencyMs": 200 }
 */
export const FaultRuleSchema = z
  .object({
    /** SigV4 signing name: `elasticloadbalancing`, `monitoring`, `sqs`, `sns`, `events`, `dynamodb`, ... */
    service: z.string().min(1).max(64).optional(),
    /** API action, e.g. `ModifyListener`. */
    action: z.string().min(1).max(128).optional(),
    /** Share of matching calls answered with the service's throttling error. */
    throttleRate: rate.default(0),
    /** Share of matching calls answered with a 500 `InternalFailure` or 503 `ServiceUnavailable`. */
    errorRate: rate.default(0),
    /** Force one of the two server errors instead of choosing at random. */
    errorCode: z.enum(['InternalFailure', 'ServiceUnavailable']).optional(),
    /** Added latency before the call is answered. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();

/**
 * What happens to one CloudTrail event on its way to EventBridge. Also the shape of a recorded decision, so a
 * decision list can be posted back as a script: `seq`, `eventName` and `eventID` only say which event it was.
 * @example { "seq": 3, "eventName": "ModifyListener", "reorder": true }
 */
export const DeliveryFateSchema = z
  .object({
    /** Position of the event in call order since the faults were configured (1 = first). Informational. */
    seq: z.number().int().min(1).optional(),
    /** The event's name; when replaying, a different event at this position is counted as a mismatch. */
    eventName: z.string().min(1).max(128).optional(),
    /** The CloudTrail `eventID` it was decided for. Informational. */
    eventID: z.string().max(128).optional(),
    /**
     * Which event it was, whatever the timing: the caller (its role or user, not its access key), the call,
     * its request with resource IDs left out, and its occurrence among equal calls. A script whose entries
     * carry keys is replayed by key: each event meets the fate recorded for its key, in any order, and an
     * event no entry names is delivered plainly.
     */
    key: z.string().min(1).max(1024).optional(),
    /** Where a recorded decision came from. Informational. */
    source: z.enum(['script', 'rules']).optional(),
    /** Set on a recorded decision whose scripted eventName differed. Informational. */
    mismatch: z.boolean().optional(),
    /** Never delivered (listed with status `dropped`). */
    drop: z.boolean().default(false),
    /** Extra copies delivered right after the first (each its own PutEvents, so its own bus event id). */
    duplicates: z.number().int().min(0).max(5).default(0),
    /** Extra real milliseconds before delivery; the event keeps its place, so later events wait behind it. */
    delayMs: z.number().int().min(0).max(600_000).default(0),
    /** Held back until the next event is delivered (or `reorderHoldMs` passed), so it arrives out of call order. */
    reorder: z.boolean().default(false),
  })
  .strict();

/**
 * Seeded delivery faults for the events of some (or all) eventNames; each matching rule draws each fate.
 * @example { "eventName": "ModifyListener", "dropRate": 0.1, "duplicateRate": 0.1, "delayRate": 0.2, "delayMs": 3000, "reorderRate": 0.2 }
 */
export const DeliveryRuleSchema = z
  .object({
    eventName: z.string().min(1).max(128).optional(),
    dropRate: rate.default(0),
    duplicateRate: rate.default(0),
    delayRate: rate.default(0),
    /** The delay a delayed event gets. */
    delayMs: z.number().int().min(0).max(600_000).default(2_000),
    reorderRate: rate.default(0),
  })
  .strict();

/**
 * Faults of CloudTrail's delivery to EventBridge. `script` replays recorded fates: by `key` when its entries
 * have keys (a recorded run's decisions do), else in order (entry n is the fate of the n-th event, and events
 * past its end follow `rules`).
 * @example { "rules": [{ "dropRate": 0.05, "reorderRate": 0.1 }], "seed": 7 }
 */
export const CloudTrailFaultsSchema = z
  .object({
    rules: z.array(DeliveryRuleSchema).max(50).default([]),
    /** Seed of the delivery fates' own PRNG. @default the top-level seed */
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    script: z.array(DeliveryFateSchema).max(100_000).optional(),
    /** Longest a reordered event waits for a later one to overtake it. @default 5000 */
    reorderHoldMs: z.number().int().min(0).max(600_000).default(5_000),
  })
  .strict();

/**
 * The body of `POST /_sim/faults` (it replaces the whole fault configuration; omitted parts go back to their
 * defaults).
 * @example { "rules": [{ "service": "elasticloadbalancing", "throttleRate": 1 }], "seed": 42 }
 * @example { "elbApiBuckets": true, "cloudTrail": { "rules": [{ "eventName": "ModifyListener", "dropRate": 0.5 }] } }
 */
export const FaultConfigSchema = z
  .object({
    rules: z.array(FaultRuleSchema).max(50).default([]),
    /** Seed of the PRNG that decides which calls fail, so a run can be replayed. @default 1 */
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    /** Enforce ELBv2's API token buckets per account. @default the launcher's `elbApiBuckets` option */
    elbApiBuckets: z.boolean().optional(),
    cloudTrail: CloudTrailFaultsSchema.optional(),
  })
  .strict();

/** One parsed fault rule. */
export type FaultRule = z.infer<typeof FaultRuleSchema>;
/** A parsed fault configuration. */
export type FaultConfig = z.infer<typeof FaultConfigSchema>;
/** What happens to one delivery (a scripted entry without its informational fields). */
export type DeliveryFate = Pick<z.infer<typeof DeliveryFateSchema>, 'drop' | 'duplicates' | 'delayMs' | 'reorder'>;
/** Parsed CloudTrail delivery faults. */
export type CloudTrailFaults = z.infer<typeof CloudTrailFaultsSchema>;
