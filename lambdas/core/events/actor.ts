import type { Actor } from './change';
import type { UserIdentity } from './cloudtrail-schema';

/** The last `/`-separated segment of an ARN's resource part (`user/alice` → `alice`). */
function lastSegment(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const resource = arn.split(':').slice(5).join(':');
  const segment = resource.split('/').pop();
  return segment === '' ? undefined : segment;
}

/** For `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`: the role name and the session name. */
function assumedRoleParts(arn: string | undefined): { role?: string; session?: string } {
  const match = arn === undefined ? null : /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  return match ? { role: match[1], session: match[2] } : {};
}

/** Drops undefined members so records compare and serialise cleanly. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function displayNameOf(type: string, identity: UserIdentity, role?: string, session?: string): string {
  const via = identity.invokedBy !== undefined && type !== 'AWSService' ? ` via ${identity.invokedBy}` : '';
  switch (type) {
    case 'IAMUser':
      return (identity.userName ?? lastSegment(identity.arn) ?? identity.principalId ?? 'unknown user') + via;
    case 'AssumedRole':
      return ([role, session].filter(Boolean).join('/') || identity.principalId || 'unknown role') + via;
    case 'Root':
      return `root (${identity.accountId ?? 'unknown account'})${via}`;
    case 'AWSService':
      return identity.invokedBy ?? 'an AWS service';
    default:
      return (lastSegment(identity.arn) ?? identity.userName ?? identity.principalId ?? identity.invokedBy ?? 'unknown') + via;
  }
}

/**
 * Who made a call, from `userIdentity`: the IAM user, or the assumed-role session and the role that
 * issued it, with a short display name (`alice`, `deploy/alice@example.com`, `root (123456789012)`).
 */
export function actorOf(identity: UserIdentity | undefined): Actor {
  if (identity === undefined) return { type: 'Unknown', displayName: 'unknown' };
  const type = identity.type ?? 'Unknown';
  const issuer = identity.sessionContext?.sessionIssuer;
  const fromArn = assumedRoleParts(identity.arn);
  const isSession = type === 'AssumedRole' || fromArn.role !== undefined;
  const role = isSession ? (issuer?.userName ?? fromArn.role ?? lastSegment(issuer?.arn)) : undefined;
  const session = isSession ? (fromArn.session ?? identity.principalId?.split(':')[1]) : undefined;
  return defined<Actor>({
    type,
    arn: identity.arn,
    accountId: identity.accountId,
    principalId: identity.principalId,
    accessKeyId: identity.accessKeyId,
    userName: type === 'IAMUser' ? (identity.userName ?? lastSegment(identity.arn)) : undefined,
    roleArn: isSession ? issuer?.arn : undefined,
    sessionName: session,
    invokedBy: identity.invokedBy,
    displayName: displayNameOf(type, identity, role, session),
  });
}

/** What STS GetCallerIdentity says about the credentials of a call. */
export interface CallerIdentity {
  readonly arn: string;
  /** `aws:userid`: `AIDA…` for a user, `AROA…:SESSION` for a role session. */
  readonly userId?: string;
  readonly account?: string;
}

/**
 * The actor behind an STS GetCallerIdentity answer: who authenticated, not who they say they are. Shown by
 * its full ARN (`arn:aws:iam::123456789012:user/carol`), the identity AWS itself vouches for.
 */
export function actorOfCaller(caller: CallerIdentity): Actor {
  const kind = /:(?:iam|sts)::\d*:(user|assumed-role|federated-user|root)\b/.exec(caller.arn)?.[1];
  const type = { user: 'IAMUser', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser', root: 'Root' }[kind ?? ''] ?? 'Unknown';
  const session = assumedRoleParts(caller.arn);
  const roleArn = session.role === undefined ? undefined : caller.arn.replace(/:sts::(\d*):assumed-role\/([^/]+)\/.+$/, ':iam::$1:role/$2');
  return defined<Actor>({
    ...actorOf({ type, arn: caller.arn, accountId: caller.account, principalId: caller.userId }),
    roleArn,
    displayName: caller.arn,
  });
}
