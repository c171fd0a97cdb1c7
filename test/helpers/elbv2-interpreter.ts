import type { Action, LoadBalancerSnapshot, RuleCondition } from '../../lambdas/core/model/snapshot';
import type { RevertStep, SdkAction, SdkRuleCondition } from '../../lambdas/core/revert/revert-plan';

/**
 * A second, separate interpreter of the ELBv2 calls a revert plan makes, for property tests: it applies
 * the SDK inputs to a snapshot as the API would (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/):
 * creates get new ARNs, a listener's rule priorities stay unique (CreateRule and SetRulePriorities fail
 * with PriorityInUse otherwise), calls naming unknown resources fail (ListenerNotFound, RuleNotFound),
 * one listener per port (DuplicateListener). It shares no code with the watchdog's own simulator.
 */

export class Elbv2CallError extends Error {}

let serial = 0;

function action(a: SdkAction): Action {
  const out: Action = { type: a.Type };
  if (a.ForwardConfig !== undefined) out.forward = { targetGroups: a.ForwardConfig.TargetGroups.map((g) => ({ targetGroupArn: g.TargetGroupArn, weight: g.Weight })) };
  else if (a.TargetGroupArn !== undefined) out.forward = { targetGroups: [{ targetGroupArn: a.TargetGroupArn, weight: 1 }] };
  if (a.RedirectConfig !== undefined) out.redirectConfig = a.RedirectConfig;
  if (a.FixedResponseConfig !== undefined) out.fixedResponseConfig = a.FixedResponseConfig;
  if (a.Order !== undefined) out.order = a.Order;
  return out;
}

function condition(c: SdkRuleCondition): RuleCondition {
  const values = c.HostHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? c.HttpHeaderConfig?.Values ?? c.HttpRequestMethodConfig?.Values ?? c.SourceIpConfig?.Values ?? c.Values ?? [];
  const out: RuleCondition = { field: c.Field, values: [...values] };
  if (c.HttpHeaderConfig !== undefined) out.httpHeaderName = c.HttpHeaderConfig.HttpHeaderName;
  if (c.QueryStringConfig !== undefined) out.queryStrings = c.QueryStringConfig.Values.map((q) => ({ ...(q.Key !== undefined && { key: q.Key }), value: q.Value }));
  return out;
}

function uniquePriorities(priorities: number[], where: string): void {
  if (new Set(priorities).size !== priorities.length) throw new Elbv2CallError(`PriorityInUse on ${where}`);
}

/** Applies one call; returns the new snapshot. */
export function interpretStep(snapshot: LoadBalancerSnapshot, step: RevertStep): LoadBalancerSnapshot {
  const s = structuredClone(snapshot);
  const listenerOf = (arn: string) => {
    const l = s.listeners.find((x) => x.arn === arn);
    if (l === undefined) throw new Elbv2CallError(`ListenerNotFound ${arn}`);
    return l;
  };
  const ruleOf = (arn: string) => {
    for (const l of s.listeners) {
      const r = l.rules.find((x) => x.arn === arn);
      if (r !== undefined) return { l, r };
    }
    throw new Elbv2CallError(`RuleNotFound ${arn}`);
  };
  const groupOf = (arn: string) => {
    const g = s.targetGroups.find((x) => x.arn === arn);
    if (g === undefined) throw new Elbv2CallError(`TargetGroupNotFound ${arn}`);
    return g;
  };
  switch (step.operation) {
    case 'CreateListener': {
      const i = step.input;
      if (s.listeners.some((l) => l.port === i.Port)) throw new Elbv2CallError(`DuplicateListener ${i.Port}`);
      s.listeners.push({
        arn: `${i.LoadBalancerArn.replace(':loadbalancer/', ':listener/')}/recreated${(serial += 1)}`,
        port: i.Port,
        protocol: i.Protocol,
        ...(i.SslPolicy !== undefined && { sslPolicy: i.SslPolicy }),
        ...(i.Certificates !== undefined && { certificates: i.Certificates.map((c) => c.CertificateArn) }),
        defaultActions: i.DefaultActions.map(action),
        rules: [],
      });
      break;
    }
    case 'ModifyListener': {
      const l = listenerOf(step.input.ListenerArn);
      if (step.input.Port !== undefined) l.port = step.input.Port;
      if (step.input.Protocol !== undefined) l.protocol = step.input.Protocol;
      if (step.input.SslPolicy !== undefined) l.sslPolicy = step.input.SslPolicy;
      if (step.input.Certificates !== undefined) l.certificates = [step.input.Certificates[0].CertificateArn, ...(l.certificates ?? []).slice(1)];
      if (step.input.DefaultActions !== undefined) l.defaultActions = step.input.DefaultActions.map(action);
      break;
    }
    case 'AddListenerCertificates': {
      const l = listenerOf(step.input.ListenerArn);
      l.certificates = [...new Set([...(l.certificates ?? []), ...step.input.Certificates.map((c) => c.CertificateArn)])];
      break;
    }
    case 'CreateRule': {
      const l = listenerOf(step.input.ListenerArn);
      uniquePriorities([...l.rules.map((r) => r.priority), step.input.Priority], l.arn);
      l.rules.push({
        arn: `${l.arn.replace(':listener/', ':listener-rule/')}/recreated${(serial += 1)}`,
        priority: step.input.Priority,
        conditions: step.input.Conditions.map(condition),
        actions: step.input.Actions.map(action),
      });
      break;
    }
    case 'DeleteRule': {
      const { l, r } = ruleOf(step.input.RuleArn);
      l.rules = l.rules.filter((x) => x !== r);
      break;
    }
    case 'ModifyRule': {
      const { r } = ruleOf(step.input.RuleArn);
      r.actions = step.input.Actions.map(action);
      if (step.input.Conditions !== undefined) r.conditions = step.input.Conditions.map(condition);
      break;
    }
    case 'SetRulePriorities': {
      const touched = new Set<(typeof s.listeners)[number]>();
      for (const p of step.input.RulePriorities) {
        const { l, r } = ruleOf(p.RuleArn);
        r.priority = p.Priority;
        touched.add(l);
      }
      for (const l of touched) uniquePriorities(l.rules.map((r) => r.priority), l.arn);
      break;
    }
    case 'RegisterTargets': {
      const g = groupOf(step.input.TargetGroupArn);
      for (const t of step.input.Targets) {
        const existing = g.targets.find((x) => x.id === t.Id && (x.port ?? g.port) === (t.Port ?? g.port));
        if (existing !== undefined) existing.health = 'initial';
        else g.targets.push({ id: t.Id, ...(t.Port !== undefined && { port: t.Port }), health: 'initial' });
      }
      break;
    }
    case 'ModifyTargetGroupAttributes': {
      const g = groupOf(step.input.TargetGroupArn);
      for (const a of step.input.Attributes) {
        g.attributes[a.Key] = a.Value;
        if (a.Key === 'load_balancing.cross_zone.enabled') g.crossZone = a.Value === 'true' ? 'on' : a.Value === 'false' ? 'off' : 'inherit';
      }
      break;
    }
    case 'ModifyLoadBalancerAttributes':
      for (const a of step.input.Attributes) {
        s.loadBalancer.attributes[a.Key] = a.Value;
        if (a.Key === 'load_balancing.cross_zone.enabled') s.loadBalancer.crossZoneEnabled = a.Value === 'true';
      }
      break;
    case 'SetSubnets':
      s.loadBalancer.subnets = step.input.Subnets.map((subnetId) => ({ subnetId, zone: snapshot.loadBalancer.subnets?.find((x) => x.subnetId === subnetId)?.zone ?? subnetId }));
      break;
  }
  return s;
}

/** Applies every step of a plan in order. */
export function interpretSteps(snapshot: LoadBalancerSnapshot, steps: readonly RevertStep[]): LoadBalancerSnapshot {
  return steps.reduce(interpretStep, snapshot);
}
