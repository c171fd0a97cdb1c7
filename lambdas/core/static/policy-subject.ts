import { RULES, type RuleRegistry } from '../rules';
import type { Policy, PolicyOverride } from '../policy/policy-schema';
import { resolveMode, resolveRuleSettings, type ResolvedRule } from '../policy/resolve-mode';
import type { Mode } from '../policy/verdict';

/**
 * A load balancer in a template as the policy's overrides see it. Before deploy its ARN is partly
 * unknown (the account and Region of an environment-agnostic stack, the generated name, the id), so
 * an override can match (`yes`), not match (`no`), or be undecidable until deploy (`maybe`).
 */
export interface StaticSubject {
  /** The ARN with each part unknown until deploy (partition, Region, account, name, id) as `*`. */
  readonly arn: string;
  /** Literal tags; a key whose value is unknown until deploy maps to `undefined`. */
  readonly tags: ReadonlyMap<string, string | undefined>;
  /** False when the Tags property itself is unknown (then any tag override is undecidable). */
  readonly tagsKnown: boolean;
}

/** Whether an override applies to a load balancer of a template. */
export type OverrideMatch = 'yes' | 'no' | 'maybe';

/**
 * True when an override's ARN pattern (`*` matches anything) and a subject ARN whose `*` each stand for
 * one unknown ARN part (no `:` or `/` in it) can match one common ARN.
 */
export function globsOverlap(pattern: string, subject: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (subject.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === pattern.length && j === subject.length) result = true;
    else if (pattern[i] === '*') result = go(i + 1, j) || (j < subject.length && go(i, j + 1));
    else if (subject[j] === '*') result = go(i, j + 1) || (i < pattern.length && pattern[i] !== ':' && pattern[i] !== '/' && go(i + 1, j));
    else result = i < pattern.length && j < subject.length && pattern[i] === subject[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

function matchArn(pattern: string, subject: string): OverrideMatch {
  const regex = globRegExp(pattern);
  // Matches whatever the unknown parts turn out to be (checked with two unlike fillings): yes.
  if (regex.test(subject.replace(/\*/g, '')) && regex.test(subject.replace(/\*/g, 'x-0'))) return 'yes';
  return subject.includes('*') && globsOverlap(pattern, subject) ? 'maybe' : 'no';
}

function matchTags(wanted: Readonly<Record<string, string>>, subject: StaticSubject): OverrideMatch {
  let result: OverrideMatch = 'yes';
  for (const [key, value] of Object.entries(wanted)) {
    if (!subject.tagsKnown) return 'maybe';
    if (!subject.tags.has(key)) return 'no';
    const actual = subject.tags.get(key);
    if (value === '*') continue;
    if (actual === undefined) result = 'maybe';
    else if (actual !== value) return 'no';
  }
  return result;
}

/** Whether `override` applies to a load balancer of a template (both its ARN and tag conditions). */
export function matchOverride(override: PolicyOverride, subject: StaticSubject): OverrideMatch {
  const parts: OverrideMatch[] = [];
  const { arn, tags } = override.match;
  if (arn !== undefined) {
    const each = [arn].flat().map((pattern) => matchArn(pattern, subject.arn));
    parts.push(each.includes('yes') ? 'yes' : each.includes('maybe') ? 'maybe' : 'no');
  }
  if (tags !== undefined) parts.push(matchTags(tags, subject));
  return parts.includes('no') ? 'no' : parts.includes('maybe') ? 'maybe' : 'yes';
}

/** The policy's settings for one load balancer of a template. */
export interface StaticSettings {
  /** Each rule's settings with every override that surely applies. */
  readonly rules: ReadonlyMap<string, ResolvedRule>;
  readonly mode: Mode;
  /** Overrides that may apply once deployed (by name or `overrides[i]`): errors become warnings. */
  readonly undecided: readonly string[];
}

/** Resolves the policy for `subject` the way the watchdog will once deployed, as far as a template tells. */
export function staticSettings(policy: Policy, subject: StaticSubject, registry: RuleRegistry = RULES): StaticSettings {
  const matches = policy.overrides.map((override) => matchOverride(override, subject));
  // The core resolves by matching; hand it exactly the overrides that surely apply, in their order.
  const sure: Policy = {
    ...policy,
    overrides: policy.overrides.filter((_, i) => matches[i] === 'yes').map((override) => ({ ...override, match: { arn: '*' } })),
  };
  const anyLb = { arn: 'static', tags: {} };
  return {
    rules: resolveRuleSettings(sure, anyLb, registry),
    mode: resolveMode(sure, anyLb, undefined, new Date(0)).mode,
    undecided: policy.overrides.flatMap((override, i) => (matches[i] === 'maybe' ? [override.name ?? `overrides[${i}]`] : [])),
  };
}
