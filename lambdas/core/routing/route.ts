import type { ForwardConfig } from '../model/snapshot';

/**
 * Where a request class goes on one side of a change: the outcome ELB gives it, and the listener rules
 * that decided it (more than one when a redirect to another listener of the load balancer was followed).
 */

/** One listener rule (or a listener's default rule) that a request passed through. */
export interface RuleRef {
  readonly listenerArn: string;
  readonly listenerPort: number;
  /** `HTTP:80`. */
  readonly listenerLabel: string;
  /** Absent for the default rule. */
  readonly ruleArn?: string;
  readonly priority?: number;
}

/** What ELB does with a request of the class. */
export type Outcome =
  /** Forwarded to target groups by weight. */
  | { readonly kind: 'forward'; readonly forward: ForwardConfig; readonly key: string }
  /** Answered by the load balancer itself. */
  | { readonly kind: 'fixed-response'; readonly statusCode: string; readonly key: string }
  /** Redirected somewhere the watchdog does not follow (another host, a rewritten path). */
  | { readonly kind: 'redirect'; readonly location: string; readonly key: string }
  /** No listener on the port any more (deleted): the connection is refused. */
  | { readonly kind: 'no-listener'; readonly key: string }
  /** The listener cannot route it: a redirect loop, a redirect to a port with no listener, no routing action. */
  | { readonly kind: 'no-route'; readonly reason: string; readonly key: string };

/** The route of a class on one side: its outcome and the rules that decided it, in order. */
export interface Route {
  readonly outcome: Outcome;
  /** The first is the rule of the class's own listener; later ones follow redirects. */
  readonly hops: readonly RuleRef[];
}

/** A stable key of a route (outcome and deciding rules). */
export function routeKey(route: Route): string {
  return `${route.hops.map((h) => `${h.listenerPort}/${h.ruleArn ?? 'default'}`).join('>')}|${route.outcome.key}`;
}

/** `rule 10`, `the default rule`, `rule 10, redirected to HTTPS:443 rule 5`. */
export function describeHops(route: Route): string {
  return route.hops
    .map((hop, i) => {
      const rule = hop.priority === undefined ? 'the default rule' : `rule ${hop.priority}`;
      return i === 0 ? rule : `redirected to ${hop.listenerLabel} ${rule}`;
    })
    .join(', ');
}

/** True when the outcome is a status code ELB itself answers with 5XX. */
export function isServerError(outcome: Outcome): boolean {
  return outcome.kind === 'fixed-response' && outcome.statusCode.startsWith('5');
}
