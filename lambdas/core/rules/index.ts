import { capacityHeadroom } from './capacity-headroom';
import { failOpen } from './fail-open';
import { forwardReachesTargets } from './forward-reaches-targets';
import { healthyTargetCut } from './healthy-target-cut';
import { maxTargetShare } from './max-target-share';
import type { Rule } from './rule';

/** A set of rules addressable by id. */
export interface RuleRegistry {
  readonly rules: readonly Rule[];
  get(id: string): Rule | undefined;
}

/** Builds a registry; two rules with one id are a programming error and throw at load time. */
export function createRegistry(rules: readonly Rule[]): RuleRegistry {
  const byId = new Map<string, Rule>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`duplicate rule id ${JSON.stringify(rule.id)}`);
    byId.set(rule.id, rule);
  }
  return { rules: [...rules], get: (id) => byId.get(id) };
}

/** The one registry of the watchdog's rules, in evaluation order. */
export const RULES: RuleRegistry = createRegistry([maxTargetShare, healthyTargetCut, forwardReachesTargets, failOpen, capacityHeadroom]);

export type { Rule, RuleContext } from './rule';
export { defineRule } from './rule';
