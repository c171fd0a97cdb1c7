import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import type { Finding } from '../../lambdas/core/policy/verdict';
import { compareRouting } from '../../lambdas/core/routing/compare-routing';
import type { Rule } from '../../lambdas/core/rules';

/** Runs one rule on before/after snapshots with its defaults (overridden by `params`). */
export function runRule<P extends object>(
  rule: Rule<P>,
  before: LoadBalancerSnapshot | undefined,
  after: LoadBalancerSnapshot,
  params: Partial<P> = {},
): Finding[] {
  return rule.evaluate({ params: { ...rule.defaults, ...params }, routing: compareRouting(before, after) });
}

/** Findings as `severity: message`, the way people read them. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.severity}: ${f.message}`);
}
