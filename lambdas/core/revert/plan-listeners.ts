import type { Action, Listener, ListenerRule, LoadBalancerSnapshot } from '../model/snapshot';
import { describeConditions, listenerLabel } from '../traffic/path-label';
import { canonicalActions, canonicalConditions, canonicalRule } from './canonical';
import type { RevertStep, SdkTag } from './revert-plan';
import { toSdkAction, toSdkCondition } from './to-sdk';

/**
 * The listener and rule part of a revert plan. It restores routing, not ARNs: a rule deleted since the
 * last known good is created again (same priority, conditions and actions), a rule added since is
 * deleted, priorities, conditions and actions are set back, and a deleted listener is created again
 * (its rules follow once it exists: the plan is made again after applying). A rule or listener that
 * routes exactly as one of the last known good does is that one, whatever its ARN (so re-planning after
 * a re-creation finds nothing to do).
 */

const MAX_PRIORITY = 50000;

/** `forward web-blue=100, web-green=0` / `redirect`: actions as people read them in a plan. */
export function describeActions(actions: readonly Action[], names: ReadonlyMap<string, string>): string {
  return actions
    .map((a) =>
      a.forward === undefined
        ? a.type === 'fixed-response'
          ? `fixed-response ${String((a.fixedResponseConfig as Record<string, unknown> | undefined)?.StatusCode ?? '')}`.trim()
          : a.type
        : `forward ${a.forward.targetGroups.map((g) => `${names.get(g.targetGroupArn) ?? g.targetGroupArn}=${g.weight}`).join(', ')}`,
    )
    .join(' then ');
}

/** What the listener part of a plan decides. */
export interface ListenerPlan {
  readonly creates: RevertStep[];
  /** Per listener, in order: delete added rules, restore priorities, restore rules, create deleted rules. */
  readonly rules: RevertStep[];
  readonly defaults: RevertStep[];
  readonly kept: string[];
  readonly followUps: string[];
}

/** Options of the listener plan. */
export interface ListenerPlanOptions {
  readonly names: ReadonlyMap<string, string>;
  /** Tags every created listener and rule carries (the watchdog's scope tag, so IAM lets it create them). */
  readonly createTags: readonly SdkTag[];
  /** Rules added since the last known good that must stay (made by someone the policy trusts). */
  readonly keepRule?: (rule: ListenerRule, listener: Listener) => boolean;
}

function ruleName(rule: ListenerRule): string {
  const summary = describeConditions(rule.conditions);
  return `rule ${rule.priority}${summary === '' ? '' : ` (${summary})`}`;
}

/** Pairs the current listeners with the last known good ones: by ARN, then by port. */
function pairListeners(good: LoadBalancerSnapshot, now: LoadBalancerSnapshot): Map<Listener, Listener | undefined> {
  const byArn = new Map(now.listeners.map((l) => [l.arn, l]));
  const used = new Set<Listener>();
  const pairs = new Map<Listener, Listener | undefined>();
  for (const g of good.listeners) {
    const same = byArn.get(g.arn);
    if (same !== undefined) {
      pairs.set(g, same);
      used.add(same);
    }
  }
  for (const g of good.listeners) {
    if (pairs.has(g)) continue;
    const samePort = now.listeners.find((l) => l.port === g.port && !used.has(l));
    if (samePort !== undefined) used.add(samePort);
    pairs.set(g, samePort);
  }
  return pairs;
}

/** Pairs rules: by ARN, then a current rule that routes exactly as a last known good one. */
function pairRules(good: Listener, now: Listener): { pairs: [ListenerRule, ListenerRule][]; deleted: ListenerRule[]; added: ListenerRule[] } {
  const byArn = new Map(now.rules.map((r) => [r.arn, r]));
  const taken = new Set<ListenerRule>();
  const pairs: [ListenerRule, ListenerRule][] = [];
  const unmatched: ListenerRule[] = [];
  for (const g of good.rules) {
    const same = byArn.get(g.arn);
    if (same === undefined) unmatched.push(g);
    else {
      pairs.push([g, same]);
      taken.add(same);
    }
  }
  const deleted: ListenerRule[] = [];
  for (const g of unmatched) {
    const twin = now.rules.find((r) => !taken.has(r) && canonicalRule(r) === canonicalRule(g));
    if (twin === undefined) deleted.push(g);
    else {
      pairs.push([g, twin]);
      taken.add(twin);
    }
  }
  return { pairs, deleted, added: now.rules.filter((r) => !taken.has(r)) };
}

function certificateList(arns: readonly string[] | undefined): { CertificateArn: string }[] | undefined {
  return arns === undefined || arns.length === 0 ? undefined : arns.map((CertificateArn) => ({ CertificateArn }));
}

function createListenerStep(good: Listener, lbArn: string, options: ListenerPlanOptions): RevertStep {
  return {
    operation: 'CreateListener',
    input: {
      LoadBalancerArn: lbArn,
      Port: good.port,
      Protocol: good.protocol,
      DefaultActions: good.defaultActions.map(toSdkAction),
      ...(good.sslPolicy !== undefined && { SslPolicy: good.sslPolicy }),
      // CreateListener takes the default certificate; the others are added once the listener exists.
      ...(good.certificates !== undefined && good.certificates.length > 0 && { Certificates: certificateList(good.certificates.slice(0, 1)) }),
      ...(good.alpnPolicy !== undefined && { AlpnPolicy: good.alpnPolicy }),
      ...(options.createTags.length > 0 && { Tags: [...options.createTags] }),
    },
    description: `Create listener ${listenerLabel(good)} again: ${describeActions(good.defaultActions, options.names)}`,
  };
}

/** The listener steps that restore `good` where `now` differs; see the module comment. */
export function planListeners(good: LoadBalancerSnapshot, now: LoadBalancerSnapshot, options: ListenerPlanOptions): ListenerPlan {
  const out: ListenerPlan = { creates: [], rules: [], defaults: [], kept: [], followUps: [] };
  for (const [goodListener, listener] of pairListeners(good, now)) {
    const label = listenerLabel(goodListener);
    if (listener === undefined) {
      out.creates.push(createListenerStep(goodListener, good.loadBalancer.arn, options));
      if (goodListener.rules.length > 0) out.followUps.push(`then create the ${goodListener.rules.length} rule(s) of ${label} again`);
      if ((goodListener.certificates?.length ?? 0) > 1) out.followUps.push(`then add the ${goodListener.certificates!.length - 1} other certificate(s) of ${label}`);
      continue;
    }
    out.rules.push(...planRules(goodListener, listener, options, out.kept));
    const listenerInput: Extract<RevertStep, { operation: 'ModifyListener' }>['input'] = { ListenerArn: listener.arn };
    const what: string[] = [];
    if (listener.port !== goodListener.port || listener.protocol !== goodListener.protocol) {
      Object.assign(listenerInput, { Port: goodListener.port, Protocol: goodListener.protocol });
      what.push(`port and protocol ${label}`);
    }
    if (goodListener.sslPolicy !== undefined && listener.sslPolicy !== goodListener.sslPolicy) {
      listenerInput.SslPolicy = goodListener.sslPolicy;
      what.push(`security policy ${goodListener.sslPolicy}`);
    }
    const goodDefault = goodListener.certificates?.[0];
    if (goodDefault !== undefined && listener.certificates?.[0] !== goodDefault) {
      listenerInput.Certificates = [{ CertificateArn: goodDefault }];
      what.push('default certificate');
    }
    const missingCerts = (goodListener.certificates ?? []).slice(1).filter((c) => !(listener.certificates ?? []).includes(c));
    if (missingCerts.length > 0) {
      out.rules.push({
        operation: 'AddListenerCertificates',
        input: { ListenerArn: listener.arn, Certificates: missingCerts.map((CertificateArn) => ({ CertificateArn })) },
        description: `Add ${missingCerts.length} certificate(s) of ${label} again`,
      });
    }
    if (canonicalActions(listener.defaultActions) !== canonicalActions(goodListener.defaultActions)) {
      listenerInput.DefaultActions = goodListener.defaultActions.map(toSdkAction);
      what.push(`default actions: ${describeActions(goodListener.defaultActions, options.names)}`);
    }
    if (what.length > 0) out.defaults.push({ operation: 'ModifyListener', input: listenerInput, description: `Restore ${label} ${what.join('; ')}` });
  }
  const paired = new Set([...pairListeners(good, now).values()].filter((l): l is Listener => l !== undefined));
  for (const added of now.listeners.filter((l) => !paired.has(l))) {
    out.kept.push(`listener ${listenerLabel(added)} was added since the last known good and is kept (its requests had no route before)`);
  }
  return out;
}

/** Delete added rules, restore priorities, conditions and actions, create deleted rules. */
function planRules(good: Listener, now: Listener, options: ListenerPlanOptions, kept: string[]): RevertStep[] {
  const label = listenerLabel(good);
  const { pairs, deleted, added } = pairRules(good, now);
  const deletes: RevertStep[] = [];
  const keptRules: ListenerRule[] = [];
  for (const rule of added) {
    if (options.keepRule?.(rule, now) === true) {
      keptRules.push(rule);
      kept.push(`${ruleName(rule)} on ${label} was added since the last known good by someone the policy trusts: kept`);
      continue;
    }
    deletes.push({ operation: 'DeleteRule', input: { RuleArn: rule.arn }, description: `Delete ${ruleName(rule)} on ${label}, added since the last known good` });
  }
  // Priorities: rules that moved go back; a kept added rule sitting where a restored one belongs moves behind all.
  const wanted = new Map(pairs.map(([g, r]) => [r.arn, g.priority]));
  const moves = pairs.filter(([g, r]) => g.priority !== r.priority).map(([g, r]) => ({ RuleArn: r.arn, Priority: g.priority }));
  const needed = new Set([...wanted.values(), ...deleted.map((d) => d.priority)]);
  const taken = new Set([...wanted.values(), ...keptRules.map((r) => r.priority)]);
  let next = Math.max(0, ...taken, ...needed) + 1;
  for (const rule of keptRules) {
    if (!needed.has(rule.priority)) continue;
    while (taken.has(next) && next < MAX_PRIORITY) next += 1;
    taken.add(next);
    moves.push({ RuleArn: rule.arn, Priority: next });
    kept.push(`${ruleName(rule)} on ${label} moved to priority ${next} to free its place`);
  }
  const priorities: RevertStep[] =
    moves.length === 0
      ? []
      : [{ operation: 'SetRulePriorities', input: { RulePriorities: moves }, description: `Restore rule priorities on ${label}: ${moves.map((m) => `${m.RuleArn.split('/').pop()}→${m.Priority}`).join(', ')}` }];
  const modifies: RevertStep[] = [];
  for (const [g, r] of pairs) {
    const actionsDiffer = canonicalActions(r.actions) !== canonicalActions(g.actions);
    const conditionsDiffer = canonicalConditions(r.conditions) !== canonicalConditions(g.conditions);
    if (!actionsDiffer && !conditionsDiffer) continue;
    modifies.push({
      operation: 'ModifyRule',
      input: { RuleArn: r.arn, Actions: g.actions.map(toSdkAction), ...(conditionsDiffer && { Conditions: g.conditions.map(toSdkCondition) }) },
      description: `Restore ${ruleName(g)} on ${label}: ${describeActions(g.actions, options.names)}${conditionsDiffer ? ' and its conditions' : ''}`,
    });
  }
  const creates: RevertStep[] = deleted.map((g) => ({
    operation: 'CreateRule',
    input: {
      ListenerArn: now.arn,
      Priority: g.priority,
      Conditions: g.conditions.map(toSdkCondition),
      Actions: g.actions.map(toSdkAction),
      ...(options.createTags.length > 0 && { Tags: [...options.createTags] }),
    },
    description: `Create ${ruleName(g)} on ${label} again: ${describeActions(g.actions, options.names)}`,
  }));
  return [...deletes, ...priorities, ...modifies, ...creates];
}
