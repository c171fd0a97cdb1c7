import type { LoadBalancerSnapshot } from '../model/snapshot';
import { describeHops } from './route';
import type { TargetShare } from '../traffic/types';
import { compareRouting } from './compare-routing';

/** How one request class's requests spread over targets now: a plain, serialisable view. */
export interface ClassTrafficView {
  /** `requests to /api/* on HTTP:80`. */
  readonly requestClass: string;
  /** `rule 10`, `the default rule`. */
  readonly rule: string;
  /** What ELB does when it does not forward: `fixed-response 404`, `redirect to https://…`, `no route`. */
  readonly answer?: string;
  readonly unroutable: boolean;
  readonly failingOpen: boolean;
  readonly targets: readonly TargetShare[];
}

/** Every request class of a load balancer as it is now, with its split per target. */
export function classTraffic(snapshot: LoadBalancerSnapshot): ClassTrafficView[] {
  return compareRouting(undefined, snapshot).classes.map(({ requestClass, after }) => {
    const outcome = after.route.outcome;
    const answer =
      outcome.kind === 'fixed-response' ? `fixed-response ${outcome.statusCode}` :
      outcome.kind === 'redirect' ? `redirect to ${outcome.location}` :
      outcome.kind === 'no-route' ? `no route: ${outcome.reason}` :
      outcome.kind === 'no-listener' ? 'no listener' : undefined;
    return {
      requestClass: requestClass.label,
      rule: describeHops(after.route),
      ...(answer !== undefined && { answer }),
      unroutable: after.traffic?.unroutable ?? false,
      failingOpen: (after.traffic?.failOpenTargetGroupArns.length ?? 0) > 0,
      targets: after.traffic?.targets ?? [],
    };
  });
}
