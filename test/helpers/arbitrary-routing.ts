import fc from 'fast-check';
import type { Action, Listener, ListenerRule, LoadBalancerSnapshot, RuleCondition } from '../../lambdas/core/model/snapshot';
import type { HttpRequest } from '../../lambdas/core/routing/http-request';
import { arns, forward, lb } from './snapshot-builder';

/**
 * fast-check arbitraries for routing: listeners whose rules overlap in every condition type ALB has,
 * changes to them made the ways the API allows, and concrete requests drawn without looking at the
 * watchdog's classes (pools of near-misses around the patterns, plus random text).
 */

const HOSTS = ['*.example.com', 'api.example.com', 'a?.example.com', 'www.example.com', '*', 'shop.*'];
const PATHS = ['/api/*', '/api/v2/*', '/*', '/admin/*', '/a?c', '/static/*.js', '/', '/API/*'];
const HEADER_VALUES = ['true', 'f*', '?'];
const METHODS = ['GET', 'POST', 'PUT'];
const QUERIES: { key?: string; value: string }[] = [{ key: 'version', value: '2' }, { value: 'beta*' }, { key: 'v*', value: '1' }];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '192.0.2.0/24', '2001:db8::/32'];
const GROUPS = ['g0', 'g1', 'g2', 'g3'];

const conditionArb: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc.subarray(HOSTS, { minLength: 1, maxLength: 2 }).map((values) => ({ field: 'host-header', values })),
  fc.subarray(PATHS, { minLength: 1, maxLength: 2 }).map((values) => ({ field: 'path-pattern', values })),
  fc.subarray(HEADER_VALUES, { minLength: 1, maxLength: 2 }).map((values) => ({ field: 'http-header', httpHeaderName: 'X-Canary', values })),
  fc.subarray(METHODS, { minLength: 1, maxLength: 2 }).map((values) => ({ field: 'http-request-method', values })),
  fc.subarray(QUERIES, { minLength: 1, maxLength: 2 }).map((queryStrings) => ({ field: 'query-string', values: [], queryStrings })),
  fc.subarray(CIDRS, { minLength: 1, maxLength: 2 }).map((values) => ({ field: 'source-ip', values })),
);

/** At most one of each field but headers and query strings (API_RuleCondition). */
const conditionsArb = fc.array(conditionArb, { minLength: 1, maxLength: 3 }).map((list) => {
  const seen = new Set<string>();
  return list.filter((c) => {
    if (c.field === 'http-header' || c.field === 'query-string') return true;
    if (seen.has(c.field)) return false;
    seen.add(c.field);
    return true;
  });
});

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.tuple(fc.constantFrom(...GROUPS), fc.nat(10)), { minLength: 1, maxLength: 3 }).map((pairs) => {
    const targetGroups = [...new Map(pairs).entries()].map(([g, weight]) => ({ targetGroupArn: arns.group(g), weight }));
    return { type: 'forward' as const, forward: { targetGroups } };
  }) },
  { weight: 1, arbitrary: fc.constantFrom('404', '503').map((code) => ({ type: 'fixed-response' as const, fixedResponseConfig: { StatusCode: code, ContentType: 'text/plain' } })) },
  { weight: 1, arbitrary: fc.constant({ type: 'redirect' as const, redirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }) },
);

const rulesArb = fc.uniqueArray(fc.record({ priority: fc.integer({ min: 1, max: 30 }), conditions: conditionsArb, actions: actionArb.map((a) => [a]) }), {
  selector: (r) => r.priority,
  maxLength: 6,
});

/** A random load balancer: HTTP:80 and HTTPS:443 with overlapping rules, groups of healthy targets. */
export const routingSnapshotArb: fc.Arbitrary<LoadBalancerSnapshot> = fc
  .record({ sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 4, maxLength: 4 }), l80: actionArb, l443: actionArb, r80: rulesArb, r443: rulesArb })
  .map(({ sizes, l80, l443, r80, r443 }) => {
    const b = lb();
    GROUPS.forEach((g, i) => b.group(g, { healthy: sizes[i] }));
    const snapshot = b.listener(80, forward('g0')).listener(443, forward('g0')).build();
    const withRules = (l: Listener, def: Action, rules: typeof r80): Listener => ({
      ...l,
      defaultActions: [def],
      rules: rules.map((r) => ({ arn: arns.rule(l.port, r.priority), priority: r.priority, conditions: r.conditions, actions: r.actions })),
    });
    // 443 never redirects, so a redirect from 80 to 443 always ends in a routing action.
    const fixed443 = (a: Action): Action => (a.type === 'redirect' ? { type: 'forward', forward: { targetGroups: [{ targetGroupArn: arns.group('g1'), weight: 1 }] } } : a);
    return {
      ...snapshot,
      listeners: [
        withRules(snapshot.listeners[0], l80, r80),
        withRules(snapshot.listeners[1], fixed443(l443), r443.map((r) => ({ ...r, actions: r.actions.map(fixed443) }))),
      ],
    };
  });

/** One change to a listener's routing, made the ways the API allows. */
export type RoutingChange =
  | { kind: 'create-rule'; port: number; priority: number; conditions: RuleCondition[]; actions: Action[] }
  | { kind: 'delete-rule'; pick: number }
  | { kind: 'modify-rule'; pick: number; conditions?: RuleCondition[]; actions?: Action[] }
  | { kind: 'swap-priorities'; pick: number }
  | { kind: 'modify-listener'; port: number; actions: Action[] }
  | { kind: 'delete-listener'; port: number };

export const routingChangesArb: fc.Arbitrary<RoutingChange[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('create-rule' as const), port: fc.constantFrom(80, 443), priority: fc.integer({ min: 1, max: 40 }), conditions: conditionsArb, actions: actionArb.map((a) => [a]) }),
    fc.record({ kind: fc.constant('delete-rule' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('modify-rule' as const), pick: fc.nat(), conditions: fc.option(conditionsArb, { nil: undefined }), actions: fc.option(actionArb.map((a) => [a]), { nil: undefined }) }),
    fc.record({ kind: fc.constant('swap-priorities' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('modify-listener' as const), port: fc.constantFrom(80, 443), actions: actionArb.map((a) => [a]) }),
    fc.record({ kind: fc.constant('delete-listener' as const), port: fc.constantFrom(80, 443) }),
  ),
  { minLength: 1, maxLength: 4 },
);

let created = 0;

/** Applies routing changes (as the API would; impossible ones are skipped). */
export function applyRoutingChanges(snapshot: LoadBalancerSnapshot, changes: readonly RoutingChange[]): LoadBalancerSnapshot {
  const s = structuredClone(snapshot);
  const rules = (): { l: Listener; r: ListenerRule }[] => s.listeners.flatMap((l) => l.rules.map((r) => ({ l, r })));
  for (const c of changes) {
    const all = rules();
    switch (c.kind) {
      case 'create-rule': {
        const l = s.listeners.find((x) => x.port === c.port);
        if (l === undefined || l.rules.some((r) => r.priority === c.priority)) break;
        const actions = c.port === 443 ? c.actions.filter((a) => a.type !== 'redirect') : c.actions;
        if (actions.length === 0) break;
        l.rules.push({ arn: `${l.arn.replace(':listener/', ':listener-rule/')}/new${(created += 1)}`, priority: c.priority, conditions: c.conditions, actions });
        break;
      }
      case 'delete-rule': {
        const hit = all[c.pick % Math.max(1, all.length)];
        if (hit !== undefined) hit.l.rules = hit.l.rules.filter((r) => r !== hit.r);
        break;
      }
      case 'modify-rule': {
        const hit = all[c.pick % Math.max(1, all.length)];
        if (hit === undefined) break;
        if (c.conditions !== undefined) hit.r.conditions = c.conditions;
        if (c.actions !== undefined && !(hit.l.port === 443 && c.actions.some((a) => a.type === 'redirect'))) hit.r.actions = c.actions;
        break;
      }
      case 'swap-priorities': {
        const l = s.listeners[c.pick % s.listeners.length];
        if (l === undefined || l.rules.length < 2) break;
        const [x, y] = [l.rules[c.pick % l.rules.length], l.rules[(c.pick + 1) % l.rules.length]];
        [x.priority, y.priority] = [y.priority, x.priority];
        break;
      }
      case 'modify-listener': {
        const l = s.listeners.find((x) => x.port === c.port);
        if (l !== undefined && !(c.port === 443 && c.actions.some((a) => a.type === 'redirect'))) l.defaultActions = c.actions;
        break;
      }
      case 'delete-listener':
        if (s.listeners.length > 1) s.listeners = s.listeners.filter((l) => l.port !== c.port);
        break;
    }
  }
  return s;
}

/** Concrete requests, drawn from near-misses of the patterns and random text; never from the model. */
export const requestArb: fc.Arbitrary<HttpRequest> = fc.record({
  host: fc.oneof(fc.constantFrom('api.example.com', 'API.Example.COM', 'a1.example.com', 'ab.example.com', 'www.example.com', 'example.com', '.example.com', 'shop.io', 'other.net'), fc.stringMatching(/^[a-z0-9.]{1,12}$/)),
  path: fc.oneof(fc.constantFrom('/api/x', '/api/v2/y', '/API/x', '/admin/', '/abc', '/a/c', '/static/app.js', '/static/app.css', '/', '/x'), fc.stringMatching(/^\/[a-zA-Z0-9/._]{0,12}$/)),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'get'),
  sourceIp: fc.oneof(fc.constantFrom('10.1.2.3', '10.2.0.1', '192.0.2.77', '203.0.113.5', '2001:db8::1', '2001:db9::1'), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'))),
  headers: fc.option(fc.constantFrom('true', 'TRUE', 'false', 'f', 'x', ''), { nil: undefined }).map((v): Record<string, string> => (v === undefined ? {} : { 'x-canary': v })),
  query: fc.array(fc.tuple(fc.constantFrom('version', 'v2', 'x', 'VERSION'), fc.constantFrom('2', '1', 'beta', 'Beta-7', 'zzz')), { maxLength: 2 }),
});
