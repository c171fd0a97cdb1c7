/** The scheme named in every MAC'd message: a later format gets a new name, never a new meaning for this one. */
export const BASELINE_MAC_SCHEME = 'elb-watchdog/baseline-mac/v1';

/** What a baseline's MAC covers: where it is stored, which write it is, and the exact stored bytes. */
export interface BaselineMacFields {
  /** The load balancer whose item it is (the item's key): a baseline copied to another key fails. */
  readonly loadBalancerArn: string;
  /** The version the item carries: a baseline whose version was edited fails. */
  readonly version: number;
  readonly storedAt: string;
  /** The event that produced it; '' for a baseline taken by the audit. */
  readonly eventId?: string;
  /** SHA-256 (hex) of the stored, compressed snapshot bytes. */
  readonly snapshotSha256: string;
}

/**
 * The message whose MAC makes a stored baseline the watchdog's own: one `name=value` line per field after
 * the scheme, in a fixed order, so that no two different items share a message (values hold no newline:
 * ARNs, a number, an ISO time, an event id, a hex digest). KMS MACs messages up to 4,096 bytes; this one
 * is a few hundred, because it carries the snapshot's digest rather than the snapshot.
 */
export function baselineMacMessage(fields: BaselineMacFields): Uint8Array {
  const values: [string, string][] = [
    ['loadBalancerArn', fields.loadBalancerArn],
    ['version', String(fields.version)],
    ['storedAt', fields.storedAt],
    ['eventId', fields.eventId ?? ''],
    ['snapshotSha256', fields.snapshotSha256],
  ];
  for (const [name, value] of values) {
    if (/[\r\n]/.test(value)) throw new RangeError(`baseline MAC field ${name} must not contain a line break`);
  }
  return new TextEncoder().encode([BASELINE_MAC_SCHEME, ...values.map(([name, value]) => `${name}=${value}`)].join('\n'));
}
