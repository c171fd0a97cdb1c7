import type { Change } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { RULES, type RuleRegistry } from '../rules';
import { indexTraffic, type SnapshotTraffic } from '../traffic/traffic-index';
import type { Policy } from './policy-schema';
import { resolveRuleSettings, type PolicySubject } from './resolve-mode';
import type { Decision, Finding, Verdict } from './verdict';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The change being judged (rules may use it for context). */
  readonly change?: Change;
  /** The load balancer's identity for overrides; defaults to the one in `after`. */
  readonly lb?: PolicySubject;
  /** The rules to run; defaults to the registry (tests inject failing rules here). */
  readonly registry?: RuleRegistry;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ruleError(what: string, error: unknown): Finding {
  return {
    ruleId: 'rule-error',
    severity: 'warn',
    message: `${what} failed: ${messageOf(error)}; the watchdog does not block on its own error, please check this change by hand`,
  };
}

function decisionOf(findings: readonly Finding[], errored: boolean): Decision {
  if (findings.some((f) => f.severity === 'block') && !errored) return 'block';
  return findings.some((f) => f.severity === 'block' || f.severity === 'warn') ? 'warn' : 'allow';
}

/**
 * Judges `after` against `before` (the last known good) under `policy`: computes both traffic models,
 * runs every enabled rule with its resolved parameters, and decides — block when a rule blocks, warn when
 * one warns, allow otherwise.
 *
 * Fails safe: a rule that throws becomes a `rule-error` finding and the verdict is at most `warn` (never a
 * revert because of our own bug). Without `before` (no baseline yet) nothing can be told apart from an
 * unchanged risk and there is nothing to revert to, so nothing blocks: rules warn instead.
 */
export function evaluate(
  policy: Policy,
  before: LoadBalancerSnapshot | undefined,
  after: LoadBalancerSnapshot,
  options: EvaluateOptions = {},
): Verdict {
  const registry = options.registry ?? RULES;
  let afterTraffic: SnapshotTraffic;
  let beforeTraffic: SnapshotTraffic | undefined;
  try {
    afterTraffic = indexTraffic(after);
    beforeTraffic = before === undefined ? undefined : indexTraffic(before);
  } catch (error) {
    return { decision: 'warn', findings: [ruleError('computing traffic', error)], before: [], after: [] };
  }
  const lb = options.lb ?? { arn: after.loadBalancer.arn, tags: after.loadBalancer.tags };
  const settings = resolveRuleSettings(policy, lb, registry);
  const findings: Finding[] = [];
  let errored = false;
  for (const rule of registry.rules) {
    const resolved = settings.get(rule.id);
    if (resolved === undefined || !resolved.enabled) continue;
    try {
      const found = rule.evaluate({ params: resolved.params, before: beforeTraffic, after: afterTraffic, change: options.change });
      // Safety net for the no-baseline promise, whatever a rule returns.
      findings.push(...(before === undefined ? found.map((f) => (f.severity === 'block' ? { ...f, severity: 'warn' as const } : f)) : found));
    } catch (error) {
      errored = true;
      findings.push(ruleError(`rule ${rule.id}`, error));
    }
  }
  return { decision: decisionOf(findings, errored), findings, before: beforeTraffic?.paths ?? [], after: afterTraffic.paths };
}
