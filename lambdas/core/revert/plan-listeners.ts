import type { Action, Listener, LoadBalancerSnapshot } from '../model/snapshot';
import { listenerLabel } from '../traffic/path-label';
import { canonicalActions, canonicalConditions } from './canonical';
import type { RevertStep } from './revert-plan';
import { toSdkAction, toSdkCondition } from './to-sdk';

/** The listener and rule part of a revert plan: default actions, rule actions and conditions, priorities. */

const MAX_PRIORITY = 50000;

/** `forward web-blue=100, web-green=0` / `redirect`: actions as people read them in a plan. */
export function describeActions(actions: readonly Action[], names: ReadonlyMap<string, string>): string {
  return actions
    .map((a) =>
      a.forward === undefined
        ? a.type
        : `forward ${a.forward.targetGroups.map((g) => `${names.get(g.targetGroupArn) ?? g.targetGroupArn}=${g.weight}`).join(', ')}`,
    )
    .join(' then ');
}

/** One SetRulePriorities step for a listener, moving rules added since last known good out of the way. */
function priorityStep(good: Listener, now: Listener): { step?: RevertStep; kept: string[] } {
  const wanted = new Map(good.rules.map((r) => [r.arn, r.priority]));
  const final = new Map(now.rules.map((r) => [r.arn, r.priority]));
  const moves = now.rules.filter((r) => wanted.has(r.arn) && wanted.get(r.arn) !== r.priority);
  if (moves.length === 0) return { kept: [] };
  for (const rule of moves) final.set(rule.arn, wanted.get(rule.arn) as number);
  const kept: string[] = [];
  const pairs = moves.map((r) => ({ RuleArn: r.arn, Priority: wanted.get(r.arn) as number }));
  // Only a rule added since last known good can sit on a priority a restored rule needs (two known
  // rules never shared one); it moves behind every other rule, keeping its place relative to none.
  const taken = new Set(final.values());
  let next = Math.max(...taken) + 1;
  for (const extra of now.rules.filter((r) => !wanted.has(r.arn))) {
    const clash = moves.some((m) => wanted.get(m.arn) === extra.priority);
    if (!clash) continue;
    while (taken.has(next) && next < MAX_PRIORITY) next += 1;
    taken.add(next);
    pairs.push({ RuleArn: extra.arn, Priority: next });
    kept.push(`rule ${extra.arn} (added since last known good) moved from priority ${extra.priority} to ${next} to free its place`);
  }
  const label = listenerLabel(now);
  const description = `Restore rule priorities on ${label}: ${pairs.map((p) => `${p.RuleArn.split('/').pop()}→${p.Priority}`).join(', ')}`;
  return { step: { operation: 'SetRulePriorities', input: { RulePriorities: pairs }, description }, kept };
}

/** Steps, unrestorable differences and kept differences for the listeners of two snapshots. */
export function planListeners(
  good: LoadBalancerSnapshot,
  now: LoadBalancerSnapshot,
  names: ReadonlyMap<string, string>,
): { rules: RevertStep[]; priorities: RevertStep[]; listeners: RevertStep[]; unrestorable: string[]; kept: string[] } {
  const out = { rules: [] as RevertStep[], priorities: [] as RevertStep[], listeners: [] as RevertStep[], unrestorable: [] as string[], kept: [] as string[] };
  const current = new Map(now.listeners.map((l) => [l.arn, l]));
  for (const goodListener of good.listeners) {
    const label = listenerLabel(goodListener);
    const listener = current.get(goodListener.arn);
    if (listener === undefined) {
      out.unrestorable.push(`listener ${label} (${goodListener.arn}) was deleted; recreate it from the last known good snapshot`);
      continue;
    }
    if (listener.port !== goodListener.port || listener.protocol !== goodListener.protocol) {
      out.unrestorable.push(`listener ${label} is now ${listenerLabel(listener)}; a revert restores actions, not ports or protocols`);
    }
    const rules = new Map(listener.rules.map((r) => [r.arn, r]));
    for (const goodRule of goodListener.rules) {
      const rule = rules.get(goodRule.arn);
      if (rule === undefined) {
        out.unrestorable.push(`rule priority ${goodRule.priority} on ${label} (${goodRule.arn}) was deleted; recreate it from the last known good snapshot`);
        continue;
      }
      const actionsDiffer = canonicalActions(rule.actions) !== canonicalActions(goodRule.actions);
      const conditionsDiffer = canonicalConditions(rule.conditions) !== canonicalConditions(goodRule.conditions);
      if (!actionsDiffer && !conditionsDiffer) continue;
      out.rules.push({
        operation: 'ModifyRule',
        input: {
          RuleArn: goodRule.arn,
          Actions: goodRule.actions.map(toSdkAction),
          ...(conditionsDiffer && { Conditions: goodRule.conditions.map(toSdkCondition) }),
        },
        description: `Restore rule priority ${goodRule.priority} on ${label}: ${describeActions(goodRule.actions, names)}${conditionsDiffer ? ' and its conditions' : ''}`,
      });
    }
    const known = new Set(goodListener.rules.map((r) => r.arn));
    for (const added of listener.rules.filter((r) => !known.has(r.arn))) {
      out.unrestorable.push(`rule priority ${added.priority} on ${label} (${added.arn}) was added since last known good; a revert does not delete rules`);
    }
    const priorities = priorityStep(goodListener, listener);
    if (priorities.step !== undefined) out.priorities.push(priorities.step);
    out.kept.push(...priorities.kept);
    if (canonicalActions(listener.defaultActions) !== canonicalActions(goodListener.defaultActions)) {
      out.listeners.push({
        operation: 'ModifyListener',
        input: { ListenerArn: goodListener.arn, DefaultActions: goodListener.defaultActions.map(toSdkAction) },
        description: `Restore ${label} default actions: ${describeActions(goodListener.defaultActions, names)}`,
      });
    }
  }
  const known = new Set(good.listeners.map((l) => l.arn));
  for (const added of now.listeners.filter((l) => !known.has(l.arn))) {
    out.unrestorable.push(`listener ${listenerLabel(added)} (${added.arn}) was added since last known good; a revert does not delete listeners`);
  }
  return out;
}
