import { createHash } from 'node:crypto';
import { callerArn, roleArnOf, type RegisteredIdentity } from '../front/identity-registry';

/** The `userIdentity` element of a CloudTrail record. */
export type UserIdentity = Record<string, unknown>;

/**
 * Builds `userIdentity` as AWS records it: IAM users with an `AIDA…` principal id; assumed roles with the STS
 * session ARN (never the role's path), an `AROA…:session` principal and `sessionContext.sessionIssuer` naming
 * the role by its ARN with its path (`role/aws-service-role/autoscaling.amazonaws.com/…`); a service acting
 * with its own principal as `{type: AWSService, invokedBy}` only. Calls a service made (`invokedBy`) carry no
 * access key id, as in the records AWS writes for Auto Scaling and CloudFormation.
 */
export function userIdentity(identity: RegisteredIdentity, accountId: string): UserIdentity {
  const key = identity.invokedBy ? {} : { accessKeyId: identity.accessKeyId };
  const invokedBy = identity.invokedBy ? { invokedBy: identity.invokedBy } : {};
  if (identity.type === 'AWSService') return { type: 'AWSService', invokedBy: identity.invokedBy };
  if (identity.type === 'AssumedRole') {
    const account = identity.accountId ?? accountId;
    const roleArn = roleArnOf(identity, accountId);
    const roleId = uniqueId('AROA', `role${identity.rolePath}${identity.roleName}`);
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${identity.sessionName}`,
      arn: callerArn(identity, accountId),
      accountId: account,
      ...key,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId: account, userName: identity.roleName },
        webIdFederationData: {},
        attributes: { creationDate: identity.registeredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
      },
      ...invokedBy,
    };
  }
  const userName = identity.userName ?? identity.accessKeyId;
  return {
    type: 'IAMUser',
    principalId: uniqueId('AIDA', `user/${userName}`),
    arn: callerArn(identity, accountId),
    accountId,
    ...key,
    userName,
    ...invokedBy,
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
