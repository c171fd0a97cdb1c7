/** The scheme named in a proven capacity's MAC'd message (apart from baselines': one MAC never passes for the other). */
export const CAPACITY_MAC_SCHEME = 'elb-watchdog/capacity-mac/v1';

/**
 * The message whose MAC makes a stored proven capacity the watchdog's own: a capacity written by someone else
 * could lower share blocks, so it is signed like a baseline. It carries the digest of the stored JSON.
 */
export function capacityMacMessage(loadBalancerArn: string, contentSha256: string): Uint8Array {
  if (/[\r\n]/.test(loadBalancerArn)) throw new RangeError('capacity MAC field loadBalancerArn must not contain a line break');
  return new TextEncoder().encode([CAPACITY_MAC_SCHEME, `loadBalancerArn=${loadBalancerArn}`, `contentSha256=${contentSha256}`].join('\n'));
}
