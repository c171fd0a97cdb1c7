import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { ClassComparison, ClassSide } from '../routing/compare-routing';
import { describeHops } from '../routing/route';
import type { ClassRef } from '../policy/verdict';
import type { ForwardTraffic } from '../traffic/types';

/** Shares closer than this are equal: float sums of weights must not flip a verdict. */
export const EPSILON = 1e-9;

/** A fraction as people read it: `100%`, `25%`, `33.3%`. */
export function percent(fraction: number): string {
  const value = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}%`;
}

/** A capacity count as people read it: `4`, `1`, `about 2.5`. */
export function capacityText(capacity: number): string {
  const rounded = Math.round(capacity);
  return Math.abs(capacity - rounded) < 0.05 ? String(rounded) : `about ${capacity.toFixed(1)}`;
}

/** `1 healthy target`, `4 healthy targets`, `about 2.5 healthy targets`. */
export function healthyTargetsText(capacity: number): string {
  const text = capacityText(capacity);
  return `${text} healthy target${text === '1' ? '' : 's'}`;
}

/** How findings name a class: the listener, its words and the rule that handles it after the change. */
export function classRef(comparison: ClassComparison): ClassRef {
  const { requestClass, after, before } = comparison;
  const hop = after.route.hops[0] ?? before?.route.hops[0];
  return {
    listenerArn: hop?.listenerArn ?? '',
    listenerPort: requestClass.listenerPort,
    listenerLabel: requestClass.listenerLabel,
    label: requestClass.label,
    rule: after.route.hops.length > 0 ? describeHops(after.route) : 'no rule (the listener is gone)',
    ...(after.route.hops[0]?.ruleArn !== undefined && { ruleArn: after.route.hops[0].ruleArn }),
  };
}

/** `requests to /api/* on HTTP:80, rule 10`: the head of a class's messages. */
export function classHead(comparison: ClassComparison): string {
  return `${comparison.requestClass.label}, ${classRef(comparison).rule}`;
}

/** The forward traffic of a side, when it forwards. */
export function forwardOf(side: ClassSide | undefined): ForwardTraffic | undefined {
  return side?.traffic;
}

/** A target group's name in a snapshot, or the ARN when the group is not in it. */
export function groupName(snapshot: LoadBalancerSnapshot, arn: string): string {
  return snapshot.targetGroups.find((g) => g.arn === arn)?.name ?? arn;
}

/** The suffix rules add when there is no baseline to compare with. */
export const NO_BASELINE = ' (no baseline yet: cannot tell whether this is new, so not blocking)';

/** The suffix rules add when the class had no working route before: a route now is never worse. */
export const NO_ROUTE_BEFORE = ' (it had no working route before: not blocking)';
