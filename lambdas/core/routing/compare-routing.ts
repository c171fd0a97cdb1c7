import type { LoadBalancerSnapshot } from '../model/snapshot';
import { TrafficModel } from '../traffic/forward-traffic';
import type { ForwardTraffic } from '../traffic/types';
import { requestClasses, type RequestClass, type RequestClasses } from './request-classes';
import type { Route } from './route';

/**
 * Where every request class of a load balancer goes before and after a change, with the traffic of each
 * forward: what the policy's rules judge.
 */

/** A class's route on one side, with its forward traffic when it is forwarded. */
export interface ClassSide {
  readonly route: Route;
  /** For a forward: how its requests spread over targets. */
  readonly traffic?: ForwardTraffic;
  /** True when ELB gives the class a working answer: targets reached, a redirect, a fixed 2xx/3xx. */
  readonly working: boolean;
}

/** One request class and its two sides. */
export interface ClassComparison {
  readonly requestClass: RequestClass;
  /** Absent when there is no baseline. */
  readonly before?: ClassSide;
  readonly after: ClassSide;
}

/** One side of the comparison: the snapshot and its traffic model. */
export interface RoutedSnapshot {
  readonly snapshot: LoadBalancerSnapshot;
  readonly traffic: TrafficModel;
}

/** The whole comparison. */
export interface RoutingComparison {
  readonly classes: readonly ClassComparison[];
  readonly before?: RoutedSnapshot;
  readonly after: RoutedSnapshot;
  /** The request classes behind it (space, limits, `classify`). */
  readonly model: RequestClasses;
}

function sideOf(route: Route, model: TrafficModel): ClassSide {
  const outcome = route.outcome;
  switch (outcome.kind) {
    case 'forward': {
      const traffic = model.forward(outcome.forward);
      return { route, traffic, working: !traffic.unroutable };
    }
    case 'redirect':
      return { route, working: true };
    case 'fixed-response':
      return { route, working: /^[23]/.test(outcome.statusCode) };
    default:
      return { route, working: false };
  }
}

/** Compares `after` with `before` (the last known good with today's health), class by class. */
export function compareRouting(before: LoadBalancerSnapshot | undefined, after: LoadBalancerSnapshot): RoutingComparison {
  const model = requestClasses(before, after);
  const beforeSide = before === undefined ? undefined : { snapshot: before, traffic: new TrafficModel(before) };
  const afterSide = { snapshot: after, traffic: new TrafficModel(after) };
  const classes = model.classes.map((requestClass) => ({
    requestClass,
    before: requestClass.before === undefined || beforeSide === undefined ? undefined : sideOf(requestClass.before, beforeSide.traffic),
    after: sideOf(requestClass.after, afterSide.traffic),
  }));
  return { classes, before: beforeSide, after: afterSide, model };
}
