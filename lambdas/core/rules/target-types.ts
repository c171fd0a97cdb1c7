import type { GroupSpread } from '../traffic/group-spread';
import type { ForwardTraffic } from '../traffic/types';

/**
 * A `lambda` target group holds one function and an `alb` target group one load balancer, by API design
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html:
 * "Register a single Lambda function as a target", "Register a single Application Load Balancer as a
 * target"). Neither is one server: a function scales, a load balancer spreads. Server-count rules leave
 * them out unless a policy opts in.
 */
export function isSingleTargetType(spread: GroupSpread): boolean {
  return spread.group.targetType === 'lambda' || spread.group.targetType === 'alb';
}

/** True when a forward reaches a lambda or alb group. */
export function reachesSingleTargetType(traffic: ForwardTraffic | undefined): boolean {
  return traffic?.segments.some((s) => isSingleTargetType(s.spread)) ?? false;
}
