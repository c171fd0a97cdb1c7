import type { Action, Listener, LoadBalancerSnapshot } from '../model/snapshot';
import { listenerLabel } from '../traffic/path-label';
import { intersect, subtract } from './cube';
import type { Cube, RequestSpace } from './request-space';
import type { Outcome, Route, RuleRef } from './route';

/**
 * A listener's request space cut into pieces by the rule that handles them, as ALB evaluates rules:
 * in priority order, lowest number first, the first rule whose conditions all match wins, and the
 * default rule takes what no rule matched
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html).
 * A redirect that keeps host, path and query and points at another listener of the same load balancer
 * is followed there: the client's next request is routed by that listener's rules.
 */

/** One piece of a listener's request space and its route. */
export interface RoutedCube {
  readonly cube: Cube;
  readonly route: Route;
}

/** A listener's pieces, and whether the piece count hit its bound. */
export interface ListenerRoutes {
  readonly pieces: readonly RoutedCube[];
  readonly bounded: boolean;
}

/** Pieces per listener before the partition stops splitting and says so. */
const MAX_PIECES = 5000;
/** Redirects followed in a row before the route counts as a loop. */
const MAX_REDIRECTS = 4;

function readConfig(config: Record<string, unknown> | undefined, key: string): string | undefined {
  if (config === undefined) return undefined;
  const value = config[key] ?? config[key[0].toLowerCase() + key.slice(1)];
  return value === undefined || value === null ? undefined : String(value);
}

/** The routing action of a list of actions: the last to run (forward, redirect or fixed-response). */
function routingAction(actions: readonly Action[]): Action | undefined {
  const routing = actions
    .map((action, index) => ({ action, index }))
    .filter(({ action }) => action.type === 'forward' || action.type === 'redirect' || action.type === 'fixed-response')
    .sort((a, b) => (a.action.order ?? a.index) - (b.action.order ?? b.index) || a.index - b.index);
  return routing[routing.length - 1]?.action;
}

function forwardKey(action: Action): string {
  const groups = action.forward?.targetGroups ?? [];
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  // The split, not the spelling: 1/1 and 50/50 send the same share to each group.
  return groups.map((g) => `${g.targetGroupArn}=${total === 0 ? 0 : g.weight / total}`).join(',');
}

/** A redirect the watchdog follows: same host, path and query, to a port of this load balancer. */
function followedPort(action: Action, fromPort: number): number | undefined {
  const c = action.redirectConfig as Record<string, unknown> | undefined;
  const host = readConfig(c, 'Host');
  const path = readConfig(c, 'Path');
  const query = readConfig(c, 'Query');
  const keeps = (host === undefined || host === '#{host}') && (path === undefined || path === '/#{path}') && (query === undefined || query === '#{query}');
  if (!keeps) return undefined;
  const port = readConfig(c, 'Port');
  return port === undefined || port === '#{port}' ? fromPort : Number(port);
}

function describeRedirect(action: Action): string {
  const c = action.redirectConfig as Record<string, unknown> | undefined;
  const parts = ['Protocol', 'Host', 'Port', 'Path', 'Query'].map((k) => readConfig(c, k) ?? `#{${k.toLowerCase()}}`);
  return `${parts[0]}://${parts[1]}:${parts[2]}${parts[3]}?${parts[4]}`.replace(/\?#\{query\}$/, '');
}

/** Partitions the listeners of one snapshot; redirects between them are followed. */
export class SnapshotRoutes {
  private readonly byPort: Map<number, Listener>;
  private readonly memo = new Map<number, ListenerRoutes>();

  public constructor(
    public readonly snapshot: LoadBalancerSnapshot,
    private readonly space: RequestSpace,
  ) {
    this.byPort = new Map(snapshot.listeners.map((l) => [l.port, l]));
  }

  /** The listener on a port, if any. */
  public listener(port: number): Listener | undefined {
    return this.byPort.get(port);
  }

  /** The pieces of the listener on `port` (a single no-listener piece when there is none). */
  public routes(port: number): ListenerRoutes {
    return this.resolve(port, []);
  }

  private resolve(port: number, visiting: readonly number[]): ListenerRoutes {
    const known = this.memo.get(port);
    if (known !== undefined) return known;
    const listener = this.byPort.get(port);
    if (listener === undefined) {
      return { pieces: [{ cube: this.space.full(), route: { outcome: { kind: 'no-listener', key: 'no-listener' }, hops: [] } }], bounded: false };
    }
    const own = this.partition(listener);
    let bounded = own.bounded;
    const pieces: RoutedCube[] = [];
    for (const piece of own.pieces) {
      const action = routingAction(piece.action);
      const hop = piece.hop;
      if (action?.type !== 'redirect') {
        pieces.push({ cube: piece.cube, route: { outcome: this.outcomeOf(action), hops: [hop] } });
        continue;
      }
      const target = followedPort(action, port);
      if (target === undefined) {
        const location = describeRedirect(action);
        pieces.push({ cube: piece.cube, route: { outcome: { kind: 'redirect', location, key: `redirect:${location}` }, hops: [hop] } });
        continue;
      }
      const noRoute = (reason: string): RoutedCube => ({ cube: piece.cube, route: { outcome: { kind: 'no-route', reason, key: `no-route:${reason}` }, hops: [hop] } });
      if (target === port || visiting.includes(target) || visiting.length >= MAX_REDIRECTS) {
        pieces.push(noRoute(`redirect loop through port ${target}`));
        continue;
      }
      if (!this.byPort.has(target)) {
        pieces.push(noRoute(`redirect to port ${target}, where the load balancer has no listener`));
        continue;
      }
      const followed = this.resolve(target, [...visiting, port]);
      bounded ||= followed.bounded;
      for (const next of followed.pieces) {
        const cube = intersect(piece.cube, next.cube);
        if (cube !== undefined) pieces.push({ cube, route: { outcome: next.route.outcome, hops: [hop, ...next.route.hops] } });
      }
    }
    const result = { pieces, bounded: bounded || pieces.length > MAX_PIECES };
    if (visiting.length === 0) this.memo.set(port, result);
    return result;
  }

  private outcomeOf(action: Action | undefined): Outcome {
    if (action === undefined) return { kind: 'no-route', reason: 'no routing action', key: 'no-route:no action' };
    if (action.type === 'fixed-response') {
      const statusCode = readConfig(action.fixedResponseConfig as Record<string, unknown> | undefined, 'StatusCode') ?? '200';
      return { kind: 'fixed-response', statusCode, key: `fixed:${statusCode}` };
    }
    return { kind: 'forward', forward: action.forward ?? { targetGroups: [] }, key: `forward:${forwardKey(action)}` };
  }

  /** First match in priority order; the default takes the rest. */
  private partition(listener: Listener): { pieces: { cube: Cube; action: readonly Action[]; hop: RuleRef }[]; bounded: boolean } {
    const label = listenerLabel(listener);
    const base = { listenerArn: listener.arn, listenerPort: listener.port, listenerLabel: label };
    const all = this.space.dimensions.map((d) => d.all);
    let remaining: Cube[] = [this.space.full()];
    const pieces: { cube: Cube; action: readonly Action[]; hop: RuleRef }[] = [];
    let bounded = false;
    const rules = [...listener.rules].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      const hop: RuleRef = { ...base, ruleArn: rule.arn, priority: rule.priority };
      for (const match of this.space.matchCubes(rule.conditions)) {
        const next: Cube[] = [];
        for (const rest of remaining) {
          const hit = intersect(rest, match);
          if (hit === undefined) {
            next.push(rest);
            continue;
          }
          pieces.push({ cube: hit, action: rule.actions, hop });
          next.push(...subtract(rest, match, all));
        }
        remaining = next;
        if (remaining.length + pieces.length > MAX_PIECES) bounded = true;
      }
      if (remaining.length === 0 || bounded) break;
    }
    // Bounded: what is left is routed by the default rule as if no later rule existed; the caller flags it.
    for (const rest of remaining) pieces.push({ cube: rest, action: listener.defaultActions, hop: base });
    return { pieces, bounded };
  }
}
