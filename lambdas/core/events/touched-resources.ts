import type { Action } from '../model/snapshot';
import { loadBalancerArnOf } from './arn';
import type { ChangeRequest, TouchedResources } from './change';
import { asArray, isRecord, member, optionalString } from './params';

/** Collects ARNs without duplicates, keeping first-seen order. */
class ArnSet {
  private readonly seen = new Set<string>();
  public readonly list: string[] = [];
  public add(arn: string | undefined): void {
    if (arn === undefined || arn === '' || this.seen.has(arn)) return;
    this.seen.add(arn);
    this.list.push(arn);
  }
}

/** ARNs named by a created resource in `responseElements` (`listeners[].listenerArn`, `rules[].ruleArn`). */
function createdArns(responseElements: unknown, list: string, name: string): string[] {
  if (!isRecord(responseElements)) return [];
  return asArray(member(responseElements, list))
    .filter(isRecord)
    .map((item) => optionalString(item, name))
    .filter((arn): arn is string => arn !== undefined);
}

function groupsOf(actions: readonly Action[] | undefined): string[] {
  return (actions ?? []).flatMap((action) => action.forward?.targetGroups.map((group) => group.targetGroupArn) ?? []);
}

/**
 * The resources a call touched: the ARNs in its request, ARNs it created (from `responseElements`),
 * and the load balancer every listener or rule ARN belongs to.
 */
export function touchedResources(change: ChangeRequest, responseElements?: unknown): TouchedResources {
  const lbs = new ArnSet();
  const listeners = new ArnSet();
  const rules = new ArnSet();
  const groups = new ArnSet();
  const request = change.request as Partial<Record<string, unknown>>;
  const str = (key: string): string | undefined => (typeof request[key] === 'string' ? (request[key] as string) : undefined);

  lbs.add(str('loadBalancerArn'));
  listeners.add(str('listenerArn'));
  rules.add(str('ruleArn'));
  groups.add(str('targetGroupArn'));
  if (change.eventName === 'SetRulePriorities') change.request.rulePriorities.forEach((pair) => rules.add(pair.ruleArn));
  if (change.eventName === 'CreateListener') createdArns(responseElements, 'listeners', 'listenerArn').forEach((a) => listeners.add(a));
  if (change.eventName === 'CreateRule') createdArns(responseElements, 'rules', 'ruleArn').forEach((a) => rules.add(a));
  const actions = [
    ...((request.defaultActions as Action[] | undefined) ?? []),
    ...((request.actions as Action[] | undefined) ?? []),
  ];
  groupsOf(actions).forEach((arn) => groups.add(arn));
  [...listeners.list, ...rules.list].forEach((arn) => lbs.add(loadBalancerArnOf(arn)));
  return { loadBalancerArns: lbs.list, listenerArns: listeners.list, ruleArns: rules.list, targetGroupArns: groups.list };
}
