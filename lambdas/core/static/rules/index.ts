import { staticForwardReachesTargets } from './forward-reaches-targets';
import { staticHealthyTargetCut } from './healthy-target-cut';
import { staticMaxTargetShare } from './max-target-share';
import type { StaticRule } from './static-rule';

/** A set of static rules addressable by id. */
export interface StaticRuleRegistry {
  readonly rules: readonly StaticRule[];
  get(id: string): StaticRule | undefined;
}

/**
 * Builds a registry. Two rules with one id, or a rule whose id is not its core rule's (the policy
 * addresses both by that id), are programming errors and throw at load time.
 */
export function createStaticRegistry(rules: readonly StaticRule[]): StaticRuleRegistry {
  const byId = new Map<string, StaticRule>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`duplicate static rule id ${JSON.stringify(rule.id)}`);
    if (rule.id !== rule.policyRule.id) throw new Error(`static rule ${JSON.stringify(rule.id)} must carry its core rule's id ${JSON.stringify(rule.policyRule.id)}`);
    byId.set(rule.id, rule);
  }
  return { rules: [...rules], get: (id) => byId.get(id) };
}

/** The one registry of the static rules (`elb-watchdog check` and the CDK Aspect), in evaluation order. */
export const STATIC_RULES: StaticRuleRegistry = createStaticRegistry([
  staticMaxTargetShare as StaticRule,
  staticForwardReachesTargets as StaticRule,
  staticHealthyTargetCut as StaticRule,
]);

export { defineStaticRule, type RuleFinding, type StaticRule, type StaticRuleContext, type StaticSeverity } from './static-rule';
