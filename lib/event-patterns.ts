import type * as events from 'aws-cdk-lib/aws-events';
import { MUTATING_EVENT_NAMES } from '../lambdas/core/events/change';
// The rules match exactly what the parser accepts: one definition of the event's identity.
import { CLOUDTRAIL_DETAIL_TYPE, ELB_EVENT_SOURCE, ELB_SERVICE } from '../lambdas/core/events/cloudtrail-schema';

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
    detail: { eventSource: [ELB_SERVICE], eventName: [...eventNames] },
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
