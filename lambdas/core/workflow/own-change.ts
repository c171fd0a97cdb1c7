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
