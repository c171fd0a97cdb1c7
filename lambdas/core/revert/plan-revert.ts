import { InputValidationError } from '../errors';
import type { LoadBalancerSnapshot, Target, TargetGroup } from '../model/snapshot';
import { CROSS_ZONE_ATTRIBUTE, effectiveAttributes, registeredTargets } from './canonical';
import { planListeners, type ListenerPlanOptions } from './plan-listeners';
import type { RevertPlan, RevertStep, SdkTag } from './revert-plan';

/** Targets of the last known good that are no longer registered: registered again (unless a scaler removed them). */
function registerStep(good: TargetGroup, now: TargetGroup, keep: PlanRevertOptions['keepDeregistered'], kept: string[]): RevertStep | undefined {
  const current = registeredTargets(now);
  const gone = [...registeredTargets(good)].filter(([key]) => !current.has(key)).map(([, t]) => t);
  const left = keep === undefined ? [] : gone.filter((t) => keep(good, t));
  if (left.length > 0) kept.push(`${left.length} target(s) removed from ${good.name} by a scaler were left deregistered: ${left.map((t) => t.id).join(', ')}`);
  const missing = gone.filter((t) => !left.includes(t));
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

/** Options of `planRevert`. */
export interface PlanRevertOptions {
  /** Tags on every listener and rule the plan creates (the scope tag, so IAM lets the watchdog create them). */
  readonly createTags?: readonly SdkTag[];
  /** Rules added since the last known good that stay (made by someone the policy trusts). */
  readonly keepRule?: ListenerPlanOptions['keepRule'];
  /** Targets of the last known good that stay deregistered (a scaler removed them). */
  readonly keepDeregistered?: (group: TargetGroup, target: Target) => boolean;
}

function subnetStep(good: LoadBalancerSnapshot, now: LoadBalancerSnapshot): RevertStep | undefined {
  const want = good.loadBalancer.subnets;
  if (want === undefined || want.length === 0) return undefined;
  const key = (subnets: readonly { subnetId: string }[] | undefined) => (subnets ?? []).map((s) => s.subnetId).sort().join(',');
  if (key(want) === key(now.loadBalancer.subnets)) return undefined;
  return {
    operation: 'SetSubnets',
    input: { LoadBalancerArn: good.loadBalancer.arn, Subnets: want.map((s) => s.subnetId) },
    description: `Restore the zones of ${good.loadBalancer.name}: ${want.map((s) => `${s.zone} (${s.subnetId})`).join(', ')}`,
  };
}

/**
 * The ordered ELBv2 calls that take `current` back to routing as `lastKnownGood` did, in SDK input shapes:
 * 1. RegisterTargets: capacity first, so targets pass health checks while the rest is restored;
 * 2. ModifyTargetGroupAttributes, ModifyLoadBalancerAttributes (cross-zone) and SetSubnets (zones): how
 *    groups spread;
 * 3. CreateListener for a deleted listener (its rules and other certificates follow when planned again);
 * 4. per listener: DeleteRule (rules added since), SetRulePriorities (one call, so swaps never collide),
 *    ModifyRule, CreateRule (rules deleted since), AddListenerCertificates;
 * 5. ModifyListener: default actions, last, once the targets and rules they rely on are back.
 * Targets someone added are kept, not deregistered: more capacity never concentrates traffic, someone
 * may be adding it to fix an incident, and DeregisterTargets is not among the calls a revert may make.
 * A deleted target group cannot be restored by these calls: it is listed in `unrestorable`. Planning
 * against a restored state yields no step.
 */
export function planRevert(lastKnownGood: LoadBalancerSnapshot, current: LoadBalancerSnapshot, options: PlanRevertOptions = {}): RevertPlan {
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
    const register = registerStep(good, now, options.keepDeregistered, kept);
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
  const subnets = subnetStep(lastKnownGood, current);
  if (subnets !== undefined) lbSteps.push(subnets);
  const names = new Map([...lastKnownGood.targetGroups, ...current.targetGroups].map((g) => [g.arn, g.name]));
  const listeners = planListeners(lastKnownGood, current, { names, createTags: options.createTags ?? [], keepRule: options.keepRule });
  return {
    loadBalancerArn: arn,
    steps: [...registers, ...attributes, ...lbSteps, ...listeners.creates, ...listeners.rules, ...listeners.defaults],
    unrestorable,
    kept: [...kept, ...listeners.kept],
    ...(listeners.followUps.length > 0 && { followUps: listeners.followUps }),
  };
}
