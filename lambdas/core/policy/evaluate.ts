import { assessCapacity, type CapacityAssessment } from '../capacity/assess-capacity';
import type { LoadContext } from '../capacity/load-types';
import { lowerShareBlocks } from '../capacity/lower-share-blocks';
import type { Change } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import { canonicalListeners } from '../revert/canonical';
import { compareRouting, type RoutingComparison } from '../routing/compare-routing';
import { RULES, type RuleRegistry } from '../rules';
import { doNoHarmFinding, harmOfRevert, helpOfRevert } from './do-no-harm';
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
  /** The recent load and proven capacity (`capacity-headroom`); absent: judged by shares, and said so. */
  readonly load?: LoadContext;
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

/** What the request-class model could not do exactly, as findings (blocking when routing changed). */
function limitFindings(routing: RoutingComparison, before: LoadBalancerSnapshot | undefined, after: LoadBalancerSnapshot): Finding[] {
  const found: Finding[] = [];
  if (routing.model.bounded) {
    const rulesChanged = before !== undefined && canonicalListeners(before) !== canonicalListeners(after);
    found.push({
      ruleId: 'request-classes',
      severity: rulesChanged ? 'block' : 'warn',
      message: rulesChanged
        ? 'the listener rules overlap too much to judge every request class exactly (a bound was reached), and this change moves rules: blocking to be safe; check it by hand or break-glass'
        : 'the listener rules overlap too much to judge every request class exactly (a bound was reached); classes beyond it are judged together',
    });
  }
  for (const note of routing.model.approximations) found.push({ ruleId: 'request-classes', severity: 'info', message: `approximation: ${note}` });
  found.push(...unknownZoneFindings(before, after));
  return found;
}

/**
 * A zone the load balancer dropped (SetSubnets) leaves its targets unused; instance targets do not say
 * their zone in DescribeTargetHealth, so their share cannot be judged exactly: say so, never silently.
 */
function unknownZoneFindings(before: LoadBalancerSnapshot | undefined, after: LoadBalancerSnapshot): Finding[] {
  const gone = (before?.loadBalancer.availabilityZones ?? []).filter((z) => !after.loadBalancer.availabilityZones.includes(z));
  if (gone.length === 0) return [];
  const unknown = after.targetGroups.filter((g) => g.targets.some((t) => t.availabilityZone === undefined)).map((g) => g.name);
  if (unknown.length === 0) return [];
  return [
    {
      ruleId: 'request-classes',
      severity: 'warn',
      message:
        `zone${gone.length === 1 ? '' : 's'} ${gone.join(', ')} left the load balancer; targets of ${unknown.join(', ')} do not report their zone ` +
        '(instance targets), so the watchdog judged the targets whose zone it knows: check the others by hand',
    },
  ];
}

/**
 * Judges `after` against `before` (the last known good) under `policy`: routes every request class
 * through both configurations, runs every enabled rule with its resolved parameters, and decides: block
 * when a rule blocks, warn when one warns, allow otherwise. Then do no harm: a block whose revert would
 * leave a class with less healthy capacity than the change gives it becomes a warning that says why, unless
 * the revert gives the blocking classes more capacity back than it takes.
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
  let routing: RoutingComparison;
  try {
    routing = compareRouting(before, after);
  } catch (error) {
    return { decision: 'warn', findings: [ruleError('routing the request classes', error)] };
  }
  const lb = options.lb ?? { arn: after.loadBalancer.arn, tags: after.loadBalancer.tags };
  const settings = resolveRuleSettings(policy, lb, registry);
  const findings: Finding[] = limitFindings(routing, before, after);
  let errored = false;
  const load = capacityOf(routing, settings.get('capacity-headroom'), options.load);
  if (load.error !== undefined) {
    errored = true;
    findings.push(ruleError('predicting the load', load.error));
  }
  const capacity = load.assessment;
  for (const rule of registry.rules) {
    const resolved = settings.get(rule.id);
    if (resolved === undefined || !resolved.enabled) continue;
    try {
      findings.push(...rule.evaluate({ params: resolved.params, routing, change: options.change, ...(capacity !== undefined && { capacity }) }));
    } catch (error) {
      errored = true;
      findings.push(ruleError(`rule ${rule.id}`, error));
    }
  }
  // Load may lower a share rule's block (policy `capacity-headroom.lowerShareBlocks`).
  const lowered = capacity !== undefined && load.lower ? lowerShareBlocks(findings, routing, capacity) : findings;
  // Safety net for the no-baseline promise, whatever a rule returns.
  let judged = before === undefined ? lowered.map((f) => (f.severity === 'block' ? { ...f, severity: 'warn' as const } : f)) : lowered;
  if (decisionOf(judged, errored) === 'block') {
    const harm = harmOfRevert(routing);
    const blocking = new Set(judged.flatMap((f) => (f.severity === 'block' && f.requestClass !== undefined ? [f.requestClass.label] : [])));
    if (harm !== undefined && helpOfRevert(routing, blocking) <= harm.after - harm.before) judged = [doNoHarmFinding(harm), ...judged.map((f) => (f.severity === 'block' ? { ...f, severity: 'warn' as const } : f))];
  }
  return {
    decision: decisionOf(judged, errored),
    findings: judged,
    routing,
    ...(capacity !== undefined && { load: capacity.basis === 'metrics' ? { basis: 'metrics' as const } : { basis: 'shares' as const, reason: capacity.reason } }),
  };
}

/** The load judgement when `capacity-headroom` is enabled (computed once, for the rule and for lowering). */
function capacityOf(
  routing: RoutingComparison,
  resolved: { enabled: boolean; params: object } | undefined,
  load: LoadContext | undefined,
): { assessment?: CapacityAssessment; lower: boolean; error?: unknown } {
  // No load given (a template check, a pure test): nothing to say about load at all.
  if (resolved === undefined || !resolved.enabled || load === undefined) return { lower: false };
  const params = resolved.params as { marginPercent: number; capacityTagKey: string; lowerShareBlocks: boolean };
  try {
    return { assessment: assessCapacity(routing, load, params), lower: params.lowerShareBlocks };
  } catch (error) {
    return { lower: false, error };
  }
}
