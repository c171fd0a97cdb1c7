import { InputValidationError, ResourceNotFoundError } from '../errors';
import { loadBalancerArnOf } from '../events/arn';
import type { ChangeRequest, ChangeRequests, TouchedResources } from '../events/change';
import { parseChangeRequest } from '../events/parse-change-request';
import type { Listener, LoadBalancerSnapshot, TargetGroup } from '../model/snapshot';
import { CROSS_ZONE_ATTRIBUTE, crossZoneSettingOf, targetKey } from '../revert/canonical';
import type { RevertPlan } from '../revert/revert-plan';

/**
 * Applies one ELBv2 call to a snapshot in memory, as ELB would, to compute "after" without touching
 * AWS (the CLI's `preview` and offline `evaluate`, and `applyPlan`). Returns a new snapshot.
 * Calls about resources of another load balancer leave the snapshot as it is; calls ELB would reject
 * (unknown listener or rule of this load balancer, a priority in use, a group in use) throw.
 * Newly registered targets are `initial` (not yet healthy); deregistered ones `draining`.
 */

/** A change to apply: a parsed `Change`, or a call name and request (with the ARN a create would get). */
export type ApplicableChange = ChangeRequest & { readonly resources?: TouchedResources; readonly createdArn?: string };

type Snapshot = LoadBalancerSnapshot;
type Handler<N extends keyof ChangeRequests> = (s: Snapshot, request: ChangeRequests[N], change: ApplicableChange) => void;

function rejected(message: string, field: string): never {
  throw new InputValidationError(message, { field, input: 'change-request' });
}

function listenerOf(s: Snapshot, arn: string): Listener | undefined {
  const listener = s.listeners.find((l) => l.arn === arn);
  if (listener === undefined && loadBalancerArnOf(arn) === s.loadBalancer.arn) {
    throw new ResourceNotFoundError(`listener ${arn} not found (ListenerNotFound)`, { resourceArn: arn });
  }
  return listener;
}

function ruleOf(s: Snapshot, arn: string): { listener: Listener; index: number } | undefined {
  for (const listener of s.listeners) {
    const index = listener.rules.findIndex((r) => r.arn === arn);
    if (index >= 0) return { listener, index };
  }
  if (loadBalancerArnOf(arn) === s.loadBalancer.arn) throw new ResourceNotFoundError(`rule ${arn} not found (RuleNotFound)`, { resourceArn: arn });
  return undefined;
}

function groupOf(s: Snapshot, arn: string): TargetGroup | undefined {
  return s.targetGroups.find((g) => g.arn === arn);
}

function checkPriorities(listener: Listener): void {
  const seen = new Set<number>();
  for (const rule of listener.rules) {
    if (seen.has(rule.priority)) rejected(`priority ${rule.priority} is used twice on ${listener.arn} (PriorityInUse)`, 'priority');
    seen.add(rule.priority);
  }
}

function isReferenced(s: Snapshot, groupArn: string): boolean {
  const actions = s.listeners.flatMap((l) => [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)]);
  return actions.some((a) => a.forward?.targetGroups.some((g) => g.targetGroupArn === groupArn));
}

let createdSeq = 0;
function createdArn(change: ApplicableChange, kind: 'listener' | 'rule', parent: string): string {
  const fromRecord = kind === 'listener' ? change.resources?.listenerArns : change.resources?.ruleArns;
  const known = change.createdArn ?? fromRecord?.find((arn) => arn !== parent && loadBalancerArnOf(arn) !== undefined && arn.includes(`:${kind === 'listener' ? 'listener' : 'listener-rule'}/`));
  if (known !== undefined) return known;
  createdSeq += 1;
  const id = `preview${String(createdSeq).padStart(9, '0')}`;
  return kind === 'listener' ? parent.replace(':loadbalancer/', ':listener/') + `/${id}` : parent.replace(':listener/', ':listener-rule/') + `/${id}`;
}

const HANDLERS: { [N in keyof ChangeRequests]: Handler<N> } = {
  CreateListener: (s, r, change) => {
    if (r.loadBalancerArn !== s.loadBalancer.arn) return;
    const port = r.port ?? 80;
    if (s.listeners.some((l) => l.port === port)) rejected(`a listener on port ${port} exists (DuplicateListener)`, 'port');
    s.listeners.push({
      arn: createdArn(change, 'listener', s.loadBalancer.arn),
      port,
      protocol: r.protocol ?? 'HTTP',
      ...(r.sslPolicy !== undefined && { sslPolicy: r.sslPolicy }),
      ...(r.certificates !== undefined && { certificates: r.certificates }),
      defaultActions: r.defaultActions,
      rules: [],
    });
  },
  ModifyListener: (s, r) => {
    const listener = listenerOf(s, r.listenerArn);
    if (listener === undefined) return;
    if (r.port !== undefined) listener.port = r.port;
    if (r.protocol !== undefined) listener.protocol = r.protocol;
    if (r.sslPolicy !== undefined) listener.sslPolicy = r.sslPolicy;
    // ModifyListener's certificate is the default one; the others (SNI) stay.
    if (r.certificates !== undefined && r.certificates.length > 0) listener.certificates = [r.certificates[0], ...(listener.certificates ?? []).slice(1).filter((c) => c !== r.certificates?.[0])];
    if (r.defaultActions !== undefined) listener.defaultActions = r.defaultActions;
  },
  DeleteListener: (s, r) => {
    if (listenerOf(s, r.listenerArn) !== undefined) s.listeners = s.listeners.filter((l) => l.arn !== r.listenerArn);
  },
  CreateRule: (s, r, change) => {
    const listener = listenerOf(s, r.listenerArn);
    if (listener === undefined) return;
    if (r.priority === undefined) rejected('CreateRule needs a priority', 'priority');
    listener.rules.push({ arn: createdArn(change, 'rule', r.listenerArn), priority: r.priority, conditions: r.conditions, actions: r.actions });
    checkPriorities(listener);
  },
  ModifyRule: (s, r) => {
    const found = ruleOf(s, r.ruleArn);
    if (found === undefined) return;
    const rule = found.listener.rules[found.index];
    if (r.conditions !== undefined) rule.conditions = r.conditions;
    if (r.actions !== undefined) rule.actions = r.actions;
  },
  DeleteRule: (s, r) => {
    const found = ruleOf(s, r.ruleArn);
    if (found !== undefined) found.listener.rules.splice(found.index, 1);
  },
  SetRulePriorities: (s, r) => {
    const touched = new Set<Listener>();
    for (const { ruleArn, priority } of r.rulePriorities) {
      const found = ruleOf(s, ruleArn);
      if (found === undefined) continue;
      found.listener.rules[found.index].priority = priority;
      touched.add(found.listener);
    }
    // ELB checks the order as a whole, after every move of the call: swaps in one call are fine.
    touched.forEach(checkPriorities);
  },
  RegisterTargets: (s, r) => {
    const group = groupOf(s, r.targetGroupArn);
    if (group === undefined) return;
    for (const t of r.targets) {
      const port = t.port ?? (group.targetType === 'lambda' ? undefined : group.port);
      const key = targetKey({ id: t.id, port }, group);
      const existing = group.targets.find((x) => targetKey(x, group) === key);
      if (existing !== undefined) {
        if (existing.health === 'draining' || existing.health === 'unhealthy.draining') Object.assign(existing, { health: 'initial', reason: 'Elb.RegistrationInProgress' });
        continue;
      }
      const zone = t.availabilityZone ?? group.targets.find((x) => x.id === t.id)?.availabilityZone;
      group.targets.push({ id: t.id, ...(port !== undefined && { port }), ...(zone !== undefined && { availabilityZone: zone }), health: 'initial', reason: 'Elb.RegistrationInProgress' });
    }
  },
  DeregisterTargets: (s, r) => {
    const group = groupOf(s, r.targetGroupArn);
    if (group === undefined) return;
    const keys = new Set(r.targets.map((t) => targetKey({ id: t.id, port: t.port ?? group.port }, group)));
    for (const target of group.targets) {
      if (keys.has(targetKey(target, group))) Object.assign(target, { health: 'draining', reason: 'Target.DeregistrationInProgress' });
    }
  },
  // Health-check settings are not part of the model; their effect shows in health, which only AWS knows.
  ModifyTargetGroup: () => undefined,
  ModifyTargetGroupAttributes: (s, r) => {
    const group = groupOf(s, r.targetGroupArn);
    if (group === undefined) return;
    for (const { key, value } of r.attributes) {
      group.attributes[key] = value;
      if (key === CROSS_ZONE_ATTRIBUTE) group.crossZone = crossZoneSettingOf(value);
    }
  },
  DeleteTargetGroup: (s, r) => {
    if (isReferenced(s, r.targetGroupArn)) rejected(`target group ${r.targetGroupArn} is in use by a listener or rule (ResourceInUse)`, 'targetGroupArn');
    s.targetGroups = s.targetGroups.filter((g) => g.arn !== r.targetGroupArn);
  },
  ModifyLoadBalancerAttributes: (s, r) => {
    if (r.loadBalancerArn !== s.loadBalancer.arn) return;
    for (const { key, value } of r.attributes) {
      s.loadBalancer.attributes[key] = value;
      if (key === CROSS_ZONE_ATTRIBUTE) s.loadBalancer.crossZoneEnabled = value === 'true';
    }
  },
  // Subnets replace the enabled ones (API_SetSubnets: "The specified subnets replace the previously enabled
  // subnets"). A subnet's zone is known from the snapshot or the request's `zones`; unknown ones are kept as
  // zones we cannot name, so judging errs towards seeing a zone go away.
  SetSubnets: (s, r) => {
    if (r.loadBalancerArn !== s.loadBalancer.arn) return;
    const known = new Map([...(s.loadBalancer.subnets ?? []), ...(r.zones ?? [])].map((z) => [z.subnetId, z.zone]));
    const subnets = r.subnets.map((subnetId) => ({ subnetId, zone: known.get(subnetId) ?? `unknown-zone-of-${subnetId}` }));
    s.loadBalancer.subnets = subnets;
    s.loadBalancer.availabilityZones = subnets.map((z) => z.zone);
    for (const group of s.targetGroups) {
      for (const target of group.targets) {
        if (target.availabilityZone === undefined || target.availabilityZone === 'all') continue;
        const enabled = s.loadBalancer.availabilityZones.includes(target.availabilityZone);
        if (!enabled && target.health !== 'draining' && target.health !== 'unhealthy.draining') Object.assign(target, { health: 'unused', reason: 'Target.NotInUse' });
      }
    }
  },
  AddListenerCertificates: (s, r) => {
    const listener = listenerOf(s, r.listenerArn);
    if (listener === undefined) return;
    const certificates = listener.certificates ?? [];
    listener.certificates = [...certificates, ...r.certificates.filter((c) => !certificates.includes(c))];
  },
  RemoveListenerCertificates: (s, r) => {
    const listener = listenerOf(s, r.listenerArn);
    if (listener === undefined || listener.certificates === undefined) return;
    // The default certificate cannot be removed this way (it is the listener's own).
    listener.certificates = listener.certificates.filter((c, i) => i === 0 || !r.certificates.includes(c));
  },
  // A deleted load balancer serves nothing: no listeners, and its groups serve it no more.
  DeleteLoadBalancer: (s, r) => {
    if (r.loadBalancerArn !== s.loadBalancer.arn) return;
    s.listeners = [];
    for (const group of s.targetGroups) group.loadBalancerArns = group.loadBalancerArns.filter((arn) => arn !== r.loadBalancerArn);
  },
};

/** The snapshot after one ELBv2 call (a parsed change, or a call name with its typed request). */
export function applyChange(snapshot: LoadBalancerSnapshot, change: ApplicableChange): LoadBalancerSnapshot {
  const handler = HANDLERS[change.eventName] as Handler<typeof change.eventName> | undefined;
  if (handler === undefined) rejected(`unknown ELBv2 call ${JSON.stringify(change.eventName)}`, 'eventName');
  const next = structuredClone(snapshot);
  handler(next, change.request as never, change);
  return next;
}

/**
 * The snapshot after a revert plan's steps, applied in memory in order. The steps' SDK (PascalCase)
 * inputs are read by the same request parser as CloudTrail records, so a plan is checked by the code
 * that reads changes. Used by property tests and to check a plan before it is applied.
 */
export function applyPlan(snapshot: LoadBalancerSnapshot, plan: RevertPlan): LoadBalancerSnapshot {
  return plan.steps.reduce((state, step, index) => {
    const request = parseChangeRequest(step.operation, step.input, `steps.${index}.input`);
    return applyChange(state, { eventName: step.operation, request } as ChangeRequest);
  }, snapshot);
}
