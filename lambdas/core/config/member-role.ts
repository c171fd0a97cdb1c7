/** The partition of a Region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The role to assume for a change in `accountId`, or undefined when the watchdog acts with its own role:
 * the change is in its own account, or no member role is configured (single-account deployment).
 */
export function memberRoleArn(
  accountId: string,
  region: string,
  settings: { readonly ownAccountId?: string; readonly memberRoleName?: string },
): string | undefined {
  if (settings.memberRoleName === undefined || settings.ownAccountId === undefined || accountId === settings.ownAccountId) return undefined;
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${settings.memberRoleName}`;
}
