import * as z from 'zod';

const NAME = /^[\w+=,.@-]+$/;
// IAM role ARNs carry the role's path: `role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`.
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role((?:\/[\w+=,.@-]+)*\/)([\w+=,.@-]+)$/;
const PATH = /^\/(?:[\w+=,.@-]+\/)*$/;
const SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

// What every kind of caller may set: how CloudTrail shows where the call came from.
const common = {
  accessKeyId: z.string().min(1).max(128),
  /** CloudTrail `sourceIPAddress`: an address, or a service's DNS name (`autoscaling.amazonaws.com`). @default invokedBy, else the caller's socket address */
  sourceIPAddress: z.string().min(1).max(256).optional(),
  /** CloudTrail `userAgent`. @default invokedBy, else the request's User-Agent header */
  userAgent: z.string().min(1).max(1024).optional(),
};

/**
 * Who an access key stands for. Unregistered keys act as the IAM user of the same name. A role may be given by
 * name (with an optional path) or by its ARN, e.g. a service-linked role
 * `arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`.
 * @example { "accessKeyId": "watchdog", "type": "AssumedRole", "roleName": "elb-watchdog", "sessionName": "on-change" }
 * @example { "accessKeyId": "asg", "type": "AssumedRole", "roleArn": "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", "sessionName": "AutoScaling", "invokedBy": "autoscaling.amazonaws.com" }
 * @example { "accessKeyId": "elb", "type": "AWSService", "invokedBy": "elasticloadbalancing.amazonaws.com" }
 */
export const IdentitySpecSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        ...common,
        type: z.literal('IAMUser'),
        userName: z.string().min(1).max(64).regex(NAME).optional(),
        /** The service that called with this user's credentials (CloudFormation without a service role). */
        invokedBy: z.string().regex(SERVICE).optional(),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal('AssumedRole'),
        roleName: z.string().min(1).max(64).regex(NAME).optional(),
        /** The role's path, `/` unless set (service-linked roles: `/aws-service-role/SERVICE/`). */
        rolePath: z.string().max(512).regex(PATH, 'must start and end with /').optional(),
        /** The role's ARN instead of roleName and rolePath; its account becomes the caller's. */
        roleArn: z.string().regex(ROLE_ARN, 'must be arn:aws:iam::ACCOUNT:role[/PATH]/NAME').optional(),
        sessionName: z.string().min(2).max(64).regex(NAME),
        /** The AWS service that called on the role's behalf (CloudTrail `invokedBy`), e.g. `autoscaling.amazonaws.com`. */
        invokedBy: z.string().min(1).max(128).optional(),
      })
      .strict(),
    z
      .object({
        ...common,
        /** A service acting with its own principal: CloudTrail writes only `type` and `invokedBy`. */
        type: z.literal('AWSService'),
        invokedBy: z.string().regex(SERVICE, 'must be a service principal such as autoscaling.amazonaws.com'),
      })
      .strict(),
  ])
  .superRefine((spec, ctx) => {
    if (spec.type !== 'AssumedRole') return;
    if (!spec.roleName && !spec.roleArn) ctx.addIssue({ code: 'custom', path: ['roleName'], message: 'roleName or roleArn is required' });
    const parsed = spec.roleArn ? parseRoleArn(spec.roleArn) : undefined;
    if (parsed && spec.roleName && spec.roleName !== parsed.roleName) ctx.addIssue({ code: 'custom', path: ['roleName'], message: `differs from the name in roleArn (${parsed.roleName})` });
    if (parsed && spec.rolePath && spec.rolePath !== parsed.rolePath) ctx.addIssue({ code: 'custom', path: ['rolePath'], message: `differs from the path in roleArn (${parsed.rolePath})` });
  });

/** A registered identity, as given. */
export type IdentitySpec = z.input<typeof IdentitySpecSchema>;

type Common = { readonly accessKeyId: string; readonly sourceIPAddress?: string; readonly userAgent?: string; readonly invokedBy?: string };

/** An identity with its role resolved (name, path, account) and the time its session began (`sessionContext.attributes.creationDate`). */
export type RegisteredIdentity = Common & { readonly registeredAt: Date } & (
    | { readonly type: 'IAMUser'; readonly userName?: string }
    | { readonly type: 'AssumedRole'; readonly roleName: string; readonly rolePath: string; readonly sessionName: string; readonly accountId?: string }
    | { readonly type: 'AWSService'; readonly invokedBy: string }
  );

/** Maps access key ids to identities; the launcher's identities survive a reset, route-added ones do not. */
export class IdentityRegistry {
  private readonly fixed = new Map<string, RegisteredIdentity>();
  private readonly added = new Map<string, RegisteredIdentity>();

  constructor(initial: readonly IdentitySpec[] = []) {
    for (const spec of initial) this.fixed.set(spec.accessKeyId, resolveSpec(spec));
  }

  /** Registers (or replaces) one identity until the next reset. */
  register(spec: IdentitySpec): RegisteredIdentity {
    const entry = resolveSpec(spec);
    this.added.set(entry.accessKeyId, entry);
    return entry;
  }

  /** The identity behind a key: registered, or the IAM user named like the key. */
  resolve(accessKeyId: string | undefined): RegisteredIdentity {
    const key = accessKeyId ?? 'anonymous';
    return this.added.get(key) ?? this.fixed.get(key) ?? { accessKeyId: key, type: 'IAMUser', userName: key, registeredAt: new Date(0) };
  }

  /** Every registered identity. */
  list(): RegisteredIdentity[] {
    return [...new Map([...this.fixed, ...this.added]).values()];
  }

  /** Forgets identities added since start. */
  reset(): void {
    this.added.clear();
  }
}

/** Who made a call, as one string: the IAM user or STS session ARN, or the service principal for `AWSService`. */
export function callerArn(identity: RegisteredIdentity, defaultAccountId: string): string {
  switch (identity.type) {
    case 'AWSService':
      return identity.invokedBy;
    case 'AssumedRole':
      // STS session ARNs never carry the role's path.
      return `arn:aws:sts::${identity.accountId ?? defaultAccountId}:assumed-role/${identity.roleName}/${identity.sessionName}`;
    default:
      return `arn:aws:iam::${defaultAccountId}:user/${identity.userName ?? identity.accessKeyId}`;
  }
}

/** The role ARN of an assumed-role identity, path included. */
export function roleArnOf(identity: RegisteredIdentity & { type: 'AssumedRole' }, defaultAccountId: string): string {
  return `arn:aws:iam::${identity.accountId ?? defaultAccountId}:role${identity.rolePath}${identity.roleName}`;
}

function parseRoleArn(arn: string): { accountId: string; rolePath: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1] ?? '', rolePath: match[2] ?? '/', roleName: match[3] ?? '' } : undefined;
}

function resolveSpec(input: IdentitySpec): RegisteredIdentity {
  const spec = IdentitySpecSchema.parse(input);
  const registeredAt = new Date();
  if (spec.type !== 'AssumedRole') return { ...spec, registeredAt };
  const { roleArn, ...rest } = spec;
  const parsed = roleArn ? parseRoleArn(roleArn) : undefined;
  return {
    ...rest,
    roleName: parsed?.roleName ?? spec.roleName ?? '',
    rolePath: parsed?.rolePath ?? spec.rolePath ?? '/',
    ...(parsed ? { accountId: parsed.accountId } : {}),
    registeredAt,
  };
}
