/**
 * The partition-key prefix of break-glass items in the state table. Break-glass items have a partition of
 * their own because IAM restricts item writes by partition key only (`dynamodb:LeadingKeys`): the table's
 * resource policy and the break-glass operator policy name this prefix, and the store writes under it.
 */
export const BREAK_GLASS_KEY_PREFIX = 'BREAKGLASS#';
