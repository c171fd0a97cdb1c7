import type { ActionNode, ListenerNode, LoadBalancerNode, PathNode, RedirectNode } from '../topology';
import { matchesCondition, type SimRequest } from './condition-matcher';

/** One listener a request passed through, the rule that took it, and what that rule did. */
export interface RouteHop {
  readonly listener: ListenerNode;
  readonly rule: PathNode;
  readonly action: ActionNode;
}

/**
 * Where a request ended: forwarded (weights to split), answered by the load balancer itself (fixed response,
 * or a rule action the stand-in does not model), or lost (no default rule, a redirect to a port with no
 * listener, a redirect loop): those are the load balancer's 5XX.
 */
export type RouteEnd =
  | { readonly kind: 'forward'; readonly forwards: readonly { readonly targetGroupArn: string; readonly weight: number }[] }
  | { readonly kind: 'fixed-response'; readonly statusCode: string }
  | { readonly kind: 'answered' }
  | { readonly kind: 'lost'; readonly reason: 'no-rule' | 'no-listener' | 'redirect-loop' };

/** A request's whole way through one load balancer. */
export interface Route {
  readonly hops: readonly RouteHop[];
  readonly end: RouteEnd;
}

// Browsers give up after about 20 redirects; a loop inside one load balancer shows long before that.
const MAX_HOPS = 10;
const ordered = new WeakMap<ListenerNode, PathNode[]>();

/**
 * The rule that takes a request on a listener, as ALB evaluates rules
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html): in priority order,
 * lowest first; the first rule whose conditions all match; the default rule last.
 */
export function firstMatch(listener: ListenerNode, request: SimRequest): PathNode | undefined {
  let rules = ordered.get(listener);
  if (!rules) {
    rules = listener.paths.filter((p) => !p.isDefault).sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity));
    ordered.set(listener, rules);
  }
  return rules.find((r) => (r.conditions ?? []).every((c) => matchesCondition(c, request))) ?? listener.paths.find((p) => p.isDefault);
}

/**
 * Routes one request arriving on a listener. A redirect is followed as the client would: to the listener on
 * the port it names on the same load balancer (the stand-in assumes the redirect's host resolves to it), with
 * the URL parts the redirect keeps (`#{host}`, `#{path}`, ...).
 */
export function routeRequest(lb: LoadBalancerNode, listener: ListenerNode, request: SimRequest): Route {
  const hops: RouteHop[] = [];
  let current = listener;
  let req = request;
  for (;;) {
    const rule = firstMatch(current, req);
    if (!rule) return { hops, end: { kind: 'lost', reason: 'no-rule' } };
    const action = actionOf(rule);
    hops.push({ listener: current, rule, action });
    if (action.kind === 'forward') return { hops, end: action };
    if (action.kind === 'fixed-response') return { hops, end: action };
    if (action.kind === 'none') return { hops, end: { kind: 'answered' } };
    if (hops.length >= MAX_HOPS) return { hops, end: { kind: 'lost', reason: 'redirect-loop' } };
    const next = redirected(action.redirect, req, current);
    const target = lb.listeners.find((l) => l.port === next.port);
    if (!target) return { hops, end: { kind: 'lost', reason: 'no-listener' } };
    current = target;
    req = next.request;
  }
}

/** A rule's action, for rules read before actions were modelled: forward weights, else answered by the LB. */
export function actionOf(rule: PathNode): ActionNode {
  return rule.action ?? (rule.forwards ? { kind: 'forward', forwards: rule.forwards } : { kind: 'none' });
}

/** The request a client sends after a redirect, and the port it goes to. */
function redirected(redirect: RedirectNode, request: SimRequest, listener: ListenerNode): { request: SimRequest; port?: number } {
  const protocol = listener.protocol ?? 'HTTP';
  const tokens: Record<string, string | undefined> = {
    protocol,
    host: request.host,
    port: listener.port === undefined ? undefined : String(listener.port),
    path: request.path?.replace(/^\//, ''),
    query: request.query ? new URLSearchParams(request.query).toString() : undefined,
  };
  // A part that names a token the request does not carry is unknown after the redirect too.
  const fill = (template: string): string | undefined => {
    let unknown = false;
    const out = template.replace(/#\{(protocol|host|port|path|query)\}/g, (_, name: string) => {
      const value = tokens[name];
      if (value === undefined) unknown = true;
      return value ?? '';
    });
    return unknown ? undefined : out;
  };
  const port = fill(redirect.port ?? '#{port}');
  const query = redirect.query === undefined || redirect.query === '#{query}' ? request.query : fill(redirect.query);
  const next: SimRequest = {
    ...request,
    host: fill(redirect.host ?? '#{host}'),
    path: fill(redirect.path ?? '/#{path}'),
    query: typeof query === 'string' ? Object.fromEntries(new URLSearchParams(query)) : query,
  };
  return { request: next, port: port === undefined ? undefined : Number(port) };
}
