import { DEFAULT_POLICY } from '../policy/default-policy';
import type { Policy } from '../policy/policy-schema';
import { compareRouting, type RoutingComparison } from '../routing/compare-routing';
import { buildModel } from './build-model';
import { staticSettings } from './policy-subject';
import { STATIC_RULES, type RuleFinding, type StaticRuleRegistry } from './rules';
import { CFN_TYPES, type StaticCounts, type StaticLoadBalancer, type StaticNote, type TemplateEnvironment } from './static-model';
import type { CfnTemplate } from './template';

/** A finding of the static check, with the template it is in. */
export interface StaticFinding extends RuleFinding {
  /** The template's file name as given (or the stack's name for the CDK Aspect). */
  readonly file: string;
}

/** The static check of one template. */
export interface TemplateCheck {
  readonly file: string;
  readonly findings: readonly StaticFinding[];
  /** What could not be judged before deploy, and why. */
  readonly notes: readonly StaticNote[];
  readonly counts: StaticCounts;
}

/** Options of `checkTemplate`. */
export interface CheckTemplateOptions {
  /** Names the template in findings. */
  readonly file: string;
  /** @default DEFAULT_POLICY */
  readonly policy?: Policy;
  /** Account, Region and partition when known (for ARN overrides). */
  readonly environment?: TemplateEnvironment;
  /** @default STATIC_RULES (tests inject failing rules here) */
  readonly rules?: StaticRuleRegistry;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function anchorOf(lb: StaticLoadBalancer): { logicalId: string; resourceType: string } {
  const first = [...lb.places.values()][0];
  return lb.logicalId !== undefined ? { logicalId: lb.logicalId, resourceType: CFN_TYPES.loadBalancer } : first;
}

/** Judges one load balancer with every enabled static rule; a rule that throws becomes a warning. */
export function checkLoadBalancer(lb: StaticLoadBalancer, policy: Policy, registry: StaticRuleRegistry, notes: StaticNote[]): RuleFinding[] {
  const settings = staticSettings(policy, lb.subject);
  if (settings.mode === 'off') {
    notes.push({ logicalId: anchorOf(lb).logicalId, message: `LB ${lb.name} not checked: the policy's mode for it is off` });
    return [];
  }
  const failed = (what: string, error: unknown): RuleFinding => ({
    ruleId: 'rule-error',
    severity: 'warning',
    ...anchorOf(lb),
    loadBalancer: lb.name,
    message: `${what} failed on LB ${lb.name}: ${messageOf(error)}; check this load balancer by hand`,
  });
  let routing: RoutingComparison;
  try {
    routing = compareRouting(undefined, lb.snapshot);
  } catch (error) {
    return [failed('computing traffic', error)];
  }
  const found: RuleFinding[] = [];
  for (const rule of registry.rules) {
    const resolved = settings.rules.get(rule.policyRule.id);
    if (resolved === undefined || !resolved.enabled) continue;
    try {
      found.push(...rule.evaluate({ params: resolved.params, lb, routing }));
    } catch (error) {
      // Fail safe, as the engine does at change time: our own bug never fails someone's build.
      found.push(failed(`rule ${rule.id}`, error));
    }
  }
  // A warning about a group an error already names repeats it ("Green has 1 target" under "100% to Green (1 target)").
  const flagged = new Set(found.filter((f) => f.severity === 'error' && f.targetGroup !== undefined).map((f) => f.targetGroup));
  const kept = found.filter((f) => !(f.severity === 'warning' && f.targetGroup !== undefined && flagged.has(f.targetGroup)));
  if (settings.undecided.length === 0) return kept;
  const which = settings.undecided.map((name) => JSON.stringify(name)).join(', ');
  return kept.map((f) =>
    f.severity === 'error' ? { ...f, severity: 'warning', message: `${f.message} (a warning, not an error: policy override ${which} may apply to LB ${lb.name} once deployed)` } : f,
  );
}

/**
 * The policy's static rules over one template: builds a partial snapshot per load balancer, resolves the
 * policy for each (overrides that only deploy can decide turn errors into warnings: never a false
 * block), runs the rules, and drops a warning about a target group an error of its load balancer
 * already names.
 * Findings come in template order.
 */
export function checkTemplate(template: CfnTemplate, options: CheckTemplateOptions): TemplateCheck {
  const model = buildModel(template, options.environment);
  const notes = [...model.notes];
  const found = model.loadBalancers.flatMap((lb) => checkLoadBalancer(lb, options.policy ?? DEFAULT_POLICY, options.rules ?? STATIC_RULES, notes));
  const order = new Map(Object.keys(template.Resources).map((id, i) => [id, i]));
  const findings = found
    .sort((a, b) => (order.get(a.logicalId) ?? 0) - (order.get(b.logicalId) ?? 0) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map((f) => ({ file: options.file, ...f }));
  return { file: options.file, findings, notes, counts: model.counts };
}
