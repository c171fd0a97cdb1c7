import type { RuleRegistry } from '../rules';
import type { BreakGlass, Decision, EnforcementAction, Mode } from './verdict';
import type { Policy, PolicyOverride, RuleSettings } from './policy-schema';

/** A load balancer as policies see it: its ARN and tags. */
export interface PolicySubject {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** True when an override's match (ARN patterns and/or tags; `*` as a tag value: any) covers `lb`. */
export function overrideMatches(override: PolicyOverride, lb: PolicySubject): boolean {
  const { arn, tags } = override.match;
  if (arn !== undefined && ![arn].flat().some((pattern) => globToRegExp(pattern).test(lb.arn))) return false;
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!(key in lb.tags) || (value !== '*' && lb.tags[key] !== value)) return false;
  }
  return true;
}

function labelOf(override: PolicyOverride, index: number): string {
  return override.name ?? `overrides[${index}]`;
}

/** True when `breakGlass` is for this load balancer and has not expired at `now`. */
export function isBreakGlassActive(breakGlass: BreakGlass | undefined, lbArn: string, now: Date): boolean {
  if (breakGlass === undefined || breakGlass.loadBalancerArn !== lbArn) return false;
  const expires = Date.parse(breakGlass.expiresAt);
  return Number.isFinite(expires) && expires > now.getTime();
}

/**
 * The mode for one load balancer: the policy's, then each matching override in order (later wins),
 * and whether a break-glass suspends enforcement now. `overrideApplied` names the matching overrides.
 */
export function resolveMode(
  policy: Policy,
  lb: PolicySubject,
  breakGlass: BreakGlass | undefined,
  now: Date,
): { mode: Mode; breakGlassActive: boolean; overrideApplied?: string } {
  let mode: Mode = policy.mode;
  const applied: string[] = [];
  policy.overrides.forEach((override, index) => {
    if (!overrideMatches(override, lb)) return;
    applied.push(labelOf(override, index));
    if (override.mode !== undefined) mode = override.mode;
  });
  const breakGlassActive = isBreakGlassActive(breakGlass, lb.arn, now);
  return { mode, breakGlassActive, ...(applied.length > 0 && { overrideApplied: applied.join(', ') }) };
}

/** What to do about a verdict: `off` wins, then only a block acts — reverted, announced, or suspended. */
export function decideAction(decision: Decision, mode: Mode, breakGlassActive: boolean): EnforcementAction {
  if (mode === 'off') return 'off';
  if (decision !== 'block') return 'none';
  if (breakGlassActive) return 'suspended-by-break-glass';
  return mode === 'enforce' ? 'revert' : 'would-revert';
}

/** One rule's effective settings for one load balancer. */
export interface ResolvedRule {
  readonly enabled: boolean;
  readonly params: Record<string, unknown>;
}

/** Each rule's settings for `lb`: the rule's defaults, then the policy's, then matching overrides'. */
export function resolveRuleSettings(policy: Policy, lb: PolicySubject, registry: RuleRegistry): Map<string, ResolvedRule> {
  const matching = policy.overrides.filter((o) => overrideMatches(o, lb));
  const resolved = new Map<string, ResolvedRule>();
  for (const rule of registry.rules) {
    const layers = [policy.rules[rule.id], ...matching.map((o) => o.rules?.[rule.id])] as (RuleSettings | undefined)[];
    let enabled = true;
    const params: Record<string, unknown> = { ...rule.defaults };
    for (const layer of layers) {
      if (layer === undefined) continue;
      const { enabled: on, ...rest } = layer;
      if (on !== undefined) enabled = on;
      for (const [key, value] of Object.entries(rest)) if (value !== undefined) params[key] = value;
    }
    resolved.set(rule.id, { enabled, params });
  }
  return resolved;
}
