import { toModelAction, toModelCondition } from '../../events/convert-actions';
import { ActionSchema, type Action, type RuleCondition } from '../../model/snapshot';
import type { ConfigIndex, ConfigSubject, TfExpression } from './configuration';
import { hasUnknown, isUnknown, type ElbInstanceOf } from './instances';
import type { TfAction, TfCondition } from './provider-values';

/**
 * Listener and rule blocks in the core's model. The Terraform blocks are rewritten into the API's shape
 * and handed to the core's own converters (`toModelAction`, `toModelCondition`), so a Terraform action
 * means exactly what the same API request means at run time. A value known only after apply that decides
 * routing (an action type, a weight, a target group the configuration does not name unambiguously) makes
 * the whole block unknown: it is reported, never guessed.
 */

/** Something the check cannot know before apply, and why. */
export interface Unknown {
  readonly unknown: string;
}

/** Target group ARNs (known or by reference) → the key the snapshot uses for the group. */
export interface GroupResolver {
  /** A known ARN value. */
  known(arn: string): string;
  /** A value known only after apply, through the configuration's references; undefined when they do not settle it. */
  byExpression(expression: TfExpression | undefined, from: ConfigSubject): string | undefined;
}

/** What the readers need besides the instance. */
export interface ReadContext {
  readonly groups: GroupResolver;
  readonly config?: ConfigIndex;
}

const ACTION_TYPES = new Set<string>(ActionSchema.shape.type.options);
const RAW_CONFIGS = [
  ['redirect', 'redirectConfig'],
  ['fixed_response', 'fixedResponseConfig'],
  ['authenticate_oidc', 'authenticateOidcConfig'],
  ['authenticate_cognito', 'authenticateCognitoConfig'],
  ['jwt_validation', 'jwtValidationConfig'],
] as const;

/** `status_code` → `StatusCode`, as the API names the members of raw action configurations. */
function pascalSnake(block: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(block).map(([key, value]) => [key.replace(/(^|_)([a-z])/g, (_, _u: string, c: string) => c.toUpperCase()), value]));
}

type Owner = ElbInstanceOf<'listener'> | ElbInstanceOf<'rule'>;

/** The group an expression names: a literal ARN as such, a reference through the configuration. */
function groupOfExpression(expression: TfExpression | undefined, owner: Owner, context: ReadContext): string | undefined {
  const literal = expression?.constant_value;
  if (typeof literal === 'string' && literal !== '') return context.groups.known(literal);
  return context.groups.byExpression(expression, owner);
}

/** Weighted groups of one forward; unknown ARNs settled through the configuration's `target_group` blocks (a set: matched by target, then weight). */
function forwardGroups(owner: Owner, path: readonly (string | number)[], tuples: NonNullable<NonNullable<TfAction['forward']>[number]['target_group']>, context: ReadContext, sameShape: boolean): { targetGroupArn: string; weight: number }[] | Unknown {
  const out: ({ targetGroupArn: string; weight: number } | { pending: number })[] = [];
  for (const [j, tuple] of tuples.entries()) {
    if (isUnknown(owner.unknown, [...path, j, 'weight'])) return { unknown: 'a forward weight is known only after apply' };
    const weight = tuple.weight ?? 1;
    if (!isUnknown(owner.unknown, [...path, j, 'arn']) && typeof tuple.arn === 'string' && tuple.arn !== '') out.push({ targetGroupArn: context.groups.known(tuple.arn), weight });
    else out.push({ pending: weight });
  }
  const pending = out.filter((g): g is { pending: number } => 'pending' in g);
  if (pending.length === 0) return out as { targetGroupArn: string; weight: number }[];
  const blocks = sameShape && context.config !== undefined ? context.config.blocks(owner, path) : undefined;
  if (blocks === undefined) return { unknown: 'a target group of its forward is known only after apply' };
  // Configured blocks not accounted for by a known ARN are the candidates for the unknown ones.
  const candidates = blocks.map((block) => ({
    key: groupOfExpression(block.arn as TfExpression | undefined, owner, context),
    weight: block.weight === undefined ? 1 : (block.weight as TfExpression).constant_value,
  }));
  for (const known of out) {
    if ('pending' in known) continue;
    const i = candidates.findIndex((c) => c.key === known.targetGroupArn);
    if (i >= 0) candidates.splice(i, 1);
  }
  if (candidates.length !== pending.length || candidates.some((c) => c.key === undefined)) return { unknown: 'a target group of its forward is known only after apply' };
  const resolved = out.map((g) => {
    if (!('pending' in g)) return g;
    const matches = pending.length === 1 ? candidates : candidates.filter((c) => c.weight === g.pending);
    return matches.length === 1 && matches[0].key !== undefined ? { targetGroupArn: matches[0].key, weight: g.pending } : undefined;
  });
  return resolved.every((g) => g !== undefined) ? resolved : { unknown: 'a target group of its forward is known only after apply' };
}

/** The actions of a listener (`default_action`) or rule (`action`), or why they are unknown. */
export function readActions(owner: Owner, context: ReadContext): Action[] | Unknown {
  const key = owner.kind === 'listener' ? 'default_action' : 'action';
  if (isUnknown(owner.unknown, [key])) return { unknown: `its ${key} blocks are known only after apply` };
  const blocks: readonly TfAction[] = (owner.kind === 'listener' ? owner.values.default_action : owner.values.action) ?? [];
  const configured = context.config?.blocks(owner, [key]);
  const sameShape = configured !== undefined && configured.length === blocks.length;
  const actions: Action[] = [];
  for (const [i, block] of blocks.entries()) {
    const at = [key, i];
    if (isUnknown(owner.unknown, [...at, 'type']) || typeof block.type !== 'string') return { unknown: 'an action type is known only after apply' };
    // An action type newer than the model carries no target traffic the core could judge.
    if (!ACTION_TYPES.has(block.type)) continue;
    const raw: Record<string, unknown> = { type: block.type, ...(typeof block.order === 'number' && { order: block.order }) };
    if (block.type === 'forward') {
      if (isUnknown(owner.unknown, [...at, 'forward'])) return { unknown: 'its forward block is known only after apply' };
      const forward = block.forward?.[0];
      const tuples = forward?.target_group ?? [];
      if (tuples.length > 0) {
        const groups = forwardGroups(owner, [...at, 'forward', 0, 'target_group'], tuples, context, sameShape);
        if ('unknown' in groups) return groups;
        const sticky = forward?.stickiness?.[0];
        raw.forwardConfig = {
          targetGroups: groups,
          ...(sticky !== undefined && { targetGroupStickinessConfig: { enabled: sticky.enabled ?? false, ...(typeof sticky.duration === 'number' && { durationSeconds: sticky.duration }) } }),
        };
      } else if (!isUnknown(owner.unknown, [...at, 'target_group_arn']) && typeof block.target_group_arn === 'string' && block.target_group_arn !== '') {
        raw.targetGroupArn = context.groups.known(block.target_group_arn);
      } else {
        const expression = sameShape ? context.config?.expression(owner, [...at, 'target_group_arn']) : undefined;
        const resolved = groupOfExpression(expression, owner, context);
        if (resolved === undefined) return { unknown: 'its target group is known only after apply' };
        raw.targetGroupArn = resolved;
      }
    }
    for (const [tf, api] of RAW_CONFIGS) {
      const config = block[tf]?.[0];
      if (config !== undefined) raw[api] = pascalSnake(config);
    }
    actions.push(toModelAction(raw, `${owner.field}.${key}[${i}]`));
  }
  return actions;
}

const VALUE_CONDITIONS = [
  ['host_header', 'host-header', 'hostHeaderConfig'],
  ['path_pattern', 'path-pattern', 'pathPatternConfig'],
  ['http_request_method', 'http-request-method', 'httpRequestMethodConfig'],
  ['source_ip', 'source-ip', 'sourceIpConfig'],
] as const;

function apiCondition(block: TfCondition): Record<string, unknown> | undefined {
  for (const [tf, field, config] of VALUE_CONDITIONS) {
    const set = block[tf]?.[0];
    if (set !== undefined) return { field, [config]: { values: set.values ?? [], ...(set.regex_values && { regexValues: set.regex_values }) } };
  }
  const header = block.http_header?.[0];
  if (header !== undefined) {
    return { field: 'http-header', httpHeaderConfig: { httpHeaderName: header.http_header_name, values: header.values ?? [], ...(header.regex_values && { regexValues: header.regex_values }) } };
  }
  const pairs = block.query_string ?? [];
  if (pairs.length > 0) return { field: 'query-string', queryStringConfig: { values: pairs.map((p) => ({ ...(p.key != null && { key: p.key }), value: p.value ?? '' })) } };
  return undefined;
}

/** A rule's conditions, or why they are unknown. */
export function readConditions(rule: ElbInstanceOf<'rule'>): RuleCondition[] | Unknown {
  if (isUnknown(rule.unknown, ['condition'])) return { unknown: 'its conditions are known only after apply' };
  const conditions: RuleCondition[] = [];
  for (const [i, block] of (rule.values.condition ?? []).entries()) {
    // Condition values decide which requests the rule takes: any unknown one leaves the rule unknown.
    if (hasUnknown(rule.unknown, ['condition', i])) return { unknown: 'a condition value is known only after apply' };
    const api = apiCondition(block);
    if (api !== undefined) conditions.push(toModelCondition(api, `${rule.field}.condition[${i}]`));
  }
  return conditions;
}
