import { InputValidationError } from '../errors';
import type { LoadBalancerSnapshot, TargetGroup } from '../model/snapshot';
import { CROSS_ZONE_ATTRIBUTE, effectiveAttributes, registeredTargets } from './canonical';
import { planListeners } from './plan-listeners';
import type { RevertPlan, RevertStep } from './revert-plan';

/** Targets of the last known good that are no longer registered: registered again. */
function registerStep(good: TargetGroup, now: TargetGroup): RevertStep | undefined {
  const current = registeredTargets(now);
  const missing = [...registeredTargets(good)].filter(([key]) => !current.has(key)).map(([, t]) => t);
  if (missing.length === 0) return undefined;
  // ELB takes AvailabilityZone only for IP targets; instance zones are the instance's own.
  const Targets = missing.map((t) => ({
    Id: t.id,
    ...(t.port !== undefined && { Port: t.port }),
    ...(good.targetType === 'ip' && t.availabilityZone !== undefined && { AvailabilityZone: t.availabilityZone }),
  }));
  return {
    operation: 'RegisterTargets',
    input: { TargetGroupArn: good.arn, Targets },
    description: `Register ${missing.length} target${missing.length === 1 ? '' : 's'} again in ${good.name}: ${missing.map((t) => t.id).join(', ')}`,
  };
}

function attributeStep(good: TargetGroup, now: TargetGroup): RevertStep | undefined {
  const want = effectiveAttributes(good);
  const have = effectiveAttributes(now);
  const Attributes = Object.entries(want)
    .filter(([key, value]) => have[key] !== value)
    .map(([Key, Value]) => ({ Key, Value }));
  if (Attributes.length === 0) return undefined;
  return {
    operation: 'ModifyTargetGroupAttributes',
    input: { TargetGroupArn: good.arn, Attributes },
    description: `Restore attributes of ${good.name}: ${Attributes.map((a) => `${a.Key}=${a.Value}`).join(', ')}`,
  };
}

/**
 * The minimal ordered ELBv2 calls that take `current` back to `lastKnownGood`, in SDK input shapes:
 * 1. RegisterTargets — capacity first, so targets pass health checks while the rest is restored;
 * 2. ModifyTargetGroupAttributes and 3. ModifyLoadBalancerAttributes (cross-zone) — how groups spread;
 * 4. ModifyRule, 5. SetRulePriorities (one call per listener, so swaps never collide), 6. ModifyListener —
 *    where traffic goes, last, once the targets it goes to are back.
 * Targets someone added are kept, not deregistered: more capacity never concentrates traffic, someone
 * may be adding it to fix an incident, and DeregisterTargets is not among the calls a revert may make.
 * Deleted listeners and rules, and groups missing from `current`, cannot be restored by these calls:
 * they are listed in `unrestorable` for people. Planning against a restored state yields no step.
 */
export function planRevert(lastKnownGood: LoadBalancerSnapshot, current: LoadBalancerSnapshot): RevertPlan {
  const arn = lastKnownGood.loadBalancer.arn;
  if (current.loadBalancer.arn !== arn) {
    throw new InputValidationError(`cannot plan a revert across load balancers: ${arn} vs ${current.loadBalancer.arn}`, {
      field: 'loadBalancer.arn',
      input: 'snapshot',
    });
  }
  const registers: RevertStep[] = [];
  const attributes: RevertStep[] = [];
  const unrestorable: string[] = [];
  const kept: string[] = [];
  const groups = new Map(current.targetGroups.map((g) => [g.arn, g]));
  for (const good of lastKnownGood.targetGroups) {
    const now = groups.get(good.arn);
    if (now === undefined) {
      unrestorable.push(`target group ${good.name} (${good.arn}) is not in the current snapshot (deleted or detached): its targets and attributes cannot be restored`);
      continue;
    }
    const register = registerStep(good, now);
    if (register !== undefined) registers.push(register);
    const attribute = attributeStep(good, now);
    if (attribute !== undefined) attributes.push(attribute);
    const known = registeredTargets(good);
    const added = [...registeredTargets(now)].filter(([key]) => !known.has(key)).map(([, t]) => t.id);
    if (added.length > 0) kept.push(`${added.length} target(s) added to ${good.name} since last known good were left registered: ${added.join(', ')}`);
  }
  const lbSteps: RevertStep[] = [];
  if (lastKnownGood.loadBalancer.crossZoneEnabled !== current.loadBalancer.crossZoneEnabled) {
    const Value = String(lastKnownGood.loadBalancer.crossZoneEnabled);
    lbSteps.push({
      operation: 'ModifyLoadBalancerAttributes',
      input: { LoadBalancerArn: arn, Attributes: [{ Key: CROSS_ZONE_ATTRIBUTE, Value }] },
      description: `Restore cross-zone load balancing of ${lastKnownGood.loadBalancer.name}: ${Value === 'true' ? 'on' : 'off'}`,
    });
  }
  const names = new Map([...lastKnownGood.targetGroups, ...current.targetGroups].map((g) => [g.arn, g.name]));
  const listeners = planListeners(lastKnownGood, current, names);
  return {
    loadBalancerArn: arn,
    steps: [...registers, ...attributes, ...lbSteps, ...listeners.rules, ...listeners.priorities, ...listeners.listeners],
    unrestorable: [...unrestorable, ...listeners.unrestorable],
    kept: [...kept, ...listeners.kept],
  };
}
