import { TokenBucket } from './token-bucket';

/** One bucket's size as AWS documents it. */
export interface BucketSize {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * ELBv2's request token buckets, from "Request throttling for the Elastic Load Balancing API"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html): categorised
 * buckets, the uncategorised ones with their own sizes, and the account-level bucket every call also draws on.
 */
export const ELBV2_BUCKETS = {
  'resource-intensive': { capacity: 10, refillPerSecond: 0.2 },
  registration: { capacity: 20, refillPerSecond: 4 },
  'non-mutating': { capacity: 40, refillPerSecond: 10 },
  mutating: { capacity: 20, refillPerSecond: 3 },
  'create-trust-store': { capacity: 10, refillPerSecond: 0.2 },
  'trust-store-changes': { capacity: 10, refillPerSecond: 0.2 },
  'trust-store-reads': { capacity: 20, refillPerSecond: 4 },
  'trust-store-describes': { capacity: 40, refillPerSecond: 10 },
  account: { capacity: 40, refillPerSecond: 10 },
} as const satisfies Record<string, BucketSize>;

/** A bucket's name. */
export type BucketName = keyof typeof ELBV2_BUCKETS;

const CATEGORY: Readonly<Record<string, BucketName>> = {
  CreateLoadBalancer: 'resource-intensive',
  SetSubnets: 'resource-intensive',
  RegisterTargets: 'registration',
  DeregisterTargets: 'registration',
  ...Object.fromEntries(
    [
      'DescribeAccountLimits', 'DescribeCapacityReservation', 'DescribeListenerAttributes', 'DescribeListenerCertificates',
      'DescribeListeners', 'DescribeLoadBalancerAttributes', 'DescribeLoadBalancers', 'DescribeRules', 'DescribeSSLPolicies',
      'DescribeTags', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeTargetHealth',
    ].map((a) => [a, 'non-mutating' as const]),
  ),
  CreateTrustStore: 'create-trust-store',
  ...Object.fromEntries(
    ['AddTrustStoreRevocations', 'DeleteSharedTrustStoreAssociation', 'DeleteTrustStore', 'ModifyTrustStore', 'RemoveTrustStoreRevocations'].map((a) => [a, 'trust-store-changes' as const]),
  ),
  ...Object.fromEntries(['GetResourcePolicy', 'GetTrustStoreCaCertificatesBundle', 'GetTrustStoreRevocationContent'].map((a) => [a, 'trust-store-reads' as const])),
  ...Object.fromEntries(['DescribeTrustStoreAssociations', 'DescribeTrustStoreRevocations', 'DescribeTrustStores'].map((a) => [a, 'trust-store-describes' as const])),
};

/** The bucket an ELBv2 action draws on besides the account's: "mutating" unless the page lists it elsewhere. */
export function bucketOf(action: string): BucketName {
  return CATEGORY[action] ?? 'mutating';
}

/** One bucket's state, for `GET /_sim/faults`. */
export interface BucketLevel {
  /** Account, or `account/service` for a service's own buckets. */
  readonly owner: string;
  readonly bucket: BucketName;
  readonly tokens: number;
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * The buckets of every account (and of every AWS service calling on an account's behalf: "Services that call
 * the Elastic Load Balancing API on your behalf ... have their own account-level buckets. These services do
 * not consume tokens from your buckets."). A call goes through only when both its category bucket and the
 * account-level bucket hold a token; it then takes one from each. A refused call takes none.
 */
export class ElbApiBuckets {
  private owners = new Map<string, Map<BucketName, TokenBucket>>();
  private throttled = 0;

  /** `now` is a monotonic clock in milliseconds (real time). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** True when the call may proceed (its tokens are taken); false when ELBv2 would throttle it. */
  tryTake(owner: string, action: string): boolean {
    const at = this.now();
    const category = this.bucket(owner, bucketOf(action), at);
    const account = this.bucket(owner, 'account', at);
    if (!category.has(at) || !account.has(at)) {
      this.throttled++;
      return false;
    }
    category.take(at);
    account.take(at);
    return true;
  }

  /** Current levels of every bucket used so far, and the calls refused. */
  describe(): { throttled: number; buckets: BucketLevel[] } {
    const at = this.now();
    const buckets: BucketLevel[] = [];
    for (const [owner, byName] of this.owners) {
      for (const [bucket, b] of byName) buckets.push({ owner, bucket, tokens: Math.floor(b.level(at) * 100) / 100, capacity: b.capacity, refillPerSecond: b.refillPerSecond });
    }
    return { throttled: this.throttled, buckets };
  }

  /** Every bucket full again (a fresh account). */
  reset(): void {
    this.owners = new Map();
    this.throttled = 0;
  }

  private bucket(owner: string, name: BucketName, at: number): TokenBucket {
    let byName = this.owners.get(owner);
    if (!byName) this.owners.set(owner, (byName = new Map()));
    let bucket = byName.get(name);
    if (!bucket) byName.set(name, (bucket = new TokenBucket(ELBV2_BUCKETS[name].capacity, ELBV2_BUCKETS[name].refillPerSecond, at)));
    return bucket;
  }
}
