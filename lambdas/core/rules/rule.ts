import type * as z from '../zod';
import type { CapacityAssessment } from '../capacity/assess-capacity';
import type { Change } from '../events/change';
import type { Finding, Severity } from '../policy/verdict';
import type { RoutingComparison } from '../routing/compare-routing';

/**
 * What a rule sees: its resolved parameters and every request class with its route before (the last
 * known good with today's health; absent when there is no baseline yet) and after.
 */
export interface RuleContext<P> {
  readonly params: P;
  readonly routing: RoutingComparison;
  /** The change being judged, when there is one (audits judge state, not a change). */
  readonly change?: Change;
  /** The load judgement (predicted rates against proven capacity), when the policy enables it. */
  readonly capacity?: CapacityAssessment;
}

/**
 * One policy rule: an explicit id (not derived from the file name: bundling renames files), a title,
 * the severity of its main finding, why it exists, its parameters (schema and defaults), and a pure
 * `evaluate` that returns findings.
 */
export interface Rule<P extends object = object> {
  readonly id: string;
  readonly title: string;
  /** The severity of the rule's main finding; a rule may downgrade one (e.g. an unchanged risk). */
  readonly severity: Severity;
  readonly rationale: string;
  /** The parameters a policy file may set under `rules.<id>` (besides `enabled`); no defaults here. */
  readonly params: z.ZodMiniObject;
  /** The parameter values when the policy sets none. */
  readonly defaults: P;
  evaluate(context: RuleContext<P>): Finding[];
}

/** Declares a rule with its parameter types inferred from its schema. */
export function defineRule<S extends z.ZodMiniObject>(rule: {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  params: S;
  defaults: z.output<S>;
  evaluate(context: RuleContext<z.output<S>>): Finding[];
}): Rule<z.output<S>> {
  return rule;
}
