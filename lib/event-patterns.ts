import type * as events from 'aws-cdk-lib/aws-events';
import { MUTATING_EVENT_NAMES } from '../lambdas/core/events/change';

/** The `source` of every ELBv2 event EventBridge receives from CloudTrail. */
export const ELB_EVENT_SOURCE = 'aws.elasticloadbalancing';
/** The `detail-type` of CloudTrail management events on EventBridge. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** `detail.eventSource` of ELB calls (Classic ELB shares it: the parser tells them apart). */
export const ELB_API_EVENT_SOURCE = 'elasticloadbalancing.amazonaws.com';

/**
 * The calls after which `sync-alarms` re-synchronises the alarms at once instead of waiting for its schedule:
 * a target group appears or goes, starts or stops serving a load balancer (listener and rule actions), or a
 * load balancer goes.
 */
export const ALARM_SYNC_EVENT_NAMES = [
  'CreateTargetGroup',
  'DeleteTargetGroup',
  'RegisterTargets',
  'CreateListener',
  'ModifyListener',
  'DeleteListener',
  'CreateRule',
  'ModifyRule',
  'DeleteRule',
  'DeleteLoadBalancer',
] as const;

/** An EventBridge pattern for successful or failed ELBv2 calls named `eventNames`, as CloudTrail delivers them. */
export function elbApiCallPattern(eventNames: readonly string[]): events.EventPattern {
  return {
    source: [ELB_EVENT_SOURCE],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [ELB_API_EVENT_SOURCE], eventName: [...eventNames] },
  };
}

/** The pattern of every change the watchdog judges: the mutating calls of the core's `MUTATING_EVENT_NAMES`. */
export function changeEventPattern(): events.EventPattern {
  return elbApiCallPattern(MUTATING_EVENT_NAMES);
}

/** The pattern a member account forwards: everything the central watchdog judges or syncs alarms on. */
export function forwardedEventPattern(): events.EventPattern {
  return elbApiCallPattern([...new Set<string>([...MUTATING_EVENT_NAMES, ...ALARM_SYNC_EVENT_NAMES])]);
}
