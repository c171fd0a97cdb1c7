import { ActionSchema, type Action, type RuleCondition } from '../model/snapshot';
import { toModelConditions } from '../events/convert-actions';
import { describeValue, isObject, literalInt, literalList, literalString } from './intrinsics';

/** Maps a `TargetGroupArn` value of a template to the ARN its group has in the snapshot. */
export type GroupResolver = (value: unknown) => string;

/** A template's actions in the model, or why they are known only at deploy. */
export type ReadActions = { readonly actions: Action[] } | { readonly unknown: string };

const ACTION_TYPES = new Set<string>(ActionSchema.shape.type.options);

function readForward(action: Record<string, unknown>, resolveGroup: GroupResolver): NonNullable<Action['forward']> | string {
  const config = isObject(action.ForwardConfig) ? action.ForwardConfig : undefined;
  if (config !== undefined && config.TargetGroups !== undefined) {
    const tuples = literalList(config.TargetGroups);
    if (tuples === undefined || !tuples.every(isObject)) return `its target groups are ${describeValue(config.TargetGroups)}`;
    if (tuples.length > 0) {
      const targetGroups: { targetGroupArn: string; weight: number }[] = [];
      for (const tuple of tuples as Record<string, unknown>[]) {
        // CloudFormation, like the API, takes a missing weight as 1.
        const weight = tuple.Weight === undefined ? 1 : literalInt(tuple.Weight);
        if (weight === undefined) return `a weight is ${describeValue(tuple.Weight)}`;
        if (tuple.TargetGroupArn === undefined) return 'a weighted group names no target group';
        targetGroups.push({ targetGroupArn: resolveGroup(tuple.TargetGroupArn), weight: Math.min(weight, 999) });
      }
      return { targetGroups };
    }
  }
  if (action.TargetGroupArn === undefined) return 'the forward names no target group';
  return { targetGroups: [{ targetGroupArn: resolveGroup(action.TargetGroupArn), weight: 1 }] };
}

/**
 * Reads `DefaultActions` or `Actions`. A forward's groups resolve through `resolveGroup` (a group the
 * template does not hold stays a group with unknown targets); a weight or action type known only at
 * deploy makes the whole path unknown: it is not judged, never guessed.
 */
export function readActions(value: unknown, resolveGroup: GroupResolver): ReadActions {
  const list = literalList(value);
  if (list === undefined) return { unknown: `its actions are ${describeValue(value)}` };
  const actions: Action[] = [];
  for (const raw of list) {
    if (!isObject(raw)) return { unknown: `an action is ${describeValue(raw)}` };
    const type = literalString(raw.Type);
    if (type === undefined) return { unknown: `an action type is ${describeValue(raw.Type)}` };
    // An action type newer than our model carries no target traffic we could judge.
    if (!ACTION_TYPES.has(type)) continue;
    const order = literalInt(raw.Order);
    const action: { -readonly [K in keyof Action]: Action[K] } = { type: type as Action['type'], ...(order !== undefined && { order }) };
    if (type === 'forward') {
      const forward = readForward(raw, resolveGroup);
      if (typeof forward === 'string') return { unknown: forward };
      action.forward = forward;
    }
    actions.push(action);
  }
  return { actions };
}

/** A rule's conditions for its label (`path /api/*`); conditions that do not read are left out. */
export function readConditions(value: unknown): RuleCondition[] {
  try {
    return toModelConditions({ Conditions: (literalList(value) ?? []).filter(isObject) }, 'Conditions');
  } catch {
    return [];
  }
}
