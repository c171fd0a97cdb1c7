import * as z from 'zod';

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
    throttleRate: z.number().min(0).max(1).default(0),
    /** Share of matching calls answered with a 500 `InternalFailure` or 503 `ServiceUnavailable`. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Force one of the two server errors instead of choosing at random. */
    errorCode: z.enum(['InternalFailure', 'ServiceUnavailable']).optional(),
    /** Added latency before the call is answered. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();

/**
 * The body of `POST /_sim/faults`.
 * @example { "rules": [{ "service": "elasticloadbalancing", "throttleRate": 1 }], "seed": 42 }
 */
export const FaultConfigSchema = z
  .object({
    rules: z.array(FaultRuleSchema).max(50),
    /** Seed of the PRNG that decides which calls fail, so a run can be replayed. @default 1 */
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  })
  .strict();

/** One parsed fault rule. */
export type FaultRule = z.infer<typeof FaultRuleSchema>;
/** A parsed fault configuration. */
export type FaultConfig = z.infer<typeof FaultConfigSchema>;
