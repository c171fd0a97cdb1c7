import type { Action, Listener, LoadBalancerSnapshot, RuleCondition } from '../../lambdas/core/model/snapshot';
import type { HttpRequest } from '../../lambdas/core/routing/http-request';

/**
 * A naive reference router, written apart from the watchdog's request-class model so property tests can
 * check one against the other: it routes one concrete request through a listener the way ALB documents
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html: rules in
 * priority order, lowest first, the first whose conditions all match; the default rule last), with its
 * own matchers (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html:
 * host, header values and query strings without case; paths and methods with case; `*` and `?`).
 */

/** Where a request ends up, in a form both the model and this router can produce. */
export type ReferenceOutcome =
  | { kind: 'forward'; groups: Record<string, number> }
  | { kind: 'fixed-response'; statusCode: string }
  | { kind: 'redirect'; config: string }
  | { kind: 'no-listener' }
  | { kind: 'no-route' };

function globToRegExp(pattern: string, caseless: boolean): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\/-]/g, (c) => `\\${c}`);
  return new RegExp(`^${source}$`, caseless ? 'i' : '');
}

function ipToBigInt(ip: string): { v: bigint; six: boolean } | undefined {
  if (ip.includes('.')) {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return { v: parts.reduce((a, p) => a * 256n + BigInt(p), 0n), six: false };
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  return { v: groups.reduce((a, g) => a * 65536n + BigInt(parseInt(g, 16)), 0n), six: true };
}

function inCidr(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  const a = ipToBigInt(net);
  const b = ipToBigInt(ip);
  if (a === undefined || b === undefined || a.six !== b.six) return false;
  const width = a.six ? 128n : 32n;
  const shift = width - BigInt(bits ?? String(width));
  return a.v >> shift === b.v >> shift;
}

function conditionMatches(c: RuleCondition, r: HttpRequest): boolean {
  const any = (values: readonly string[], value: string | undefined, caseless: boolean) => value !== undefined && values.some((v) => globToRegExp(v, caseless).test(value));
  switch (c.field) {
    case 'host-header':
      return any(c.values, r.host, true);
    case 'path-pattern':
      return any(c.values, r.path, false);
    case 'http-request-method':
      return c.values.includes(r.method);
    case 'source-ip':
      return c.values.some((v) => inCidr(v, r.sourceIp));
    case 'http-header': {
      const name = (c.httpHeaderName ?? '').toLowerCase();
      const value = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
      return any(c.values, value, true);
    }
    case 'query-string':
      return (c.queryStrings ?? []).some((q) =>
        (r.query ?? []).some(([k, v]) => (q.key === undefined || globToRegExp(q.key, true).test(k)) && globToRegExp(q.value, true).test(v)),
      );
    default:
      return false;
  }
}

function terminal(actions: readonly Action[]): Action | undefined {
  const routing = actions.filter((a) => ['forward', 'redirect', 'fixed-response'].includes(a.type));
  return [...routing].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).pop();
}

function readKey(config: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = config?.[key];
  return v === undefined || v === null ? undefined : String(v);
}

/** Routes one request arriving on `port` (following same-host redirects to other listeners of the load balancer). */
export function referenceRoute(snapshot: LoadBalancerSnapshot, port: number, request: HttpRequest, hops = 0): ReferenceOutcome {
  const listener: Listener | undefined = snapshot.listeners.find((l) => l.port === port);
  if (listener === undefined) return { kind: 'no-listener' };
  let actions: readonly Action[] = listener.defaultActions;
  for (const rule of [...listener.rules].sort((a, b) => a.priority - b.priority)) {
    if (rule.conditions.every((c) => conditionMatches(c, request))) {
      actions = rule.actions;
      break;
    }
  }
  const action = terminal(actions);
  if (action === undefined) return { kind: 'no-route' };
  if (action.type === 'fixed-response') return { kind: 'fixed-response', statusCode: readKey(action.fixedResponseConfig, 'StatusCode') ?? '200' };
  if (action.type === 'redirect') {
    const c = action.redirectConfig;
    const same = ['Host', 'Path', 'Query'].every((k) => {
      const v = readKey(c, k);
      return v === undefined || v === { Host: '#{host}', Path: '/#{path}', Query: '#{query}' }[k];
    });
    if (!same) return { kind: 'redirect', config: JSON.stringify(c) };
    const target = readKey(c, 'Port');
    const next = target === undefined || target === '#{port}' ? port : Number(target);
    if (next === port || hops >= 4) return { kind: 'no-route' };
    return snapshot.listeners.some((l) => l.port === next) ? referenceRoute(snapshot, next, request, hops + 1) : { kind: 'no-route' };
  }
  const groups = action.forward?.targetGroups ?? [];
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  const split: Record<string, number> = {};
  for (const g of groups) if (g.weight > 0) split[g.targetGroupArn] = (split[g.targetGroupArn] ?? 0) + g.weight / total;
  return { kind: 'forward', groups: split };
}
