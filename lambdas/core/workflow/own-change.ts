import type { Actor } from '../events/change';

/**
 * True when the watchdog itself made the call: its reverts produce CloudTrail events too, and judging
 * them as a user's change would start a revert loop. Recognised by the IAM role behind the session.
 */
export function isOwnChange(actor: Actor, ownRoleNames: readonly string[]): boolean {
  if (ownRoleNames.length === 0) return false;
  const roleName = actor.roleArn?.split('/').pop() ?? actor.arn?.match(/:assumed-role\/([^/]+)\//)?.[1];
  return roleName !== undefined && ownRoleNames.includes(roleName);
}

/**
 * True when an EventBridge event is the CloudTrail record of a call the watchdog's own roles made (read
 * from `detail.userIdentity`, whatever else the event holds; anything unrecognised is not the watchdog's).
 * `sync-alarms` skips those: a revert restores routing a sync has already seen, and its schedule reconciles
 * anything else, so re-reading every load balancer after each revert would only spend the API budget.
 */
export function isOwnCallEvent(event: unknown, ownRoleNames: readonly string[]): boolean {
  const identity = (event as { detail?: { userIdentity?: { arn?: unknown; sessionContext?: { sessionIssuer?: { arn?: unknown } } } } } | undefined)?.detail?.userIdentity;
  const issuer = identity?.sessionContext?.sessionIssuer?.arn;
  const arn = identity?.arn;
  return isOwnChange(
    { type: 'AssumedRole', displayName: '', ...(typeof issuer === 'string' && { roleArn: issuer }), ...(typeof arn === 'string' && { arn }) } as Actor,
    ownRoleNames,
  );
}
