import fc from 'fast-check';
import type { ApplicableChange } from '../../lambdas/core/simulate/apply-change';
import type { Action, LoadBalancerSnapshot, TargetHealthState } from '../../lambdas/core/model/snapshot';
import { fixedResponse, forward, lb, target, type DraftAction } from './snapshot-builder';

/** fast-check arbitraries: random load balancers (built with the snapshot builder) and random changes. */

const STATES: TargetHealthState[] = ['healthy', 'healthy', 'healthy', 'initial', 'unhealthy', 'draining', 'unused', 'unavailable'];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const PORTS = [80, 443, 8080];
const ATTRIBUTE_KEYS = ['deregistration_delay.timeout_seconds', 'stickiness.enabled', 'slow_start.duration_seconds'];

const groupArb = fc.record({
  targets: fc.array(fc.record({ state: fc.constantFrom(...STATES), zone: fc.constantFrom(...ZONES) }), { maxLength: 6 }),
  crossZone: fc.constantFrom('on' as const, 'off' as const, 'inherit' as const),
  attributes: fc.tuple(fc.nat(600), fc.boolean(), fc.nat(900)),
});

const actionArb = (groups: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.tuple(fc.nat(groups - 1), fc.nat(999)), { minLength: 1, maxLength: Math.min(groups, 5) }) },
    { weight: 1, arbitrary: fc.constant('fixed' as const) },
  );

const specArb = fc.integer({ min: 1, max: 4 }).chain((groups) =>
  fc.record({
    type: fc.constantFrom('application' as const, 'network' as const),
    crossZone: fc.boolean(),
    groups: fc.array(groupArb, { minLength: groups, maxLength: groups }),
    listeners: fc.uniqueArray(
      fc.record({
        port: fc.constantFrom(...PORTS),
        action: actionArb(groups),
        rules: fc.uniqueArray(fc.record({ priority: fc.integer({ min: 1, max: 40 }), path: fc.constantFrom('/a/*', '/b/*', '/c'), action: actionArb(groups) }), {
          selector: (r) => r.priority,
          maxLength: 4,
        }),
      }),
      { selector: (l) => l.port, minLength: 1, maxLength: 3 },
    ),
  }),
);

function draft(action: readonly (readonly [number, number])[] | 'fixed'): DraftAction {
  if (action === 'fixed') return fixedResponse();
  const weights: Record<string, number> = {};
  for (const [g, w] of action) weights[`g${g}`] = w;
  return forward(weights);
}

/** A random, valid load balancer snapshot. */
export const snapshotArb: fc.Arbitrary<LoadBalancerSnapshot> = specArb.map((spec) => {
  const builder = lb('web', spec.type).crossZoneLb(spec.crossZone).zonesAre('us-east-1a', 'us-east-1b');
  spec.groups.forEach((g, i) =>
    builder.group(`g${i}`, {
      crossZone: g.crossZone,
      attributes: { [ATTRIBUTE_KEYS[0]]: String(g.attributes[0]), [ATTRIBUTE_KEYS[1]]: String(g.attributes[1]), [ATTRIBUTE_KEYS[2]]: String(g.attributes[2]) },
      targets: g.targets.map((t, n) => target(`i-g${i}-${n}`, t.state, t.zone)),
    }),
  );
  for (const l of spec.listeners) {
    builder.listener(l.port, draft(l.action));
    for (const r of l.rules) builder.rule(l.port, r.priority, { path: r.path }, draft(r.action));
  }
  return builder.build();
});

/** An abstract change: which kind, and numbers that pick resources and values from the snapshot. */
export type Mutation = { kind: string; a: number; b: number; weights: number[] };

const RESTORABLE = ['modify-listener', 'modify-rule', 'swap-priorities', 'move-priority', 'deregister', 'tg-attribute', 'tg-cross-zone', 'lb-cross-zone'];
const ANY = [...RESTORABLE, 'delete-rule', 'create-rule', 'register-new', 'delete-listener'];

/** Random mutations that a revert can fully undo (or, with `all`, also deletions and additions). */
export function mutationsArb(all = false): fc.Arbitrary<Mutation[]> {
  return fc.array(
    fc.record({ kind: fc.constantFrom(...(all ? ANY : RESTORABLE)), a: fc.nat(1000), b: fc.nat(1000), weights: fc.array(fc.nat(999), { minLength: 1, maxLength: 5 }) }),
    { minLength: 1, maxLength: 6 },
  );
}

function forwardTo(s: LoadBalancerSnapshot, m: Mutation): Action {
  const targetGroups = m.weights.slice(0, s.targetGroups.length).map((weight, i) => ({ targetGroupArn: s.targetGroups[(m.b + i) % s.targetGroups.length].arn, weight }));
  return { type: 'forward', forward: { targetGroups } };
}

/** The concrete ELBv2 call of an abstract mutation against `s`, or undefined when it does not apply. */
export function changeFor(s: LoadBalancerSnapshot, m: Mutation): ApplicableChange | undefined {
  const listener = s.listeners[m.a % s.listeners.length];
  const rules = s.listeners.flatMap((l) => l.rules);
  const rule = rules.length === 0 ? undefined : rules[m.a % rules.length];
  const group = s.targetGroups[m.a % s.targetGroups.length];
  switch (m.kind) {
    case 'modify-listener':
      return listener && { eventName: 'ModifyListener', request: { listenerArn: listener.arn, defaultActions: [forwardTo(s, m)] } };
    case 'modify-rule':
      return rule && { eventName: 'ModifyRule', request: { ruleArn: rule.arn, actions: [forwardTo(s, m)], ...(m.b % 2 === 0 && { conditions: [{ field: 'host-header', values: [`h${m.b}.example.com`] }] }) } };
    case 'swap-priorities': {
      const withTwo = s.listeners.filter((l) => l.rules.length >= 2);
      const l = withTwo[m.a % Math.max(1, withTwo.length)];
      if (l === undefined) return undefined;
      const [x, y] = [l.rules[m.b % l.rules.length], l.rules[(m.b + 1) % l.rules.length]];
      return { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: x.arn, priority: y.priority }, { ruleArn: y.arn, priority: x.priority }] } };
    }
    case 'move-priority': {
      if (rule === undefined) return undefined;
      const owner = s.listeners.find((l) => l.rules.includes(rule));
      const used = new Set(owner?.rules.map((r) => r.priority));
      const free = [...Array(60).keys()].map((i) => i + 1).filter((p) => !used.has(p));
      return { eventName: 'SetRulePriorities', request: { rulePriorities: [{ ruleArn: rule.arn, priority: free[m.b % free.length] }] } };
    }
    case 'deregister': {
      const some = group?.targets.filter((_, i) => (m.b >> i) % 2 === 1) ?? [];
      return some.length === 0 ? undefined : { eventName: 'DeregisterTargets', request: { targetGroupArn: group.arn, targets: some.map((t) => ({ id: t.id, port: t.port })) } };
    }
    case 'tg-attribute':
      return group && { eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: group.arn, attributes: [{ key: ATTRIBUTE_KEYS[m.b % 3], value: String(m.weights[0]) }] } };
    case 'tg-cross-zone':
      return group && { eventName: 'ModifyTargetGroupAttributes', request: { targetGroupArn: group.arn, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: ['true', 'false', 'use_load_balancer_configuration'][m.b % 3] }] } };
    case 'lb-cross-zone':
      return { eventName: 'ModifyLoadBalancerAttributes', request: { loadBalancerArn: s.loadBalancer.arn, attributes: [{ key: 'load_balancing.cross_zone.enabled', value: String(m.b % 2 === 0) }] } };
    case 'delete-rule':
      return rule && { eventName: 'DeleteRule', request: { ruleArn: rule.arn } };
    case 'create-rule': {
      const used = new Set(listener.rules.map((r) => r.priority));
      const priority = [...Array(60).keys()].map((i) => i + 1).filter((p) => !used.has(p))[m.b % 50];
      return { eventName: 'CreateRule', createdArn: `${listener.arn.replace(':listener/', ':listener-rule/')}/new${m.a}${m.b}`, request: { listenerArn: listener.arn, priority, conditions: [{ field: 'path-pattern', values: ['/new'] }], actions: [forwardTo(s, m)] } };
    }
    case 'register-new':
      return group && { eventName: 'RegisterTargets', request: { targetGroupArn: group.arn, targets: [{ id: `i-new-${m.b}`, port: 80 }] } };
    case 'delete-listener':
      return s.listeners.length > 1 ? { eventName: 'DeleteListener', request: { listenerArn: listener.arn } } : undefined;
    default:
      return undefined;
  }
}
