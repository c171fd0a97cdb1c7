import { createHash } from 'node:crypto';
import type { RegisteredIdentity } from '../front/identity-registry';

/** The `userIdentity` element of a CloudTrail record. */
export type UserIdentity = Record<string, unknown>;

/**
 * Builds `userIdentity` as AWS records it: IAM users with an `AIDA…` principal id; assumed roles with the STS
 * session ARN, an `AROA…:session` principal and `sessionContext.sessionIssuer` naming the role.
 */
export function userIdentity(identity: RegisteredIdentity, accountId: string): UserIdentity {
  if (identity.type === 'AssumedRole') {
    const roleId = uniqueId('AROA', `role/${identity.roleName}`);
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${identity.sessionName}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${identity.roleName}/${identity.sessionName}`,
      accountId,
      accessKeyId: identity.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: `arn:aws:iam::${accountId}:role/${identity.roleName}`,
          accountId,
          userName: identity.roleName,
        },
        webIdFederationData: {},
        attributes: { creationDate: identity.registeredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
      },
      ...(identity.invokedBy ? { invokedBy: identity.invokedBy } : {}),
    };
  }
  const userName = identity.userName ?? identity.accessKeyId;
  return {
    type: 'IAMUser',
    principalId: uniqueId('AIDA', `user/${userName}`),
    arn: `arn:aws:iam::${accountId}:user/${userName}`,
    accountId,
    accessKeyId: identity.accessKeyId,
    userName,
  };
}

// IAM unique ids are a 4-letter prefix and 17 upper-case base32 characters; derive them stably from the name.
function uniqueId(prefix: string, name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(name).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += alphabet[(bytes[i] ?? 0) % 32];
  return id;
}
