import * as z from 'zod';

const NAME = /^[\w+=,.@-]+$/;

/**
 * Who an access key stands for. Unregistered keys act as the IAM user of the same name.
 * @example { "accessKeyId": "watchdog", "type": "AssumedRole", "roleName": "elb-watchdog", "sessionName": "on-change" }
 */
export const IdentitySpecSchema = z.discriminatedUnion('type', [
  z.object({
    accessKeyId: z.string().min(1).max(128),
    type: z.literal('IAMUser'),
    userName: z.string().min(1).max(64).regex(NAME).optional(),
  }),
  z.object({
    accessKeyId: z.string().min(1).max(128),
    type: z.literal('AssumedRole'),
    roleName: z.string().min(1).max(64).regex(NAME),
    sessionName: z.string().min(2).max(64).regex(NAME),
    /** The AWS service that called on the role's behalf (CloudTrail `invokedBy`), e.g. `cloudformation.amazonaws.com`. */
    invokedBy: z.string().min(1).max(128).optional(),
  }),
]);

/** A registered identity. */
export type IdentitySpec = z.infer<typeof IdentitySpecSchema>;

/** A resolved identity with the time its session began (CloudTrail's `sessionContext.attributes.creationDate`). */
export type RegisteredIdentity = IdentitySpec & { readonly registeredAt: Date };

/** Maps access key ids to identities; the launcher's identities survive a reset, route-added ones do not. */
export class IdentityRegistry {
  private readonly fixed = new Map<string, RegisteredIdentity>();
  private readonly added = new Map<string, RegisteredIdentity>();

  constructor(initial: readonly IdentitySpec[] = []) {
    for (const spec of initial) this.fixed.set(spec.accessKeyId, { ...IdentitySpecSchema.parse(spec), registeredAt: new Date() });
  }

  /** Registers (or replaces) one identity until the next reset. */
  register(spec: IdentitySpec): RegisteredIdentity {
    const entry = { ...IdentitySpecSchema.parse(spec), registeredAt: new Date() };
    this.added.set(spec.accessKeyId, entry);
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
