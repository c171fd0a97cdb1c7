import type { LoadBalancerSnapshot, RuleCondition } from '../model/snapshot';
import { listenerLabel } from '../traffic/path-label';
import { contains, intersect } from './cube';
import { describeCubes } from './describe-class';
import type { HttpRequest } from './http-request';
import { SnapshotRoutes } from './listener-routes';
import { RequestSpace, type Cube } from './request-space';
import { routeKey, type Route } from './route';

/**
 * Request classes of one load balancer across a change: for every listener port (before or after), the
 * requests that the conditions of all rules, before and after, tell apart, each routed through both
 * configurations. Pieces with the same pair of routes are one class, so a listener with a hundred
 * rules yields about as many classes as rules whose routing the change touches, named in words.
 */

/** One class of requests on one listener port, with its route before and after. */
export interface RequestClass {
  readonly listenerPort: number;
  /** `HTTP:80` (the listener after the change, or before when it was deleted). */
  readonly listenerLabel: string;
  /** `requests to /api/* on HTTP:80`. */
  readonly label: string;
  /** The words without the listener: `requests to /api/*`. */
  readonly phrase: string;
  /** A request of the class (for people, tests and the stand-in). */
  readonly example: HttpRequest;
  /** The pieces of request space the class is made of. */
  readonly cubes: readonly Cube[];
  /** Absent when there is no "before" (no baseline). */
  readonly before?: Route;
  readonly after: Route;
}

/** The classes of a load balancer across a change, and what limits their precision. */
export interface RequestClasses {
  readonly space: RequestSpace;
  readonly classes: readonly RequestClass[];
  /** True when a bound stopped the split: some classes may be merged (the verdict errs toward blocking). */
  readonly bounded: boolean;
  /** Approximations made (regex values), in words. */
  readonly approximations: readonly string[];
  /** The class of a concrete request, or undefined when the model has no class for it (a gap). */
  classify(listenerPort: number, request: HttpRequest): RequestClass | undefined;
}

function conditionsOf(snapshot: LoadBalancerSnapshot | undefined): RuleCondition[] {
  return snapshot === undefined ? [] : snapshot.listeners.flatMap((l) => l.rules.flatMap((r) => r.conditions));
}

/** Classes of `after` against `before` (or of `after` alone when there is no baseline). */
export function requestClasses(before: LoadBalancerSnapshot | undefined, after: LoadBalancerSnapshot): RequestClasses {
  const space = RequestSpace.of([...conditionsOf(before), ...conditionsOf(after)]);
  const beforeRoutes = before === undefined ? undefined : new SnapshotRoutes(before, space);
  const afterRoutes = new SnapshotRoutes(after, space);
  const ports = [...new Set([...(before?.listeners ?? []), ...after.listeners].map((l) => l.port))].sort((a, b) => a - b);
  const classes: RequestClass[] = [];
  let bounded = space.limits.bounded;
  for (const port of ports) {
    const afterPieces = afterRoutes.routes(port);
    const beforePieces = beforeRoutes?.routes(port);
    bounded ||= afterPieces.bounded || (beforePieces?.bounded ?? false);
    const listener = afterRoutes.listener(port) ?? beforeRoutes?.listener(port);
    const label = listener === undefined ? `port ${port}` : listenerLabel(listener);
    const groups = new Map<string, { cubes: Cube[]; before?: Route; after: Route }>();
    for (const a of afterPieces.pieces) {
      for (const b of beforePieces?.pieces ?? [undefined]) {
        const cube = b === undefined ? a.cube : intersect(a.cube, b.cube);
        if (cube === undefined) continue;
        const key = `${b === undefined ? '' : routeKey(b.route)}#${routeKey(a.route)}`;
        const group = groups.get(key) ?? { cubes: [], before: b?.route, after: a.route };
        group.cubes.push(cube);
        groups.set(key, group);
      }
    }
    for (const group of groups.values()) {
      const words = describeCubes(space, group.cubes);
      classes.push({ listenerPort: port, listenerLabel: label, label: `${words.phrase} on ${label}`, phrase: words.phrase, example: words.example, ...group });
    }
  }
  return {
    space,
    classes,
    bounded,
    approximations: space.limits.approximations,
    classify(listenerPort, request) {
      const point = space.locate(request);
      if (point === undefined) return undefined;
      return classes.find((c) => c.listenerPort === listenerPort && c.cubes.some((cube) => contains(cube, point)));
    },
  };
}
