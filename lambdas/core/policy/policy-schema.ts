import * as z from '../zod';
import { RULES } from '../rules';
import { ActorSchema } from './actors';

/**
 * The policy file: one schema assembled from the rule registry, so each rule's parameters are validated
 * by the rule that owns them and a misspelt rule or parameter is an error naming its field
 * (`rules.max-target-share.limitPercent`), never silently ignored.
 *
 * @example
 * # elb-watchdog policy (YAML or JSON)
 * version: 1
 * mode: dry-run                  # enforce | dry-run | off
 * rules:
 *   max-target-share:
 *     limitPercent: 50
 *   healthy-target-cut:
 *     maxCutPercent: 50
 *     minHealthyTargets: 2
 *   fail-open:
 *     enabled: false
 *   capacity-headroom:          # predicted requests/min per target vs the capacity it has proven
 *     marginPercent: 25
 *     lookbackHours: 336
 *     lowerShareBlocks: true
 * overrides:
 *   - name: production
 *     match: { tags: { env: prod } }
 *     mode: enforce
 *   - name: dev boxes
 *     match: { arn: "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/dev-*" }
 *     mode: dry-run
 *     rules:
 *       max-target-share: { limitPercent: 100 }
 */

/** The three modes. */
export const ModeSchema = z.enum(['enforce', 'dry-run', 'off']);

/** Per rule: `enabled` plus any of the rule's own parameters. */
const RulesSchema = z.strictObject(
  Object.fromEntries(
    RULES.rules.map((rule) => [rule.id, z.optional(z.strictObject({ ...z.partial(rule.params).shape, enabled: z.optional(z.boolean()) }))]),
  ),
);

/** Which load balancers an override applies to: ARN patterns (`*` matches anything) and/or tags (all must match). */
export const OverrideMatchSchema = z
  .strictObject({
    arn: z.optional(z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))])),
    tags: z.optional(z.record(z.string(), z.string())),
  })
  .check(z.refine((m) => m.arn !== undefined || m.tags !== undefined, { message: 'a match needs `arn` or `tags`' }));

/** Settings for the load balancers an override matches; later overrides win over earlier ones. */
export const OverrideSchema = z.strictObject({
  name: z.optional(z.string().check(z.minLength(1))),
  match: OverrideMatchSchema,
  mode: z.optional(ModeSchema),
  rules: z.optional(RulesSchema),
});

/**
 * What the watchdog does when someone keeps re-applying what it reverted (a pipeline, a controller): the
 * second re-apply within the window is a fight, told once, then folded into digests.
 */
export const FightSettingsSchema = z.strictObject({
  /** Re-applies further apart than this start over. */
  windowMinutes: z._default(z.int().check(z.gte(1), z.lte(24 * 60)), 15),
  /** Later rounds are told at most this often, as one digest. */
  digestMinutes: z._default(z.int().check(z.gte(1), z.lte(24 * 60)), 10),
  /** Stop reverting after this many rounds (and say so); absent: keep reverting. */
  yieldAfterRounds: z.optional(z.int().check(z.gte(2))),
});

/**
 * An unsafe state no judged change explains: its cause's event is lost, or still on its way (CloudTrail's
 * delivery to EventBridge is best effort and unordered). The verdict waits for the late event before
 * anyone is told, so a scaler's or trusted bot's change whose event comes second is not told as a mystery.
 */
export const UnexplainedSettingsSchema = z.strictObject({
  /**
   * Seconds an unexplained verdict waits: a later judgement of the load balancer that explains the state
   * settles it silently; otherwise it is told when the wait is over (within a minute after: the outbox
   * is drained every minute). 0 tells it at once.
   */
  holdSeconds: z._default(z.int().check(z.gte(0), z.lte(3600)), 120),
});

/** The policy file. */
export const PolicySchema = z.strictObject({
  version: z._default(z.literal(1), 1),
  mode: z._default(ModeSchema, 'dry-run'),
  rules: z._default(RulesSchema, {}),
  overrides: z._default(z.array(OverrideSchema), []),
  /** Actors, matched before the built-in ones (see `actors.ts`). */
  actors: z._default(z.array(ActorSchema), []),
  /** Whether the built-in actors (EC2 Auto Scaling, ECS, CodeDeploy, the AWS Load Balancer Controller, CloudFormation) apply. */
  builtInActors: z._default(z.boolean(), true),
  fights: z._default(FightSettingsSchema, { windowMinutes: 15, digestMinutes: 10 }),
  unexplained: z._default(UnexplainedSettingsSchema, { holdSeconds: 120 }),
});

/** A validated policy. */
export type Policy = z.output<typeof PolicySchema>;
/** One override of a policy. */
export type PolicyOverride = z.output<typeof OverrideSchema>;
/** The settings of one rule in a policy: `enabled` and the rule's parameters. */
export type RuleSettings = { enabled?: boolean } & Record<string, unknown>;
