import type { Action, LoadBalancer, RuleCondition, Target } from '../../model/snapshot';
import type { Unknown } from './actions';
import type { SideGroup, SideListener, SideModel, SideRule } from './side-model';

/**
 * Each load balancer's listeners and rules on each side of a change, with every value the snapshot
 * needs settled. Something known only after apply never becomes a guess: a resource that exists
 * before keeps its prior configuration on the "after" side (so the check sees no change there, and
 * says so), and a new one is left out (and the check says so).
 */

/** A rule ready for a snapshot. */
export interface ViewRule {
  readonly address: string;
  readonly resourceType: string;
  readonly priority: number;
  readonly conditions: RuleCondition[];
  readonly actions: Action[];
}

/** A listener ready for a snapshot. */
export interface ViewListener {
  readonly address: string;
  readonly resourceType: string;
  readonly port: number;
  readonly protocol: string;
  readonly actions: Action[];
  readonly rules: ViewRule[];
}

/** The load balancer itself on one side. */
export interface ViewLoadBalancer {
  readonly key: string;
  /** Absent for a load balancer outside the configuration (its listeners are in it). */
  readonly address?: string;
  readonly resourceType?: string;
  readonly arn?: string;
  readonly name: string;
  readonly type: LoadBalancer['type'];
  readonly crossZone: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly tagsKnown: boolean;
}

/** What the check knows of a target group's targets. */
export type GroupTargets = { readonly before: readonly Target[]; readonly after: readonly Target[] } | Unknown;

/** A target group as the view knows it (on either side). */
export interface ViewGroup {
  readonly key: string;
  readonly address?: string;
  readonly resourceType?: string;
  readonly name: string;
  readonly before?: SideGroup;
  readonly after?: SideGroup;
  readonly targets: GroupTargets;
}

/** One load balancer: each side's configuration, its groups, and what was left out. */
export interface LoadBalancerView {
  readonly key: string;
  readonly before?: { readonly lb: ViewLoadBalancer; readonly listeners: readonly ViewListener[] };
  readonly after?: { readonly lb: ViewLoadBalancer; readonly listeners: readonly ViewListener[] };
  readonly groups: ReadonlyMap<string, ViewGroup>;
  readonly notes: readonly { readonly address: string; readonly message: string }[];
}

const isUnknown = <T>(value: T | Unknown): value is Unknown => typeof value === 'object' && value !== null && 'unknown' in value;

function externalLb(key: string): ViewLoadBalancer {
  const arn = key.slice('ext:'.length);
  const type = arn.includes(':loadbalancer/net/') ? 'network' : arn.includes(':loadbalancer/gwy/') ? 'gateway' : 'application';
  const name = /:loadbalancer\/(?:app|net|gwy)\/([^/]+)\//.exec(arn)?.[1] ?? arn;
  return { key, arn, name, type, crossZone: type === 'application', tags: {}, tagsKnown: false };
}

function lbOf(side: SideModel, key: string): ViewLoadBalancer | undefined {
  const lb = side.lbs.get(key);
  if (lb !== undefined) return lb;
  return key.startsWith('ext:') ? externalLb(key) : undefined;
}

function defaultProtocol(type: LoadBalancer['type']): string {
  return type === 'network' ? 'TCP' : type === 'gateway' ? 'GENEVE' : 'HTTP';
}

interface Settled {
  readonly listeners: Map<string, ViewListener & { readonly lbKey: string }>;
}

/** Settles one side; `prior` (the "before" side, already settled) stands in for what is unknown after apply. */
function settle(side: SideModel, prior: Settled | undefined, notes: Map<string, { address: string; message: string }[]>): Settled {
  // Notes about no load balancer in particular go under ''.
  const note = (lbKey: string, address: string, message: string) => notes.set(lbKey, [...(notes.get(lbKey) ?? []), { address, message }]);
  const listeners = new Map<string, ViewListener & { lbKey: string }>();
  const fallback = (listener: SideListener, why: string): void => {
    const before = prior?.listeners.get(listener.address);
    if (before !== undefined) {
      listeners.set(listener.address, { ...before, rules: [] });
      note(before.lbKey, listener.address, `not judged: ${why}; taken as unchanged`);
    } else {
      note('unknown' in listener.lb ? '' : listener.lb.key, listener.address, `new listener not judged: ${why}`);
    }
  };
  for (const listener of side.listeners.values()) {
    if (isUnknown(listener.lb)) {
      fallback(listener, listener.lb.unknown);
      continue;
    }
    const lb = lbOf(side, listener.lb.key);
    const before = prior?.listeners.get(listener.address);
    const port = listener.port ?? before?.port;
    if (isUnknown(listener.actions) || port === undefined) {
      fallback(listener, isUnknown(listener.actions) ? listener.actions.unknown : 'its port is known only after apply');
      continue;
    }
    listeners.set(listener.address, {
      address: listener.address,
      resourceType: listener.resourceType,
      lbKey: listener.lb.key,
      port,
      protocol: listener.protocol ?? before?.protocol ?? defaultProtocol(lb?.type ?? 'application'),
      actions: listener.actions,
      rules: [],
    });
  }
  const rulesOf = new Map<string, ViewRule[]>();
  const priorRule = new Map<string, { listener: string; rule: ViewRule }>();
  for (const listener of prior?.listeners.values() ?? []) for (const rule of listener.rules) priorRule.set(rule.address, { listener: listener.address, rule });
  const keep = (rule: SideRule, why: string) => {
    const before = priorRule.get(rule.address);
    const lbKey = (before === undefined ? undefined : prior?.listeners.get(before.listener)?.lbKey) ?? (isUnknown(rule.listener) ? undefined : listeners.get(rule.listener.key.slice(3))?.lbKey);
    if (before !== undefined) rulesOf.set(before.listener, [...(rulesOf.get(before.listener) ?? []), before.rule]);
    note(lbKey ?? '', rule.address, before !== undefined ? `not judged: ${why}; taken as unchanged` : `new rule not judged: ${why}`);
  };
  for (const rule of side.rules.values()) {
    const listenerAddress = isUnknown(rule.listener) || !rule.listener.key.startsWith('tf:') ? undefined : rule.listener.key.slice(3);
    if (isUnknown(rule.listener)) keep(rule, rule.listener.unknown);
    else if (listenerAddress === undefined) note('', rule.address, 'not judged: its listener is not in this configuration, so the rules and default action it competes with are unknown');
    else if (!listeners.has(listenerAddress)) continue; // its listener was left out, and said so
    else if (isUnknown(rule.priority)) keep(rule, rule.priority.unknown);
    else if (isUnknown(rule.conditions)) keep(rule, rule.conditions.unknown);
    else if (isUnknown(rule.actions)) keep(rule, rule.actions.unknown);
    else {
      const settled = { address: rule.address, resourceType: rule.resourceType, priority: rule.priority, conditions: rule.conditions, actions: rule.actions };
      rulesOf.set(listenerAddress, [...(rulesOf.get(listenerAddress) ?? []), settled]);
    }
  }
  for (const [address, rules] of rulesOf) {
    const listener = listeners.get(address);
    if (listener !== undefined) listeners.set(address, { ...listener, rules: [...rules].sort((a, b) => a.priority - b.priority) });
  }
  return { listeners };
}

const UNREGISTERED = 'no aws_lb_target_group_attachment in this configuration registers its targets (an Auto Scaling group, ECS or another configuration may)';

function targetsOf(key: string, before: SideModel | undefined, after: SideModel | undefined): GroupTargets {
  if (key.startsWith('ext:')) return { unknown: 'the target group is not in this configuration' };
  const registrar = before?.registrars.get(key) ?? after?.registrars.get(key);
  if (registrar !== undefined) return { unknown: `${registrar} registers its targets` };
  if (after?.groups.get(key)?.arnUnknown === true && after.unplaced.length > 0) {
    return { unknown: `${after.unplaced.join(', ')} name${after.unplaced.length === 1 ? 's' : ''} a target group known only after apply` };
  }
  const was = before?.targets.get(key);
  const will = after?.targets.get(key);
  if (was === undefined && will === undefined) return { unknown: UNREGISTERED };
  return { before: was ?? [], after: will ?? [] };
}

function groupKeys(listeners: readonly ViewListener[]): string[] {
  const actions = listeners.flatMap((l) => [...l.actions, ...l.rules.flatMap((r) => r.actions)]);
  return [...new Set(actions.flatMap((a) => a.forward?.targetGroups.map((g) => g.targetGroupArn) ?? []))];
}

/** The views of every load balancer a plan (`before` and `after`) or a state (`after` only) touches, and notes about no load balancer in particular. */
export function loadBalancerViews(before: SideModel | undefined, after: SideModel): { views: LoadBalancerView[]; notes: readonly { address: string; message: string }[] } {
  const notes = new Map<string, { address: string; message: string }[]>();
  const was = before === undefined ? undefined : settle(before, undefined, notes);
  const will = settle(after, was, notes);
  const keys = new Set<string>([...(before?.lbs.keys() ?? []), ...after.lbs.keys()]);
  for (const l of [...(was?.listeners.values() ?? []), ...will.listeners.values()]) keys.add(l.lbKey);
  const views: LoadBalancerView[] = [];
  for (const key of keys) {
    const side = (settled: Settled | undefined, model: SideModel | undefined) => {
      const lb = model === undefined ? undefined : lbOf(model, key);
      const listeners = [...(settled?.listeners.values() ?? [])].filter((l) => l.lbKey === key);
      return lb === undefined ? undefined : { lb, listeners };
    };
    const b = side(was, before);
    const a = side(will, after);
    const groups = new Map<string, ViewGroup>();
    for (const g of groupKeys([...(b?.listeners ?? []), ...(a?.listeners ?? [])])) {
      const beforeGroup = before?.groups.get(g);
      const afterGroup = after.groups.get(g);
      const known = afterGroup ?? beforeGroup;
      const name = known?.name ?? /:targetgroup\/([^/]+)\//.exec(g)?.[1] ?? g;
      groups.set(g, {
        key: g,
        ...(known !== undefined && { address: known.address, resourceType: known.resourceType }),
        name,
        ...(beforeGroup !== undefined && { before: beforeGroup }),
        ...(afterGroup !== undefined && { after: afterGroup }),
        targets: targetsOf(g, before, after),
      });
    }
    views.push({ key, ...(b !== undefined && { before: b }), ...(a !== undefined && { after: a }), groups, notes: notes.get(key) ?? [] });
  }
  return { views, notes: notes.get('') ?? [] };
}
